// The structure the public look-up answers from (issue 11 items 3–4): the memory-mapped snapshot
// of the agent's registry copy (public_snapshot.h) plus a small in-memory overlay of the changes
// the sync applied after the snapshot's seq, consulted first.
//
// The overlay holds, for every change after `base` (the snapshot's seq): the domain's newest
// row (seq, website, pre-rendered answer) and, per website, the seq of its newest change. An
// answer — from the overlay or the snapshot — under website W written at seq s stands unless W
// changed after s (its change then listed every domain it still has, and those are newer
// overlay rows): so a cancellation or a domain taken off a website shows without knowing which
// domains the website had. Changes only ever replace older ones, so an answer never goes back.
//
// The sync (registry_sync.h) reports each committed page (ApplyChanges, in feed order, with the
// cursor it moved from and to); a page that does not start where the last ended (another process
// on the same database applied some) leaves a gap the overlay cannot fill: the index stops
// serving (look-ups then read the copy, PublicFilingsService) until a rebuild covers it. The
// overlay is journalled (<dir>/overlay.journal, one checksummed record per change and a commit
// mark per page), so that a restart serves the snapshot + journal at once when they reach the
// copy's cursor; otherwise it rebuilds first.
//
// A background thread rebuilds the snapshot from the copy (one consistent read transaction) when
// there is none, when the one served is damaged or behind a gap, or when the overlay passes
// `rebuild_after` entries (or a quarter of a small snapshot's, at least 1,000); the new file is
// renamed over the old (readers keep the old mapping until they finish) and the overlay drops what
// the new file covers. Past `overlay_limit` entries (a catch-up of millions of changes) the overlay
// is dropped and look-ups read the copy until a rebuild made after the sync went quiet. While the
// sync is catching up (pages arriving back to back, or the last page, less than
// kCatchUpPageQuietMs ago, said more than kCatchUpBehind changes were still to come) rebuilds
// wait for it, so that one rebuild at the end covers the whole catch-up — at 10 M filings a page
// takes longer than the back-to-back window, and each rebuild read the whole copy again. It also
// verifies a newly opened snapshot in full in the background and watches the file: a file changed
// or truncated under it is re-verified or dropped and rebuilt.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "agent/public_snapshot.h"
#include "agent/registry_sync.h"
#include "core/clock.h"
#include "core/result.h"
#include "domain/domain_name.h"
#include "store/database.h"

namespace beian::agent {

struct PublicLookupIndexOptions {
  std::filesystem::path dir;  // <data-dir>/public-snapshot
  size_t rebuild_after = 50'000;
  size_t overlay_limit = 200'000;
  // How often the background thread looks at the file and at the triggers.
  std::chrono::milliseconds check_interval{250};
  // Rows per page of the copy read by a rebuild.
  size_t scan_page = 20'000;
};

struct PublicLookupIndexStats {
  bool serving = false;
  int64_t snapshot_seq = -1;  // -1: none
  uint64_t snapshot_entries = 0;
  uint64_t snapshot_bytes = 0;
  size_t overlay_entries = 0;
  int64_t last_seq = 0;  // the last cursor the sync reported
  int64_t rebuilds = 0;
  int64_t damaged = 0;  // snapshots found damaged (at open, by a look-up or by a check)
  int64_t last_build_ms = 0;
  std::string reason;  // why it is not serving
};

class PublicLookupIndex {
 public:
  PublicLookupIndex(store::Database& db, const core::Clock& clock,
                    PublicLookupIndexOptions options);
  ~PublicLookupIndex();  // Stop()
  PublicLookupIndex(const PublicLookupIndex&) = delete;
  PublicLookupIndex& operator=(const PublicLookupIndex&) = delete;

  // Opens the snapshot and journal found in the directory (if they are whole and reach the
  // copy's cursor), then starts the background thread (which builds one if needed). Call before
  // the sync runs.
  core::Status Start();
  void Stop();

  enum class Lookup {
    kAnswered,    // the answer was appended to `out`
    kNotServing,  // no snapshot is served: the caller answers from the copy (nothing appended)
    kNeedFullKey  // `key` has no Unicode form and the domain is not filed (nothing appended):
                  // ask again with the key of domain::PublicLookupKey
  };
  // Appends the answer of `key` to `out`. A key without its Unicode form (FastLookupKey with
  // a_labels) is answered only when the domain is filed (the stored answer has the form).
  // Thread-safe.
  Lookup AppendAnswer(std::string& out, std::string_view query,
                      const domain::NormalizedDomain& key) const;
  // The same with the key as views (domain::FastLookupKeyView's, no allocation): `unicode` empty
  // when it is not known.
  struct KeyRef {
    std::string_view ascii;
    std::string_view unicode;
  };
  Lookup AppendAnswer(std::string& out, std::string_view query, KeyRef key) const;

