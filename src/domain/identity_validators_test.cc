// Identity documents: resident IDs (check digit, birth dates incl. leap days, future dates,
// province prefixes, age), residence permits, permits, passports and the rest; property tests on
// generated IDs.
#include "domain/identity_validators.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>

#include "domain/rules_test_support.h"
#include "domain/uscc.h"

namespace beian::domain {
namespace {

using testing::Codes;
using ::testing::ElementsAre;
using testing::EmbeddedRules;
using ::testing::IsEmpty;
using testing::Ymd;

const auto kToday = Ymd(2026, 11, 28);

std::string WithCheck(std::string first17) { return first17 + *ResidentIdCheckChar(first17); }

struct IdCase {
  std::string input;
  std::vector<std::string> codes;
};

class ResidentIdTable : public ::testing::TestWithParam<IdCase> {};

TEST_P(ResidentIdTable, Codes) {
  EXPECT_EQ(Codes(ValidateResidentId(EmbeddedRules(), GetParam().input, kToday, "f", 18)),
            GetParam().codes)
      << GetParam().input;
}

INSTANTIATE_TEST_SUITE_P(
    RealWorld, ResidentIdTable,
    ::testing::Values(
        IdCase{"11010519491231002X", {}},  // the GB 11643 example
        IdCase{"11010519491231002x", {}},  // lower-case x
        IdCase{" 11010519491231002X\t", {}},
        IdCase{"１１０１０５１９４９１２３１００２Ｘ", {}},              // full-width
        IdCase{WithCheck("11010120000229001"), {}},                      // leap day 2000
        IdCase{WithCheck("44030519960229002"), {}},                      // leap day 1996
        IdCase{WithCheck("44030519000229002"), {"invalid_birth_date"}},  // 1900 is no leap year
        IdCase{WithCheck("44030520230229002"), {"invalid_birth_date"}},
        IdCase{WithCheck("44030519901301002"), {"invalid_birth_date"}},  // month 13
        IdCase{WithCheck("44030519900431002"), {"invalid_birth_date"}},  // 31 April
        IdCase{WithCheck("44030519900000002"), {"invalid_birth_date"}},
        // Decision 19: before 1900 is a real date; the age rule (over 120) decides.
        IdCase{"440524188001010014", {"implausible_age"}},  // GB 11643's own example, 1880
        IdCase{WithCheck("44030518991231002"), {"implausible_age"}},
        IdCase{WithCheck("44030519051128002"), {"implausible_age"}},  // 121 today
        IdCase{WithCheck("44030519051129002"), {}},                   // 120 until tomorrow
        IdCase{WithCheck("44030519061128002"), {}},                   // 120 today
        IdCase{WithCheck("44030518960229002"), {"implausible_age"}},  // a real leap day
        IdCase{WithCheck("44030518970229002"), {"invalid_birth_date"}},
        IdCase{WithCheck("44030520270101002"), {"birth_date_in_future"}},
        IdCase{WithCheck("44030520261129002"), {"birth_date_in_future"}},  // tomorrow
        IdCase{WithCheck("99030519900101002"), {"unknown_province_prefix"}},
        IdCase{WithCheck("81000019900101002"), {"unknown_province_prefix"}},  // a permit
        IdCase{WithCheck("44030520100101002"), {"under_age"}},
        IdCase{"11010519491231002", {"invalid_length"}},
        IdCase{"110105491231002", {"invalid_length"}},  // legacy 15-digit
        IdCase{"1101051949123100XX", {"invalid_format"}},
        IdCase{"11010519491231002Y", {"invalid_format"}},
        IdCase{"110105194912310021", {"checksum_mismatch"}}, IdCase{"", {"required"}}));

TEST(ResidentId, AgeBoundariesAndLeapDayBirthdays) {
  const Rules& r = EmbeddedRules();
  std::string born_2008_11_28 = WithCheck("11010520081128001");
  EXPECT_THAT(Codes(ValidateResidentId(r, born_2008_11_28, kToday, "f", 18)), IsEmpty());
  EXPECT_THAT(Codes(ValidateResidentId(r, born_2008_11_28, Ymd(2026, 11, 27), "f", 18)),
              ElementsAre("under_age"));
  // Born 29 Feb 2008: 18 on 1 March 2026, not on 28 February.
  std::string leap = WithCheck("11010520080229001");
  EXPECT_THAT(Codes(ValidateResidentId(r, leap, Ymd(2026, 2, 28), "f", 18)),
              ElementsAre("under_age"));
  EXPECT_THAT(Codes(ValidateResidentId(r, leap, Ymd(2026, 3, 1), "f", 18)), IsEmpty());
  EXPECT_EQ(AgeOn(Ymd(2008, 2, 29), Ymd(2028, 2, 29)), 20);
  // Without a minimum age, minors pass (websites' IDs are checked elsewhere for age).
  EXPECT_THAT(Codes(ValidateResidentId(r, WithCheck("11010520200101001"), kToday, "f")), IsEmpty());
  Findings f = ValidateResidentId(r, WithCheck("11010520100101001"), kToday, "f", 18);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].params.at("age"), "16");
  EXPECT_EQ(f[0].params.at("min"), "18");
}

