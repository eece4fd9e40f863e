// Every code the validators emit is declared in ValidatorCodes() and has zh-CN and en messages in
// data/rules/messages_validators.tsv; message rendering fills placeholders and falls back.
#include "domain/validators.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "core/embedded.h"
#include "domain/messages.h"
#include "domain/rules_test_support.h"

namespace beian::domain {
namespace {

using testing::EmbeddedRules;
using testing::Ymd;

// Runs every validator over inputs chosen to trigger each of its codes.
std::set<std::string> ObservedCodes() {
  const Rules& r = EmbeddedRules();
  const auto today = Ymd(2026, 11, 28);
  std::vector<Findings> all;
  for (const char* s : {"", "123", "91350100M000100I43", "91A50100M000100Y43", "91350100M000100Y44",
                        "91350100M000100Y53"}) {
    all.push_back(ValidateUscc(s, "f"));
  }
  const std::string bad_org_body = "91350100M000100Y5";
  all.push_back(ValidateUscc(bad_org_body + *UsccCheckChar(bad_org_body), "f"));
  all.push_back(ValidateOrganizationCode("19220382-2", "f"));
  all.push_back(ValidateCertificateNumber(r, "business_license", "110108000000016", today, "f"));
  all.push_back(ValidateCertificateNumber(
      r, "organization_code_certificate",
      "12345678" + std::string(1, *OrganizationCodeCheckChar("12345678")), today, "f"));
  all.push_back(CheckUsccPrefix(r, "government", "914403001922038216", "f"));
  for (const char* s : {"", "1", "1101051949123100XY", "110105194902300021", "110105202912310021",
                        "990105194912310021", "11010519491231002X"}) {
    all.push_back(ValidateResidentId(r, s, today, "f"));
  }
  all.push_back(ValidateResidentId(r, "110105201001010011", today, "f", 18));
  all.push_back(ValidateResidentId(r, "440524188001010014", today, "f"));
  all.push_back(ValidateResidencePermit("110105194912310021", today, "f"));
  all.push_back(ValidateHkMacaoPermit("x", "f"));
  all.push_back(ValidateTaiwanPermit("x", "f"));
  all.push_back(ValidatePassport("x", "f"));
  all.push_back(ValidateForeignPermanentResidentCard("911840198001010015", today, "f"));
  all.push_back(ValidateMilitaryUnitCode("6100", "f"));
  all.push_back(ValidateMilitaryOfficerCertificate("x", "f"));
  all.push_back(ValidateMilitaryUnitCode("x", "f"));
  all.push_back(ValidateCertificateNumber(r, "unknown", "x", today, "f"));
  all.push_back(ValidateMobile("1", "f"));
  all.push_back(ValidateLandline("1", "f"));
  all.push_back(ValidateEmail("1", "f"));
  WebsiteNameContext individual{"individual", false, {}};
  WebsiteNameContext enterprise{"enterprise", false, {}};
  for (const char* s : {"", "a.com", "ab!", "ab", "论坛新闻", "中国新闻网站"}) {
    all.push_back(ValidateWebsiteName(r, s, individual, "f"));
    all.push_back(ValidateWebsiteName(r, s, enterprise, "f"));
  }
  all.push_back(ValidateOrganizerName(r, "王5", "individual", "f"));
  for (const char* s : {"", "x y", "com.cn", "a.io", "a.gov.cn", "www.a.com"}) {
    all.push_back(ValidateDomain(r, s, "government", "f"));
    all.push_back(ValidateDomain(r, s, "enterprise", "f"));
  }
  std::set<std::string> codes;
  for (const Findings& f : all) {
    for (const Finding& x : f) codes.insert(x.code);
  }
  return codes;
}

TEST(ValidatorCodes, SortedUniqueAndEveryOneIsObserved) {
  const auto& declared = ValidatorCodes();
  EXPECT_TRUE(std::is_sorted(declared.begin(), declared.end()));
  EXPECT_EQ(std::adjacent_find(declared.begin(), declared.end()), declared.end());
  std::set<std::string> observed = ObservedCodes();
  for (const std::string& code : observed) {
    EXPECT_TRUE(std::binary_search(declared.begin(), declared.end(), code))
        << code << " is emitted but missing from ValidatorCodes()";
  }
  for (std::string_view code : declared) {
    EXPECT_TRUE(observed.contains(std::string(code)))
        << code << " is declared but no test input produces it";
  }
}

TEST(ValidatorCodes, EachHasZhAndEnInMessagesValidatorsTsv) {
  std::string_view tsv = *core::EmbeddedFile("data/rules/messages_validators.tsv");
  for (std::string_view code : ValidatorCodes()) {
    std::string key = "\n" + std::string(code) + "\t";
    EXPECT_NE(tsv.find(key), std::string_view::npos) << code << " not in messages_validators.tsv";
    const Message* m = EmbeddedRules().FindMessage(code);
    ASSERT_NE(m, nullptr) << code;
    EXPECT_FALSE(m->zh.empty()) << code;
    EXPECT_FALSE(m->en.empty()) << code;
  }
}

TEST(ValidatorCodes, EveryObservedParamIsUsedByItsTemplates) {
  // A template that names a parameter the finding does not carry would show "{x}" to people.
  const Rules& r = EmbeddedRules();
  Findings sample = ValidateUscc("91350100M000100Y44", "f");
  for (const Finding& f : sample) {
    EXPECT_EQ(RenderMessage(r, f, "en").find('{'), std::string::npos) << f.code;
    EXPECT_EQ(RenderMessage(r, f, "zh-CN").find('{'), std::string::npos) << f.code;
  }
}

TEST(Messages, RenderInBothLanguagesWithFallbacks) {
  const Rules& r = EmbeddedRules();
  Finding f{Severity::kError,
            "organizer.certificate.number",
            "checksum_mismatch",
            {{"expected", "3"}, {"actual", "4"}}};
  EXPECT_EQ(RenderMessage(r, f, "en"),
            "Check character is wrong: expected 3, got 4; please check the number.");
  EXPECT_EQ(RenderMessage(r, f, "zh-CN"), "校验位错误：应为 3，实际为 4，请核对号码。");
  EXPECT_EQ(RenderMessage(r, f, "fr"), RenderMessage(r, f, "en"));
  Finding unknown{Severity::kError, "x", "no_such_code", {}};
  EXPECT_EQ(RenderMessage(r, unknown, "zh-CN"), "no_such_code");
  EXPECT_EQ(RenderTemplate("{a} and {b} and {a}", {{"a", "1"}}), "1 and {b} and 1");
  EXPECT_EQ(RenderTemplate("unclosed {a", {{"a", "1"}}), "unclosed {a");
  Rules only_en;
  only_en.messages.emplace("c", Message{"", "English {v}"});
  EXPECT_EQ(RenderMessage(only_en, Finding{Severity::kWarning, "", "c", {{"v", "1"}}}, "zh-CN"),
            "English 1");
}

TEST(Finding, SeverityNamesAndHasError) {
  EXPECT_EQ(SeverityName(Severity::kError), "error");
  EXPECT_EQ(SeverityName(Severity::kWarning), "warning");
  EXPECT_FALSE(HasError({}));
  EXPECT_FALSE(HasError({Finding{Severity::kWarning, "f", "is_subdomain", {}}}));
  EXPECT_TRUE(HasError({Finding{Severity::kWarning, "f", "is_subdomain", {}},
                        Finding{Severity::kError, "f", "required", {}}}));
}

}  // namespace
}  // namespace beian::domain
