// The authority's registry (issue 10 item 2) and its numbering (item 5's SNs): what approvals
// write, and the answers read from it — the signed look-up for a provider's filing-type
// judgement, the signed change feed, the check of a Beian SN + ICP password, and the public
// query. SQL lives in store/registry.h; this file decides what is written and shown.
//
// RecordApproval is the function the authority review calls when it approves (and what
// `beian admin registry-add` calls until the review exists): inside the caller's transaction it
// finds the subject by certificate or creates it with the next subject SN of its province and
// year (RULES.md "Numbers"), gives each website the subject's next website SN, records the
// domains and the providing access provider, and appends one change per website to the feed.
// Run it in a Write with Isolation::kReadCommitted (see store/registry.h).
//
// Personal data: certificate numbers and persons in charge are stored sealed (PiiCipher); an
// individual organizer's name is masked in every public answer and in the change feed (the
// public part of the registry): "张三" → "张*".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "core/clock.h"
#include "core/pii_cipher.h"
#include "core/result.h"
#include "domain/registry_view.h"
#include "domain/rules.h"
#include "store/database.h"
#include "store/providers.h"
#include "store/registry.h"

namespace beian::authority {

struct FilingWebsite {
  std::string name;
  std::vector<std::string> domains;  // as typed; stored as registrable punycode
  std::optional<domain::RegistryPerson> person_in_charge;
};

struct FilingInput {
  std::string province;  // two-digit code: the filing province
  std::string certificate_type;
  std::string certificate_number;
  std::string organizer_type;
  std::string organizer_name;
  std::optional<domain::RegistryPerson> person_in_charge;
  std::vector<FilingWebsite> websites;
  std::string provider_id;        // the access provider of these websites
  std::string icp_password_hash;  // Argon2id; set on a subject created by this approval
};

struct ApprovedSns {
  std::string subject_sn;
  bool new_subject = false;  // the subject was created (first filing): it needs an ICP password
  std::vector<std::string> website_sns;  // in the order of FilingInput::websites
};

// "张三" → "张*" (the first character kept); other organizer types unchanged.
std::string PublicOrganizerName(std::string_view organizer_type, std::string_view name);

// The year a filing approved at `now` is numbered in (China Standard Time, UTC+8).
int NumberingYear(core::TimePoint now);

class RegistryService {
 public:
  RegistryService(store::Database& db, const core::Clock& clock, const core::PiiCipher& pii,
                  const domain::Rules& rules)
      : db_(db), clock_(clock), pii_(pii), rules_(rules) {}

  // The numbering and registry writes of one approval, in the caller's transaction.
  core::Result<ApprovedSns> RecordApproval(store::Tx& tx, const FilingInput& filing) const;
  // RecordApproval in its own (read-committed) transaction.
  core::Result<ApprovedSns> Approve(const FilingInput& filing) const;

  // GET /registry/lookup for `provider`: the subjects filed under the certificate number (all
  // types), their websites, and the websites of `domains`, in the REGISTRY.json shape of
  // domain::InMemoryRegistry::FromJson. Persons in charge only where `provider` gives access.
  core::Result<boost::json::object> Lookup(const store::Provider& provider,
                                           const std::string& certificate_type,
                                           const std::string& certificate_number,
                                           const std::vector<std::string>& domains) const;
  // GET /registry/changes: {changes:[{seq, website_sn, record, changed_at}], next_since,
  // last_seq}: at most `limit` changes after `since`, and fewer when their records pass
  // kChangesPageBytes (at least one); last_seq is the feed's head, so a follower knows how far
  // behind it is (issue 11 item 2).
  core::Result<boost::json::object> Changes(int64_t since, int limit) const;
  static constexpr size_t kChangesPageBytes = size_t{4} << 20;
  // Whether `beian_sn` is the subject SN of the active subject filed under the certificate and
  // `icp_password` its ICP password. Errors only for storage failures.
  core::Result<bool> VerifyCredentials(const std::string& certificate_type,
                                       const std::string& certificate_number,
                                       const std::string& beian_sn,
                                       const std::string& icp_password) const;

  struct PublicQuery {
    std::string domain{};
    std::string sn{};
    std::string organizer{};
    bool prefix = false;
    int limit = 20;
    std::string cursor{};
  };
  // GET /public/query: {results:[record], next_cursor}.
  core::Result<boost::json::object> Query(const PublicQuery& q) const;

  // The public record of a website (what the change feed and the public query show).
  static boost::json::object PublicRecord(const store::RegistryWebsiteRow& w);

 private:
  store::Database& db_;
  const core::Clock& clock_;
  const core::PiiCipher& pii_;
  const domain::Rules& rules_;
};

}  // namespace beian::authority
