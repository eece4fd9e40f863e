// Identity document checks (see identity_validators.h).
#include "domain/identity_validators.h"

#include <array>
#include <cstdio>

#include "domain/normalize.h"
#include "domain/uscc.h"
#include "domain/validators_util.h"

namespace beian::domain {
namespace {

constexpr std::array<int, 17> kIdWeights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
constexpr std::string_view kIdCheckChars = "10X98765432";
// Older than this on the day of the check → implausible_age (RULES.md decision 19).
constexpr int kMaxPlausibleAge = 120;

Finding Make(std::string_view field, std::string code,
             std::map<std::string, std::string> params = {}) {
  return Finding{Severity::kError, std::string(field), std::move(code), std::move(params)};
}

Findings Required(std::string_view field) { return {Make(field, "required")}; }

// RULES.md decision 1: passports and permanent resident cards that fail their rule.
Finding IdNumberInvalid(std::string_view field, std::string_view kind, std::string_view reason) {
  return Make(field, "id_number_invalid",
              {{"kind", std::string(kind)}, {"reason", std::string(reason)}});
}

Findings Format(std::string_view field, std::string_view kind) {
  return {Make(field, "invalid_format", {{"kind", std::string(kind)}})};
}

std::string FormatYmd(std::chrono::year_month_day d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()),
                static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
  return buf;
}

// Shared by resident IDs and residence permits: length, shape, birth date, check character,
// age. Returns the findings; `stop` is set when later checks make no sense.
Findings CheckGb11643(const std::string& s, std::chrono::year_month_day today,
                      std::string_view field, std::string_view kind, std::optional<int> minimum_age,
                      bool* ok_shape) {
  Findings f;
  *ok_shape = false;
  if (text::CodePointCount(s) != 18) {
    f.push_back(Make(field, "invalid_length",
                     {{"expected", "18"}, {"actual", std::to_string(text::CodePointCount(s))}}));
    return f;
  }
  if (!text::IsAsciiDigits(s.substr(0, 17)) ||
      !(text::IsAsciiDigits(s.substr(17)) || s[17] == 'X')) {
    f.push_back(Make(field, "invalid_format", {{"kind", std::string(kind)}}));
    return f;
  }
  *ok_shape = true;
  const int y = std::stoi(s.substr(6, 4));
  const unsigned m = static_cast<unsigned>(std::stoi(s.substr(10, 2)));
  const unsigned d = static_cast<unsigned>(std::stoi(s.substr(12, 2)));
  const std::chrono::year_month_day birth{std::chrono::year{y}, std::chrono::month{m},
                                          std::chrono::day{d}};
  // RULES.md decision 19: a birth date before 1900 is a real date (GB 11643's own example is
  // born in 1880); the age rule judges it, not the date check.
  bool date_ok = birth.ok();
  if (!date_ok) {
    f.push_back(Make(field, "invalid_birth_date", {{"date", s.substr(6, 8)}}));
  } else if (birth > today) {
    f.push_back(Make(field, "birth_date_in_future", {{"date", FormatYmd(birth)}}));
    date_ok = false;
  } else if (int age = AgeOn(birth, today); age > kMaxPlausibleAge) {
    f.push_back(Make(field, "implausible_age",
                     {{"age", std::to_string(age)}, {"max", std::to_string(kMaxPlausibleAge)}}));
  }
  char expected = *ResidentIdCheckChar(s.substr(0, 17));
  if (expected != s[17]) {
    f.push_back(Make(field, "checksum_mismatch",
                     {{"expected", std::string(1, expected)}, {"actual", std::string(1, s[17])}}));
  }
  if (date_ok && minimum_age) {
    int age = AgeOn(birth, today);
    if (age < *minimum_age) {
      f.push_back(Make(field, "under_age",
                       {{"age", std::to_string(age)}, {"min", std::to_string(*minimum_age)}}));
    }
  }
  return f;
}

}  // namespace

std::optional<char> ResidentIdCheckChar(std::string_view first17) {
  if (first17.size() != 17 || !text::IsAsciiDigits(first17)) return std::nullopt;
  int sum = 0;
  for (std::size_t i = 0; i < 17; ++i) sum += (first17[i] - '0') * kIdWeights[i];
  return kIdCheckChars[static_cast<std::size_t>(sum % 11)];
}

