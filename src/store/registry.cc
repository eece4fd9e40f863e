// RegistryRepo: named statements for the registry tables (see registry.h).
#include "store/registry.h"

#include "core/crypto.h"

namespace beian::store {
namespace {

using core::Error;
using core::ErrorCode;
using core::Result;

constexpr Statement kNextSequence{
    "sn_counters.next",
    "INSERT INTO sn_counters (province, year, last_sequence) VALUES ($1, $2, 1)"
    " ON CONFLICT (province, year) DO UPDATE SET last_sequence = sn_counters.last_sequence + 1"
    " RETURNING last_sequence"};
constexpr Statement kNextWebsiteIndex{
    "registry_subjects.next_website_index",
    "UPDATE registry_subjects SET last_website_index = last_website_index + 1 WHERE id = $1"
    " RETURNING last_website_index"};

#define BEIAN_SUBJECT_COLUMNS                                                   \
  "s.id, s.subject_sn, s.province, s.certificate_type, s.certificate_hash,"     \
  " s.certificate_sealed, s.organizer_type, s.organizer_name, s.person_sealed," \
  " s.icp_password_hash, s.status, s.created_at"
constexpr Statement kInsertSubject{
    "registry_subjects.insert",
    "INSERT INTO registry_subjects (id, subject_sn, province, sn_year, sn_sequence,"
    " certificate_type, certificate_hash, certificate_sealed, organizer_type, organizer_name,"
    " person_sealed, icp_password_hash, status, last_website_index, created_at, updated_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'active', 0, $13, $13)"};
constexpr Statement kSetPassword{
    "registry_subjects.set_password",
    "UPDATE registry_subjects SET icp_password_hash = $2 WHERE id = $1"};
constexpr Statement kSubjectsByCertificate{
    "registry_subjects.by_certificate",
    "SELECT " BEIAN_SUBJECT_COLUMNS
    " FROM registry_subjects s WHERE s.certificate_hash = $1 AND s.status = 'active'"
    " ORDER BY s.subject_sn"};
constexpr Statement kSubjectBySn{"registry_subjects.by_sn",
                                 "SELECT " BEIAN_SUBJECT_COLUMNS
                                 " FROM registry_subjects s WHERE s.subject_sn = $1"};
#undef BEIAN_SUBJECT_COLUMNS

#define BEIAN_WEBSITE_SELECT                                                        \
  "SELECT w.id, w.subject_id, s.subject_sn, w.website_sn, w.website_index, w.name," \
  " w.person_sealed, w.status, w.approved_at, s.organizer_type, s.organizer_name"   \
  " FROM registry_websites w JOIN registry_subjects s ON s.id = w.subject_id"
constexpr Statement kInsertWebsite{
    "registry_websites.insert",
    "INSERT INTO registry_websites (id, subject_id, website_sn, website_index, name,"
    " person_sealed, status, approved_at, updated_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, 'active', $7, $7)"};
constexpr Statement kInsertDomain{
    "registry_domains.insert",
    "INSERT INTO registry_domains (domain, website_id, valid_from) VALUES ($1, $2, $3)"};
constexpr Statement kInsertProvider{
    "registry_website_providers.insert",
    "INSERT INTO registry_website_providers (website_id, provider_id, valid_from)"
    " VALUES ($1, $2, $3)"};
constexpr Statement kWebsiteByDomain{
    "registry_websites.by_domain", BEIAN_WEBSITE_SELECT
    " JOIN registry_domains d ON d.website_id = w.id"
    " WHERE d.domain = $1 AND d.valid_to IS NULL AND w.status = 'active'"};
constexpr Statement kWebsiteBySn{"registry_websites.by_sn",
                                 BEIAN_WEBSITE_SELECT " WHERE w.website_sn = $1"};
constexpr Statement kWebsitesOfSubject{
    "registry_websites.of_subject", BEIAN_WEBSITE_SELECT
    " WHERE w.subject_id = $1 AND w.status = 'active' ORDER BY w.website_index"};
constexpr Statement kWebsitesByOrganizer{
    "registry_websites.by_organizer", BEIAN_WEBSITE_SELECT
    " WHERE s.status = 'active' AND w.status = 'active' AND w.website_sn > $4 AND"
    " (s.organizer_name = $1 OR (CAST($2 AS BIGINT) = 1 AND"
    " substr(s.organizer_name, 1, length($1)) = $1))"
    " ORDER BY w.website_sn LIMIT $3"};
#undef BEIAN_WEBSITE_SELECT
constexpr Statement kDomainsOf{
    "registry_domains.of_website",
    "SELECT domain FROM registry_domains WHERE website_id = $1 AND valid_to IS NULL"
    " ORDER BY domain"};
constexpr Statement kProvidersOf{
    "registry_website_providers.of_website",
    "SELECT provider_id FROM registry_website_providers WHERE website_id = $1 AND valid_to IS NULL"
    " ORDER BY provider_id"};

constexpr Statement kNextChangeSeq{
    "registry_change_counter.next",
    "UPDATE registry_change_counter SET last_seq = last_seq + 1 WHERE id = 1 RETURNING last_seq"};
constexpr Statement kInsertChange{
    "registry_changes.insert",
    "INSERT INTO registry_changes (seq, website_sn, body, created_at) VALUES ($1, $2, $3, $4)"};
constexpr Statement kLastChangeSeq{"registry_change_counter.get",
                                   "SELECT last_seq FROM registry_change_counter WHERE id = 1"};
constexpr Statement kChangesSince{
    "registry_changes.since",
    "SELECT seq, website_sn, body, created_at FROM registry_changes WHERE seq > $1"
    " ORDER BY seq LIMIT $2"};

Result<RegistrySubjectRow> SubjectFromRow(const Row& row) {
  RegistrySubjectRow s;
  BEIAN_ASSIGN_OR_RETURN(s.id, row.GetText(0));
  BEIAN_ASSIGN_OR_RETURN(s.subject_sn, row.GetText(1));
  BEIAN_ASSIGN_OR_RETURN(s.province, row.GetText(2));
  BEIAN_ASSIGN_OR_RETURN(s.certificate_type, row.GetText(3));
  BEIAN_ASSIGN_OR_RETURN(s.certificate_hash, row.GetText(4));
  BEIAN_ASSIGN_OR_RETURN(s.certificate_sealed, row.GetText(5));
  BEIAN_ASSIGN_OR_RETURN(s.organizer_type, row.GetText(6));
  BEIAN_ASSIGN_OR_RETURN(s.organizer_name, row.GetText(7));
  BEIAN_ASSIGN_OR_RETURN(s.person_sealed, row.GetText(8));
  BEIAN_ASSIGN_OR_RETURN(s.icp_password_hash, row.GetText(9));
  BEIAN_ASSIGN_OR_RETURN(s.status, row.GetText(10));
  BEIAN_ASSIGN_OR_RETURN(s.created_at_ms, row.GetInt(11));
  return s;
}

Result<RegistryWebsiteRow> WebsiteFromRow(const Row& row) {
  RegistryWebsiteRow w;
  BEIAN_ASSIGN_OR_RETURN(w.id, row.GetText(0));
  BEIAN_ASSIGN_OR_RETURN(w.subject_id, row.GetText(1));
  BEIAN_ASSIGN_OR_RETURN(w.subject_sn, row.GetText(2));
  BEIAN_ASSIGN_OR_RETURN(w.website_sn, row.GetText(3));
  BEIAN_ASSIGN_OR_RETURN(int64_t index, row.GetInt(4));
  w.website_index = static_cast<int>(index);
  BEIAN_ASSIGN_OR_RETURN(w.name, row.GetText(5));
  BEIAN_ASSIGN_OR_RETURN(w.person_sealed, row.GetText(6));
  BEIAN_ASSIGN_OR_RETURN(w.status, row.GetText(7));
  BEIAN_ASSIGN_OR_RETURN(w.approved_at_ms, row.GetInt(8));
  BEIAN_ASSIGN_OR_RETURN(w.organizer_type, row.GetText(9));
  BEIAN_ASSIGN_OR_RETURN(w.organizer_name, row.GetText(10));
  return w;
}

Error SnTaken(std::string_view sn) {
  return Error(ErrorCode::kConflict, "the SN " + std::string(sn) + " is taken",
               {{"sn", "sn_taken", "the SN " + std::string(sn) + " is taken"}});
}

}  // namespace

Result<int64_t> RegistryRepo::NextSubjectSequence(std::string_view province, int year) {
  auto row = tx_.QueryOne(kNextSequence, {province, year});
  if (!row) {
    // The CHECK on last_sequence: the year's numbers of this province are used up.
    if (row.error().code == ErrorCode::kDatabase &&
        row.error().message.find("CHECK") != std::string::npos) {
      return Error(ErrorCode::kLimitExceeded, "the subject sequence of province " +
                                                  std::string(province) + " in " +
                                                  std::to_string(year) + " is exhausted");
    }
    return std::move(row).error();
  }
  return (*row)->GetInt(0);
}

Result<int> RegistryRepo::NextWebsiteIndex(std::string_view subject_id) {
  BEIAN_ASSIGN_OR_RETURN(auto row, tx_.QueryOne(kNextWebsiteIndex, {subject_id}));
  if (!row) return Error(ErrorCode::kNotFound, "no such registry subject");
  BEIAN_ASSIGN_OR_RETURN(int64_t index, row->GetInt(0));
  return static_cast<int>(index);
}

Result<RegistrySubjectRow> RegistryRepo::CreateSubject(const NewRegistrySubject& n) {
  RegistrySubjectRow s{.id = core::RandomId(),
                       .subject_sn = n.subject_sn,
                       .province = n.province,
                       .certificate_type = n.certificate_type,
                       .certificate_hash = n.certificate_hash,
                       .certificate_sealed = n.certificate_sealed,
                       .organizer_type = n.organizer_type,
                       .organizer_name = n.organizer_name,
                       .person_sealed = n.person_sealed,
                       .icp_password_hash = n.icp_password_hash,
                       .status = "active",
                       .created_at_ms = n.now_ms};
  auto r = tx_.Exec(kInsertSubject,
                    {s.id, s.subject_sn, s.province, n.year, n.sequence, s.certificate_type,
                     s.certificate_hash, s.certificate_sealed, s.organizer_type, s.organizer_name,
                     s.person_sealed, s.icp_password_hash, n.now_ms});
  if (!r) {
    const std::string_view c = ViolatedConstraint(r.error());
    if (c.starts_with("registry_subjects.certificate_type")) {
      return Error(ErrorCode::kConflict, "the subject is already filed",
                   {{"organizer.certificate.number", "subject_exists",
                     "a subject with this certificate is already filed"}});
    }
    if (c.starts_with("registry_subjects.")) return SnTaken(n.subject_sn);
    return std::move(r).error();
  }
  return s;
}

Result<RegistryWebsiteRow> RegistryRepo::CreateWebsite(const NewRegistryWebsite& n) {
  RegistryWebsiteRow w;
  w.id = core::RandomId();
  w.subject_id = n.subject_id;
  w.website_sn = n.website_sn;
  w.website_index = n.website_index;
  w.name = n.name;
  w.person_sealed = n.person_sealed;
  w.status = "active";
  w.approved_at_ms = n.now_ms;
  auto r = tx_.Exec(kInsertWebsite, {w.id, w.subject_id, w.website_sn, w.website_index, w.name,
                                     w.person_sealed, n.now_ms});
  if (!r) {
    if (ViolatedConstraint(r.error()).starts_with("registry_websites.")) {
      return SnTaken(n.website_sn);
    }
    return std::move(r).error();
  }
  for (const std::string& d : n.domains) {
    auto inserted = tx_.Exec(kInsertDomain, {d, w.id, n.now_ms});
    if (!inserted) {
      if (ViolatedConstraint(inserted.error()).starts_with("registry_domains.")) {
        return Error(ErrorCode::kDomainConflict, "the domain " + d + " is already filed",
                     {{d, "domain_filed", "the domain " + d + " is already filed"}});
      }
      return std::move(inserted).error();
    }
    w.domains.push_back(d);
  }
  if (!n.provider_id.empty()) {
    BEIAN_TRY(tx_.Exec(kInsertProvider, {w.id, n.provider_id, n.now_ms}));
    w.provider_ids.push_back(n.provider_id);
  }
  return w;
}

core::Status RegistryRepo::SetIcpPasswordHash(std::string_view subject_id, std::string_view hash) {
  BEIAN_ASSIGN_OR_RETURN(int64_t n, tx_.Exec(kSetPassword, {subject_id, hash}));
  if (n == 0) return Error(ErrorCode::kNotFound, "no such registry subject");
  return core::Ok();
}

Result<std::vector<RegistrySubjectRow>> RegistryRepo::SubjectsByCertificate(
    std::string_view certificate_hash) {
  BEIAN_ASSIGN_OR_RETURN(auto rows, tx_.Query(kSubjectsByCertificate, {certificate_hash}));
  std::vector<RegistrySubjectRow> out;
  for (const Row& row : rows) {
    BEIAN_ASSIGN_OR_RETURN(RegistrySubjectRow s, SubjectFromRow(row));
    out.push_back(std::move(s));
  }
  return out;
}

Result<std::optional<RegistrySubjectRow>> RegistryRepo::SubjectBySn(std::string_view subject_sn) {
  BEIAN_ASSIGN_OR_RETURN(auto row, tx_.QueryOne(kSubjectBySn, {subject_sn}));
  if (!row) return std::optional<RegistrySubjectRow>();
  BEIAN_ASSIGN_OR_RETURN(RegistrySubjectRow s, SubjectFromRow(*row));
  return std::optional<RegistrySubjectRow>(std::move(s));
}

core::Status RegistryRepo::FillWebsite(RegistryWebsiteRow& w) {
  BEIAN_ASSIGN_OR_RETURN(auto domains, tx_.Query(kDomainsOf, {w.id}));
  for (const Row& row : domains) {
    BEIAN_ASSIGN_OR_RETURN(std::string d, row.GetText(0));
    w.domains.push_back(std::move(d));
  }
  BEIAN_ASSIGN_OR_RETURN(auto providers, tx_.Query(kProvidersOf, {w.id}));
  for (const Row& row : providers) {
    BEIAN_ASSIGN_OR_RETURN(std::string p, row.GetText(0));
    w.provider_ids.push_back(std::move(p));
  }
  return core::Ok();
}

Result<std::optional<RegistryWebsiteRow>> RegistryRepo::WebsiteByDomain(std::string_view domain) {
  BEIAN_ASSIGN_OR_RETURN(auto row, tx_.QueryOne(kWebsiteByDomain, {domain}));
  if (!row) return std::optional<RegistryWebsiteRow>();
  BEIAN_ASSIGN_OR_RETURN(RegistryWebsiteRow w, WebsiteFromRow(*row));
  BEIAN_TRY(FillWebsite(w));
  return std::optional<RegistryWebsiteRow>(std::move(w));
}

Result<std::optional<RegistryWebsiteRow>> RegistryRepo::WebsiteBySn(std::string_view website_sn) {
  BEIAN_ASSIGN_OR_RETURN(auto row, tx_.QueryOne(kWebsiteBySn, {website_sn}));
  if (!row) return std::optional<RegistryWebsiteRow>();
  BEIAN_ASSIGN_OR_RETURN(RegistryWebsiteRow w, WebsiteFromRow(*row));
  BEIAN_TRY(FillWebsite(w));
  return std::optional<RegistryWebsiteRow>(std::move(w));
}

Result<std::vector<RegistryWebsiteRow>> RegistryRepo::WebsitesOfSubject(
    std::string_view subject_id) {
  BEIAN_ASSIGN_OR_RETURN(auto rows, tx_.Query(kWebsitesOfSubject, {subject_id}));
  std::vector<RegistryWebsiteRow> out;
  for (const Row& row : rows) {
    BEIAN_ASSIGN_OR_RETURN(RegistryWebsiteRow w, WebsiteFromRow(row));
    BEIAN_TRY(FillWebsite(w));
    out.push_back(std::move(w));
  }
  return out;
}

Result<RegistryWebsitePage> RegistryRepo::WebsitesByOrganizer(std::string_view name, bool prefix,
                                                              int limit, std::string_view cursor) {
  if (limit < 1 || limit > 100) {
    return Error(ErrorCode::kValidationFailed, "limit must be between 1 and 100",
                 {{"limit", "invalid", "limit must be between 1 and 100"}});
  }
  BEIAN_ASSIGN_OR_RETURN(auto rows, tx_.Query(kWebsitesByOrganizer, {name, int64_t{prefix ? 1 : 0},
                                                                     int64_t{limit} + 1, cursor}));
  RegistryWebsitePage page;
  for (const Row& row : rows) {
    if (page.websites.size() == static_cast<size_t>(limit)) {
      page.next_cursor = page.websites.back().website_sn;
      break;
    }
    BEIAN_ASSIGN_OR_RETURN(RegistryWebsiteRow w, WebsiteFromRow(row));
    BEIAN_TRY(FillWebsite(w));
    page.websites.push_back(std::move(w));
  }
  return page;
}

Result<int64_t> RegistryRepo::AppendChange(std::string_view website_sn, std::string_view body,
                                           int64_t now_ms) {
  BEIAN_ASSIGN_OR_RETURN(auto row, tx_.QueryOne(kNextChangeSeq));
  if (!row) return Error(ErrorCode::kInternal, "registry_change_counter has no row");
  BEIAN_ASSIGN_OR_RETURN(int64_t seq, row->GetInt(0));
  BEIAN_TRY(tx_.Exec(kInsertChange, {seq, website_sn, body, now_ms}));
  return seq;
}

Result<std::vector<RegistryChange>> RegistryRepo::ChangesSince(int64_t since, int limit) {
  BEIAN_ASSIGN_OR_RETURN(auto rows, tx_.Query(kChangesSince, {since, int64_t{limit}}));
  std::vector<RegistryChange> out;
  for (const Row& row : rows) {
    RegistryChange c;
    BEIAN_ASSIGN_OR_RETURN(c.seq, row.GetInt(0));
    BEIAN_ASSIGN_OR_RETURN(c.website_sn, row.GetText(1));
    BEIAN_ASSIGN_OR_RETURN(c.body, row.GetText(2));
    BEIAN_ASSIGN_OR_RETURN(c.created_at_ms, row.GetInt(3));
    out.push_back(std::move(c));
  }
  return out;
}

Result<int64_t> RegistryRepo::LastChangeSeq() {
  BEIAN_ASSIGN_OR_RETURN(auto row, tx_.QueryOne(kLastChangeSeq));
  if (!row) return Error(ErrorCode::kInternal, "registry_change_counter has no row");
  return row->GetInt(0);
}

}  // namespace beian::store