  // The batch look-up (PublicFilingsService::BatchJson): one item per domain asked.
  struct BatchItem {
    std::string_view query;
    KeyRef key;  // ascii empty: `answer` is the item's whole answer (an error)
    std::string_view answer;
  };
  // Called for an item whose key has no Unicode form and that is not filed: appends the item's
  // answer itself and returns nullptr (a name the full path refuses), or returns its full key
  // (domain::PublicLookupKey), valid until the batch ends.
  using FullKey = std::function<const domain::NormalizedDomain*(std::string& out, size_t i)>;
  // Appends the answers of `items`, comma-separated and in order, under ONE lock, probing the
  // snapshot with prefetches a few items ahead (the slot, then the record it points to), so that
  // at millions of entries the cache and TLB misses of a thousand keys overlap instead of
  // queueing. kNotServing: the caller answers the whole batch from the copy (what was appended
  // is to be dropped).
  Lookup AppendBatch(std::string& out, std::span<const BatchItem> items,
                     const FullKey& full_key) const;

  // The sync applied `changes` (feed order), moving its cursor from `from` to `to`; the feed
  // holds `behind` more changes (-1: not known).
  void ApplyChanges(const std::vector<PublicWebsiteChange>& changes, int64_t from, int64_t to,
                    int64_t behind = -1);

  // Builds a snapshot from the copy now and serves it (the background thread's work; tests).
  core::Status Rebuild();
  // Waits until serving (tests, `serve` start-up); false after `timeout`.
  bool WaitServing(std::chrono::milliseconds timeout) const;

  PublicLookupIndexStats Stats() const;
  // Ok while serving; kUnavailable with the reason otherwise (the snapshot's part of /readyz).
  core::Status Ready() const;

  // The snapshot file's path (tests damage it).
  std::filesystem::path snapshot_path() const { return options_.dir / "snapshot.bin"; }

 private:
  // Heterogeneous look-up (a string_view key finds a std::string one without a copy).
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  struct OverlayRow {
    int64_t seq = 0;
    std::string website_sn;
    std::string answer;  // RenderFiledAnswer
  };

  // AppendAnswer's work, mu_ held shared and serving_ checked, under the snapshot's bus-error
  // guard; `hash` is SnapshotKeyHash(ascii).
  Lookup AnswerLocked(std::string& out, std::string_view query, KeyRef key, uint64_t hash) const;
  void Loop();
  void CheckFile();
  void ResetOverlayLocked(int64_t base, const std::string& reason);
  void UpdateServingLocked();
  core::Status RewriteJournalLocked();
  // Rebuild() with build_mu_ held.
  core::Status RebuildLocked();
  // The background thread's build: skipped if a build (Rebuild() from elsewhere) finished after
  // the thread decided on it, when `rebuilds_seen` was the count; its next look decides again.
  core::Status RebuildUnlessBuiltSince(int64_t rebuilds_seen);
  void AppendJournalLocked(const std::vector<PublicWebsiteChange>& changes,
                           const std::vector<std::vector<std::string>>& answers, int64_t to);
  core::Status LoadJournal(int64_t snapshot_seq);
  int64_t NowMs() const;

  store::Database& db_;
  const core::Clock& clock_;
  PublicLookupIndexOptions options_;

  mutable std::shared_mutex mu_;  // guards everything below up to `journal_fd_`
  std::shared_ptr<PublicSnapshot> snap_;
  std::unordered_map<std::string, OverlayRow, StringHash, std::equal_to<>> domains_;
  std::unordered_map<std::string, int64_t, StringHash, std::equal_to<>> websites_;
  int64_t base_ = 0;       // the overlay holds every change after this seq
  int64_t last_seq_ = -1;  // the cursor the last page reached (-1: unknown)
  bool serving_ = false;
  std::string reason_ = "starting";
  int journal_fd_ = -1;
  struct FileId {
    uint64_t dev = 0, ino = 0, size = 0;
    int64_t mtime_ns = 0;
  } file_id_;

  mutable std::atomic<bool> wake_{false};
  std::atomic<bool> stop_{false};
  std::atomic<int64_t> last_page_ms_{0};
  std::atomic<int64_t> last_burst_ms_{0};  // the last page that came right after another
  std::atomic<int64_t> behind_{-1};        // what the feed held beyond the last page
  std::atomic<int64_t> rebuilds_{0};       // written under build_mu_
  std::atomic<int64_t> damaged_{0};
  std::atomic<int64_t> last_build_ms_{0};
  std::atomic<bool> verify_pending_{false};
  std::mutex build_mu_;  // one build at a time
  std::mutex wake_mu_;
  mutable std::condition_variable wake_cv_;
  std::thread thread_;
};

}  // namespace beian::agent
