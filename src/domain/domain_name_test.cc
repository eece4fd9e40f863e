// Domain names: normalisation, IDN, registrable domains under second-level suffixes, and the
// approved-suffix / organizer-type rules.
#include "domain/domain_name.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "domain/rules_test_support.h"

namespace beian::domain {
namespace {

using testing::Codes;
using ::testing::ElementsAre;
using testing::EmbeddedRules;
using ::testing::IsEmpty;

struct NormCase {
  const char* input;
  std::optional<NormalizedDomain> out;
};

class Normalize : public ::testing::TestWithParam<NormCase> {};
TEST_P(Normalize, Works) {
  EXPECT_EQ(NormalizeDomain(GetParam().input), GetParam().out) << GetParam().input;
}

INSTANTIATE_TEST_SUITE_P(
    Inputs, Normalize,
    ::testing::Values(
        NormCase{"example.com", NormalizedDomain{"example.com", "example.com"}},
        NormCase{"  WWW.Example.COM.  ", NormalizedDomain{"www.example.com", "www.example.com"}},
        NormCase{"example。com", NormalizedDomain{"example.com", "example.com"}},
        NormCase{"example．com．cn", NormalizedDomain{"example.com.cn", "example.com.cn"}},
        NormCase{"ＥＸＡＭＰＬＥ.ｃｏｍ", NormalizedDomain{"example.com", "example.com"}},
        NormCase{"例子.中国", NormalizedDomain{"xn--fsqu00a.xn--fiqs8s", "例子.中国"}},
        NormCase{"xn--fsqu00a.xn--fiqs8s", NormalizedDomain{"xn--fsqu00a.xn--fiqs8s", "例子.中国"}},
        NormCase{"XN--FSQU00A.XN--FIQS8S", NormalizedDomain{"xn--fsqu00a.xn--fiqs8s", "例子.中国"}},
        NormCase{"中国", NormalizedDomain{"xn--fiqs8s", "中国"}},
        NormCase{"a-b.cn", NormalizedDomain{"a-b.cn", "a-b.cn"}}, NormCase{"", std::nullopt},
        NormCase{".", std::nullopt}, NormCase{".example.com", std::nullopt},
        NormCase{"example..com", std::nullopt}, NormCase{"-example.com", std::nullopt},
        NormCase{"example-.com", std::nullopt}, NormCase{"exa mple.com", std::nullopt},
        NormCase{"http://example.com", std::nullopt}, NormCase{"example.com/path", std::nullopt},
        NormCase{"a_b.com", std::nullopt}, NormCase{"192.168.1.1", std::nullopt},
        NormCase{"xn--zz.com", std::nullopt},
        NormCase{"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com",
                 std::nullopt}));

TEST(Analyze, RegistrableDomains) {
  struct {
    const char* in;
    const char* registrable;
    const char* suffix;
    bool sub;
  } cases[] = {
      {"example.com", "example.com", "com", false},
      {"www.example.com", "example.com", "com", true},
      {"a.b.c.example.com", "example.com", "com", true},
      {"www.example.com.cn", "example.com.cn", "com.cn", true},
      {"example.com.cn", "example.com.cn", "com.cn", false},
      {"www.example.bj.cn", "example.bj.cn", "bj.cn", true},
      {"example.cn", "example.cn", "cn", false},
      {"www.mof.gov.cn", "mof.gov.cn", "gov.cn", true},
      {"www.例子.中国", "例子.中国", "中国", true},
      {"foo.github.io", "github.io", "io", true},  // private suffixes are ignored
      {"example.公司.cn", "example.公司.cn", "公司.cn", false},
  };
  for (const auto& c : cases) {
    auto info = AnalyzeDomain(c.in);
    ASSERT_TRUE(info.has_value()) << c.in;
    EXPECT_EQ(info->registrable.unicode, c.registrable) << c.in;
    EXPECT_EQ(info->public_suffix.unicode, c.suffix) << c.in;
    EXPECT_EQ(info->is_subdomain, c.sub) << c.in;
  }
  auto suffix_only = AnalyzeDomain("com.cn");
  ASSERT_TRUE(suffix_only.has_value());
  EXPECT_TRUE(suffix_only->registrable.ascii.empty());
  EXPECT_EQ(AnalyzeDomain("not a domain"), std::nullopt);
}

struct RuleCase {
  const char* domain;
  const char* organizer_type;
  std::vector<std::string> codes;
};

class DomainRules : public ::testing::TestWithParam<RuleCase> {};
TEST_P(DomainRules, Codes) {
  EXPECT_EQ(Codes(ValidateDomain(EmbeddedRules(), GetParam().domain, GetParam().organizer_type,
                                 "websites[0].domains[0]")),
            GetParam().codes)
      << GetParam().domain << " / " << GetParam().organizer_type;
}

INSTANTIATE_TEST_SUITE_P(
    Table, DomainRules,
    ::testing::Values(
        RuleCase{"example.com", "enterprise", {}}, RuleCase{"example.cn", "individual", {}},
        RuleCase{"example.com.cn", "enterprise", {}}, RuleCase{"example.sh.cn", "enterprise", {}},
        RuleCase{"example.top", "individual", {}}, RuleCase{"例子.中国", "enterprise", {}},
        RuleCase{"例子.公司", "enterprise", {}}, RuleCase{"例子.网址", "individual", {}},
        RuleCase{"www.example.com", "enterprise", {"is_subdomain"}},
        RuleCase{"example.io", "enterprise", {"suffix_not_approved"}},
        RuleCase{"example.co", "enterprise", {"suffix_not_approved"}},
        RuleCase{"example.me", "individual", {"suffix_not_approved"}},
        RuleCase{"example.biz", "enterprise", {"suffix_not_approved"}},
        RuleCase{"example.asia", "enterprise", {"suffix_not_approved"}},
        RuleCase{"example.jp", "enterprise", {"suffix_not_approved"}},
        RuleCase{"example.hk", "enterprise", {"suffix_not_approved"}},
        RuleCase{"example.tw", "enterprise", {"suffix_not_approved"}},
        RuleCase{"example.hk.cn", "enterprise", {"suffix_not_approved"}},
        RuleCase{"example.notatld", "enterprise", {"suffix_not_approved"}},
        RuleCase{"mof.gov.cn", "government", {}}, RuleCase{"北京.政务", "government", {}},
        RuleCase{"beijing.gov.cn", "enterprise", {"suffix_not_allowed_for_organizer"}},
        RuleCase{"北京.政务", "individual", {"suffix_not_allowed_for_organizer"}},
        RuleCase{"example.com", "government", {"suffix_required"}},
        RuleCase{"example.cn", "government", {"suffix_required"}},
        RuleCase{"hospital.cn", "public_institution", {}},
        RuleCase{"hospital.org.cn", "public_institution", {}},
        RuleCase{"医院.公益", "public_institution", {}},
        RuleCase{"hospital.org", "public_institution", {"suffix_required"}},
        RuleCase{"医院.公益", "enterprise", {"suffix_not_allowed_for_organizer"}},
        RuleCase{"pku.edu.cn", "public_institution", {}},
        RuleCase{"school.edu.cn", "enterprise", {"suffix_not_allowed_for_organizer"}},
        RuleCase{"www.example.io", "enterprise", {"suffix_not_approved", "is_subdomain"}},
        RuleCase{"www.example.com", "government", {"suffix_required", "is_subdomain"}},
        RuleCase{"com.cn", "enterprise", {"domain_is_public_suffix"}},
        RuleCase{"com", "enterprise", {"domain_is_public_suffix"}},
        RuleCase{"http://example.com", "enterprise", {"domain_invalid"}},
        RuleCase{"  ", "enterprise", {"required"}}, RuleCase{"example.com", "", {}},
        RuleCase{"beijing.gov.cn", "", {}}));

// RULES.md decision 5: each row of the restricted-suffix table, for every organizer type —
// fine (no finding), warning or error (suffix_not_allowed_for_organizer). Government and public
// institutions also keep their required suffixes (suffix_required), checked separately.
struct SuffixRow {
  const char* domain;
  std::vector<std::string> fine;
  std::vector<std::string> warning;  // {"*"} = every type not fine
};

class Decision5 : public ::testing::TestWithParam<SuffixRow> {};

TEST_P(Decision5, EveryOrganizerType) {
  const SuffixRow& row = GetParam();
  for (const char* type :
       {"enterprise", "individual", "government", "public_institution", "social_organization",
        "private_non_enterprise", "foundation", "law_firm", "military"}) {
    Findings f = ValidateDomain(EmbeddedRules(), row.domain, type, "d");
    std::optional<Finding> hit;
    for (const Finding& x : f) {
      if (x.code == "suffix_not_allowed_for_organizer") hit = x;
    }
    auto in = [&](const std::vector<std::string>& v) {
      return std::find(v.begin(), v.end(), type) != v.end() || (v.size() == 1 && v[0] == "*");
    };
    if (std::find(row.fine.begin(), row.fine.end(), type) != row.fine.end()) {
      EXPECT_FALSE(hit) << row.domain << " " << type;
    } else if (in(row.warning)) {
      ASSERT_TRUE(hit) << row.domain << " " << type;
      EXPECT_EQ(hit->severity, Severity::kWarning) << row.domain << " " << type;
    } else {
      ASSERT_TRUE(hit) << row.domain << " " << type;
      EXPECT_EQ(hit->severity, Severity::kError) << row.domain << " " << type;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table, Decision5,
    ::testing::Values(
        SuffixRow{"mof.gov.cn", {"government"}, {"public_institution", "social_organization"}},
        SuffixRow{"北京.政务", {"government"}, {"public_institution", "social_organization"}},
        SuffixRow{
            "医院.公益",
            {"public_institution", "social_organization", "private_non_enterprise", "foundation"},
            {}},
        SuffixRow{"army.mil.cn", {"military"}, {}},
        SuffixRow{
            "pku.edu.cn", {"public_institution", "private_non_enterprise", "government"}, {"*"}},
        SuffixRow{"ioa.ac.cn", {"public_institution", "social_organization"}, {"*"}},
        SuffixRow{
            "example.com.cn",
            {"enterprise", "individual", "government", "public_institution", "social_organization",
             "private_non_enterprise", "foundation", "law_firm", "military"},
            {}}),
    [](const auto& p) { return "row" + std::to_string(p.index); });

// RULES.md decision 4: still malformed after normalisation → domain_invalid.
TEST(DomainRules, Decision4Malformed) {
  for (const char* bad : {"http://example.com", "example.com/path", "example.com:8080",
                          "exa mple.com", "a..com", "a_b.com", ".com."}) {
    EXPECT_EQ(Codes(ValidateDomain(EmbeddedRules(), bad, "enterprise", "d")),
              std::vector<std::string>{"domain_invalid"})
        << bad;
  }
  const std::string long_label = std::string(64, 'a') + ".com";
  EXPECT_EQ(Codes(ValidateDomain(EmbeddedRules(), long_label, "enterprise", "d")),
            std::vector<std::string>{"domain_invalid"});
  std::string long_name;
  for (int i = 0; i < 5; ++i) long_name += std::string(60, 'a') + ".";
  long_name += "com";  // 308 characters
  EXPECT_EQ(Codes(ValidateDomain(EmbeddedRules(), long_name, "enterprise", "d")),
            std::vector<std::string>{"domain_invalid"});
}

TEST(DomainRules, ParamsAndInfo) {
  DomainInfo info;
  Findings f = ValidateDomain(EmbeddedRules(), " WWW.例子.中国. ", "enterprise", "d", &info);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].code, "is_subdomain");
  EXPECT_EQ(f[0].severity, Severity::kWarning);
  EXPECT_EQ(f[0].params.at("registrable"), "例子.中国");
  EXPECT_EQ(info.registrable.ascii, "xn--fsqu00a.xn--fiqs8s");
  EXPECT_EQ(info.name.ascii, "www.xn--fsqu00a.xn--fiqs8s");
  Findings g = ValidateDomain(EmbeddedRules(), "example.com", "government", "d");
  ASSERT_EQ(g.size(), 1u);
  EXPECT_EQ(g[0].params.at("suffixes"), ".gov.cn, .政务");
  Findings h = ValidateDomain(EmbeddedRules(), "example.io", "enterprise", "d");
  EXPECT_EQ(h[0].params.at("suffix"), "io");
}

TEST(DomainRules, EveryApprovedSuffixIsAPublicSuffix) {
  // Otherwise a domain under it could never be judged approved.
  for (const ApprovedSuffix& s : EmbeddedRules().suffixes) {
    EXPECT_EQ(PublicSuffixOf("example." + s.ascii), s.ascii) << s.unicode;
  }
}

}  // namespace
}  // namespace beian::domain
