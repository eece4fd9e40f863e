// The applicant's applications (issue 7 items 2, 4, 7, 8): create a draft from DESIGN §6's
// JSON, read, list, update drafts (merge patch, If-Match version), withdraw, precheck against
// this account's inventory and the provider's own approved filings, and submit. Each operation
// is one database transaction; states change only through TransitionApplication
// (application_transitions.h). Another owner's application is kNotFound, never kForbidden.
// Thread-safe; several nodes may share a PostgreSQL database.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <boost/json.hpp>

#include "agent/application_transitions.h"
#include "agent/review_view.h"
#include "core/clock.h"
#include "core/pii_cipher.h"
#include "core/result.h"
#include "domain/application.h"
#include "domain/calendar.h"
#include "domain/inventory_view.h"
#include "domain/precheck.h"
#include "domain/registry_view.h"
#include "domain/rules.h"
#include "store/applications.h"
#include "store/database.h"

namespace beian::agent {

// This account's inventory as the precheck of `application` reads it, built inside the caller's
// transaction (it may hold only what the application names).
using InventoryBuilder = std::function<core::Result<std::unique_ptr<domain::InventoryView>>(
    store::Tx&, const std::string& owner_id, const domain::Application& application)>;
// The (kind, subject) pairs of the documents uploaded for an application.
using DocumentSet = std::set<std::pair<std::string, std::string>>;
using DocumentLister =
    std::function<core::Result<DocumentSet>(store::Tx&, const std::string& application_id)>;

// The authority's registry for the filing-type judgement (issue 10 item 2): what its signed
// look-up answers for this application's certificate and domains, or an error when it cannot be
// reached. Set by `beian serve` when the agent talks to an authority.
using RegistryLookup =
    std::function<core::Result<domain::InMemoryRegistry>(const domain::Application&)>;
// Whether (beian_sn, icp_password) are the SN and ICP password of the subject filed under the
// certificate (type, number); an error when the authority cannot be reached.
using CredentialsCheck = std::function<core::Result<bool>(
    const std::string& certificate_type, const std::string& certificate_number,
    const std::string& beian_sn, const std::string& icp_password)>;

struct ApplicationsOptions {
  std::string provider = "beian";  // this provider's name in the registry
  int max_websites = 10;           // websites per application
  int max_domains = 10;            // domains per application, all websites together
  // Answers remembered for Idempotency-Key this long.
  std::chrono::hours idempotency_ttl{24};
  InventoryBuilder inventory;  // unset: an empty inventory
  DocumentLister documents;    // unset: no document uploaded
  // Unset: the judgement reads the provider's own approved filings (no authority configured);
  // set: the authority's registry, and the precheck refuses (authority_unreachable) without it.
  RegistryLookup registry_lookup;
  // Unset: SN and ICP password are only required, not verified.
  CredentialsCheck credentials_check;
};

struct Actor {
  std::string user_id;
  std::string role;
};

// Idempotency-Key of a request: the key ("" = none) and a hash of what was asked.
struct Idempotency {
  std::string key;
  std::string request_hash;
};

// An answer that may be replayed for the same Idempotency-Key.
struct StoredAnswer {
  unsigned status = 200;
  std::string body;  // JSON text
};

struct ApplicationDetail {
  store::ApplicationRecord record;
  domain::Application application;  // values in clear
  ReviewExtras extras = {};         // submitted_at, backdrop, flagged_fields (review_view.h)
};

struct ApplicationList {
  std::vector<ApplicationDetail> items;
  std::string next_cursor;
};

struct PrecheckAnswer {
  domain::PrecheckResult result;
  std::vector<bool> satisfied;  // per required document
};

// What the authority says about an application, asked before its transaction opens: a remote
// call never holds a database transaction (on SQLite, the one writer) while it waits.
struct RemoteFacts {
  // The look-up for the filing type; nullopt when no authority is configured.
  std::optional<core::Result<domain::InMemoryRegistry>> registry;
  // Whether the Beian SN and ICP password given match the subject; nullopt when not asked
  // (no authority, or no SN and password given).
  std::optional<core::Result<bool>> credentials_valid;
};

struct SubmitRequest {
  std::string beian_sn;      // the subject's Beian SN (new_website, new_isp)
  std::string icp_password;  // the ICP password (new_website, new_isp)
};

class ApplicationsService {
 public:
  ApplicationsService(store::Database& db, const core::Clock& clock, const core::PiiCipher& pii,
                      const domain::Rules& rules, ApplicationsOptions options);

