// Rules: everything RULES.md marks *(data)*, held in memory after LoadRules (rules_loader.h) has
// parsed and cross-checked the versioned files under data/rules/. A Rules value is immutable once
// loaded and safe to share between threads; validators and the precheck take it by const
// reference. Lookup helpers return nullptr (or false) for unknown keys, never throw.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace beian::domain {

// Who may register a domain under an approved suffix.
enum class SuffixClass {
  kOpen,                   // anyone
  kGovernmentOnly,         // gov.cn, 政务
  kPublicInstitutionOnly,  // 公益
  kEducationOnly,          // edu.cn
  kResearchOnly,           // ac.cn
  kMilitaryOnly,           // mil.cn
};
// "open" | "government" | "public_institution" | "education" | "research" | "military".
std::string_view SuffixClassName(SuffixClass c);

struct ApprovedSuffix {
  std::string unicode;  // as written in the data, e.g. "com.cn", "中国"
  std::string ascii;    // punycode form, e.g. "com.cn", "xn--fiqs8s"
  SuffixClass suffix_class = SuffixClass::kOpen;
  // RULES.md decision 5 (suffix_not_allowed_for_organizer): organizer types that use a
  // restricted suffix without a finding (empty for kOpen = everyone), those that get a warning
  // (or every other type when warning_for_others); any other type gets an error.
  std::vector<std::string> organizer_types;
  std::vector<std::string> warning_organizer_types;
  bool warning_for_others = false;
};

struct OrganizerType {
  std::string code;  // "enterprise", "individual", ...
  std::string name_zh;
  std::string name_en;
  std::vector<std::string> certificate_types;  // allowed certificate `type`s
  std::vector<std::string> uscc_prefixes;      // e.g. {"91","92","93"}; empty = no USCC check
  // The website's registrable domain must end with one of these suffixes (ascii form, e.g.
  // "gov.cn", "xn--zfr164b"); empty = no requirement.
  std::vector<std::string> required_suffixes;
  bool is_individual = false;
};

// How a certificate's number is checked (which validator applies).
enum class NumberFormat {
  kUscc,
  kOrganizationCode,
  kUsccOrOrganizationCode,
  kResidentId,
  kHkMacaoPermit,
  kTaiwanPermit,
  kResidencePermit,
  kPassport,
  kForeignPermanentResidentCard,
  kMilitaryOfficerCertificate,
  kMilitaryUnitCode,
};
std::string_view NumberFormatName(NumberFormat f);

// A certificate type: an organization's certificate or an individual's identity document.
struct CertificateType {
  std::string code;  // "business_license", "resident_id_card", ...
  std::string name_zh;
  std::string name_en;
  NumberFormat number_format = NumberFormat::kUscc;
  bool identity_document = false;  // usable as a person's identity document
  bool two_sided = false;          // needs id_front and id_back images
};

enum class CrossProvincePolicy {
  kAllowed,                  // individuals from other provinces may file here
  kResidencePermitRequired,  // ... with a local residence permit
  kRefused,                  // only residents whose ID was issued here
};
std::string_view CrossProvincePolicyName(CrossProvincePolicy p);

struct Province {
  std::string code;          // GB/T 2260 two digits, "11"
  std::string name_zh;       // "北京"
  std::string name_en;       // "Beijing"
  std::string abbreviation;  // SN abbreviation, "京"; Sichuan "蜀", Gansu "陇"
  std::vector<std::string> abbreviation_aliases;  // also accepted when parsing, e.g. "川"
  std::string resident_id_prefix;                 // first two digits of resident IDs, "11"
  std::vector<std::string> extra_documents;       // document kinds, e.g. "domain_certificate"
  CrossProvincePolicy cross_province_individuals = CrossProvincePolicy::kAllowed;
  int minimum_age = 18;
  bool legal_representative_may_hold_domain = false;
  // Identity document types individuals may not file with here (province_id_types.tsv,
  // RULES.md decision 16: Hebei refuses passport and foreign_permanent_resident_card).
  std::vector<std::string> refused_individual_id_types;
  // Months a domain must have left here (RULES.md decision 8); unset = Timing's default.
  std::optional<int> domain_min_months_left;
};

struct PreApprovalKind {
  std::string code;  // "news", "publishing", ...
  std::string name_zh;
  std::string name_en;
};

// A word in a website or organizer name that implies regulated content.
struct RegulatedWord {
  std::string word;               // "新闻"
  std::string pre_approval_kind;  // "news"
};

