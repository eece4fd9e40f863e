// Beian SNs: format and parse, legacy forms, aliases, and a round trip for all 31 provinces.
#include "domain/numbering.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "domain/rules_test_support.h"

namespace beian::domain {
namespace {

using testing::EmbeddedRules;

// RULES.md decision 18: the SN as people type it.
TEST(Numbering, NormalizeSnText) {
  struct Case {
    const char* typed;
    const char* normalised;
  };
  const Case cases[] = {
      {"川ICP备09150084号", "川ICP备09150084号"},  // the alias stays; ParseSn makes it 蜀
      {" 粤 ICP 备 2020133024 号 ", "粤ICP备2020133024号"},
      {"粤icp备2020133024号", "粤ICP备2020133024号"},
      {"粤Icp备2020133024号-3", "粤ICP备2020133024号-3"},
      {"粤ICP备2020133024", "粤ICP备2020133024号"},      // missing 号
      {"粤ICP备2020133024-3", "粤ICP备2020133024号-3"},  // missing 号 before -N
      {"粤ＩＣＰ备２０２０１３３０２４号－３", "粤ICP备2020133024号-3"},
      {"粤ICP备2020133024号\u3000", "粤ICP备2020133024号"},
      {"", ""},
      {"nonsense", "nonsense"},
      {"粤ICP备号", "粤ICP备号"},  // no digits: nothing to complete
  };
  for (const Case& c : cases) {
    EXPECT_EQ(NormalizeSnText(c.typed), c.normalised) << c.typed;
    EXPECT_EQ(NormalizeSnText(c.normalised), c.normalised) << c.typed;  // idempotent
  }
  // Invalid UTF-8 is returned untouched (and never parses).
  EXPECT_EQ(NormalizeSnText("\xEF \xBC\xA1"), "\xEF \xBC\xA1");
}

// Normalised, then parsed: 蜀 ≡ 川 and 陇 ≡ 甘 compare equal on their canonical form.
TEST(Numbering, TypedSnsCompareCanonically) {
  const Rules& r = EmbeddedRules();
  auto canon = [&](const char* typed) {
    auto p = ParseSn(r, NormalizeSnText(typed));
    return p ? p->canonical : std::string("-");
  };
  EXPECT_EQ(canon("川ICP备09150084号"), "蜀ICP备09150084号");
  EXPECT_EQ(canon("川icp备09150084"), "蜀ICP备09150084号");
  EXPECT_EQ(canon("甘ICP备2021003158号-2"), "陇ICP备2021003158号-2");
  EXPECT_EQ(canon("陇 ICP备 2021003158"), "陇ICP备2021003158号");
  EXPECT_EQ(canon("粤ICP备20201330"), "粤ICP备20201330号");
  EXPECT_EQ(canon("粤ICP备2020133024号-0"), "-");
  EXPECT_EQ(canon("ICP备2020133024号"), "-");
  EXPECT_EQ(canon("粤ICP证2020133024号"), "-");
}

TEST(Numbering, FormatSubjectAndWebsite) {
  const Rules& r = EmbeddedRules();
  EXPECT_EQ(*FormatSubjectSn(r, "44", 2020, 133024), "粤ICP备2020133024号");
  EXPECT_EQ(*FormatSubjectSn(r, "11", 2026, 1), "京ICP备2026000001号");
  EXPECT_EQ(*FormatSubjectSn(r, "51", 2026, 999999), "蜀ICP备2026999999号");
  EXPECT_EQ(*FormatSubjectSn(r, "62", 2021, 3158), "陇ICP备2021003158号");
  EXPECT_EQ(*FormatWebsiteSn(r, "粤ICP备2020133024号", 3), "粤ICP备2020133024号-3");
  EXPECT_EQ(*FormatWebsiteSn(r, "川ICP备2020133024号", 1), "蜀ICP备2020133024号-1");
  EXPECT_FALSE(FormatSubjectSn(r, "99", 2026, 1).ok());
  EXPECT_FALSE(FormatSubjectSn(r, "11", 2026, 0).ok());
  EXPECT_FALSE(FormatSubjectSn(r, "11", 2026, 1000000).ok());
  EXPECT_FALSE(FormatSubjectSn(r, "11", 1999, 1).ok());
  EXPECT_FALSE(FormatWebsiteSn(r, "粤ICP备2020133024号", 0).ok());
  EXPECT_FALSE(FormatWebsiteSn(r, "粤ICP备2020133024号-1", 2).ok());
  EXPECT_FALSE(FormatWebsiteSn(r, "nonsense", 2).ok());
  EXPECT_EQ(FormatSubjectSn(r, "99", 2026, 1).error().code, core::ErrorCode::kValidationFailed);
}

struct ParseCase {
  const char* input;
  const char* province;
  std::optional<int> year;
  std::int64_t sequence;
  std::optional<int> index;
  const char* canonical;
};

class ParseTable : public ::testing::TestWithParam<ParseCase> {};
TEST_P(ParseTable, Parses) {
  const ParseCase& c = GetParam();
  auto p = ParseSn(EmbeddedRules(), c.input);
  ASSERT_TRUE(p.has_value()) << c.input;
  EXPECT_EQ(p->province_code, c.province);
  EXPECT_EQ(p->year, c.year);
  EXPECT_EQ(p->sequence, c.sequence);
  EXPECT_EQ(p->website_index, c.index);
  EXPECT_EQ(p->canonical, c.canonical);
}

INSTANTIATE_TEST_SUITE_P(
    RealWorld, ParseTable,
    ::testing::Values(
        ParseCase{"粤ICP备2020133024号", "44", 2020, 133024, std::nullopt, "粤ICP备2020133024号"},
        ParseCase{"鄂ICP备2021001858号-7", "42", 2021, 1858, 7, "鄂ICP备2021001858号-7"},
        ParseCase{"黔ICP备2026001073号-1", "52", 2026, 1073, 1, "黔ICP备2026001073号-1"},
        ParseCase{"藏ICP备2025003289号-1", "54", 2025, 3289, 1, "藏ICP备2025003289号-1"},
        ParseCase{"陕ICP备15002899号-4", "61", 2015, 2899, 4, "陕ICP备15002899号-4"},
        ParseCase{"蜀ICP备08088888号", "51", 2008, 88888, std::nullopt, "蜀ICP备08088888号"},
        ParseCase{"川ICP备08088888号", "51", 2008, 88888, std::nullopt, "蜀ICP备08088888号"},
        ParseCase{"甘ICP备2021003158号-1", "62", 2021, 3158, 1, "陇ICP备2021003158号-1"},
        ParseCase{"陇ICP备2021003158号-1", "62", 2021, 3158, 1, "陇ICP备2021003158号-1"},
        ParseCase{"京ICP备20018813号-3", "11", 2020, 18813, 3, "京ICP备20018813号-3"},
        ParseCase{"京ICP备030173号", "11", std::nullopt, 30173, std::nullopt, "京ICP备030173号"},
        ParseCase{"沪ICP备1234567号", "31", std::nullopt, 1234567, std::nullopt,
                  "沪ICP备1234567号"},
        ParseCase{"浙ICP备123456789号-12", "33", std::nullopt, 123456789, 12,
                  "浙ICP备123456789号-12"},
        ParseCase{" 粤ICP备２０２０１３３０２４号－２ ", "44", 2020, 133024, 2,
                  "粤ICP备2020133024号-2"}));

TEST(Numbering, RejectsMalformed) {
  const Rules& r = EmbeddedRules();
  for (const char* bad :
       {"", "粤ICP备12345号", "粤ICP备12345678901号", "港ICP备2020133024号", "粤ICP证030173号",
        "粤ICP备2020133024", "粤ICP备2020133024号-0", "粤ICP备2020133024号-",
        "粤ICP备2020133024号-1A", "粤ICP备2020133024号x", "粤B2-20090059", "ICP备2020133024号",
        "粤icp备2020133024号", "粤ICP备2020133024号-12345678"}) {
    EXPECT_FALSE(ParseSn(r, bad).has_value()) << bad;
  }
}

TEST(Numbering, RoundTripForAll31Provinces) {
  const Rules& r = EmbeddedRules();
  ASSERT_EQ(r.provinces.size(), 31u);
  for (const Province& p : r.provinces) {
    auto subject = FormatSubjectSn(r, p.code, 2026, 1234);
    ASSERT_TRUE(subject.ok()) << p.code;
    auto parsed = ParseSn(r, *subject);
    ASSERT_TRUE(parsed.has_value()) << *subject;
    EXPECT_EQ(parsed->province_code, p.code);
    EXPECT_EQ(parsed->year, 2026);
    EXPECT_EQ(parsed->sequence, 1234);
    EXPECT_EQ(parsed->website_index, std::nullopt);
    EXPECT_EQ(parsed->canonical, *subject);
    auto website = FormatWebsiteSn(r, *subject, 5);
    ASSERT_TRUE(website.ok());
    auto pw = ParseSn(r, *website);
    ASSERT_TRUE(pw.has_value()) << *website;
    EXPECT_EQ(pw->province_code, p.code);
    EXPECT_EQ(pw->website_index, 5);
    EXPECT_EQ(pw->subject_sn, *subject);
    EXPECT_EQ(pw->canonical, *website);
  }
}

TEST(Numbering, AbbreviationsAreTheOfficialOnes) {
  const Rules& r = EmbeddedRules();
  std::string all;
  for (const Province& p : r.provinces) all += p.abbreviation;
  EXPECT_EQ(all, "京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝蜀黔滇藏陕陇青宁新");
  EXPECT_EQ(r.ProvinceByAbbreviation("川")->code, "51");
  EXPECT_EQ(r.ProvinceByAbbreviation("甘")->code, "62");
  EXPECT_EQ(r.ProvinceByAbbreviation("港"), nullptr);
}

}  // namespace
}  // namespace beian::domain
