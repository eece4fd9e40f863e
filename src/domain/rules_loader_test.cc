// The rules loader: the shipped data set loads and holds what RULES.md says; broken inputs are
// refused with the file and line of the problem.
#include "domain/rules_loader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "core/embedded.h"
#include "domain/rules_test_support.h"

namespace beian::domain {
namespace {

using testing::EmbeddedRules;
using ::testing::HasSubstr;
using testing::Ymd;

TEST(EmbeddedRules, LoadAndHoldTheDefaults) {
  const Rules& r = EmbeddedRules();
  EXPECT_FALSE(r.version.empty());
  EXPECT_EQ(r.provinces.size(), 31u);
  EXPECT_EQ(r.organizer_types.size(), 9u);
  EXPECT_EQ(r.pre_approval_kinds.size(), 13u);
  EXPECT_EQ(r.max_websites_per_individual, 5);
  EXPECT_EQ(r.timing.authority_review_working_days, 20);
  EXPECT_EQ(r.timing.applicant_wait_days, 45);
  EXPECT_EQ(r.timing.sms_code_validity_hours, 24);
  EXPECT_EQ(r.timing.sms_max_resends, 3);
  EXPECT_EQ(r.timing.sms_max_wrong_entries, 5);
  EXPECT_EQ(r.timing.expiry_warning_days, (std::vector<int>{30, 15, 7}));
  EXPECT_EQ(r.timing.domain_min_months_left, 3);
  EXPECT_EQ(r.forbidden_name_prefixes.size(), 12u);

  const Province* bj = r.FindProvince("11");
  ASSERT_NE(bj, nullptr);
  EXPECT_EQ(bj->name_zh, "北京");
  EXPECT_EQ(bj->abbreviation, "京");
  EXPECT_THAT(bj->extra_documents,
              ::testing::ElementsAre("domain_certificate", "commitment_letter"));
  EXPECT_EQ(r.FindProvince("65")->cross_province_individuals, CrossProvincePolicy::kRefused);
  EXPECT_EQ(r.FindProvince("31")->cross_province_individuals,
            CrossProvincePolicy::kResidencePermitRequired);
  EXPECT_EQ(r.FindProvince("43")->cross_province_individuals, CrossProvincePolicy::kAllowed);
  EXPECT_TRUE(r.FindProvince("12")->legal_representative_may_hold_domain);
  EXPECT_EQ(r.FindProvince("00"), nullptr);
  EXPECT_EQ(r.ProvinceByResidentIdPrefix("44")->name_en, "Guangdong");

  const ApprovedSuffix* zg = r.FindSuffix("中国");
  ASSERT_NE(zg, nullptr);
  EXPECT_EQ(zg->ascii, "xn--fiqs8s");
  EXPECT_EQ(r.FindSuffix("xn--fiqs8s"), zg);
  EXPECT_EQ(r.FindSuffix("gov.cn")->suffix_class, SuffixClass::kGovernmentOnly);
  EXPECT_EQ(r.FindSuffix("公益")->suffix_class, SuffixClass::kPublicInstitutionOnly);
  for (const char* no : {"io", "co", "me", "biz", "so", "asia", "jp", "hk", "tw"}) {
    EXPECT_EQ(r.FindSuffix(no), nullptr) << no;
  }
  for (const char* yes :
       {"com",  "cn",   "com.cn", "net.cn", "org.cn", "gov.cn", "edu.cn", "ac.cn", "bj.cn", "net",
        "org",  "cc",   "tv",     "top",    "xin",    "wang",   "ren",    "mobi",  "tel",   "citic",
        "中国", "公司", "网络",   "商城",   "网址",   "中信",   "政务",   "公益"}) {
    EXPECT_NE(r.FindSuffix(yes), nullptr) << yes;
  }

  const OrganizerType* gov = r.FindOrganizerType("government");
  ASSERT_NE(gov, nullptr);
  EXPECT_EQ(gov->required_suffixes, (std::vector<std::string>{"gov.cn", "xn--zfr164b"}));
  EXPECT_TRUE(r.FindOrganizerType("individual")->is_individual);
  EXPECT_TRUE(r.IsIdentityDocumentType("resident_id_card"));
  EXPECT_FALSE(r.IsIdentityDocumentType("business_license"));
  EXPECT_TRUE(r.FindCertificateType("resident_id_card")->two_sided);
  EXPECT_FALSE(r.FindServiceContent("news")->allowed_for_individual);
  EXPECT_TRUE(r.FindServiceContent("blog")->allowed_for_individual);
  EXPECT_EQ(r.FindServiceContent("finance")->pre_approval_kind, "internet_finance");
  EXPECT_EQ(r.FindDocumentKind("id_front")->max_bytes, 5 * 1024 * 1024);
  EXPECT_EQ(r.FindDocumentKind("commitment_letter")->formats,
            (std::vector<std::string>{"jpeg", "png", "pdf"}));
  EXPECT_NE(r.FindPreApprovalKind("religion"), nullptr);
  EXPECT_NE(r.FindMessage("checksum_mismatch"), nullptr);
}

TEST(EmbeddedRules, ProvincePoliciesMatchRulesMd) {
  // RULES.md "Documents": the province lists, by GB code.
  std::vector<std::string> domain_cert, commitment, permit, refused;
  for (const Province& p : EmbeddedRules().provinces) {
    auto has = [&](const char* kind) {
      return std::find(p.extra_documents.begin(), p.extra_documents.end(), kind) !=
             p.extra_documents.end();
    };
    if (has("domain_certificate")) domain_cert.push_back(p.code);
    if (has("commitment_letter")) commitment.push_back(p.code);
    if (p.cross_province_individuals == CrossProvincePolicy::kResidencePermitRequired) {
      permit.push_back(p.code);
    }
    if (p.cross_province_individuals == CrossProvincePolicy::kRefused) refused.push_back(p.code);
    EXPECT_EQ(p.resident_id_prefix, p.code);
    EXPECT_EQ(p.minimum_age, 18) << p.code;
  }
  using V = std::vector<std::string>;
  EXPECT_EQ(domain_cert, (V{"11", "31", "32", "33", "44"}));
  EXPECT_EQ(commitment, (V{"11", "31", "32", "33", "44"}));
  EXPECT_EQ(permit, (V{"22", "31", "32", "33", "35", "36", "37", "42", "44", "51", "52"}));
  EXPECT_EQ(refused, (V{"14", "15", "23", "41", "45", "50", "53", "54", "62", "63", "64", "65"}));
}

TEST(EmbeddedRules, Calendar) {
  const Rules& r = EmbeddedRules();
  EXPECT_TRUE(r.IsHoliday(Ymd(2025, 10, 1)));
  EXPECT_TRUE(r.IsMakeUpWorkday(Ymd(2025, 9, 28)));
  EXPECT_TRUE(
      std::is_sorted(r.calendar.begin(), r.calendar.end(),
                     [](const CalendarDay& a, const CalendarDay& b) { return a.date < b.date; }));
}

// The embedded files, with one replaced (or removed when `content` is nullopt).
std::vector<std::pair<std::string, std::string>> FilesWith(const std::string& name,
                                                           std::optional<std::string> content) {
  std::vector<std::pair<std::string, std::string>> files;
  bool replaced = false;
  for (const auto& e : core::EmbeddedFilesUnder("data/rules/")) {
    if (e.path == name) {
      replaced = true;
      if (content) files.emplace_back(name, *content);
    } else {
      files.emplace_back(std::string(e.path), std::string(e.data));
    }
  }
  if (!replaced && content) files.emplace_back(name, *content);
  return files;
}

core::Result<Rules> LoadWith(const std::string& name, std::optional<std::string> content) {
  auto owned = FilesWith(name, std::move(content));
  std::vector<std::pair<std::string, std::string_view>> views;
  for (const auto& [n, c] : owned) views.emplace_back(n, c);
  return LoadRules(views);
}

std::string Embedded(const std::string& name) { return std::string(*core::EmbeddedFile(name)); }

// `content` with the first line containing `needle` replaced by `line`.
std::string ReplaceLine(const std::string& content, const std::string& needle,
                        const std::string& line) {
  std::size_t pos = content.find(needle);
  EXPECT_NE(pos, std::string::npos) << needle;
  std::size_t start = content.rfind('\n', pos) + 1;
  std::size_t end = content.find('\n', pos);
  return content.substr(0, start) + line + content.substr(end);
}

int LineOf(const std::string& content, const std::string& needle) {
  std::size_t pos = content.find(needle);
  return 1 + static_cast<int>(
                 std::count(content.begin(), content.begin() + static_cast<long>(pos), '\n'));
}

struct BrokenCase {
  std::string file;
  std::string needle;  // line to replace
  std::string line;    // its replacement
  std::string problem;
};

class Broken : public ::testing::TestWithParam<BrokenCase> {};

TEST_P(Broken, NamesFileLineAndProblem) {
  const BrokenCase& c = GetParam();
  const std::string path = "data/rules/" + c.file;
  std::string content = ReplaceLine(Embedded(path), c.needle, c.line);
  auto r = LoadWith(path, content);
  ASSERT_FALSE(r.ok()) << c.line;
  EXPECT_EQ(r.error().code, core::ErrorCode::kRulesInvalid);
  const std::string where = path + ":" + std::to_string(LineOf(Embedded(path), c.needle)) + ": ";
  EXPECT_THAT(r.error().message, HasSubstr(where)) << r.error().message;
  EXPECT_THAT(r.error().message, HasSubstr(c.problem));
}

INSTANTIATE_TEST_SUITE_P(
    Inputs, Broken,
    ::testing::Values(
        BrokenCase{"provinces.tsv", "11\t北京",
                   "11\t北京\tBeijing\t京\t-\t11\tdomain_certificate,fax\tallowed\t18\tno\t-",
                   "unknown document kind \"fax\""},
        BrokenCase{"provinces.tsv", "12\t天津", "12\t天津\tTianjin\t津\t-\t12\t-\tallowed\t18",
                   "expected 11 tab-separated columns, got 9"},
        BrokenCase{"provinces.tsv", "12\t天津",
                   "11\t天津\tTianjin\t津\t-\t12\t-\tallowed\t18\tyes\t-",
                   "duplicate province code \"11\""},
        BrokenCase{"provinces.tsv", "12\t天津",
                   "12\t天津\tTianjin\t京\t-\t12\t-\tallowed\t18\tyes\t-",
                   "duplicate abbreviation \"京\""},
        BrokenCase{"provinces.tsv", "12\t天津",
                   "12\t天津\tTianjin\t津\t-\t12\t-\tsometimes\t18\tyes\t-",
                   "cross_province must be"},
        BrokenCase{"provinces.tsv", "12\t天津",
                   "12\t天津\tTianjin\t津\t-\t12\t-\tallowed\tadult\tyes\t-",
                   "\"adult\" is not an integer"},
        BrokenCase{"provinces.tsv", "12\t天津",
                   "12\t天津\tTianjin\t津\t-\t12\t-\tallowed\t18\tmaybe\t-", "expected yes or no"},
        BrokenCase{"provinces.tsv", "12\t天津",
                   "12\t天津\tTianjin\t津\t\t12\t-\tallowed\t18\tyes\t-",
                   "column \"aliases\" is empty"},
        BrokenCase{"suffixes.tsv", "com.cn\topen", "com\topen\t-\t-", "duplicate suffix \"com\""},
        BrokenCase{"suffixes.tsv", "gov.cn\tgovernment", "gov.cn\tgovernment\tministry\t-",
                   "unknown organizer type \"ministry\""},
        BrokenCase{"suffixes.tsv", "gov.cn\tgovernment", "gov.cn\tgovernment\t-\t-",
                   "restricted ones need at least one"},
        BrokenCase{"suffixes.tsv", "com.cn\topen", "com..cn\topen\t-\t-", "is not a valid suffix"},
        BrokenCase{"suffixes.tsv", "集团\topen", "xn--fiqs8s\topen\t-\t-", "duplicate suffix"},
        BrokenCase{"suffixes.tsv", "com.cn\topen", "com.cn\topen\t-\t*",
                   "open suffixes take no warning_for"},
        BrokenCase{"organizer_types.tsv", "enterprise\t",
                   "enterprise\t企业\tEnterprise\tbusiness_licence\t91\t-\tno",
                   "unknown certificate type \"business_licence\""},
        BrokenCase{"organizer_types.tsv", "enterprise\t",
                   "enterprise\t企业\tEnterprise\tbusiness_license\t9I\t-\tno",
                   "not a two-character USCC prefix"},
        BrokenCase{"organizer_types.tsv", "government\t",
                   "government\t政府机关\tGovernment "
                   "agency\torganization_code_certificate\t11\tgov.cn,hk.cn\tno",
                   "required suffix \"hk.cn\""},
        BrokenCase{"certificate_types.tsv", "passport\t",
                   "passport\t护照\tPassport\tbarcode\tyes\tno",
                   "unknown number_format \"barcode\""},
        BrokenCase{"service_contents.tsv", "news\t", "news\t新闻\tNews\tno\tnewspaper",
                   "unknown pre-approval kind \"newspaper\""},
        BrokenCase{"name_words.tsv", "regulated\t新闻", "regulated\t新闻\tgossip",
                   "unknown pre-approval kind \"gossip\""},
        BrokenCase{"name_words.tsv", "regulated\t新闻", "regulated\t新闻\t-",
                   "needs its pre_approval kind"},
        BrokenCase{"name_words.tsv", "regulated\t新闻", "slang\t新闻\t-", "unknown kind \"slang\""},
        BrokenCase{"documents.tsv", "id_front\t",
                   "id_front\t证件正面\tIdentity document "
                   "(front)\tjpeg,gif\t5242880\t500\t300\t5000\t5000",
                   "unknown format \"gif\""},
        BrokenCase{
            "documents.tsv", "id_front\t",
            "id_front\t证件正面\tIdentity document (front)\tjpeg\t5242880\t6000\t300\t5000\t5000",
            "minimum pixel size exceeds the maximum"},
        BrokenCase{
            "document_requirements.tsv", "verified_photo\t",
            "verified_photo\torganizer.person_in_charge\t*\twhen_sunny\tdoc_reason_verified_photo",
            "unknown condition \"when_sunny\""},
        BrokenCase{"document_requirements.tsv", "verified_photo\t",
                   "verified_photo\torganizer.person_in_charge\t*\talways\tdoc_reason_missing",
                   "unknown message code \"doc_reason_missing\""},
        BrokenCase{"settings.tsv", "sms_max_resends", "sms_max_resend\t3",
                   "unknown setting \"sms_max_resend\""},
        BrokenCase{"settings.tsv", "expiry_warning_days", "expiry_warning_days\t7,15,30",
                   "strictly descending"},
        BrokenCase{"holidays.tsv", "2025-01-01", "2025-02-30\tholiday\t元旦",
                   "\"2025-02-30\" is not a valid date"},
        BrokenCase{"holidays.tsv", "2025-01-01", "2025/01/01\tholiday\t元旦",
                   "is not a valid date"},
        BrokenCase{"holidays.tsv", "2025-01-26", "2025-01-27\tworkday\t春节调休",
                   "is not a weekend day"},
        BrokenCase{"holidays.tsv", "2025-01-29", "2025-01-28\tholiday\t春节",
                   "duplicate date \"2025-01-28\""},
        BrokenCase{"messages_validators.tsv", "checksum_mismatch\t",
                   "checksum_mismatch\t校验位错误\t-", "needs both zh-CN and en"},
        BrokenCase{"messages_validators.tsv", "checksum_mismatch\t",
                   "checksum_mismatch\t应为 {expected}\texpected {expectd}",
                   "different {placeholders}"},
        BrokenCase{"messages_validators.tsv", "checksum_mismatch\t", "Checksum\t校验\tcheck",
                   "not a snake_case code"},
        BrokenCase{"messages_validators.tsv", "invalid_format\t", "required\t必填\tRequired",
                   "duplicate message code \"required\""}));

TEST(RulesLoader, MissingFilesAndHeaders) {
  auto r = LoadWith("data/rules/provinces.tsv", std::nullopt);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr("data/rules/provinces.tsv: missing"));