TEST(ResidentId, ReportsSeveralProblemsAtOnce) {
  EXPECT_THAT(Codes(ValidateResidentId(EmbeddedRules(), "990105202902300022", kToday, "f", 18)),
              ElementsAre("invalid_birth_date", "checksum_mismatch", "unknown_province_prefix"));
}

TEST(ResidentId, EveryProvincePrefixIsKnown) {
  for (const Province& p : EmbeddedRules().provinces) {
    std::string id = WithCheck(p.resident_id_prefix + "010119900101001");
    EXPECT_THAT(Codes(ValidateResidentId(EmbeddedRules(), id, kToday, "f", 18)), IsEmpty())
        << p.name_en;
  }
}

TEST(ResidentId, Parse) {
  auto id = ParseResidentId("11010519491231002x");
  ASSERT_TRUE(id.has_value());
  EXPECT_EQ(id->number, "11010519491231002X");
  EXPECT_EQ(id->region_code, "110105");
  EXPECT_EQ(id->birth_date, Ymd(1949, 12, 31));
  EXPECT_FALSE(id->male);  // 002: even
  EXPECT_FALSE(ParseResidentId("110105194912310021").has_value());
  auto old = ParseResidentId("440524188001010014");  // decision 19: 1880 is a real date
  ASSERT_TRUE(old.has_value());
  EXPECT_EQ(old->birth_date, Ymd(1880, 1, 1));
  EXPECT_FALSE(ParseResidentId(WithCheck("11010519490231002")).has_value());
}

std::string RandomValidId(std::mt19937& rng) {
  const auto& provinces = EmbeddedRules().provinces;
  std::uniform_int_distribution<std::size_t> prov(0, provinces.size() - 1);
  std::uniform_int_distribution<int> digit(0, 9);
  std::uniform_int_distribution<int> days(0, 365 * 100);
  std::string s = provinces[prov(rng)].resident_id_prefix;
  for (int i = 0; i < 4; ++i) s += static_cast<char>('0' + digit(rng));
  std::chrono::year_month_day birth{
      std::chrono::sys_days{std::chrono::year_month_day{Ymd(1925, 1, 1)}} +
      std::chrono::days{days(rng)}};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d%02u%02u", static_cast<int>(birth.year()),
                static_cast<unsigned>(birth.month()), static_cast<unsigned>(birth.day()));
  s += buf;
  for (int i = 0; i < 3; ++i) s += static_cast<char>('0' + digit(rng));
  return WithCheck(s);
}

TEST(ResidentIdProperty, GeneratedIdsPassAndEverySingleChangeFails) {
  std::mt19937 rng(1128);
  const Rules& r = EmbeddedRules();
  for (int n = 0; n < 500; ++n) {
    std::string id = RandomValidId(rng);
    ASSERT_THAT(Codes(ValidateResidentId(r, id, kToday, "f")), IsEmpty()) << id;
    for (std::size_t i = 0; i < id.size(); ++i) {
      for (char c : std::string_view("0123456789X")) {
        if (c == id[i]) continue;
        std::string changed = id;
        changed[i] = c;
        ASSERT_FALSE(ValidateResidentId(r, changed, kToday, "f").empty())
            << id << " -> " << changed;
      }
    }
  }
}