  core::Result<StoredAnswer> Create(const Actor& actor, const domain::Application& input,
                                    const Idempotency& idempotency);
  core::Result<ApplicationDetail> Get(const Actor& actor, const std::string& id);
  // The actor's applications, newest first; `state` "" for any.
  core::Result<ApplicationList> List(const Actor& actor, const std::string& state, int limit,
                                     const std::string& cursor);
  // Applies a JSON merge patch (RFC 7386) of the application's content to a draft or returned
  // application at `expected_version`.
  core::Result<ApplicationDetail> Update(const Actor& actor, const std::string& id,
                                         const boost::json::object& patch,
                                         int64_t expected_version);
  core::Result<ApplicationDetail> Withdraw(const Actor& actor, const std::string& id);
  core::Result<PrecheckAnswer> Precheck(const Actor& actor, const std::string& id);
  core::Result<StoredAnswer> Submit(const Actor& actor, const std::string& id,
                                    const SubmitRequest& request, const Idempotency& idempotency);
  core::Result<std::vector<store::ApplicationEvent>> Events(const Actor& actor,
                                                            const std::string& id);

  // Drops remembered Idempotency-Key answers past their time; returns how many.
  core::Result<int64_t> PurgeIdempotencyKeys();

  TransitionContext transition_context() const { return {clock_, rules_, calendar_}; }
  const domain::Rules& rules() const { return rules_; }
  const core::PiiCipher& pii() const { return pii_; }
  store::Database& db() { return db_; }

  // The JSON of an application for its owner (values in clear) or for lists (masked), with the
  // review members of `detail.extras`.
  boost::json::object View(const ApplicationDetail& detail, bool masked) const;
  // Reads the review members of the application JSON into `detail.extras`.
  core::Status FillExtras(store::Tx& tx, ApplicationDetail& detail) const;
  // Asks the authority (when one is configured) what the precheck of `app` needs; call it
  // outside any transaction. With an SN and password, also checks them.
  RemoteFacts FetchRemote(const domain::Application& app, const std::string& beian_sn = "",
                          const std::string& icp_password = "") const;
  // The precheck of `detail` as it is stored, inside the caller's transaction, with what the
  // authority said (FetchRemote) — the reviewer's detail view shows it too.
  core::Result<PrecheckAnswer> RunPrecheck(store::Tx& tx, const ApplicationDetail& detail,
                                           const RemoteFacts& remote);
  // The precheck answer's JSON: domain::ToJson(PrecheckResult) (what `beian precheck` prints)
  // with `satisfied` on each required document.
  boost::json::object PrecheckJson(const PrecheckAnswer& answer) const;

 private:
  core::Result<ApplicationDetail> Load(store::Tx& tx, const Actor& actor, const std::string& id);
  core::Status CheckLimits(const domain::Application& app) const;
  // The transactions of Precheck and Submit at `version` with what the authority said; nullopt
  // when the application is no longer at `version`.
  core::Result<std::optional<PrecheckAnswer>> PrecheckAt(const Actor& actor, const std::string& id,
                                                         int64_t version,
                                                         const RemoteFacts& remote);
  core::Result<std::optional<StoredAnswer>> SubmitAt(const Actor& actor, const std::string& id,
                                                     const SubmitRequest& request,
                                                     const Idempotency& idempotency,
                                                     int64_t version, const RemoteFacts& remote);
  // Writes the body and keys of `app` to its row at `expected_version`.
  core::Result<store::ApplicationRecord> Save(store::Tx& tx, store::ApplicationRecord record,
                                              const domain::Application& app,
                                              const std::string& icp_password,
                                              int64_t expected_version);

  store::Database& db_;
  const core::Clock& clock_;
  const core::PiiCipher& pii_;
  const domain::Rules& rules_;
  domain::BusinessCalendar calendar_;
  ApplicationsOptions options_;
};

}  // namespace beian::agent