struct ServiceContent {
  std::string code;  // "blog", "other", "news", ...
  std::string name_zh;
  std::string name_en;
  bool allowed_for_individual = false;
  std::string pre_approval_kind;  // needed pre-approval, or empty
};

struct DocumentKind {
  std::string code;  // "id_front", "commitment_letter", ...
  std::string name_zh;
  std::string name_en;
  std::vector<std::string> formats;  // "jpeg", "png", "pdf"
  std::int64_t max_bytes = 5 * 1024 * 1024;
  int min_width = 500;  // pixel limits apply to images only
  int min_height = 300;
  int max_width = 5000;
  int max_height = 5000;
};

// A default document requirement (RULES.md "Documents"); the precheck turns these into concrete
// {kind, subject, reason} items. `subject` is a pattern: "organizer",
// "organizer.person_in_charge", "websites[*].person_in_charge", ...
struct DocumentRequirement {
  std::string kind;
  std::string subject;
  std::vector<std::string> organizer_types;  // empty = every type
  // When it applies: "always", "two_sided_id" (the subject's identity document has a back),
  // "province_extra", "cross_province_individual", "not_legal_representative", "pre_approval".
  std::string condition;
  std::string reason;  // message code explaining why it is required
};

// Durations of RULES.md "Timing" and the inventory limits.
struct Timing {
  int preliminary_review_business_days = 1;
  int photo_review_business_days = 1;
  int sms_code_length = 6;
  int sms_code_validity_hours = 24;
  int sms_max_resends = 3;
  int sms_max_wrong_entries = 5;
  int authority_review_working_days = 20;
  int applicant_wait_days = 45;
  std::vector<int> expiry_warning_days = {30, 15, 7};  // descending
  int domain_min_months_left = 3;
  int server_min_months_left = 3;
  int server_service_codes = 5;
};

enum class CalendarDayKind { kHoliday, kWorkday };  // kWorkday: a make-up working weekend day

struct CalendarDay {
  std::chrono::year_month_day date;
  CalendarDayKind kind = CalendarDayKind::kHoliday;
  std::string name;  // "春节"
};

struct Message {
  std::string zh;  // zh-CN template, "{param}" placeholders
  std::string en;
};

struct Rules {
  std::string version;  // data/rules/version

  std::vector<ApprovedSuffix> suffixes;
  std::vector<OrganizerType> organizer_types;
  std::vector<CertificateType> certificate_types;
  std::vector<Province> provinces;  // the 31 provinces, ordered by code

  std::vector<std::string> forbidden_name_prefixes;  // for non-national organizers
  std::vector<std::string> individual_forbidden_words;
  std::vector<RegulatedWord> regulated_words;
  std::vector<PreApprovalKind> pre_approval_kinds;
  std::vector<ServiceContent> service_contents;
  int max_websites_per_individual = 5;
  int min_name_length = 3;  // in characters (code points)

  std::vector<DocumentKind> document_kinds;
  std::vector<DocumentRequirement> document_requirements;

  Timing timing;
  std::vector<CalendarDay> calendar;  // sorted by date

  std::map<std::string, Message, std::less<>> messages;  // code -> templates

  // Lookups; nullptr when unknown.
  const Province* FindProvince(std::string_view code) const;
  // Accepts the official abbreviation and its aliases ("蜀" and "川").
  const Province* ProvinceByAbbreviation(std::string_view abbreviation) const;
  const Province* ProvinceByResidentIdPrefix(std::string_view prefix) const;
  // `suffix` in ascii (punycode) or Unicode form, e.g. "com.cn", "xn--fiqs8s", "中国".
  const ApprovedSuffix* FindSuffix(std::string_view suffix) const;
  const OrganizerType* FindOrganizerType(std::string_view code) const;
  const CertificateType* FindCertificateType(std::string_view code) const;
  bool IsIdentityDocumentType(std::string_view code) const;
  const PreApprovalKind* FindPreApprovalKind(std::string_view code) const;
  const ServiceContent* FindServiceContent(std::string_view code) const;
  const DocumentKind* FindDocumentKind(std::string_view code) const;
  const Message* FindMessage(std::string_view code) const;

  // Calendar: a holiday (even on a weekday), a make-up working day (even on a weekend).
  bool IsHoliday(std::chrono::year_month_day d) const;
  bool IsMakeUpWorkday(std::chrono::year_month_day d) const;
  // Whether a day is a business day is BusinessCalendar's (domain/calendar.h) to say.
};

}  // namespace beian::domain
