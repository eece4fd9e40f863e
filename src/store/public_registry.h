// The agent's copy of the public part of the authority's registry (issue 10 item 7; migration
// 0007): one row per filed registrable domain, and the change-feed cursor. The sync
// (agent/registry_sync.h) applies a page of the feed — ReplaceWebsite for each change, then
// SetCursor — in one transaction, so that a killed process resumes from the last whole page.
// The public look-up reads one row by its primary key (the registrable domain in punycode).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "store/database.h"

namespace beian::store {

struct PublicFilingRow {
  std::string domain;  // registrable, punycode, lower-case
  std::string website_sn;
  std::string subject_sn;
  std::string organizer_name;  // masked for individuals, as the feed gives it
  std::string organizer_type;
  std::string website_name;
  std::string approved_at;  // RFC 3339, as the feed gives it
  int64_t seq = 0;          // the feed change that wrote the row
};

struct PublicRegistryCursor {
  int64_t last_seq = 0;       // the last change applied; 0: none
  int64_t updated_at_ms = 0;  // when the cursor last moved; 0: never
};

class PublicRegistryRepo {
 public:
  explicit PublicRegistryRepo(Tx& tx) : tx_(tx) {}

  core::Result<PublicRegistryCursor> Cursor();
  core::Status SetCursor(int64_t last_seq, int64_t now_ms);

  // Makes `rows` the domains of `website_sn`: its earlier rows are deleted, then each row is
  // written (a domain moved from another website takes the new one). Empty `rows`: the website
  // is no longer filed.
  core::Status ReplaceWebsite(std::string_view website_sn,
                              const std::vector<PublicFilingRow>& rows);

  core::Result<std::optional<PublicFilingRow>> FindByDomain(std::string_view domain);
  core::Result<int64_t> CountDomains();

 private:
  Tx& tx_;
};

}  // namespace beian::store
