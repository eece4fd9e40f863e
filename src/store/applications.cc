// ApplicationRepo and ApplicationEventRepo: named statements for the applications tables.
#include "store/applications.h"

#include <charconv>
#include <set>

namespace beian::store {
namespace {

using core::Error;
using core::ErrorCode;
using core::Result;
using core::Status;

#define BEIAN_APP_COLUMNS                                                                 \
  "id, owner_id, state, version, filing_type, province, organizer_type, organizer_name, " \
  "certificate_hash, body, created_at, updated_at, state_entered_at, sla_deadline"

constexpr Statement kInsert{
    "applications.insert",
    "INSERT INTO applications (" BEIAN_APP_COLUMNS
    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"};
constexpr Statement kById{"applications.by_id",
                          "SELECT " BEIAN_APP_COLUMNS " FROM applications WHERE id = $1"};
// Newest first; the state filter is optional ('' = any).
constexpr Statement kFirstPage{"applications.first_page",
                               "SELECT " BEIAN_APP_COLUMNS
                               " FROM applications WHERE owner_id = $2"
                               " AND (CAST($3 AS TEXT) = '' OR state = $3)"
                               " ORDER BY created_at DESC, id DESC LIMIT $1"};
constexpr Statement kNextPage{
    "applications.next_page",
    "SELECT " BEIAN_APP_COLUMNS
    " FROM applications WHERE owner_id = $2 AND (CAST($3 AS TEXT) = '' OR state = $3)"
    " AND (created_at < $4 OR (created_at = $4 AND id < $5))"
    " ORDER BY created_at DESC, id DESC LIMIT $1"};
constexpr Statement kUpdateBody{
    "applications.update_body",
    "UPDATE applications SET body = $3, organizer_type = $4, organizer_name = $5,"
    " certificate_hash = $6, filing_type = $7, province = $8, updated_at = $9,"
    " version = version + 1 WHERE id = $1 AND version = $2"};
constexpr Statement kSetState{
    "applications.set_state",
    "UPDATE applications SET state = $4, version = version + 1, updated_at = $5,"
    " state_entered_at = $5, sla_deadline = $6 WHERE id = $1 AND state = $2 AND version = $3"};
constexpr Statement kSetFilingType{"applications.set_filing_type",
                                   "UPDATE applications SET filing_type = $2 WHERE id = $1"};

constexpr Statement kSubjectHolder{
    "application_subject_keys.holder",
    "SELECT k.application_id, a.owner_id FROM application_subject_keys k"
    " JOIN applications a ON a.id = k.application_id WHERE k.certificate_hash = $1"};
constexpr Statement kDomainHolder{
    "application_domain_keys.holder",
    "SELECT k.application_id, a.owner_id FROM application_domain_keys k"
    " JOIN applications a ON a.id = k.application_id WHERE k.domain = $1"};
constexpr Statement kInsertSubjectKey{
    "application_subject_keys.insert",
    "INSERT INTO application_subject_keys (certificate_hash, application_id) VALUES ($1, $2)"};
constexpr Statement kInsertDomainKey{
    "application_domain_keys.insert",
    "INSERT INTO application_domain_keys (domain, application_id) VALUES ($1, $2)"};
constexpr Statement kDeleteSubjectKeys{
    "application_subject_keys.delete",
    "DELETE FROM application_subject_keys WHERE application_id = $1"};
constexpr Statement kDeleteDomainKeys{
    "application_domain_keys.delete",
    "DELETE FROM application_domain_keys WHERE application_id = $1"};

constexpr Statement kDeleteDomains{"application_domains.delete",
                                   "DELETE FROM application_domains WHERE application_id = $1"};
constexpr Statement kInsertDomain{
    "application_domains.insert",
    "INSERT INTO application_domains (application_id, domain) VALUES ($1, $2)"};
constexpr Statement kApprovedByCertificate{
    "applications.approved_by_certificate",
    "SELECT " BEIAN_APP_COLUMNS
    " FROM applications WHERE certificate_hash = $1"
    " AND state = 'approved' ORDER BY updated_at DESC, id DESC"};
constexpr Statement kApprovedByDomain{
    "applications.approved_by_domain",
    "SELECT a.id, a.owner_id, a.state, a.version, a.filing_type, a.province, a.organizer_type,"
    " a.organizer_name, a.certificate_hash, a.body, a.created_at, a.updated_at,"
    " a.state_entered_at, a.sla_deadline FROM application_domains d"
    " JOIN applications a ON a.id = d.application_id WHERE d.domain = $1"
    " AND a.state = 'approved' ORDER BY a.updated_at DESC, a.id DESC LIMIT 1"};

#define BEIAN_EVENT_COLUMNS                                                                        \
  "application_id, seq, event, actor_id, role, from_state, to_state, reasons, sla, sla_deadline, " \
  "created_at"

constexpr Statement kNextSeq{
    "application_events.next_seq",
    "SELECT COALESCE(MAX(seq), 0) + 1 FROM application_events WHERE application_id = $1"};
constexpr Statement kInsertEvent{"application_events.insert",
                                 "INSERT INTO application_events (" BEIAN_EVENT_COLUMNS
                                 ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"};
constexpr Statement kListEvents{"application_events.list",
                                "SELECT " BEIAN_EVENT_COLUMNS
                                " FROM application_events WHERE application_id = $1 ORDER BY seq"};

#undef BEIAN_APP_COLUMNS
#undef BEIAN_EVENT_COLUMNS

Error Invalid(std::string field, std::string message) {
  return Error(ErrorCode::kValidationFailed, message, {{std::move(field), "invalid", message}});
}

// Cursor: "<created_at_ms>.<id>" of the last application of the previous page.
std::string MakeCursor(const ApplicationRecord& r) {
  return std::to_string(r.created_at_ms) + "." + r.id;
}

Error KeyConflict(bool subject, std::string_view field, const std::optional<KeyHolder>& holder,
                  std::string_view owner_id) {
  const std::string what = subject ? "this organizer certificate" : "this domain";
  std::string message;
  if (holder && holder->owner_id == owner_id) {
    message = "open application " + holder->application_id + " already holds " + what;
  } else {
    message = "another account's open application already holds " + what;
  }
  const std::string code = subject ? "subject_conflict" : "domain_conflict";
  return Error(subject ? ErrorCode::kSubjectConflict : ErrorCode::kDomainConflict, message,
               {{std::string(field), code, message}});
}

Result<std::optional<KeyHolder>> Holder(Tx& tx, const Statement& s, std::string_view key) {
  BEIAN_ASSIGN_OR_RETURN(auto row, tx.QueryOne(s, {key}));
  if (!row) return std::optional<KeyHolder>();
  KeyHolder h;
  BEIAN_ASSIGN_OR_RETURN(h.application_id, row->GetText(0));
  BEIAN_ASSIGN_OR_RETURN(h.owner_id, row->GetText(1));
  return std::optional<KeyHolder>(std::move(h));
}

Result<ApplicationEvent> EventFromRow(const Row& row) {
  ApplicationEvent e;
  BEIAN_ASSIGN_OR_RETURN(e.application_id, row.GetText(0));
  BEIAN_ASSIGN_OR_RETURN(e.seq, row.GetInt(1));
  BEIAN_ASSIGN_OR_RETURN(e.event, row.GetText(2));
  BEIAN_ASSIGN_OR_RETURN(e.actor_id, row.GetText(3));
  BEIAN_ASSIGN_OR_RETURN(e.role, row.GetText(4));
  BEIAN_ASSIGN_OR_RETURN(e.from_state, row.GetText(5));
  BEIAN_ASSIGN_OR_RETURN(e.to_state, row.GetText(6));
  BEIAN_ASSIGN_OR_RETURN(e.reasons_json, row.GetText(7));
  BEIAN_ASSIGN_OR_RETURN(e.sla, row.GetOptionalText(8));
  BEIAN_ASSIGN_OR_RETURN(e.sla_deadline_ms, row.GetOptionalInt(9));
  BEIAN_ASSIGN_OR_RETURN(e.created_at_ms, row.GetInt(10));
  return e;
}

}  // namespace

Result<ApplicationRecord> ApplicationRepo::FromRow(const Row& row, size_t i) {
  ApplicationRecord r;
  BEIAN_ASSIGN_OR_RETURN(r.id, row.GetText(i));
  BEIAN_ASSIGN_OR_RETURN(r.owner_id, row.GetText(i + 1));
  BEIAN_ASSIGN_OR_RETURN(r.state, row.GetText(i + 2));
  BEIAN_ASSIGN_OR_RETURN(r.version, row.GetInt(i + 3));
  BEIAN_ASSIGN_OR_RETURN(r.filing_type, row.GetText(i + 4));
  BEIAN_ASSIGN_OR_RETURN(r.province, row.GetText(i + 5));
  BEIAN_ASSIGN_OR_RETURN(r.organizer_type, row.GetText(i + 6));
  BEIAN_ASSIGN_OR_RETURN(r.organizer_name, row.GetText(i + 7));
  BEIAN_ASSIGN_OR_RETURN(r.certificate_hash, row.GetText(i + 8));
  BEIAN_ASSIGN_OR_RETURN(r.body, row.GetText(i + 9));
  BEIAN_ASSIGN_OR_RETURN(r.created_at_ms, row.GetInt(i + 10));
  BEIAN_ASSIGN_OR_RETURN(r.updated_at_ms, row.GetInt(i + 11));
  BEIAN_ASSIGN_OR_RETURN(r.state_entered_at_ms, row.GetInt(i + 12));
  BEIAN_ASSIGN_OR_RETURN(r.sla_deadline_ms, row.GetOptionalInt(i + 13));
  return r;
}

Status ApplicationRepo::Insert(const ApplicationRecord& r) {
  BEIAN_TRY(tx_.Exec(
      kInsert, {r.id, r.owner_id, r.state, r.version, r.filing_type, r.province, r.organizer_type,
                r.organizer_name, r.certificate_hash, r.body, r.created_at_ms, r.updated_at_ms,
                r.state_entered_at_ms, r.sla_deadline_ms}));
  return core::Ok();
}

Result<std::optional<ApplicationRecord>> ApplicationRepo::Find(std::string_view id) {
  BEIAN_ASSIGN_OR_RETURN(auto row, tx_.QueryOne(kById, {id}));
  if (!row) return std::optional<ApplicationRecord>();
  BEIAN_ASSIGN_OR_RETURN(ApplicationRecord r, FromRow(*row, 0));
  return std::optional<ApplicationRecord>(std::move(r));
}

Result<ApplicationPage> ApplicationRepo::List(const ApplicationListFilter& filter, int limit,
                                              std::string_view cursor) {
  if (limit < 1 || limit > 100) return Invalid("limit", "limit must be between 1 and 100");
  std::vector<Row> rows;
  const int64_t fetch = int64_t{limit} + 1;  // one more tells whether a next page exists
  if (cursor.empty()) {
    BEIAN_ASSIGN_OR_RETURN(rows, tx_.Query(kFirstPage, {fetch, filter.owner_id, filter.state}));
  } else {
    const auto dot = cursor.find('.');
    int64_t before_ms = 0;
    bool ok = dot != std::string_view::npos && dot > 0 && dot + 1 < cursor.size();
    if (ok) {
      auto [ptr, ec] = std::from_chars(cursor.data(), cursor.data() + dot, before_ms);
      ok = ec == std::errc() && ptr == cursor.data() + dot;
    }
    if (!ok) return Invalid("cursor", "malformed cursor");
    BEIAN_ASSIGN_OR_RETURN(rows, tx_.Query(kNextPage, {fetch, filter.owner_id, filter.state,
                                                       before_ms, cursor.substr(dot + 1)}));
  }
  ApplicationPage page;
  for (const Row& row : rows) {
    if (page.items.size() == static_cast<size_t>(limit)) {
      page.next_cursor = MakeCursor(page.items.back());
      break;
    }
    BEIAN_ASSIGN_OR_RETURN(ApplicationRecord r, FromRow(row, 0));
    page.items.push_back(std::move(r));
  }
  return page;
}

Result<bool> ApplicationRepo::UpdateBody(const ApplicationRecord& r, int64_t expected_version,
                                         int64_t now_ms) {
  BEIAN_ASSIGN_OR_RETURN(
      int64_t n,
      tx_.Exec(kUpdateBody, {r.id, expected_version, r.body, r.organizer_type, r.organizer_name,
                             r.certificate_hash, r.filing_type, r.province, now_ms}));
  return n == 1;
}

Result<bool> ApplicationRepo::SetState(std::string_view id, std::string_view from_state,
                                       int64_t expected_version, std::string_view to_state,
                                       int64_t now_ms, std::optional<int64_t> sla_deadline_ms) {
  BEIAN_ASSIGN_OR_RETURN(int64_t n, tx_.Exec(kSetState, {id, from_state, expected_version, to_state,
                                                         now_ms, sla_deadline_ms}));
  return n == 1;
}

Status ApplicationRepo::SetFilingType(std::string_view id, std::string_view filing_type) {
  BEIAN_TRY(tx_.Exec(kSetFilingType, {id, filing_type}));
  return core::Ok();
}

Result<std::optional<KeyHolder>> ApplicationRepo::SubjectHolder(std::string_view hash) {
  return Holder(tx_, kSubjectHolder, hash);
}

Result<std::optional<KeyHolder>> ApplicationRepo::DomainHolder(std::string_view domain) {
  return Holder(tx_, kDomainHolder, domain);
}

Status ApplicationRepo::ClaimKeys(std::string_view application_id, std::string_view owner_id,
                                  std::string_view certificate_hash,
                                  const std::vector<DomainKey>& domains) {
  BEIAN_TRY(ReleaseKeys(application_id));
  // The look-up only names the holder; the primary key is what refuses a second claim, also
  // when two requests race past the look-up.
  if (!certificate_hash.empty()) {
    BEIAN_ASSIGN_OR_RETURN(auto holder, SubjectHolder(certificate_hash));
    if (holder) return KeyConflict(true, "organizer.certificate.number", holder, owner_id);
    auto r = tx_.Exec(kInsertSubjectKey, {certificate_hash, application_id});
    if (!r) {
      if (ViolatedConstraint(r.error()) == "application_subject_keys.certificate_hash") {
        return KeyConflict(true, "organizer.certificate.number", std::nullopt, owner_id);
      }
      return std::move(r).error();
    }
  }
  std::set<std::string, std::less<>> seen;
  for (const DomainKey& d : domains) {
    if (d.domain.empty() || !seen.insert(d.domain).second) continue;
    BEIAN_ASSIGN_OR_RETURN(auto holder, DomainHolder(d.domain));
    if (holder) return KeyConflict(false, d.field, holder, owner_id);
    auto r = tx_.Exec(kInsertDomainKey, {d.domain, application_id});
    if (!r) {
      if (ViolatedConstraint(r.error()) == "application_domain_keys.domain") {
        return KeyConflict(false, d.field, std::nullopt, owner_id);
      }
      return std::move(r).error();
    }
  }
  return core::Ok();
}

Status ApplicationRepo::SetDomains(std::string_view application_id,
                                   const std::vector<std::string>& domains) {
  BEIAN_TRY(tx_.Exec(kDeleteDomains, {application_id}));
  std::set<std::string, std::less<>> seen;
  for (const std::string& d : domains) {
    if (d.empty() || !seen.insert(d).second) continue;
    BEIAN_TRY(tx_.Exec(kInsertDomain, {application_id, d}));
  }
  return core::Ok();
}

Result<std::vector<ApplicationRecord>> ApplicationRepo::ApprovedByCertificate(
    std::string_view certificate_hash) {
  BEIAN_ASSIGN_OR_RETURN(auto rows, tx_.Query(kApprovedByCertificate, {certificate_hash}));
  std::vector<ApplicationRecord> out;
  for (const Row& row : rows) {
    BEIAN_ASSIGN_OR_RETURN(ApplicationRecord r, FromRow(row, 0));
    out.push_back(std::move(r));
  }
  return out;
}

Result<std::optional<ApplicationRecord>> ApplicationRepo::ApprovedByDomain(
    std::string_view domain) {
  BEIAN_ASSIGN_OR_RETURN(auto row, tx_.QueryOne(kApprovedByDomain, {domain}));
  if (!row) return std::optional<ApplicationRecord>();
  BEIAN_ASSIGN_OR_RETURN(ApplicationRecord r, FromRow(*row, 0));
  return std::optional<ApplicationRecord>(std::move(r));
}

Status ApplicationRepo::ReleaseKeys(std::string_view application_id) {
  BEIAN_TRY(tx_.Exec(kDeleteSubjectKeys, {application_id}));
  BEIAN_TRY(tx_.Exec(kDeleteDomainKeys, {application_id}));
  return core::Ok();
}

Result<ApplicationEvent> ApplicationEventRepo::Append(ApplicationEvent e) {
  BEIAN_ASSIGN_OR_RETURN(auto row, tx_.QueryOne(kNextSeq, {e.application_id}));
  BEIAN_ASSIGN_OR_RETURN(e.seq, row->GetInt(0));
  BEIAN_TRY(tx_.Exec(
      kInsertEvent, {e.application_id, e.seq, e.event, e.actor_id, e.role, e.from_state, e.to_state,
                     e.reasons_json, e.sla, e.sla_deadline_ms, e.created_at_ms}));
  return e;
}

Result<std::vector<ApplicationEvent>> ApplicationEventRepo::List(std::string_view application_id) {
  BEIAN_ASSIGN_OR_RETURN(auto rows, tx_.Query(kListEvents, {application_id}));
  std::vector<ApplicationEvent> out;
  out.reserve(rows.size());
  for (const Row& row : rows) {
    BEIAN_ASSIGN_OR_RETURN(ApplicationEvent e, EventFromRow(row));
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace beian::store
