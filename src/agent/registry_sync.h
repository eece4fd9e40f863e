// The agent's copy of the public part of the authority's registry (issue 10 item 7): a sync
// that pages through the authority's signed change feed (GET /authority/v1/registry/changes)
// from the stored cursor and applies each page — every change and the new cursor — in one
// transaction, so that a process killed at any moment resumes from the last whole page and
// applies nothing twice (a change replaces its website's rows, so re-applying is harmless too).
//
// A change carries a website's whole public record (authority::RegistryService::PublicRecord):
// while its status is "active" its domains are filed under it; otherwise (cancelled, withdrawn)
// its domains are no longer filed and their rows go. The agent receives the feed as a plain
// function (`beian serve` wires authority::AuthorityClient::Changes), so the agent room does not
// depend on the authority room.
//
// `beian serve` runs RunOnce on a core::PeriodicTask (--registry-sync-interval, 2 s by
// default); the counters feed /metrics. Issue 11 may later build a memory-mapped snapshot from
// this copy; the copy stays the source of truth for it.
//
// At scale (issue 11 item 2): an empty copy of a 10-million-filing registry catches up through
// the same feed. The feed says where its head is (last_seq), so the sync knows how far behind it
// is (Stats().behind, /metrics beian_registry_sync_behind) and, while more than a page behind,
// asks for catch_up_limit changes a page (the authority bounds a page's bytes too); each page is
// still one transaction. A copy that has never held the feed's whole head is not trusted for
// public answers: Readiness() says why (/readyz 503 registry_syncing). A process restarted on a
// current copy catches up in one short run.
//
// Freshness (issue 11 item 2, "or serving a stated older snapshot"): each run that reaches the
// feed's head records that the copy was current — at which change, at what time — in memory and
// in a small mark file (SetCurrentMarkFile: <data-dir>/public-snapshot/current), so that a
// process restarted while the authority is unreachable knows its copy is the registry as it was
// at that time, not a half-done catch-up: Readiness() is Ok, and Freshness() states the age
// (agent/public_readiness.h turns it into the /readyz body and the staleness limit). The mark is
// written after the page's transaction committed, so it never claims more than the copy holds;
// one whose change is past the copy's cursor (a copy restored from an older backup) is ignored.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "core/clock.h"
#include "core/result.h"
#include "store/database.h"
#include "store/public_registry.h"

namespace beian::agent {

// One page of the feed: (since, limit) → {changes:[{seq, website_sn, record, changed_at}],
// next_since}.
using RegistryChangeFeed = std::function<core::Result<boost::json::object>(int64_t, int)>;

// One change of the feed, as the local copy stores it: the rows of the website's domains (empty
// when the website is no longer filed).
struct PublicWebsiteChange {
  int64_t seq = 0;
  std::string website_sn;
  std::vector<store::PublicFilingRow> rows;
};

struct RegistryChangePage {
  std::vector<PublicWebsiteChange> changes;  // in feed order
  int64_t next_since = 0;
  int64_t last_seq = -1;  // the feed's head; -1 when the feed does not say
};

// Parses a page of the feed. Domains are keyed by domain::PublicLookupKey; a domain that does
// not parse (the authority stores registrable punycode, so this is not expected) is skipped.
// kInternal when the page is not in the feed's shape or its seqs do not increase past `since`.
core::Result<RegistryChangePage> ParseRegistryChangePage(const boost::json::object& page,
                                                         int64_t since);

struct RegistrySyncStats {
  int64_t last_seq = 0;         // the cursor
  int64_t behind = 0;           // changes between the cursor and the feed's head, last seen
  bool caught_up = false;       // the last finished run reached the feed's head
  int64_t last_success_ms = 0;  // the end of the last run that reached the feed's end; 0: never
  int64_t changes_applied = 0;  // by this process
  int64_t failures = 0;         // runs that failed (authority unreachable, …)
};

// How current the copy is known to be (RegistrySync::Freshness).
struct RegistryFreshness {
  bool cursor_known = false;  // the first run has read the cursor (and the mark file)
  int64_t cursor = 0;         // the last change applied to the copy
  int64_t head = -1;          // the feed's head, last seen by this process; -1: never reached
  bool caught_up = false;     // the last finished run reached the feed's head
  // When the copy last held every change of the feed (this process, or an earlier one per the
  // mark file), and the change it was at; current_seq -1: never known.
  int64_t current_at_ms = 0;
  int64_t current_seq = -1;
  // The start of the failed runs in a row (the authority unreachable, a bad page); 0: the last
  // run did not fail.
  int64_t failing_since_ms = 0;
};

// Told after each page is committed, in feed order: the page's changes, the cursor it moved
// from and to (an empty page from A to B: another process on the same database applied the
// changes between), and how many changes the feed still holds beyond it (-1: not known). The
// public look-up index keeps its overlay with it and holds its rebuilds while a catch-up goes
// on (public_lookup_index.h).
using RegistryPageListener = std::function<void(const std::vector<PublicWebsiteChange>& changes,
                                                int64_t from, int64_t to, int64_t behind)>;

class RegistrySync {
 public:
  // `page_limit`: changes asked per page when (nearly) current; `catch_up_limit` while more
  // than a page behind (the feed allows 1..10000).
  RegistrySync(store::Database& db, const core::Clock& clock, RegistryChangeFeed feed,
               int page_limit = 500, int catch_up_limit = 10000);

