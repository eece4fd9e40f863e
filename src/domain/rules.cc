// Rules lookups and enumeration names (see rules.h). Tables are small (tens of rows), so lookups
// are linear scans: simpler than indexes and fast enough for a precheck budget of microseconds.
#include "domain/rules.h"

#include <algorithm>

namespace beian::domain {

std::string_view SuffixClassName(SuffixClass c) {
  switch (c) {
    case SuffixClass::kOpen:
      return "open";
    case SuffixClass::kGovernmentOnly:
      return "government";
    case SuffixClass::kPublicInstitutionOnly:
      return "public_institution";
    case SuffixClass::kEducationOnly:
      return "education";
    case SuffixClass::kResearchOnly:
      return "research";
    case SuffixClass::kMilitaryOnly:
      return "military";
  }
  return "open";
}

std::string_view NumberFormatName(NumberFormat f) {
  switch (f) {
    case NumberFormat::kUscc:
      return "uscc";
    case NumberFormat::kOrganizationCode:
      return "organization_code";
    case NumberFormat::kUsccOrOrganizationCode:
      return "uscc_or_organization_code";
    case NumberFormat::kResidentId:
      return "resident_id";
    case NumberFormat::kHkMacaoPermit:
      return "hk_macao_permit";
    case NumberFormat::kTaiwanPermit:
      return "taiwan_permit";
    case NumberFormat::kResidencePermit:
      return "residence_permit";
    case NumberFormat::kPassport:
      return "passport";
    case NumberFormat::kForeignPermanentResidentCard:
      return "foreign_permanent_resident_card";
    case NumberFormat::kMilitaryOfficerCertificate:
      return "military_officer_certificate";
    case NumberFormat::kMilitaryUnitCode:
      return "military_unit_code";
  }
  return "uscc";
}

std::string_view CrossProvincePolicyName(CrossProvincePolicy p) {
  switch (p) {
    case CrossProvincePolicy::kAllowed:
      return "allowed";
    case CrossProvincePolicy::kResidencePermitRequired:
      return "residence_permit";
    case CrossProvincePolicy::kRefused:
      return "refused";
  }
  return "allowed";
}

namespace {
template <typename T, typename Pred>
const T* FindIf(const std::vector<T>& v, Pred pred) {
  auto it = std::find_if(v.begin(), v.end(), pred);
  return it == v.end() ? nullptr : &*it;
}
}  // namespace

const Province* Rules::FindProvince(std::string_view code) const {
  return FindIf(provinces, [&](const Province& p) { return p.code == code; });
}

const Province* Rules::ProvinceByAbbreviation(std::string_view abbreviation) const {
  return FindIf(provinces, [&](const Province& p) {
    return p.abbreviation == abbreviation ||
           std::find(p.abbreviation_aliases.begin(), p.abbreviation_aliases.end(), abbreviation) !=
               p.abbreviation_aliases.end();
  });
}

const Province* Rules::ProvinceByResidentIdPrefix(std::string_view prefix) const {
  return FindIf(provinces, [&](const Province& p) { return p.resident_id_prefix == prefix; });
}

const ApprovedSuffix* Rules::FindSuffix(std::string_view suffix) const {
  return FindIf(suffixes,
                [&](const ApprovedSuffix& s) { return s.ascii == suffix || s.unicode == suffix; });
}

const OrganizerType* Rules::FindOrganizerType(std::string_view code) const {
  return FindIf(organizer_types, [&](const OrganizerType& t) { return t.code == code; });
}

const CertificateType* Rules::FindCertificateType(std::string_view code) const {
  return FindIf(certificate_types, [&](const CertificateType& t) { return t.code == code; });
}

bool Rules::IsIdentityDocumentType(std::string_view code) const {
  const CertificateType* t = FindCertificateType(code);
  return t != nullptr && t->identity_document;
}

const PreApprovalKind* Rules::FindPreApprovalKind(std::string_view code) const {
  return FindIf(pre_approval_kinds, [&](const PreApprovalKind& k) { return k.code == code; });
}

const ServiceContent* Rules::FindServiceContent(std::string_view code) const {
  return FindIf(service_contents, [&](const ServiceContent& s) { return s.code == code; });
}

const DocumentKind* Rules::FindDocumentKind(std::string_view code) const {
  return FindIf(document_kinds, [&](const DocumentKind& k) { return k.code == code; });
}

const Message* Rules::FindMessage(std::string_view code) const {
  auto it = messages.find(code);
  return it == messages.end() ? nullptr : &it->second;
}

namespace {
const CalendarDay* FindDay(const std::vector<CalendarDay>& calendar,
                           std::chrono::year_month_day d) {
  auto it = std::lower_bound(
      calendar.begin(), calendar.end(), d,
      [](const CalendarDay& c, std::chrono::year_month_day x) { return c.date < x; });
  return (it != calendar.end() && it->date == d) ? &*it : nullptr;
}
}  // namespace

bool Rules::IsHoliday(std::chrono::year_month_day d) const {
  const CalendarDay* day = FindDay(calendar, d);
  return day != nullptr && day->kind == CalendarDayKind::kHoliday;
}

bool Rules::IsMakeUpWorkday(std::chrono::year_month_day d) const {
  const CalendarDay* day = FindDay(calendar, d);
  return day != nullptr && day->kind == CalendarDayKind::kWorkday;
}

}  // namespace beian::domain