std::optional<ResidentId> ParseResidentId(std::string_view number) {
  std::string s = text::NormalizeCode(number);
  if (s.size() != 18 || !text::IsAsciiDigits(s.substr(0, 17))) return std::nullopt;
  if (ResidentIdCheckChar(s.substr(0, 17)) != s[17]) return std::nullopt;
  const int y = std::stoi(s.substr(6, 4));
  const std::chrono::year_month_day birth{
      std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(std::stoi(s.substr(10, 2)))},
      std::chrono::day{static_cast<unsigned>(std::stoi(s.substr(12, 2)))}};
  if (!birth.ok()) return std::nullopt;
  ResidentId id;
  id.number = s;
  id.region_code = s.substr(0, 6);
  id.birth_date = birth;
  id.male = (s[16] - '0') % 2 == 1;
  return id;
}

int AgeOn(std::chrono::year_month_day birth, std::chrono::year_month_day today) {
  int age = static_cast<int>(today.year()) - static_cast<int>(birth.year());
  const auto md_today = std::chrono::month_day{today.month(), today.day()};
  const auto md_birth = std::chrono::month_day{birth.month(), birth.day()};
  if (md_today < md_birth) --age;
  return age;
}

Findings ValidateResidentId(const Rules& rules, std::string_view number,
                            std::chrono::year_month_day today, std::string_view field,
                            std::optional<int> minimum_age) {
  std::string s = text::NormalizeCode(number);
  if (s.empty()) return Required(field);
  bool ok_shape = false;
  Findings f = CheckGb11643(s, today, field, "resident_id", minimum_age, &ok_shape);
  if (ok_shape && rules.ProvinceByResidentIdPrefix(s.substr(0, 2)) == nullptr) {
    f.push_back(Make(field, "unknown_province_prefix", {{"prefix", s.substr(0, 2)}}));
  }
  return f;
}

Findings ValidateResidencePermit(std::string_view number, std::chrono::year_month_day today,
                                 std::string_view field, std::optional<int> minimum_age) {
  std::string s = text::NormalizeCode(number);
  if (s.empty()) return Required(field);
  bool ok_shape = false;
  Findings f = CheckGb11643(s, today, field, "residence_permit", minimum_age, &ok_shape);
  if (ok_shape) {
    std::string prefix = s.substr(0, 6);
    if (prefix != "810000" && prefix != "820000" && prefix != "830000") {
      f.insert(f.begin(), Make(field, "invalid_residence_permit_prefix", {{"prefix", prefix}}));
    }
  }
  return f;
}

Findings ValidateHkMacaoPermit(std::string_view number, std::string_view field) {
  std::string s = text::NormalizeCode(number);
  if (s.empty()) return Required(field);
  // H/M + 8 or 10 digits; HA/MA + 7 digits is the permit of a non-Chinese resident of Hong Kong
  // or Macao (RULES.md decision 20), format only.
  bool ok = (s.size() == 9 || s.size() == 11) && (s[0] == 'H' || s[0] == 'M') &&
            (text::IsAsciiDigits(s.substr(1)) ||
             (s.size() == 9 && s[1] == 'A' && text::IsAsciiDigits(s.substr(2))));
  return ok ? Findings{} : Format(field, "hk_macao_permit");
}

Findings ValidateTaiwanPermit(std::string_view number, std::string_view field) {
  std::string s = text::NormalizeCode(number);
  if (s.empty()) return Required(field);
  return (s.size() == 8 && text::IsAsciiDigits(s)) ? Findings{} : Format(field, "taiwan_permit");
}

Findings ValidatePassport(std::string_view number, std::string_view field) {
  std::string s = text::NormalizeCode(number);
  if (s.empty()) return Required(field);
  // RULES.md decision 1: ^[A-Z0-9]{6,20}$ after upper-casing; no check digit is published.
  bool ok = s.size() >= 6 && s.size() <= 20;
  for (char c : s) ok = ok && ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'));
  return ok ? Findings{} : Findings{IdNumberInvalid(field, "passport", "format")};
}

Findings ValidateForeignPermanentResidentCard(std::string_view number,
                                              std::chrono::year_month_day today,
                                              std::string_view field,
                                              std::optional<int> minimum_age) {
  std::string s = text::NormalizeCode(number);
  if (s.empty()) return Required(field);
  constexpr std::string_view kKind = "foreign_permanent_resident_card";
  // RULES.md decision 1. The 2004 card: three letters and twelve digits, format only.
  if (s.size() == 15) {
    bool ok = text::IsAsciiDigits(s.substr(3));
    for (std::size_t i = 0; i < 3; ++i) ok = ok && s[i] >= 'A' && s[i] <= 'Z';
    return ok ? Findings{} : Findings{IdNumberInvalid(field, kKind, "format")};
  }
  // The 2023 card: ^9\d{16}[0-9X]$, the resident ID's structure (birth date in characters 7-14,
  // GB 11643 check character) and its age rule.
  if (s.size() != 18 || s[0] != '9') return {IdNumberInvalid(field, kKind, "format")};
  bool ok_shape = false;
  Findings f = CheckGb11643(s, today, field, kKind, minimum_age, &ok_shape);
  // Every failure of the number itself is id_number_invalid (its reason says which part); the
  // age findings keep their own codes.
  for (Finding& x : f) {
    if (x.code == "under_age" || x.code == "implausible_age") continue;
    x = IdNumberInvalid(field, kKind, x.code);
  }
  return f;
}

