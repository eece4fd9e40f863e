// Rules loader (see rules_loader.h). Each table has a fixed header; rows are parsed into the
// Rules struct, then cross-references are checked once everything is read, reporting the line of
// the row that refers to the unknown thing.
#include "domain/rules_loader.h"

#include <algorithm>
#include <charconv>
#include <functional>
#include <map>
#include <set>

#include "core/embedded.h"
#include "domain/domain_name.h"
#include "domain/validators_util.h"

namespace beian::domain {
namespace {

using core::Error;
using core::ErrorCode;
using core::Result;
using core::Status;

Error Bad(std::string_view file, int line, std::string_view problem) {
  std::string msg(file);
  if (line > 0) msg += ":" + std::to_string(line);
  msg += ": ";
  msg += problem;
  return Error(ErrorCode::kRulesInvalid, std::move(msg));
}

struct Row {
  int line = 0;
  std::vector<std::string> cells;
};

struct Table {
  std::string file;
  std::vector<Row> rows;
};

// Splits `content` into rows of exactly `header.size()` cells; the first non-comment line must
// be the header.
Result<Table> ParseTsv(std::string_view file, std::string_view content,
                       const std::vector<std::string_view>& header) {
  Table table{std::string(file), {}};
  if (content.starts_with("\xEF\xBB\xBF")) content.remove_prefix(3);
  bool seen_header = false;
  int line_no = 0;
  std::size_t pos = 0;
  while (pos < content.size()) {
    std::size_t end = content.find('\n', pos);
    if (end == std::string_view::npos) end = content.size();
    std::string_view line = content.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!text::DecodeUtf8(line)) return Bad(file, line_no, "not valid UTF-8");
    if (text::Trim(line).empty() || text::Trim(line).starts_with('#')) continue;
    auto parts = text::Split(line, '\t');
    if (!seen_header) {
      std::vector<std::string_view> got(parts.begin(), parts.end());
      for (auto& g : got) g = text::Trim(g);
      if (got != header) {
        std::string want;
        for (auto h : header) want += (want.empty() ? "" : "\\t") + std::string(h);
        return Bad(file, line_no, "header must be \"" + want + "\"");
      }
      seen_header = true;
      continue;
    }
    if (parts.size() != header.size()) {
      return Bad(file, line_no,
                 "expected " + std::to_string(header.size()) + " tab-separated columns, got " +
                     std::to_string(parts.size()));
    }
    Row row{line_no, {}};
    for (std::size_t i = 0; i < parts.size(); ++i) {
      std::string_view cell = text::Trim(parts[i]);
      if (cell.empty()) {
        return Bad(file, line_no,
                   "column \"" + std::string(header[i]) + "\" is empty (use - for none)");
      }
      row.cells.emplace_back(cell);
    }
    table.rows.push_back(std::move(row));
  }
  if (!seen_header) return Bad(file, 0, "no header row");
  return table;
}

// "-" → empty list; "a,b" → {"a","b"}.
Result<std::vector<std::string>> ListCell(const Table& t, const Row& r, std::size_t col) {
  std::vector<std::string> out;
  if (r.cells[col] == "-") return out;
  for (std::string_view part : text::Split(r.cells[col], ',')) {
    part = text::Trim(part);
    if (part.empty()) return Bad(t.file, r.line, "empty item in list \"" + r.cells[col] + "\"");
    if (std::find(out.begin(), out.end(), part) != out.end()) {
      return Bad(t.file, r.line, "duplicate item \"" + std::string(part) + "\"");
    }
    out.emplace_back(part);
  }
  return out;
}

Result<bool> YesNo(const Table& t, const Row& r, std::size_t col) {
  if (r.cells[col] == "yes") return true;
  if (r.cells[col] == "no") return false;
  return Bad(t.file, r.line, "expected yes or no, got \"" + r.cells[col] + "\"");
}

Result<std::int64_t> Int(const Table& t, const Row& r, std::string_view cell, std::int64_t min,
                         std::int64_t max) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), v);
  if (ec != std::errc() || p != cell.data() + cell.size()) {
    return Bad(t.file, r.line, "\"" + std::string(cell) + "\" is not an integer");
  }
  if (v < min || v > max) {
    return Bad(t.file, r.line,
               std::string(cell) + " is out of range [" + std::to_string(min) + ", " +
                   std::to_string(max) + "]");
  }
  return v;
}

