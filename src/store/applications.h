// The applications aggregate (DESIGN §5–§6): the application rows, the keys that hold one open
// application per organizer certificate and per domain, and the append-only event log.
// The repository knows nothing of the rules: the agent service decides what a state, an event
// or a body is (src/agent/application_transitions.h is the one place that assigns states) and
// hands this layer finished values. `body` is already sealed (identity and mobile numbers
// encrypted) when it gets here.
//
// Uniqueness is the database's: application_subject_keys and application_domain_keys have one
// row per open application and key, with the key as primary key, so a second open application
// for the same certificate or domain fails in the INSERT however the requests interleave.
// Timestamps are unix milliseconds (UTC).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "store/database.h"

namespace beian::store {

struct ApplicationRecord {
  std::string id;
  std::string owner_id;
  std::string state;
  int64_t version = 1;
  std::string filing_type;
  std::string province;
  std::string organizer_type;
  std::string organizer_name;
  std::string certificate_hash;  // keyed hash of the canonical certificate number, "" if none
  std::string body;              // the application JSON, personal numbers sealed
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
  int64_t state_entered_at_ms = 0;
  std::optional<int64_t> sla_deadline_ms;  // when the SLA of the current state runs out
};

struct ApplicationPage {
  std::vector<ApplicationRecord> items;
  std::string next_cursor;  // empty on the last page
};

struct ApplicationListFilter {
  std::string owner_id;  // required
  std::string state;     // "" = any state
};

// Which open application holds a key (for naming it in a conflict).
struct KeyHolder {
  std::string application_id;
  std::string owner_id;
};

// A domain an application claims, with the request field it came from (for the conflict's detail).
struct DomainKey {
  std::string domain;  // canonical (registrable, punycode)
  std::string field;   // "websites[0].domains[0]"
};

// One row of the timeline.
struct ApplicationEvent {
  std::string application_id;
  int64_t seq = 0;  // 1, 2, … per application
  std::string event;
  std::string actor_id;
  std::string role;
  std::string from_state;  // "" for the creation
  std::string to_state;
  std::string reasons_json = "[]";  // [{field, code, message}]
  std::optional<std::string> sla;   // the SLA that started with to_state
  std::optional<int64_t> sla_deadline_ms;
  int64_t created_at_ms = 0;
};

class ApplicationRepo {
 public:
  explicit ApplicationRepo(Tx& tx) : tx_(tx) {}

  // kConflict when the id exists.
  core::Status Insert(const ApplicationRecord& r);
  core::Result<std::optional<ApplicationRecord>> Find(std::string_view id);
  // The caller's applications, newest first, `limit` (1…100) per page after `cursor`.
  // kValidationFailed for a bad cursor or limit.
  core::Result<ApplicationPage> List(const ApplicationListFilter& filter, int limit,
                                     std::string_view cursor);

  // Replaces the editable columns (body, organizer summary, certificate hash, filing type,
  // province) when the row is still at `expected_version`; bumps the version. Returns false when
  // the row is gone or at another version.
  core::Result<bool> UpdateBody(const ApplicationRecord& r, int64_t expected_version,
                                int64_t now_ms);
  // Moves the row from `from_state` at `expected_version` to `to_state`; bumps the version.
  // Returns false when the row is not in that state and version. Only the transition function of
  // the agent service calls this.
  core::Result<bool> SetState(std::string_view id, std::string_view from_state,
                              int64_t expected_version, std::string_view to_state, int64_t now_ms,
                              std::optional<int64_t> sla_deadline_ms);
  core::Status SetFilingType(std::string_view id, std::string_view filing_type);

  // The open application holding a certificate hash / a canonical domain, if any.
  core::Result<std::optional<KeyHolder>> SubjectHolder(std::string_view certificate_hash);
  core::Result<std::optional<KeyHolder>> DomainHolder(std::string_view domain);
  // Makes `application_id` (of `owner_id`) the holder of exactly these keys (its earlier keys
  // are released). kSubjectConflict / kDomainConflict when another open application holds one:
  // the detail names the field, and the holder's id when it is the same owner's (another
  // account's application is not named). `certificate_hash` "" claims no subject key; repeated
  // domains are claimed once.
  core::Status ClaimKeys(std::string_view application_id, std::string_view owner_id,
                         std::string_view certificate_hash, const std::vector<DomainKey>& domains);
  // Records the application's domains (all of them, replacing earlier ones); unlike the keys they
  // stay when the application closes.
  core::Status SetDomains(std::string_view application_id, const std::vector<std::string>& domains);
  // Approved applications (the provider's own filings) by certificate hash, newest first, and
  // the newest approved application with `domain`.
  core::Result<std::vector<ApplicationRecord>> ApprovedByCertificate(
      std::string_view certificate_hash);
  core::Result<std::optional<ApplicationRecord>> ApprovedByDomain(std::string_view domain);

  // Releases every key of the application (it closed).
  core::Status ReleaseKeys(std::string_view application_id);

  static core::Result<ApplicationRecord> FromRow(const Row& row, size_t first_column);

 private:
  Tx& tx_;
};

class ApplicationEventRepo {
 public:
  explicit ApplicationEventRepo(Tx& tx) : tx_(tx) {}

  // Appends `e` with the next seq of its application (e.seq is ignored); returns the stored row.
  core::Result<ApplicationEvent> Append(ApplicationEvent e);
  // The timeline of one application, oldest first.
  core::Result<std::vector<ApplicationEvent>> List(std::string_view application_id);

 private:
  Tx& tx_;
};

}  // namespace beian::store
