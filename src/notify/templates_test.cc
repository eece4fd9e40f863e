// Tests of the notification templates: the shipped data file loads and renders in both
// languages; a bad file refuses to load naming file:line.
#include "notify/templates.h"

#include <gtest/gtest.h>

#include "core/embedded.h"
#include "notify/catalogue.h"

namespace beian::notify {
namespace {

TEST(TemplatesTest, TheShippedFileLoadsAndCoversTheCatalogue) {
  auto set = TemplateSet::LoadEmbedded({.provider_name = "示例云", .console_url = "http://c/"});
  ASSERT_TRUE(set.ok()) << set.error().message;
  for (const TemplateSpec& t : Catalogue()) {
    for (std::string_view locale : {"zh-CN", "en"}) {
      auto email = (*set)->Render(t.id, "email", locale, {});
      ASSERT_TRUE(email.ok()) << t.id;
      EXPECT_FALSE(email->subject.empty());
      EXPECT_FALSE(email->text.empty());
      EXPECT_NE(email->html.find("<html>"), std::string::npos);
      auto sms = (*set)->Render(t.id, "sms", locale, {});
      ASSERT_TRUE(sms.ok());
      EXPECT_TRUE(sms->text.starts_with("【示例云】")) << sms->text;
      EXPECT_LE(CountChars(sms->text), kSmsSegmentChars);
    }
  }
}

TEST(TemplatesTest, RendersParametersEscapedInHtmlAndClippedInSms) {
  auto set = TemplateSet::LoadEmbedded({.provider_name = "示例云", .console_url = "http://c/"});
  ASSERT_TRUE(set.ok());
  Params p{{"organizer_name", "北京<某某>科技有限公司上海分公司第一分部"},
           {"application_ref", "ab12cd34"},
           {"reasons", "1. 名称不符\n2. <b>照片</b>"},
           {"reason_count", "2"},
           {"display_name", "张三"}};
  auto email = (*set)->Render("preliminary_rejected", "email", "zh-CN", p);
  ASSERT_TRUE(email.ok());
  EXPECT_NE(email->subject.find("北京<某某>科技"), std::string::npos);
  EXPECT_NE(email->text.find("2. <b>照片</b>"), std::string::npos);
  EXPECT_NE(email->html.find("1. 名称不符<br>2. &lt;b&gt;照片&lt;/b&gt;"), std::string::npos);
  EXPECT_EQ(email->html.find("<某某>"), std::string::npos);
  auto sms = (*set)->Render("preliminary_rejected", "sms", "zh-CN", p);
  ASSERT_TRUE(sms.ok());
  EXPECT_NE(sms->text.find("ab12cd34"), std::string::npos);
  EXPECT_NE(sms->text.find("2项问题"), std::string::npos);
  auto en = (*set)->Render("backdrop_shipped", "email", "en",
                           {{"carrier", "SF Express"}, {"tracking_number", "SF1234567890"}});
  ASSERT_TRUE(en.ok());
  EXPECT_EQ(en->subject, "Backdrop shipped: SF Express SF1234567890");
  auto other = (*set)->Render("backdrop_shipped", "email", "fr", {});
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->subject.find("幕布已寄出"), std::string::npos);  // zh-CN by default
}

std::string WithLine(std::string line) {
  std::string tsv(*core::EmbeddedFile(kTemplatesFile));
  return tsv + line + "\n";
}

int LineCount(std::string_view s) {
  int n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

TEST(TemplatesTest, AnUnknownParameterRefusesTheLoadNamingFileAndLine) {
  std::string tsv(*core::EmbeddedFile(kTemplatesFile));
  // Replace the zh-CN e-mail subject of application_submitted with one naming {tracking_number}.
  const std::string from = "application_submitted\temail\tzh-CN\tsubject\t";
  const size_t at = tsv.find(from);
  ASSERT_NE(at, std::string::npos);
  const int line = LineCount(std::string_view(tsv).substr(0, at)) + 1;
  tsv.insert(at + from.size(), "{tracking_number} ");
  auto set = TemplateSet::Load(tsv, "data/notify/templates.tsv", {});
  ASSERT_FALSE(set.ok());
  EXPECT_EQ(set.error().message, "data/notify/templates.tsv:" + std::to_string(line) +
                                     ": template application_submitted names unknown parameter "
                                     "{tracking_number}");
}

TEST(TemplatesTest, OtherMistakesAreRefused) {
  auto fails = [](const std::string& tsv, std::string_view expected) {
    auto set = TemplateSet::Load(tsv, "t.tsv", {});
    ASSERT_FALSE(set.ok());
    EXPECT_NE(set.error().message.find(expected), std::string::npos) << set.error().message;
  };
  fails(WithLine("application_submitted\temail\tzh-CN\tsubject\tagain"), "repeats line");
  fails(WithLine("nope\temail\tzh-CN\tsubject\tx"), "unknown template nope");
  fails(WithLine("application_submitted\tfax\tzh-CN\ttext\tx"), "unknown channel fax");
  fails(WithLine("application_submitted\tsms\tzh-CN\tsubject\tx"), "has no part subject");
  fails("application_submitted\temail\tzh-CN\tsubject\tx\n", "missing");
  fails(WithLine("x\ty"), "expected 5 tab-separated fields");
  std::string tsv(*core::EmbeddedFile(kTemplatesFile));
  const std::string sms = "photo_accepted\tsms\ten\ttext\t";
  const size_t at = tsv.find(sms);
  ASSERT_NE(at, std::string::npos);
  std::string unsigned_sms = tsv;
  const std::string signature = "【{provider_name}】";
  unsigned_sms.replace(at + sms.size(), signature.size(), "Hello ");
  fails(unsigned_sms, "starts with 【{provider_name}】");
  std::string long_sms = tsv;
  long_sms.insert(at + sms.size() + signature.size(), std::string(60, 'x'));
  fails(long_sms, "one segment");
  auto bad_name = TemplateSet::LoadEmbedded({.provider_name = "一个非常非常长的接入商名称"});
  ASSERT_FALSE(bad_name.ok());
}

TEST(TemplatesTest, ClipCountsCharactersNotBytes) {
  EXPECT_EQ(CountChars("中文ab"), 4);
  EXPECT_EQ(ClipChars("中文abc", 3), "中文…");
  EXPECT_EQ(ClipChars("中文", 2), "中文");
}

}  // namespace
}  // namespace beian::notify