  // Applies pages until the feed has no more changes; returns the number of changes applied.
  // Runs are serialised (a second caller waits). Failures are counted and returned; what was
  // applied before stays applied.
  core::Result<int64_t> RunOnce();

  RegistrySyncStats Stats() const;

  // Set before the first RunOnce.
  void SetPageListener(RegistryPageListener listener) { listener_ = std::move(listener); }
  // The file recording when the copy was last current (see the top). Set before the first
  // RunOnce; its directory must exist by then. Without one, only this process's runs count.
  void SetCurrentMarkFile(std::filesystem::path path) { mark_file_ = std::move(path); }
  // Whether the last finished run reached the feed's head.
  bool CaughtUp() const { return caught_up_.load(); }
  // Ok once the copy is known to have been current (a run reached the feed's head, in this
  // process or — per the mark file — an earlier one): it may answer publicly, however old; else
  // kRegistrySyncing saying how far behind it is (/readyz 503).
  core::Status Readiness() const;
  RegistryFreshness Freshness() const;

 private:
  core::Result<int64_t> Run();
  // Reads the mark file once the cursor is known (first run).
  void LoadMark(int64_t cursor);
  void WriteMark(int64_t seq, int64_t now_ms);

  store::Database& db_;
  const core::Clock& clock_;
  RegistryChangeFeed feed_;
  int page_limit_;
  RegistryPageListener listener_;
  int catch_up_limit_;
  std::mutex run_mu_;
  int64_t consecutive_failures_ = 0;  // guarded by run_mu_
  std::atomic<int64_t> last_seq_{0};
  std::atomic<int64_t> last_success_ms_{0};
  std::atomic<int64_t> changes_applied_{0};
  std::atomic<int64_t> failures_{0};
  std::atomic<int64_t> behind_{0};
  std::atomic<int64_t> head_seq_{-1};  // -1: not known yet
  std::atomic<bool> caught_up_{false};
  std::filesystem::path mark_file_;
  bool mark_loaded_ = false;        // guarded by run_mu_
  bool mark_write_failed_ = false;  // guarded by run_mu_ (logged once)
  std::atomic<bool> cursor_known_{false};
  std::atomic<int64_t> current_at_ms_{0};
  std::atomic<int64_t> current_seq_{-1};
  std::atomic<int64_t> failing_since_ms_{0};
};

}  // namespace beian::agent