Findings ValidateMilitaryOfficerCertificate(std::string_view number, std::string_view field) {
  std::string s = text::FoldFullWidth(text::Trim(number));
  if (s.empty()) return Required(field);
  auto cps = text::DecodeUtf8(s);
  bool ok = cps.has_value() && cps->size() >= 10 && cps->size() <= 12 && text::IsHan((*cps)[0]) &&
            (*cps)[1] == U'字' && (*cps)[2] == U'第' && cps->back() == U'号';
  if (ok) {
    for (std::size_t i = 3; i + 1 < cps->size(); ++i) {
      ok = ok && (*cps)[i] >= U'0' && (*cps)[i] <= U'9';
    }
  }
  return ok ? Findings{} : Format(field, "military_officer_certificate");
}

Findings ValidateMilitaryUnitCode(std::string_view number, std::string_view field) {
  // RULES.md decision 2: 部队/…分队 stripped; five digits, first non-zero, pass; four digits (armed
  // police units) warn; anything else is an error.
  std::string s = NormalizeMilitaryUnitCode(number);
  if (s.empty()) return Required(field);
  if (s.size() == 5 && text::IsAsciiDigits(s) && s[0] != '0') return {};
  if (s.size() == 4 && text::IsAsciiDigits(s)) {
    return {Finding{Severity::kWarning, std::string(field), "military_code_4_digit", {}}};
  }
  return Format(field, "military_unit_code");
}

Findings ValidateCertificateNumber(const Rules& rules, std::string_view certificate_type,
                                   std::string_view number, std::chrono::year_month_day today,
                                   std::string_view field, std::optional<int> minimum_age) {
  const CertificateType* type = rules.FindCertificateType(certificate_type);
  if (type == nullptr) {
    return {Make(field, "unknown_certificate_type", {{"type", std::string(certificate_type)}})};
  }
  switch (type->number_format) {
    case NumberFormat::kUscc: {
      // RULES.md decision 15: the 15-digit registration number of a business licence issued
      // before the USCC is no longer accepted.
      const std::string s = text::NormalizeCode(number);
      if (certificate_type == "business_license" && s.size() == 15 && text::IsAsciiDigits(s)) {
        return {Make(field, "certificate_number_legacy", {{"actual", "15"}})};
      }
      return ValidateUscc(number, field);
    }
    case NumberFormat::kOrganizationCode:
      return ValidateOrganizationCode(number, field);
    case NumberFormat::kUsccOrOrganizationCode: {
      if (text::NormalizeCode(number).size() == 18) return ValidateUscc(number, field);
      // Decision 15: a 9-character organization code is the legacy form: a warning when its
      // GB 11714 check passes, its errors otherwise.
      Findings f = ValidateOrganizationCode(number, field);
      if (f.empty()) {
        f.push_back(
            Finding{Severity::kWarning, std::string(field), "legacy_organization_code", {}});
      }
      return f;
    }
    case NumberFormat::kResidentId:
      return ValidateResidentId(rules, number, today, field, minimum_age);
    case NumberFormat::kHkMacaoPermit:
      return ValidateHkMacaoPermit(number, field);
    case NumberFormat::kTaiwanPermit:
      return ValidateTaiwanPermit(number, field);
    case NumberFormat::kResidencePermit:
      return ValidateResidencePermit(number, today, field, minimum_age);
    case NumberFormat::kPassport:
      return ValidatePassport(number, field);
    case NumberFormat::kForeignPermanentResidentCard:
      return ValidateForeignPermanentResidentCard(number, today, field, minimum_age);
    case NumberFormat::kMilitaryOfficerCertificate:
      return ValidateMilitaryOfficerCertificate(number, field);
    case NumberFormat::kMilitaryUnitCode:
      return ValidateMilitaryUnitCode(number, field);
  }
  return {};
}

}  // namespace beian::domain