// RULES.md decision 15: legacy numbers.
TEST(CertificateNumber, LegacyNumbers) {
  const Rules& r = EmbeddedRules();
  const std::string body = "12345678";
  const std::string org = body + *OrganizationCodeCheckChar(body);
  const char wrong = org[8] == '0' ? '1' : '0';
  struct Case {
    const char* type;
    std::string number;
    std::vector<std::string> codes;
    Severity severity;
  };
  const Case cases[] = {
      {"business_license", "110108000000016", {"certificate_number_legacy"}, Severity::kError},
      {"business_license", " 110108 000000016 ", {"certificate_number_legacy"}, Severity::kError},
      {"business_license", "11010800000001", {"invalid_length"}, Severity::kError},
      {"business_license", "91110108MA01ABCD5T", {}, Severity::kError},
      {"organization_code_certificate", org, {"legacy_organization_code"}, Severity::kWarning},
      {"organization_code_certificate",
       body + "-" + org.substr(8),
       {"legacy_organization_code"},
       Severity::kWarning},
      {"organization_code_certificate", body + wrong, {"checksum_mismatch"}, Severity::kError},
      {"organization_code_certificate", "91110108MA01ABCD5T", {}, Severity::kError},
  };
  for (const Case& c : cases) {
    Findings f = ValidateCertificateNumber(r, c.type, c.number, kToday, "f");
    EXPECT_THAT(Codes(f), ::testing::ElementsAreArray(c.codes)) << c.type << " " << c.number;
    if (!f.empty()) {
      EXPECT_EQ(f[0].severity, c.severity) << c.number;
    }
  }
}

TEST(ResidencePermit, PrefixesAndCheck) {
  EXPECT_THAT(Codes(ValidateResidencePermit(WithCheck("81000019940823002"), kToday, "f", 18)),
              IsEmpty());
  EXPECT_THAT(Codes(ValidateResidencePermit(WithCheck("82000019940823002"), kToday, "f")),
              IsEmpty());
  EXPECT_THAT(Codes(ValidateResidencePermit("830000199201300022", kToday, "f")), IsEmpty());
  EXPECT_THAT(Codes(ValidateResidencePermit("830000199201300023", kToday, "f")),
              ElementsAre("checksum_mismatch"));
  EXPECT_THAT(Codes(ValidateResidencePermit(WithCheck("11010519940823002"), kToday, "f")),
              ElementsAre("invalid_residence_permit_prefix"));
  EXPECT_THAT(Codes(ValidateResidencePermit(WithCheck("81000020150101002"), kToday, "f", 18)),
              ElementsAre("under_age"));
  EXPECT_THAT(Codes(ValidateResidencePermit("", kToday, "f")), ElementsAre("required"));
}

struct FormatCase {
  Findings (*fn)(std::string_view, std::string_view);
  const char* input;
  bool ok;
};

class FormatTable : public ::testing::TestWithParam<FormatCase> {};