bool IsSnakeCase(std::string_view s) {
  if (s.empty() || !(s[0] >= 'a' && s[0] <= 'z')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

Status CheckCode(const Table& t, const Row& r, std::string_view code) {
  if (!IsSnakeCase(code)) {
    return Bad(t.file, r.line, "\"" + std::string(code) + "\" is not a snake_case code");
  }
  return core::Ok();
}

// Remembers where each key was defined, to report duplicates with both places.
class Seen {
 public:
  Status Add(const Table& t, const Row& r, const std::string& key, std::string_view what) {
    auto [it, inserted] = where_.emplace(key, t.file + ":" + std::to_string(r.line));
    if (!inserted) {
      return Bad(
          t.file, r.line,
          "duplicate " + std::string(what) + " \"" + key + "\" (first at " + it->second + ")");
    }
    return core::Ok();
  }

 private:
  std::map<std::string, std::string> where_;
};

// Rows that refer to other tables, checked after every table is read.
struct Reference {
  std::string file;
  int line;
  std::string what;  // "document kind"
  std::string value;
};

struct Loader {
  Rules rules;
  std::vector<Reference> document_refs, pre_approval_refs, organizer_type_refs,
      certificate_type_refs, message_refs;
  std::vector<std::pair<Reference, std::string>> required_suffix_refs;  // ref, organizer type
  Seen message_seen;

  Status Provinces(const Table& t) {
    Seen codes, abbrs, prefixes;
    static const std::map<std::string_view, CrossProvincePolicy> kPolicies = {
        {"allowed", CrossProvincePolicy::kAllowed},
        {"residence_permit", CrossProvincePolicy::kResidencePermitRequired},
        {"refused", CrossProvincePolicy::kRefused}};
    for (const Row& r : t.rows) {
      Province p;
      p.code = r.cells[0];
      if (p.code.size() != 2 || !text::IsAsciiDigits(p.code)) {
        return Bad(t.file, r.line, "province code must be two digits, got \"" + p.code + "\"");
      }
      BEIAN_TRY(codes.Add(t, r, p.code, "province code"));
      p.name_zh = r.cells[1];
      p.name_en = r.cells[2];
      p.abbreviation = r.cells[3];
      if (text::CodePointCount(p.abbreviation) != 1) {
        return Bad(t.file, r.line, "abbreviation must be one character");
      }
      BEIAN_TRY(abbrs.Add(t, r, p.abbreviation, "abbreviation"));
      BEIAN_ASSIGN_OR_RETURN(p.abbreviation_aliases, ListCell(t, r, 4));
      for (const std::string& a : p.abbreviation_aliases) {
        if (text::CodePointCount(a) != 1) {
          return Bad(t.file, r.line, "abbreviation alias must be one character");
        }
        BEIAN_TRY(abbrs.Add(t, r, a, "abbreviation"));
      }
      p.resident_id_prefix = r.cells[5];
      if (p.resident_id_prefix.size() != 2 || !text::IsAsciiDigits(p.resident_id_prefix)) {
        return Bad(t.file, r.line, "resident_id_prefix must be two digits");
      }
      BEIAN_TRY(prefixes.Add(t, r, p.resident_id_prefix, "resident_id_prefix"));
      BEIAN_ASSIGN_OR_RETURN(p.extra_documents, ListCell(t, r, 6));
      for (const std::string& d : p.extra_documents) {
        document_refs.push_back({t.file, r.line, "document kind", d});
      }
      auto policy = kPolicies.find(r.cells[7]);
      if (policy == kPolicies.end()) {
        return Bad(t.file, r.line, "cross_province must be allowed, residence_permit or refused");
      }
      p.cross_province_individuals = policy->second;
      BEIAN_ASSIGN_OR_RETURN(std::int64_t age, Int(t, r, r.cells[8], 0, 100));
      p.minimum_age = static_cast<int>(age);
      BEIAN_ASSIGN_OR_RETURN(p.legal_representative_may_hold_domain, YesNo(t, r, 9));
      if (r.cells[10] != "-") {
        BEIAN_ASSIGN_OR_RETURN(std::int64_t months, Int(t, r, r.cells[10], 0, 120));
        p.domain_min_months_left = static_cast<int>(months);
      }
      rules.provinces.push_back(std::move(p));
    }
    std::sort(rules.provinces.begin(), rules.provinces.end(),
              [](const Province& a, const Province& b) { return a.code < b.code; });
    return core::Ok();
  }

  Status Suffixes(const Table& t) {
    Seen seen;
    static const std::map<std::string_view, SuffixClass> kClasses = {
        {"open", SuffixClass::kOpen},
        {"government", SuffixClass::kGovernmentOnly},
        {"public_institution", SuffixClass::kPublicInstitutionOnly},
        {"education", SuffixClass::kEducationOnly},
        {"research", SuffixClass::kResearchOnly},
        {"military", SuffixClass::kMilitaryOnly}};
    for (const Row& r : t.rows) {
      auto name = NormalizeDomain(r.cells[0]);
      if (!name) return Bad(t.file, r.line, "\"" + r.cells[0] + "\" is not a valid suffix");
      BEIAN_TRY(seen.Add(t, r, name->ascii, "suffix"));
      ApprovedSuffix s;
      s.unicode = name->unicode;
      s.ascii = name->ascii;
      auto c = kClasses.find(r.cells[1]);
      if (c == kClasses.end()) return Bad(t.file, r.line, "unknown class \"" + r.cells[1] + "\"");
      s.suffix_class = c->second;
      BEIAN_ASSIGN_OR_RETURN(s.organizer_types, ListCell(t, r, 2));
      if ((s.suffix_class == SuffixClass::kOpen) != s.organizer_types.empty()) {
        return Bad(t.file, r.line,
                   "open suffixes take no organizer_types; restricted ones need at least one");
      }
      if (r.cells[3] == "*") {
        s.warning_for_others = true;
      } else {
        BEIAN_ASSIGN_OR_RETURN(s.warning_organizer_types, ListCell(t, r, 3));
      }
      if (s.suffix_class == SuffixClass::kOpen &&
          (s.warning_for_others || !s.warning_organizer_types.empty())) {
        return Bad(t.file, r.line, "open suffixes take no warning_for");
      }
      for (const std::string& o : s.organizer_types) {
        organizer_type_refs.push_back({t.file, r.line, "organizer type", o});
      }
      for (const std::string& o : s.warning_organizer_types) {
        organizer_type_refs.push_back({t.file, r.line, "organizer type", o});
      }
      rules.suffixes.push_back(std::move(s));
    }
    return core::Ok();
  }

  Status OrganizerTypes(const Table& t) {
    Seen seen;
    for (const Row& r : t.rows) {
      OrganizerType o;
      o.code = r.cells[0];
      BEIAN_TRY(CheckCode(t, r, o.code));
      BEIAN_TRY(seen.Add(t, r, o.code, "organizer type"));
      o.name_zh = r.cells[1];
      o.name_en = r.cells[2];
      BEIAN_ASSIGN_OR_RETURN(o.certificate_types, ListCell(t, r, 3));
      if (o.certificate_types.empty()) {
        return Bad(t.file, r.line, "an organizer type needs at least one certificate type");
      }
      for (const std::string& c : o.certificate_types) {
        certificate_type_refs.push_back({t.file, r.line, "certificate type", c});
      }
      BEIAN_ASSIGN_OR_RETURN(o.uscc_prefixes, ListCell(t, r, 4));
      for (const std::string& p : o.uscc_prefixes) {
        if (p.size() != 2 ||
            p.find_first_not_of("0123456789ABCDEFGHJKLMNPQRTUWXY") != std::string::npos) {
          return Bad(t.file, r.line, "\"" + p + "\" is not a two-character USCC prefix");
        }
      }
      BEIAN_ASSIGN_OR_RETURN(std::vector<std::string> required, ListCell(t, r, 5));
      for (const std::string& s : required) {
        auto n = NormalizeDomain(s);
        if (!n) return Bad(t.file, r.line, "\"" + s + "\" is not a valid suffix");
        o.required_suffixes.push_back(n->ascii);
        required_suffix_refs.push_back({{t.file, r.line, "required suffix", n->ascii}, o.code});
      }
      BEIAN_ASSIGN_OR_RETURN(o.is_individual, YesNo(t, r, 6));
      rules.organizer_types.push_back(std::move(o));
    }
    return core::Ok();
  }

  Status CertificateTypes(const Table& t) {
    Seen seen;
    static const std::map<std::string_view, NumberFormat> kFormats = {
        {"uscc", NumberFormat::kUscc},
        {"organization_code", NumberFormat::kOrganizationCode},
        {"uscc_or_organization_code", NumberFormat::kUsccOrOrganizationCode},
        {"resident_id", NumberFormat::kResidentId},
        {"hk_macao_permit", NumberFormat::kHkMacaoPermit},
        {"taiwan_permit", NumberFormat::kTaiwanPermit},
        {"residence_permit", NumberFormat::kResidencePermit},
        {"passport", NumberFormat::kPassport},
        {"foreign_permanent_resident_card", NumberFormat::kForeignPermanentResidentCard},
        {"military_officer_certificate", NumberFormat::kMilitaryOfficerCertificate},
        {"military_unit_code", NumberFormat::kMilitaryUnitCode}};
    for (const Row& r : t.rows) {
      CertificateType c;
      c.code = r.cells[0];
      BEIAN_TRY(CheckCode(t, r, c.code));
      BEIAN_TRY(seen.Add(t, r, c.code, "certificate type"));
      c.name_zh = r.cells[1];
      c.name_en = r.cells[2];
      auto f = kFormats.find(r.cells[3]);
      if (f == kFormats.end()) {
        return Bad(t.file, r.line, "unknown number_format \"" + r.cells[3] + "\"");
      }
      c.number_format = f->second;
      BEIAN_ASSIGN_OR_RETURN(c.identity_document, YesNo(t, r, 4));
      BEIAN_ASSIGN_OR_RETURN(c.two_sided, YesNo(t, r, 5));
      rules.certificate_types.push_back(std::move(c));
    }
    return core::Ok();
  }

  Status PreApprovalKinds(const Table& t) {
    Seen seen;
    for (const Row& r : t.rows) {
      BEIAN_TRY(CheckCode(t, r, r.cells[0]));
      BEIAN_TRY(seen.Add(t, r, r.cells[0], "pre-approval kind"));
      rules.pre_approval_kinds.push_back({r.cells[0], r.cells[1], r.cells[2]});
    }
    return core::Ok();
  }

  Status ServiceContents(const Table& t) {
    Seen seen;
    for (const Row& r : t.rows) {
      ServiceContent s;
      s.code = r.cells[0];
      BEIAN_TRY(CheckCode(t, r, s.code));
      BEIAN_TRY(seen.Add(t, r, s.code, "service content"));
      s.name_zh = r.cells[1];
      s.name_en = r.cells[2];
      BEIAN_ASSIGN_OR_RETURN(s.allowed_for_individual, YesNo(t, r, 3));
      if (r.cells[4] != "-") {
        s.pre_approval_kind = r.cells[4];
        pre_approval_refs.push_back({t.file, r.line, "pre-approval kind", s.pre_approval_kind});
      }
      rules.service_contents.push_back(std::move(s));
    }
    return core::Ok();
  }

  Status NameWords(const Table& t) {
    Seen seen;
    for (const Row& r : t.rows) {
      const std::string& kind = r.cells[0];
      const std::string& word = r.cells[1];
      const std::string& pre = r.cells[2];
      BEIAN_TRY(seen.Add(t, r, kind + " " + word, "word"));
      if (kind == "regulated") {
        if (pre == "-") return Bad(t.file, r.line, "a regulated word needs its pre_approval kind");
        pre_approval_refs.push_back({t.file, r.line, "pre-approval kind", pre});
        rules.regulated_words.push_back({word, pre});
        continue;
      }
      if (pre != "-") return Bad(t.file, r.line, "only regulated words take a pre_approval kind");
      if (kind == "forbidden_prefix") {
        rules.forbidden_name_prefixes.push_back(word);
      } else if (kind == "individual_forbidden") {
        rules.individual_forbidden_words.push_back(word);
      } else {
        return Bad(t.file, r.line, "unknown kind \"" + kind + "\"");
      }
    }
    return core::Ok();
  }

  Status Documents(const Table& t) {
    Seen seen;
    for (const Row& r : t.rows) {
      DocumentKind d;
      d.code = r.cells[0];
      BEIAN_TRY(CheckCode(t, r, d.code));
      BEIAN_TRY(seen.Add(t, r, d.code, "document kind"));
      d.name_zh = r.cells[1];
      d.name_en = r.cells[2];
      BEIAN_ASSIGN_OR_RETURN(d.formats, ListCell(t, r, 3));
      if (d.formats.empty()) return Bad(t.file, r.line, "a document kind needs a format");
      for (const std::string& f : d.formats) {
        if (f != "jpeg" && f != "png" && f != "pdf") {
          return Bad(t.file, r.line, "unknown format \"" + f + "\" (jpeg, png or pdf)");
        }
      }
      BEIAN_ASSIGN_OR_RETURN(d.max_bytes, Int(t, r, r.cells[4], 1, std::int64_t{1} << 32));
      int* dims[] = {&d.min_width, &d.min_height, &d.max_width, &d.max_height};
      for (std::size_t i = 0; i < 4; ++i) {
        BEIAN_ASSIGN_OR_RETURN(std::int64_t v, Int(t, r, r.cells[5 + i], 1, 100000));
        *dims[i] = static_cast<int>(v);
      }
      if (d.min_width > d.max_width || d.min_height > d.max_height) {
        return Bad(t.file, r.line, "minimum pixel size exceeds the maximum");
      }
      rules.document_kinds.push_back(std::move(d));
    }
    return core::Ok();
  }

  Status DocumentRequirements(const Table& t) {
    static const std::set<std::string_view> kConditions = {"always",
                                                           "two_sided_id",
                                                           "province_extra",
                                                           "cross_province_individual",
                                                           "not_legal_representative",
                                                           "pre_approval",
                                                           "pre_approval_keyword"};
    Seen seen;
    for (const Row& r : t.rows) {
      DocumentRequirement d;
      d.kind = r.cells[0];
      d.subject = r.cells[1];
      BEIAN_TRY(seen.Add(t, r, d.kind + " " + d.subject + " " + r.cells[3], "requirement"));
      document_refs.push_back({t.file, r.line, "document kind", d.kind});
      if (r.cells[2] != "*") {
        BEIAN_ASSIGN_OR_RETURN(d.organizer_types, ListCell(t, r, 2));
        for (const std::string& o : d.organizer_types) {
          organizer_type_refs.push_back({t.file, r.line, "organizer type", o});
        }
      }
      d.condition = r.cells[3];
      if (!kConditions.contains(d.condition)) {
        return Bad(t.file, r.line, "unknown condition \"" + d.condition + "\"");
      }
      d.reason = r.cells[4];
      message_refs.push_back({t.file, r.line, "message code", d.reason});
      rules.document_requirements.push_back(std::move(d));
    }
    return core::Ok();
  }

  Status Settings(const Table& t) {
    Timing& tm = rules.timing;
    std::map<std::string_view, int*> ints = {
        {"preliminary_review_business_days", &tm.preliminary_review_business_days},
        {"photo_review_business_days", &tm.photo_review_business_days},
        {"sms_code_length", &tm.sms_code_length},
        {"sms_code_validity_hours", &tm.sms_code_validity_hours},
        {"sms_max_resends", &tm.sms_max_resends},
        {"sms_max_wrong_entries", &tm.sms_max_wrong_entries},
        {"authority_review_working_days", &tm.authority_review_working_days},
        {"applicant_wait_days", &tm.applicant_wait_days},
        {"domain_min_months_left", &tm.domain_min_months_left},
        {"server_min_months_left", &tm.server_min_months_left},
        {"server_service_codes", &tm.server_service_codes},
        {"max_websites_per_individual", &rules.max_websites_per_individual},
        {"min_name_length", &rules.min_name_length}};
    Seen seen;
    std::set<std::string> missing;
    for (const auto& [k, v] : ints) missing.emplace(k);
    missing.emplace("expiry_warning_days");
    for (const Row& r : t.rows) {
      const std::string& key = r.cells[0];
      BEIAN_TRY(seen.Add(t, r, key, "setting"));
      missing.erase(key);
      if (key == "expiry_warning_days") {
        tm.expiry_warning_days.clear();
        for (std::string_view part : text::Split(r.cells[1], ',')) {
          BEIAN_ASSIGN_OR_RETURN(std::int64_t v, Int(t, r, text::Trim(part), 1, 3650));
          if (!tm.expiry_warning_days.empty() && v >= tm.expiry_warning_days.back()) {
            return Bad(t.file, r.line, "expiry_warning_days must be strictly descending");
          }
          tm.expiry_warning_days.push_back(static_cast<int>(v));
        }
        continue;
      }
      auto it = ints.find(key);
      if (it == ints.end()) return Bad(t.file, r.line, "unknown setting \"" + key + "\"");
      BEIAN_ASSIGN_OR_RETURN(std::int64_t v, Int(t, r, r.cells[1], 1, 100000));
      *it->second = static_cast<int>(v);
    }
    if (!missing.empty()) return Bad(t.file, 0, "missing setting \"" + *missing.begin() + "\"");
    return core::Ok();
  }

  Status Holidays(const Table& t) {
    Seen seen;
    for (const Row& r : t.rows) {
      const std::string& s = r.cells[0];
      int y = 0;
      int m = 0;
      int d = 0;
      bool shape = s.size() == 10 && s[4] == '-' && s[7] == '-' &&
                   text::IsAsciiDigits(s.substr(0, 4)) && text::IsAsciiDigits(s.substr(5, 2)) &&
                   text::IsAsciiDigits(s.substr(8, 2));
      if (shape) {
        y = std::stoi(s.substr(0, 4));
        m = std::stoi(s.substr(5, 2));
        d = std::stoi(s.substr(8, 2));
      }
      std::chrono::year_month_day date{std::chrono::year{y},
                                       std::chrono::month{static_cast<unsigned>(m)},
                                       std::chrono::day{static_cast<unsigned>(d)}};
      if (!shape || !date.ok()) return Bad(t.file, r.line, "\"" + s + "\" is not a valid date");
      BEIAN_TRY(seen.Add(t, r, s, "date"));
      CalendarDay day;
      day.date = date;
      if (r.cells[1] == "holiday") {
        day.kind = CalendarDayKind::kHoliday;
      } else if (r.cells[1] == "workday") {
        day.kind = CalendarDayKind::kWorkday;
        const std::chrono::weekday wd{std::chrono::sys_days{date}};
        if (wd != std::chrono::Saturday && wd != std::chrono::Sunday) {
          return Bad(t.file, r.line, "make-up workday " + s + " is not a weekend day");
        }
      } else {
        return Bad(t.file, r.line, "kind must be holiday or workday");
      }
      day.name = r.cells[2];
      rules.calendar.push_back(std::move(day));
    }
    std::sort(rules.calendar.begin(), rules.calendar.end(),
              [](const CalendarDay& a, const CalendarDay& b) { return a.date < b.date; });
    return core::Ok();
  }

  Status Messages(const Table& t) {
    for (const Row& r : t.rows) {
      const std::string& code = r.cells[0];
      BEIAN_TRY(CheckCode(t, r, code));
      BEIAN_TRY(message_seen.Add(t, r, code, "message code"));
      if (r.cells[1] == "-" || r.cells[2] == "-") {
        return Bad(t.file, r.line, "message \"" + code + "\" needs both zh-CN and en text");
      }
      if (TemplatePlaceholders(r.cells[1]) != TemplatePlaceholders(r.cells[2])) {
        return Bad(t.file, r.line,
                   "message \"" + code + "\" uses different {placeholders} in zh-CN and en");
      }
      rules.messages.emplace(code, Message{r.cells[1], r.cells[2]});
    }
    return core::Ok();
  }

  // province_id_types.tsv (after provinces.tsv): documents individuals may not file with.
  Status ProvinceIdTypes(const Table& t) {
    Seen pairs;
    for (const Row& r : t.rows) {
      auto p = std::find_if(rules.provinces.begin(), rules.provinces.end(),
                            [&](const Province& x) { return x.code == r.cells[0]; });
      if (p == rules.provinces.end()) {
        return Bad(t.file, r.line, "unknown province \"" + r.cells[0] + "\"");
      }
      if (r.cells[2] != "refused") return Bad(t.file, r.line, "individuals must be refused");
      BEIAN_TRY(pairs.Add(t, r, r.cells[0] + " " + r.cells[1], "province and id_type"));
      certificate_type_refs.push_back({t.file, r.line, "certificate type", r.cells[1]});
      p->refused_individual_id_types.push_back(r.cells[1]);
    }
    return core::Ok();
  }

  Status CrossCheck() {
    for (const Reference& ref : document_refs) {
      if (!rules.FindDocumentKind(ref.value)) {
        return Bad(ref.file, ref.line, "unknown " + ref.what + " \"" + ref.value + "\"");
      }
    }
    for (const Reference& ref : pre_approval_refs) {
      if (!rules.FindPreApprovalKind(ref.value)) {
        return Bad(ref.file, ref.line, "unknown " + ref.what + " \"" + ref.value + "\"");
      }
    }
    for (const Reference& ref : organizer_type_refs) {
      if (!rules.FindOrganizerType(ref.value)) {
        return Bad(ref.file, ref.line, "unknown " + ref.what + " \"" + ref.value + "\"");
      }
    }
    for (const Reference& ref : certificate_type_refs) {
      if (!rules.FindCertificateType(ref.value)) {
        return Bad(ref.file, ref.line, "unknown " + ref.what + " \"" + ref.value + "\"");
      }
    }
    for (const Reference& ref : message_refs) {
      if (!rules.FindMessage(ref.value)) {
        return Bad(ref.file, ref.line, "unknown " + ref.what + " \"" + ref.value + "\"");
      }
    }
    // A required suffix must be approved (or be the parent of approved ones, like "cn").
    for (const auto& [ref, type] : required_suffix_refs) {
      if (!rules.FindSuffix(ref.value)) {
        return Bad(ref.file, ref.line,
                   "required suffix \"" + ref.value + "\" of " + type + " is not in suffixes.tsv");
      }
    }
    return core::Ok();
  }
};

struct TableSpec {
  std::string_view name;
  std::vector<std::string_view> header;
  Status (Loader::*parse)(const Table&);
};

const std::vector<TableSpec>& Specs() {
  static const std::vector<TableSpec> kSpecs = {
      {"provinces.tsv",
       {"code", "name_zh", "name_en", "abbreviation", "aliases", "resident_id_prefix",
        "extra_documents", "cross_province", "minimum_age", "legal_rep_domain_holder",
        "domain_min_months_left"},
       &Loader::Provinces},
      {"suffixes.tsv", {"suffix", "class", "organizer_types", "warning_for"}, &Loader::Suffixes},
      {"organizer_types.tsv",
       {"code", "name_zh", "name_en", "certificate_types", "uscc_prefixes", "required_suffixes",
        "individual"},
       &Loader::OrganizerTypes},
      {"certificate_types.tsv",
       {"code", "name_zh", "name_en", "number_format", "identity", "two_sided"},
       &Loader::CertificateTypes},
      {"province_id_types.tsv", {"province", "id_type", "individuals"}, &Loader::ProvinceIdTypes},
      {"pre_approval_kinds.tsv", {"code", "name_zh", "name_en"}, &Loader::PreApprovalKinds},
      {"service_contents.tsv",
       {"code", "name_zh", "name_en", "individual", "pre_approval"},
       &Loader::ServiceContents},
      {"name_words.tsv", {"kind", "word", "pre_approval"}, &Loader::NameWords},
      {"documents.tsv",
       {"code", "name_zh", "name_en", "formats", "max_bytes", "min_width", "min_height",
        "max_width", "max_height"},
       &Loader::Documents},
      {"document_requirements.tsv",
       {"kind", "subject", "organizer_types", "condition", "reason"},
       &Loader::DocumentRequirements},
      {"settings.tsv", {"key", "value"}, &Loader::Settings},
      {"holidays.tsv", {"date", "kind", "name"}, &Loader::Holidays},
  };
  return kSpecs;
}

const std::vector<std::string_view> kMessageHeader = {"code", "zh-CN", "en"};

std::string_view BaseName(std::string_view path) {
  std::size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

}  // namespace

std::vector<std::string> TemplatePlaceholders(std::string_view tmpl) {
  std::set<std::string> names;
  std::size_t pos = 0;
  while ((pos = tmpl.find('{', pos)) != std::string_view::npos) {
    std::size_t end = tmpl.find('}', pos + 1);
    if (end == std::string_view::npos) break;
    names.emplace(tmpl.substr(pos + 1, end - pos - 1));
    pos = end + 1;
  }
  return {names.begin(), names.end()};
}

core::Result<Rules> LoadRules(const std::vector<std::pair<std::string, std::string_view>>& files) {
  Loader loader;
  std::map<std::string_view, const std::pair<std::string, std::string_view>*> by_table;
  std::vector<const std::pair<std::string, std::string_view>*> message_files;
  const std::pair<std::string, std::string_view>* version = nullptr;
  for (const auto& file : files) {
    std::string_view base = BaseName(file.first);
    if (base == "version") {
      version = &file;
    } else if (base.starts_with("messages_") && base.ends_with(".tsv")) {
      message_files.push_back(&file);
    } else if (base.ends_with(".tsv")) {
      auto spec = std::find_if(Specs().begin(), Specs().end(),
                               [&](const TableSpec& s) { return s.name == base; });
      if (spec == Specs().end()) return Bad(file.first, 0, "unknown rules table");
      if (!by_table.emplace(spec->name, &file).second) {
        return Bad(file.first, 0, "given twice");
      }
    }
  }
  if (version == nullptr) return Bad("data/rules/version", 0, "missing");
  {
    std::string v;
    int line_no = 0;
    for (std::string_view line : text::Split(version->second, '\n')) {
      ++line_no;
      line = text::Trim(line);
      if (line.empty() || line.starts_with('#')) continue;
      if (!v.empty()) return Bad(version->first, line_no, "version must be a single line");
      v = std::string(line);
    }
    if (v.empty()) return Bad(version->first, 0, "empty version");
    loader.rules.version = v;
  }
  // Messages first: document requirements refer to message codes.
  std::sort(message_files.begin(), message_files.end(),
            [](auto* a, auto* b) { return a->first < b->first; });
  for (const auto* file : message_files) {
    BEIAN_ASSIGN_OR_RETURN(Table t, ParseTsv(file->first, file->second, kMessageHeader));
    BEIAN_TRY(loader.Messages(t));
  }
  for (const TableSpec& spec : Specs()) {
    auto it = by_table.find(spec.name);
    if (it == by_table.end()) return Bad("data/rules/" + std::string(spec.name), 0, "missing");
    BEIAN_ASSIGN_OR_RETURN(Table t, ParseTsv(it->second->first, it->second->second, spec.header));
    BEIAN_TRY((loader.*spec.parse)(t));
  }
  BEIAN_TRY(loader.CrossCheck());
  return std::move(loader.rules);
}

core::Result<Rules> LoadEmbeddedRules() {
  std::vector<std::pair<std::string, std::string_view>> files;
  for (const core::EmbeddedFileEntry& e : core::EmbeddedFilesUnder("data/rules/")) {
    files.emplace_back(std::string(e.path), e.data);
  }
  auto rules = LoadRules(files);
  // Load the public suffix list now, at start, rather than on the first validated domain.
  if (rules) PublicSuffixOf("example.com");
  return rules;
}

}  // namespace beian::domain
