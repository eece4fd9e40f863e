// The authority's registry (issue 10 item 2): filed subjects, their websites, each website's
// domains and the providers giving it access; the SN counters (RULES.md "Numbers"); and the
// change feed. Nothing is deleted: subjects and websites have a status, domains and providers a
// validity (valid_to unset = current). Certificate numbers and persons arrive sealed (the
// caller's core::PiiCipher) with a keyed hash of the canonical number for look-ups.
//
// Numbering: NextSubjectSequence and NextWebsiteIndex update a counter row inside the caller's
// transaction, so a number is taken only when the approval commits; the UNIQUE constraints on
// subject_sn, (province, year, sequence), website_sn and (subject, index) are the final guard.
// Run approving transactions with Isolation::kReadCommitted on PostgreSQL: the counter upserts
// then wait for each other instead of failing with serialization errors (authority/numbering.h).
//
// The change feed's seq comes from a one-row counter updated in the writing transaction, so
// changes commit in seq order: a reader that has seen seq N never later finds a new change < N.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "store/database.h"

namespace beian::store {

struct RegistrySubjectRow {
  std::string id;
  std::string subject_sn;
  std::string province;
  std::string certificate_type;
  std::string certificate_hash;
  std::string certificate_sealed;
  std::string organizer_type;
  std::string organizer_name;
  std::string person_sealed;
  std::string icp_password_hash;
  std::string status;  // active | cancelled
  int64_t created_at_ms = 0;
};

struct RegistryWebsiteRow {
  std::string id;
  std::string subject_id;
  std::string subject_sn;
  std::string website_sn;
  int website_index = 0;
  std::string name;
  std::string person_sealed;
  std::string status;
  int64_t approved_at_ms = 0;
  std::string organizer_type;             // of its subject
  std::string organizer_name;             // of its subject
  std::vector<std::string> domains;       // current (registrable, punycode)
  std::vector<std::string> provider_ids;  // current
};

struct NewRegistrySubject {
  std::string subject_sn;
  std::string province;
  int year = 0;
  int64_t sequence = 0;
  std::string certificate_type;
  std::string certificate_hash;
  std::string certificate_sealed;
  std::string organizer_type;
  std::string organizer_name;
  std::string person_sealed;
  std::string icp_password_hash;
  int64_t now_ms = 0;
};

struct NewRegistryWebsite {
  std::string subject_id;
  std::string website_sn;
  int website_index = 0;
  std::string name;
  std::string person_sealed;
  std::vector<std::string> domains;
  std::string provider_id;
  int64_t now_ms = 0;
};

struct RegistryChange {
  int64_t seq = 0;
  std::string website_sn;
  std::string body;  // JSON text of the website's public record after the change
  int64_t created_at_ms = 0;
};

// A page of public records; `next_cursor` "" on the last.
struct RegistryWebsitePage {
  std::vector<RegistryWebsiteRow> websites;
  std::string next_cursor;
};

class RegistryRepo {
 public:
  explicit RegistryRepo(Tx& tx) : tx_(tx) {}

  // The next subject sequence of (province, year), 1 for the first. kLimitExceeded past 999999.
  core::Result<int64_t> NextSubjectSequence(std::string_view province, int year);
  // The next website index of a subject (1, 2, …; never reused).
  core::Result<int> NextWebsiteIndex(std::string_view subject_id);

  // kConflict with detail code "subject_exists" when an active subject holds the certificate,
  // "sn_taken" when the SN or its (province, year, sequence) is taken.
  core::Result<RegistrySubjectRow> CreateSubject(const NewRegistrySubject& s);
  // kConflict with detail code "domain_filed" (field = the domain) when a domain is current on
  // another website, "sn_taken" for a taken website SN or index.
  core::Result<RegistryWebsiteRow> CreateWebsite(const NewRegistryWebsite& w);
  core::Status SetIcpPasswordHash(std::string_view subject_id, std::string_view hash);

  // Active subjects whose certificate hash is `certificate_hash` (any certificate type).
  core::Result<std::vector<RegistrySubjectRow>> SubjectsByCertificate(
      std::string_view certificate_hash);
  core::Result<std::optional<RegistrySubjectRow>> SubjectBySn(std::string_view subject_sn);
  // The active website a domain currently belongs to, with its domains and providers.
  core::Result<std::optional<RegistryWebsiteRow>> WebsiteByDomain(std::string_view domain);
  core::Result<std::optional<RegistryWebsiteRow>> WebsiteBySn(std::string_view website_sn);
  core::Result<std::vector<RegistryWebsiteRow>> WebsitesOfSubject(std::string_view subject_id);
  // Active websites whose organizer name is `name` (exact) or starts with it (prefix), by
  // website SN, `limit` per page after `cursor` (a website SN).
  core::Result<RegistryWebsitePage> WebsitesByOrganizer(std::string_view name, bool prefix,
                                                        int limit, std::string_view cursor);

  // Appends a change; returns its seq.
  core::Result<int64_t> AppendChange(std::string_view website_sn, std::string_view body,
                                     int64_t now_ms);
  // Changes with seq > `since`, oldest first, at most `limit`.
  core::Result<std::vector<RegistryChange>> ChangesSince(int64_t since, int limit);
  // The seq of the last change (0: none yet): the head of the feed.
  core::Result<int64_t> LastChangeSeq();

 private:
  core::Status FillWebsite(RegistryWebsiteRow& w);
  Tx& tx_;
};

}  // namespace beian::store