TEST_P(FormatTable, Validates) {
  Findings f = GetParam().fn(GetParam().input, "f");
  if (GetParam().ok) {
    EXPECT_THAT(Codes(f), IsEmpty()) << GetParam().input;
  } else {
    EXPECT_FALSE(f.empty()) << GetParam().input;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Documents, FormatTable,
    ::testing::Values(FormatCase{ValidateHkMacaoPermit, "H12345678", true},
                      FormatCase{ValidateHkMacaoPermit, "M1234567890", true},
                      FormatCase{ValidateHkMacaoPermit, "h12345678", true},
                      // Decision 20: HA/MA + 7 digits (non-Chinese residents).
                      FormatCase{ValidateHkMacaoPermit, "HA1234567", true},
                      FormatCase{ValidateHkMacaoPermit, "MA1234567", true},
                      FormatCase{ValidateHkMacaoPermit, "ha1234567", true},
                      FormatCase{ValidateHkMacaoPermit, "HA123456", false},
                      FormatCase{ValidateHkMacaoPermit, "HA12345678", false},
                      FormatCase{ValidateHkMacaoPermit, "HB1234567", false},
                      FormatCase{ValidateHkMacaoPermit, "KA1234567", false},
                      FormatCase{ValidateHkMacaoPermit, "MA123456789", false},
                      FormatCase{ValidateHkMacaoPermit, "H1234567", false},
                      FormatCase{ValidateHkMacaoPermit, "H123456789", false},
                      FormatCase{ValidateHkMacaoPermit, "K12345678", false},
                      FormatCase{ValidateHkMacaoPermit, "", false},
                      FormatCase{ValidateTaiwanPermit, "12345678", true},
                      FormatCase{ValidateTaiwanPermit, "１２３４５６７８", true},
                      FormatCase{ValidateTaiwanPermit, "1234567", false},
                      FormatCase{ValidateTaiwanPermit, "T1234567", false},
                      FormatCase{ValidateMilitaryOfficerCertificate, "南字第12345678号", true},
                      FormatCase{ValidateMilitaryOfficerCertificate, "政字第123456号", true},
                      FormatCase{ValidateMilitaryOfficerCertificate, " 北字第１２３４５６７号 ",
                                 true},
                      FormatCase{ValidateMilitaryOfficerCertificate, "南字第12345号", false},
                      FormatCase{ValidateMilitaryOfficerCertificate, "南字第123456789号", false},
                      FormatCase{ValidateMilitaryOfficerCertificate, "A字第12345678号", false},
                      FormatCase{ValidateMilitaryOfficerCertificate, "南第12345678号", false},
                      FormatCase{ValidateMilitaryOfficerCertificate, "南字第12345678", false}));

// RULES.md decision 1: passports ^[A-Z0-9]{6,20}$ after upper-casing; permanent resident cards
// old ^[A-Z]{3}\d{12}$ or new ^9\d{16}[0-9X]$ with check digit, birth date and age rule;
// anything else id_number_invalid.
struct IdDocCase {
  const char* type;
  const char* input;
  std::vector<std::string> codes;
  const char* reason = "";  // id_number_invalid's reason, when expected
};

class Decision1 : public ::testing::TestWithParam<IdDocCase> {};

TEST_P(Decision1, Table) {
  const IdDocCase& c = GetParam();
  Findings f = ValidateCertificateNumber(EmbeddedRules(), c.type, c.input, kToday, "f", 18);
  EXPECT_EQ(Codes(f), c.codes) << c.type << " " << c.input;
  if (*c.reason != 0) {
    ASSERT_FALSE(f.empty());
    EXPECT_EQ(f[0].params.at("reason"), c.reason) << c.input;
    EXPECT_EQ(f[0].severity, Severity::kError);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, Decision1,
    ::testing::Values(
        IdDocCase{"passport", "E12345678", {}}, IdDocCase{"passport", "EA1234567", {}},
        IdDocCase{"passport", "c1234567", {}},              // upper-cased
        IdDocCase{"passport", "１２３４５６", {}},          // six characters, full width folded
        IdDocCase{"passport", "A1B2C3D4E5F6G7H8I9J0", {}},  // twenty
        IdDocCase{"passport", "E1234", {"id_number_invalid"}, "format"},                  // five
        IdDocCase{"passport", "A1B2C3D4E5F6G7H8I9J0K", {"id_number_invalid"}, "format"},  // 21
        IdDocCase{"passport", "E1234-5678", {"id_number_invalid"}, "format"},
        IdDocCase{"passport", "E12345678号", {"id_number_invalid"}, "format"},
        IdDocCase{"foreign_permanent_resident_card", "USA110075031802", {}},
        IdDocCase{"foreign_permanent_resident_card", "usa110075031802", {}},
        IdDocCase{
            "foreign_permanent_resident_card", "US1110075031802", {"id_number_invalid"}, "format"},
        IdDocCase{
            "foreign_permanent_resident_card", "USA11007503180", {"id_number_invalid"}, "format"},
        IdDocCase{"foreign_permanent_resident_card", "911840198001010013", {}},
        IdDocCase{"foreign_permanent_resident_card",
                  "911840198001010015",
                  {"id_number_invalid"},
                  "checksum_mismatch"},
        IdDocCase{"foreign_permanent_resident_card",
                  "111840198001010015",
                  {"id_number_invalid"},
                  "format"},
        IdDocCase{"foreign_permanent_resident_card",
                  "91184019800101001",
                  {"id_number_invalid"},
                  "format"},
        // 1980-02-30 is not a date (check character computed for the body).
        IdDocCase{"foreign_permanent_resident_card",
                  "911840198002300012",
                  {"id_number_invalid"},
                  "invalid_birth_date"},
        // Born 2010-01-01: under 18 on 2026-11-28.
        IdDocCase{"foreign_permanent_resident_card", "911840201001010018", {"under_age"}}),
    [](const auto& p) { return "case" + std::to_string(p.index); });

// Property (decision 1): for every 17-digit body starting with 9 with a real birth date of an
// adult, exactly one check character (the GB 11643 one) is accepted; the ten others are
// id_number_invalid / checksum_mismatch.
TEST(Decision1, PermanentResidentCardCheckDigitProperty) {
  std::mt19937 rng(20261202);
  constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  for (int n = 0; n < 500; ++n) {
    char body[18];
    std::snprintf(body, sizeof body, "9%02u%03u%04u%02u%02u%03u",
                  static_cast<unsigned>(rng() % 65 + 11), static_cast<unsigned>(rng() % 1000),
                  static_cast<unsigned>(rng() % 80 + 1920), static_cast<unsigned>(rng() % 12 + 1),
                  static_cast<unsigned>(rng() % 28 + 1), static_cast<unsigned>(rng() % 1000));
    int sum = 0;
    for (int i = 0; i < 17; ++i) sum += (body[i] - '0') * kWeights[i];
    const char check = "10X98765432"[sum % 11];
    for (char c : std::string("0123456789X")) {
      const std::string number = std::string(body) + c;
      Findings f = ValidateForeignPermanentResidentCard(number, kToday, "f", 18);
      if (c == check) {
        EXPECT_THAT(Codes(f), IsEmpty()) << number;
      } else {
        ASSERT_EQ(Codes(f), std::vector<std::string>{"id_number_invalid"}) << number;
        EXPECT_EQ(f[0].params.at("reason"), "checksum_mismatch") << number;
      }
    }
  }
}

// RULES.md decision 2: 部队/…分队 stripped; ^[1-9]\d{4}$ passes, ^\d{4}$ warns, else an error.
struct UnitCase {
  const char* input;
  std::vector<std::string> codes;
  Severity severity = Severity::kError;
};

class Decision2MilitaryUnit : public ::testing::TestWithParam<UnitCase> {};

TEST_P(Decision2MilitaryUnit, Table) {
  Findings f = ValidateMilitaryUnitCode(GetParam().input, "f");
  EXPECT_EQ(Codes(f), GetParam().codes) << GetParam().input;
  if (!f.empty()) {
    EXPECT_EQ(f[0].severity, GetParam().severity) << GetParam().input;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, Decision2MilitaryUnit,
    ::testing::Values(UnitCase{"61001", {}}, UnitCase{"37001部队", {}},
                      UnitCase{" ３７００１部队 ", {}}, UnitCase{"37001部队12分队", {}},
                      UnitCase{"6100", {"military_code_4_digit"}, Severity::kWarning},
                      UnitCase{"6100部队", {"military_code_4_digit"}, Severity::kWarning},
                      UnitCase{"01001", {"invalid_format"}}, UnitCase{"610011", {"invalid_format"}},
                      UnitCase{"610", {"invalid_format"}}, UnitCase{"6100A", {"invalid_format"}},
                      UnitCase{"部队", {"required"}}),
    [](const auto& p) { return "case" + std::to_string(p.index); });

TEST(CertificateNumber, DispatchesOnTheRulesNumberFormat) {
  const Rules& r = EmbeddedRules();
  EXPECT_THAT(
      Codes(ValidateCertificateNumber(r, "business_license", "914403001922038216", kToday, "f")),
      IsEmpty());
  EXPECT_THAT(
      Codes(ValidateCertificateNumber(r, "business_license", "914403001922038217", kToday, "f")),
      ElementsAre("checksum_mismatch"));
  // A valid 9-character code is the legacy form: a warning (decision 15).
  EXPECT_THAT(Codes(ValidateCertificateNumber(r, "organization_code_certificate", "19220382-1",
                                              kToday, "f")),
              ElementsAre("legacy_organization_code"));
  EXPECT_THAT(Codes(ValidateCertificateNumber(r, "organization_code_certificate",
                                              "11100000000013127G", kToday, "f")),
              ElementsAre("checksum_mismatch"));
  EXPECT_THAT(Codes(ValidateCertificateNumber(r, "resident_id_card", WithCheck("11010520100101001"),
                                              kToday, "f", 18)),
              ElementsAre("under_age"));
  EXPECT_THAT(Codes(ValidateCertificateNumber(r, "hk_macao_taiwan_residence_permit",
                                              "830000199201300022", kToday, "f")),
              IsEmpty());
  EXPECT_THAT(Codes(ValidateCertificateNumber(r, "hk_macao_permit", "H12345678", kToday, "f")),
              IsEmpty());
  EXPECT_THAT(Codes(ValidateCertificateNumber(r, "taiwan_permit", "12345678", kToday, "f")),
              IsEmpty());
  EXPECT_THAT(Codes(ValidateCertificateNumber(r, "passport", "E12345678", kToday, "f")), IsEmpty());
  EXPECT_THAT(Codes(ValidateCertificateNumber(r, "foreign_permanent_resident_card",
                                              "USA110075031802", kToday, "f")),
              IsEmpty());
  EXPECT_THAT(Codes(ValidateCertificateNumber(r, "foreign_permanent_resident_card",
                                              "911840201001010018", kToday, "f", 18)),
              ElementsAre("under_age"));
  EXPECT_THAT(Codes(ValidateCertificateNumber(r, "military_officer_certificate", "南字第12345678号",
                                              kToday, "f")),
              IsEmpty());
  EXPECT_THAT(Codes(ValidateCertificateNumber(r, "military_unit_code", "61001", kToday, "f")),
              IsEmpty());
  EXPECT_THAT(Codes(ValidateCertificateNumber(r, "driving_licence", "1", kToday, "f")),
              ElementsAre("unknown_certificate_type"));
}

}  // namespace
}  // namespace beian::domain
