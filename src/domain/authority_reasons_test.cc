// The authority reviewer's reason catalogue and the catalogues' common TSV reading.
#include "domain/authority_reasons.h"

#include <gtest/gtest.h>

#include <array>

#include "domain/catalogue_tsv.h"

namespace beian::domain {
namespace {

using core::ErrorCode;

TEST(AuthorityReasonsTest, ParsesAndRefuses) {
  ASSERT_TRUE(AuthorityReasons::BuiltIn());
  auto ok =
      AuthorityReasons::Parse("# c\ncode\tzh-CN\ten\tnote_required\nother\t其他\tOther\tyes\n");
  ASSERT_TRUE(ok);
  ASSERT_NE(ok->Find("other"), nullptr);
  EXPECT_TRUE(ok->Find("other")->note_required);
  for (const char* bad : {"code\tzh-CN\ten\tnote_required\nx\ta\tb\tyes\n",  // no other
                          "code\tzh-CN\ten\nother\ta\tb\n",                  // 3 columns
                          "code\tzh-CN\ten\tnote_required\nOther\ta\tb\tyes\n",
                          "code\tzh-CN\ten\tnote_required\nother\ta\tb\tmaybe\n",
                          "code\tzh-CN\ten\tnote_required\nother\ta\tb\tyes\nother\ta\tb\tno\n"}) {
    auto r = AuthorityReasons::Parse(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kRulesInvalid);
  }
}

TEST(AuthorityReasonsTest, BuiltInServesEveryCodeWithItsNames) {
  auto reasons = AuthorityReasons::BuiltIn();
  ASSERT_TRUE(reasons) << reasons.error().message;
  ASSERT_EQ(reasons->entries().size(), 10u);
  const AuthorityReason* e = reasons->Find("info_mismatch");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->zh_cn, "填写信息与证件或登记信息不一致");
  EXPECT_EQ(e->en, "The details do not match the documents or the official records");
  EXPECT_FALSE(e->note_required);
  EXPECT_EQ(reasons->Find("no_such_code"), nullptr);
  const auto json = reasons->ToJson();
  const auto& items = json.at("items").as_array();
  ASSERT_EQ(items.size(), 10u);
  EXPECT_EQ(items.back().at("code").as_string(), "other");
  EXPECT_EQ(items.back().at("zh_CN").as_string(), "其他（见审核意见）");
  EXPECT_EQ(items.back().at("en").as_string(), "Other (see the reviewer's note)");
  EXPECT_TRUE(items.back().at("note_required").as_bool());
}

TEST(CatalogueTsvTest, ReadsRowsAfterTheHeaderAndNamesTheLineOfAFault) {
  static constexpr std::array<std::string_view, 2> kHeader = {"code", "en"};
  auto rows = ReadCatalogueTsv("# note\n\ncode\ten\r\na\tA\r\nb\tB\n", "f.tsv", kHeader);
  ASSERT_TRUE(rows) << rows.error().message;
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].line, 4u);
  EXPECT_EQ((*rows)[1].cols[1], "B");

  auto columns = ReadCatalogueTsv("code\ten\na\tA\tx\n", "f.tsv", kHeader);
  ASSERT_FALSE(columns);
  EXPECT_EQ(columns.error().code, ErrorCode::kRulesInvalid);
  EXPECT_EQ(columns.error().message, "f.tsv line 2: expected 2 tab-separated columns");
  auto header = ReadCatalogueTsv("id\ten\n", "f.tsv", kHeader);
  ASSERT_FALSE(header);
  EXPECT_EQ(header.error().message, "f.tsv line 1: the header must be: code en");
  auto none = ReadCatalogueTsv("# only a comment\n", "f.tsv", kHeader);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().message, "f.tsv line 2: no header line");

  EXPECT_TRUE(IsCatalogueCode("sms_not_verified2"));
  EXPECT_FALSE(IsCatalogueCode(""));
  EXPECT_FALSE(IsCatalogueCode("Other"));
  EXPECT_FALSE(IsCatalogueCode("a-b"));
}

}  // namespace
}  // namespace beian::domain