  auto v = LoadWith("data/rules/version", std::nullopt);
  ASSERT_FALSE(v.ok());
  EXPECT_THAT(v.error().message, HasSubstr("version: missing"));

  auto h = LoadWith("data/rules/settings.tsv", "# settings\nname\tvalue\n");
  ASSERT_FALSE(h.ok());
  EXPECT_THAT(h.error().message, HasSubstr("data/rules/settings.tsv:2: header must be"));

  auto s = LoadWith("data/rules/settings.tsv", "key\tvalue\nsms_max_resends\t3\n");
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.error().message, HasSubstr("missing setting"));

  auto u = LoadWith("data/rules/colours.tsv", "a\tb\n");
  ASSERT_FALSE(u.ok());
  EXPECT_THAT(u.error().message, HasSubstr("data/rules/colours.tsv: unknown rules table"));

  auto two = LoadWith("data/rules/version", "1\n2\n");
  ASSERT_FALSE(two.ok());
  EXPECT_THAT(two.error().message,
              HasSubstr("data/rules/version:2: version must be a single line"));

  auto utf =
      LoadWith("data/rules/pre_approval_kinds.tsv", "code\tname_zh\tname_en\nnews\t\xff\tNews\n");
  ASSERT_FALSE(utf.ok());
  EXPECT_THAT(utf.error().message, HasSubstr("pre_approval_kinds.tsv:2: not valid UTF-8"));
}

TEST(RulesLoader, ToleratesCrlfBomCommentsAndReadme) {
  std::string kinds = "\xEF\xBB\xBF# kinds\r\ncode\tname_zh\tname_en\r\n\r\n";
  for (const PreApprovalKind& k : EmbeddedRules().pre_approval_kinds) {
    kinds += k.code + "\t" + k.name_zh + "\t" + k.name_en + "\r\n";
  }
  auto files = FilesWith("data/rules/pre_approval_kinds.tsv", kinds);
  files.emplace_back("data/rules/README.md", "anything");
  std::vector<std::pair<std::string, std::string_view>> views;
  for (const auto& [n, c] : files) views.emplace_back(n, c);
  auto r = LoadRules(views);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->pre_approval_kinds.size(), 13u);
}

TEST(RulesLoader, TemplatePlaceholders) {
  EXPECT_EQ(TemplatePlaceholders("a {x} b {y} {x}"), (std::vector<std::string>{"x", "y"}));
  EXPECT_TRUE(TemplatePlaceholders("none").empty());
}

}  // namespace
}  // namespace beian::domain
