// The public look-up index: snapshot + overlay + journal + background rebuilds (see
// public_lookup_index.h).
#include "agent/public_lookup_index.h"

#include <fcntl.h>
#include <malloc.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

#include "core/log.h"
#include "core/xxhash64.h"
#include "domain/public_lookup.h"
#include "store/public_registry.h"
#include "store/public_registry_scan.h"

namespace beian::agent {
namespace {

using core::Error;
using core::ErrorCode;
using core::Result;
using core::Status;

// A catch-up: the last page said more than this many changes were still to come (the sync asks
// 10,000 a page while far behind), and it came less than kCatchUpPageQuietMs ago.
constexpr int64_t kCatchUpBehind = 10'000;
constexpr int64_t kCatchUpPageQuietMs = 10'000;

// Journal records: {u32 payload size, u64 XXH64 of the payload, payload}; the payload is
// {u8 type, i64 seq, u16 a, u16 b, u32 c sizes, then the a, b, c bytes}.
constexpr char kBase = 'B';     // seq: the snapshot's seq the journal continues
constexpr char kWebsite = 'W';  // seq, a: website_sn — the website changed at seq
constexpr char kDomain = 'D';   // seq, a: domain, b: website_sn, c: answer tail
constexpr char kCommit = 'K';   // seq: the cursor a whole page reached

void AppendRecord(std::string& out, char type, int64_t seq, std::string_view a = {},
                  std::string_view b = {}, std::string_view c = {}) {
  std::string p;
  p.reserve(17 + a.size() + b.size() + c.size());
  p += type;
  p.append(reinterpret_cast<const char*>(&seq), 8);
  const auto na = static_cast<uint16_t>(a.size());
  const auto nb = static_cast<uint16_t>(b.size());
  const auto nc = static_cast<uint32_t>(c.size());
  p.append(reinterpret_cast<const char*>(&na), 2);
  p.append(reinterpret_cast<const char*>(&nb), 2);
  p.append(reinterpret_cast<const char*>(&nc), 4);
  p.append(a);
  p.append(b);
  p.append(c);
  const auto size = static_cast<uint32_t>(p.size());
  const uint64_t hash = core::Xxh64(p);
  out.append(reinterpret_cast<const char*>(&size), 4);
  out.append(reinterpret_cast<const char*>(&hash), 8);
  out += p;
}

struct Record {
  char type = 0;
  int64_t seq = 0;
  std::string_view a, b, c;
};

// The next whole record at `pos`, or false at the end or at a torn/damaged record.
bool NextRecord(std::string_view data, size_t& pos, Record& r) {
  if (data.size() - pos < 12) return false;
  uint32_t size;
  uint64_t hash;
  std::memcpy(&size, data.data() + pos, 4);
  std::memcpy(&hash, data.data() + pos + 4, 8);
  if (size < 17 || data.size() - pos - 12 < size) return false;
  const std::string_view p = data.substr(pos + 12, size);
  if (core::Xxh64(p) != hash) return false;
  uint16_t na, nb;
  uint32_t nc;
  r.type = p[0];
  std::memcpy(&r.seq, p.data() + 1, 8);
  std::memcpy(&na, p.data() + 9, 2);
  std::memcpy(&nb, p.data() + 11, 2);
  std::memcpy(&nc, p.data() + 13, 4);
  if (size_t{17} + na + nb + nc != p.size()) return false;
  r.a = p.substr(17, na);
  r.b = p.substr(17 + na, nb);
  r.c = p.substr(17 + na + nb, nc);
  pos += 12 + size;
  return true;
}

Status WriteFile(const std::filesystem::path& path, std::string_view data) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Error(ErrorCode::kIo, "cannot create " + path.string());
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      return Error(ErrorCode::kIo, "cannot write " + path.string());
    }
    done += static_cast<size_t>(n);
  }
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced) return Error(ErrorCode::kIo, "cannot sync " + path.string());
  return core::Ok();
}

void SyncDir(const std::filesystem::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

// The key (with its Unicode form) of a registrable domain of the copy.
domain::NormalizedDomain StoredKey(const std::string& domain) {
  if (auto fast = domain::FastLookupKey(domain)) return std::move(*fast);
  if (auto key = domain::PublicLookupKey(domain)) return std::move(*key);
  return {domain, domain};  // the sync keeps only keys PublicLookupKey gave
}

std::string Render(const store::PublicFilingRow& row) {
  return RenderFiledAnswer(StoredKey(row.domain), row);
}

}  // namespace

PublicLookupIndex::PublicLookupIndex(store::Database& db, const core::Clock& clock,
                                     PublicLookupIndexOptions options)
    : db_(db), clock_(clock), options_(std::move(options)) {}

PublicLookupIndex::~PublicLookupIndex() {
  Stop();
  if (journal_fd_ >= 0) ::close(journal_fd_);
}

int64_t PublicLookupIndex::NowMs() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch())
      .count();
}

Status PublicLookupIndex::Start() {
  std::error_code ec;
  std::filesystem::create_directories(options_.dir, ec);
  if (ec)
    return Error(ErrorCode::kIo, "cannot create " + options_.dir.string() + ": " + ec.message());
  std::filesystem::remove(options_.dir / "snapshot.bin.tmp", ec);
  BEIAN_ASSIGN_OR_RETURN(store::PublicRegistryCursor cursor, db_.Read([](store::Tx& tx) {
    return store::PublicRegistryRepo(tx).Cursor();
  }));
  auto opened = PublicSnapshot::Open(snapshot_path());
  std::unique_lock lock(mu_);
  last_seq_ = cursor.last_seq;
  if (!opened) {
    if (opened.error().code != ErrorCode::kNotFound) {
      ++damaged_;
      core::Log(core::LogLevel::kWarn, "public_snapshot_damaged",
                {{"error", opened.error().message}});
    }
    ResetOverlayLocked(cursor.last_seq, "no snapshot yet: building one");
  } else if ((*opened)->seq() > cursor.last_seq) {
    ResetOverlayLocked(cursor.last_seq, "the snapshot is ahead of the copy: rebuilding");
  } else {
    snap_ = std::move(*opened);
    base_ = snap_->seq();
    struct stat st {};
    if (::stat(snapshot_path().c_str(), &st) == 0) {
      file_id_ = {static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino),
                  static_cast<uint64_t>(st.st_size),
                  static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec};
    }
    if (auto loaded = LoadJournal(snap_->seq()); !loaded) {
      core::Log(core::LogLevel::kWarn, "public_snapshot_journal_unreadable",
                {{"error", loaded.error().message}});
    }
    // LoadJournal set last_seq_ to where the journal ends.
    if (last_seq_ != cursor.last_seq) {
      const std::string reason = "the snapshot and its journal reach change " +
                                 std::to_string(last_seq_) + ", the copy " +
                                 std::to_string(cursor.last_seq) + ": rebuilding";
      last_seq_ = cursor.last_seq;
      ResetOverlayLocked(cursor.last_seq, reason);
    } else {
      UpdateServingLocked();
      if (auto s = RewriteJournalLocked(); !s) return s;
      verify_pending_ = true;
      core::Log(core::LogLevel::kInfo, "public_snapshot_opened",
                {{"seq", snap_->seq()},
                 {"entries", static_cast<int64_t>(snap_->count())},
                 {"overlay", static_cast<int64_t>(domains_.size() + websites_.size())},
                 {"cursor", last_seq_}});
    }
  }
  lock.unlock();
  stop_ = false;
  thread_ = std::thread([this] { Loop(); });
  return core::Ok();
}

void PublicLookupIndex::Stop() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard l(wake_mu_);
    stop_ = true;
  }
  wake_cv_.notify_all();
  thread_.join();
}

Status PublicLookupIndex::LoadJournal(int64_t snapshot_seq) {
  last_seq_ = snapshot_seq;
  std::ifstream in(options_.dir / "overlay.journal", std::ios::binary);
  if (!in) return core::Ok();
  const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size_t pos = 0;
  Record r;
  if (!NextRecord(data, pos, r) || r.type != kBase || r.seq != snapshot_seq) {
    return Error(ErrorCode::kInternal, "the overlay journal does not continue the snapshot");
  }
  // Records count only once their page's commit mark is read (a torn page is dropped whole).
  std::vector<Record> pending;
  while (NextRecord(data, pos, r)) {
    if (r.type != kCommit) {
      pending.push_back(r);
      continue;
    }
    for (const Record& p : pending) {
      if (p.type == kWebsite) {
        int64_t& w = websites_[std::string(p.a)];
        w = std::max(w, p.seq);
      } else if (p.type == kDomain) {
        domains_[std::string(p.a)] = {p.seq, std::string(p.b), std::string(p.c)};
      }
    }
    pending.clear();
    last_seq_ = r.seq;
  }
  return core::Ok();
}

Status PublicLookupIndex::RewriteJournalLocked() {
  std::string data;
  AppendRecord(data, kBase, base_);
  for (const auto& [sn, seq] : websites_) AppendRecord(data, kWebsite, seq, sn);
  for (const auto& [domain, row] : domains_) {
    AppendRecord(data, kDomain, row.seq, domain, row.website_sn, row.answer);
  }
  AppendRecord(data, kCommit, last_seq_);
  const auto path = options_.dir / "overlay.journal";
  const auto tmp = options_.dir / "overlay.journal.tmp";
  if (journal_fd_ >= 0) {
    ::close(journal_fd_);
    journal_fd_ = -1;
  }
  BEIAN_TRY(WriteFile(tmp, data));
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return Error(ErrorCode::kIo, "cannot rename " + tmp.string() + ": " + ec.message());
  SyncDir(options_.dir);
  journal_fd_ = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (journal_fd_ < 0) return Error(ErrorCode::kIo, "cannot open " + path.string());
  return core::Ok();
}

void PublicLookupIndex::AppendJournalLocked(const std::vector<PublicWebsiteChange>& changes,
                                            const std::vector<std::vector<std::string>>& answers,
                                            int64_t to) {
  if (journal_fd_ < 0) return;
  std::string data;
  for (size_t i = 0; i < changes.size(); ++i) {
    const PublicWebsiteChange& c = changes[i];
    if (c.seq <= base_) continue;
    AppendRecord(data, kWebsite, c.seq, c.website_sn);
    for (size_t j = 0; j < c.rows.size(); ++j) {
      AppendRecord(data, kDomain, c.seq, c.rows[j].domain, c.website_sn, answers[i][j]);
    }
  }
  AppendRecord(data, kCommit, to);
  // Not fsynced: a process crash keeps what was written; after a machine crash a journal that
  // ends before the copy's cursor makes the restart rebuild instead of serving.
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(journal_fd_, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      core::Log(core::LogLevel::kWarn, "public_snapshot_journal_write_failed",
                {{"error", std::string(std::strerror(errno))}});
      ::close(journal_fd_);
      journal_fd_ = -1;
      return;
    }
    done += static_cast<size_t>(n);
  }
}

void PublicLookupIndex::ResetOverlayLocked(int64_t base, const std::string& reason) {
  const bool large = domains_.size() + websites_.size() > 10'000;
  decltype(domains_)().swap(domains_);
  decltype(websites_)().swap(websites_);
  // A dropped catch-up overlay is hundreds of MB: give it back to the system (RssAnon).
  if (large) ::malloc_trim(0);
  base_ = base;
  reason_ = reason;
  UpdateServingLocked();
  if (auto s = RewriteJournalLocked(); !s) {
    core::Log(core::LogLevel::kWarn, "public_snapshot_journal_write_failed",
              {{"error", s.error().message}});
  }
}

void PublicLookupIndex::UpdateServingLocked() {
  serving_ = snap_ != nullptr && !snap_->corrupt() && base_ == snap_->seq();
  if (serving_) reason_.clear();
}

PublicLookupIndex::Lookup PublicLookupIndex::AppendAnswer(
    std::string& out, std::string_view query, const domain::NormalizedDomain& key) const {
  return AppendAnswer(out, query, KeyRef{key.ascii, key.unicode});
}

PublicLookupIndex::Lookup PublicLookupIndex::AppendAnswer(std::string& out, std::string_view query,
                                                          KeyRef key) const {
  const uint64_t hash = SnapshotKeyHash(key.ascii);
  std::shared_lock lock(mu_);
  if (!serving_) return Lookup::kNotServing;
  // The snapshot's bytes (an answer, its website) are read under the bus-error guard: a file
  // truncated under the mapping makes this look-up read the copy, and the snapshot is rebuilt.
  const size_t start = out.size();
  Lookup r = Lookup::kNotServing;
  if (!snap_->Guarded([&] { r = AnswerLocked(out, query, key, hash); })) {
    out.resize(start);
    wake_ = true;
    wake_cv_.notify_one();
    return Lookup::kNotServing;
  }
  return r;
}

PublicLookupIndex::Lookup PublicLookupIndex::AnswerLocked(std::string& out, std::string_view query,
                                                          KeyRef key, uint64_t hash) const {
  int64_t seq = 0;
  std::string_view website;
  std::string_view answer;
  bool filed = false;
  if (!domains_.empty()) {
    if (auto it = domains_.find(key.ascii); it != domains_.end()) {
      filed = true;
      seq = it->second.seq;
      website = it->second.website_sn;
      answer = it->second.answer;
    }
  }
  if (!filed) {
    PublicSnapshot::Entry e;
    switch (snap_->Find(key.ascii, hash, &e)) {
      case PublicSnapshot::Found::kFiled:
        filed = true;
        seq = e.seq;
        website = e.website_sn;
        answer = e.answer_tail;
        break;
      case PublicSnapshot::Found::kAbsent:
        break;
      case PublicSnapshot::Found::kCorrupt:
        wake_ = true;
        wake_cv_.notify_one();
        return Lookup::kNotServing;
    }
  }
  // The website changed after this row was written, without the domain: no longer filed.
  if (filed && !websites_.empty()) {
    if (auto w = websites_.find(website); w != websites_.end() && w->second > seq) filed = false;
  }
  if (!filed && key.unicode.empty()) return Lookup::kNeedFullKey;
  AppendQueryHead(out, query);
  if (filed) {
    // Room first: a fault while copying from the mapping then leaves `out` whole.
    out.reserve(out.size() + answer.size());
    out += answer;
  } else {
    AppendKeyFields(out, key.ascii, key.unicode);
    out += kNotFiledTail;
  }
  return Lookup::kAnswered;
}

PublicLookupIndex::Lookup PublicLookupIndex::AppendBatch(std::string& out,
                                                         std::span<const BatchItem> items,
                                                         const FullKey& full_key) const {
  // Prefetch distances (items ahead): a slot far enough ahead to arrive in time, its record once
  // the slot is in cache. A dozen misses in flight is what a core's fill buffers hold.
  constexpr size_t kSlotAhead = 12;
  constexpr size_t kRecordAhead = 6;
  const size_t n = items.size();
  std::vector<uint64_t> hashes(n);
  for (size_t i = 0; i < n; ++i) {
    if (!items[i].key.ascii.empty()) hashes[i] = SnapshotKeyHash(items[i].key.ascii);
  }
  std::shared_lock lock(mu_);
  if (!serving_) return Lookup::kNotServing;
  const PublicSnapshot& snap = *snap_;
  // One bus-error guard for the whole batch (as AppendAnswer's for one): a fault answers the
  // batch from the copy. `full_key` reads no mapping, so a fault never cuts it short.
  Lookup result = Lookup::kAnswered;
  const bool whole = snap.Guarded([&] {
    for (size_t i = 0; i < std::min(n, kSlotAhead); ++i) {
      if (hashes[i] != 0) snap.PrefetchSlot(hashes[i]);
    }
    for (size_t i = 0; i < n; ++i) {
      if (i + kSlotAhead < n && hashes[i + kSlotAhead] != 0) {
        snap.PrefetchSlot(hashes[i + kSlotAhead]);
      }
      if (i + kRecordAhead < n && hashes[i + kRecordAhead] != 0) {
        snap.PrefetchRecord(hashes[i + kRecordAhead]);
      }
      if (i > 0) out += ',';
      const BatchItem& item = items[i];
      if (item.key.ascii.empty()) {
        out += item.answer;
        continue;
      }
      Lookup r = AnswerLocked(out, item.query, item.key, hashes[i]);
      if (r == Lookup::kNeedFullKey) {
        const domain::NormalizedDomain* key = full_key(out, i);
        if (key == nullptr) continue;  // its answer (an error) is appended
        r = AnswerLocked(out, item.query, KeyRef{key->ascii, key->unicode},
                         SnapshotKeyHash(key->ascii));
      }
      if (r != Lookup::kAnswered) {
        result = Lookup::kNotServing;
        return;
      }
    }
  });
  if (!whole) {
    wake_ = true;
    wake_cv_.notify_one();
    return Lookup::kNotServing;
  }
  return result;
}

void PublicLookupIndex::ApplyChanges(const std::vector<PublicWebsiteChange>& changes, int64_t from,
                                     int64_t to, int64_t behind) {
  const int64_t now = NowMs();
  if (now - last_page_ms_.exchange(now) < 250) last_burst_ms_ = now;
  behind_ = behind;
  // Rendered before taking the lock, so look-ups wait for no more than the map updates.
  std::vector<std::vector<std::string>> answers(changes.size());
  for (size_t i = 0; i < changes.size(); ++i) {
    for (const store::PublicFilingRow& row : changes[i].rows) answers[i].push_back(Render(row));
  }
  bool wake = false;
  {
    std::unique_lock lock(mu_);
    if (last_seq_ >= 0 && from != last_seq_) {
      const std::string reason = "changes " + std::to_string(last_seq_ + 1) + " to " +
                                 std::to_string(from) +
                                 " were applied by another process: rebuilding";
      last_seq_ = to;
      ResetOverlayLocked(to, reason);
      wake = true;
    } else {
      last_seq_ = to;
      for (size_t i = 0; i < changes.size(); ++i) {
        const PublicWebsiteChange& c = changes[i];
        if (c.seq <= base_) continue;
        int64_t& w = websites_[c.website_sn];
        w = std::max(w, c.seq);
        for (size_t j = 0; j < c.rows.size(); ++j) {
          domains_[c.rows[j].domain] = {c.seq, c.website_sn, answers[i][j]};
        }
      }
      const size_t size = domains_.size() + websites_.size();
      if (size > options_.overlay_limit) {
        ResetOverlayLocked(to, "a catch-up of more changes than the overlay holds: rebuilding");
        wake = true;
      } else {
        AppendJournalLocked(changes, answers, to);
        wake = size >= options_.rebuild_after;
      }
    }
  }
  if (wake) {
    wake_ = true;
    wake_cv_.notify_one();
  }
}

Status PublicLookupIndex::Rebuild() {
  std::lock_guard build(build_mu_);
  return RebuildLocked();
}

Status PublicLookupIndex::RebuildUnlessBuiltSince(int64_t rebuilds_seen) {
  std::lock_guard build(build_mu_);
  if (rebuilds_.load() != rebuilds_seen) return core::Ok();
  return RebuildLocked();
}

Status PublicLookupIndex::RebuildLocked() {
  const auto started = std::chrono::steady_clock::now();
  const auto tmp = options_.dir / "snapshot.bin.tmp";
  struct Built {
    int64_t seq;
    uint64_t count;
  };
  BEIAN_ASSIGN_OR_RETURN(Built built, db_.Read([&](store::Tx& tx) -> Result<Built> {
    store::PublicRegistryRepo repo(tx);
    BEIAN_ASSIGN_OR_RETURN(store::PublicRegistryCursor cursor, repo.Cursor());
    BEIAN_ASSIGN_OR_RETURN(int64_t count, repo.CountDomains());
    BEIAN_ASSIGN_OR_RETURN(
        auto builder,
        PublicSnapshotBuilder::Create(tmp, cursor.last_seq, static_cast<uint64_t>(count) + 16));
    store::PublicRegistryScan scan(tx);
    std::string after;
    for (;;) {
      if (stop_) return Error(ErrorCode::kUnavailable, "stopping");
      BEIAN_ASSIGN_OR_RETURN(auto rows, scan.Page(after, options_.scan_page));
      for (const store::PublicFilingRow& row : rows) {
        BEIAN_TRY(builder->Add(row.domain, row.seq, row.website_sn, Render(row)));
      }
      if (rows.size() < options_.scan_page) break;
      after = rows.back().domain;
    }
    BEIAN_TRY(builder->Finish(NowMs(), &stop_));
    return Built{cursor.last_seq, builder->count()};
  }));
  std::error_code ec;
  std::filesystem::rename(tmp, snapshot_path(), ec);
  if (ec) return Error(ErrorCode::kIo, "cannot rename " + tmp.string() + ": " + ec.message());
  SyncDir(options_.dir);
  BEIAN_ASSIGN_OR_RETURN(std::shared_ptr<PublicSnapshot> fresh,
                         PublicSnapshot::Open(snapshot_path()));
  fresh->TrustChunksJustBuilt();
  struct stat st {};
  const bool have_stat = ::stat(snapshot_path().c_str(), &st) == 0;
  std::shared_ptr<PublicSnapshot> old;
  bool serving;
  size_t overlay;
  {
    std::unique_lock lock(mu_);
    old = std::move(snap_);
    snap_ = fresh;
    if (have_stat) {
      file_id_ = {static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino),
                  static_cast<uint64_t>(st.st_size),
                  static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec};
    }
    // The overlay holds every change after base_; the new file covers every change up to its
    // seq, so what is left of the overlay is what came after it.
    if (base_ <= built.seq) {
      const bool large = domains_.size() + websites_.size() > 10'000;
      std::erase_if(domains_, [&](const auto& kv) { return kv.second.seq <= built.seq; });
      std::erase_if(websites_, [&](const auto& kv) { return kv.second <= built.seq; });
      if (domains_.empty() && websites_.empty()) {
        decltype(domains_)().swap(domains_);
        decltype(websites_)().swap(websites_);
      }
      if (large) ::malloc_trim(0);
      base_ = built.seq;
    } else {
      reason_ = "the overlay was dropped during the rebuild: rebuilding again";
    }
    UpdateServingLocked();
    if (auto s = RewriteJournalLocked(); !s) {
      core::Log(core::LogLevel::kWarn, "public_snapshot_journal_write_failed",
                {{"error", s.error().message}});
    }
    serving = serving_;
    overlay = domains_.size() + websites_.size();
  }
  old.reset();  // unmapped here, after every reader of it has left (they hold mu_ shared)
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - started)
                      .count();
  ++rebuilds_;
  last_build_ms_ = ms;
  core::Log(core::LogLevel::kInfo, "public_snapshot_built",
            {{"seq", built.seq},
             {"entries", static_cast<int64_t>(built.count)},
             {"bytes", static_cast<int64_t>(fresh->file_size())},
             {"ms", static_cast<int64_t>(ms)},
             {"overlay", static_cast<int64_t>(overlay)},
             {"serving", serving}});
  return core::Ok();
}

void PublicLookupIndex::CheckFile() {
  std::shared_ptr<PublicSnapshot> snap;
  FileId id;
  {
    std::shared_lock lock(mu_);
    snap = snap_;
    id = file_id_;
  }
  if (!snap || snap->corrupt()) return;
  // The mapped file itself (whatever its path names now): shorter would fault the mapping.
  if (!snap->FileIntact()) return;
  struct stat st {};
  if (::stat(snapshot_path().c_str(), &st) != 0) {
    // Removed: the mapping still answers, but a restart would have nothing; write it again.
    core::Log(core::LogLevel::kWarn, "public_snapshot_missing",
              {{"path", snapshot_path().string()}});
    snap->MarkDamaged();
    return;
  }
  const FileId now{static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino),
                   static_cast<uint64_t>(st.st_size),
                   static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec};
  if (now.dev == id.dev && now.ino == id.ino && now.size == id.size &&
      now.mtime_ns == id.mtime_ns) {
    return;
  }
  // Replaced or resized: not this mapping's file any more (a shorter file would fault the
  // mapping); written in place: verify every chunk again.
  if (now.dev != id.dev || now.ino != id.ino || now.size != id.size ||
      now.size != snap->file_size()) {
    snap->MarkDamaged();
  } else if (!snap->VerifyAll(/*again=*/true)) {
    snap->MarkDamaged();
  } else {
    std::unique_lock lock(mu_);
    if (snap_ == snap) file_id_ = now;
  }
}

void PublicLookupIndex::Loop() {
  const PublicSnapshot* counted = nullptr;  // the damaged snapshot already reported
  while (true) {
    {
      std::unique_lock l(wake_mu_);
      wake_cv_.wait_for(l, options_.check_interval,
                        [this] { return stop_.load() || wake_.load(); });
      if (stop_) return;
      wake_ = false;
    }
    if (verify_pending_.exchange(false)) {
      std::shared_ptr<PublicSnapshot> snap;
      {
        std::shared_lock lock(mu_);
        snap = snap_;
      }
      if (snap) (void)snap->VerifyAll();
    }
    CheckFile();
    bool need = false;
    bool wait_for_quiet = false;
    const int64_t rebuilds_seen = rebuilds_.load();
    {
      std::unique_lock lock(mu_);
      if (snap_ && snap_->corrupt()) {
        if (counted != snap_.get()) {
          counted = snap_.get();
          ++damaged_;
          core::Log(core::LogLevel::kWarn, "public_snapshot_damaged",
                    {{"path", snapshot_path().string()},
                     {"seq", snap_->seq()},
                     {"why", snap_->faulted() ? "the file shrank under the mapping (bus error)"
                                              : "a checksum or size does not match"}});
        }
        reason_ = "the snapshot is damaged: rebuilding";
        UpdateServingLocked();
        need = true;
      } else if (!snap_) {
        need = true;
      } else if (!serving_) {
        need = true;
        wait_for_quiet = true;  // behind a gap or a dropped overlay
      } else if (const size_t held = domains_.size() + websites_.size();
                 held >= options_.rebuild_after || (held >= 1000 && held >= snap_->count() / 4)) {
        // Big enough, or big beside a small snapshot (a rebuild costs what the file holds, so
        // this keeps its cost proportional to the changes).

        need = true;
        wait_for_quiet = true;
      }
    }
    // The sync is catching up (pages back to back, or the last page said many more are coming
    // and came recently — a sync that stopped, e.g. the authority gone, no longer holds it up):
    // a rebuild now would be behind when it ends.
    const int64_t now = NowMs();
    const bool catching_up =
        now - last_burst_ms_.load() < 1500 ||
        (behind_.load() > kCatchUpBehind && now - last_page_ms_.load() < kCatchUpPageQuietMs);
    if (wait_for_quiet && catching_up) continue;
    if (need) {
      if (auto s = RebuildUnlessBuiltSince(rebuilds_seen); !s && !stop_) {
        core::Log(core::LogLevel::kWarn, "public_snapshot_build_failed",
                  {{"error", s.error().message}});
        std::unique_lock l(wake_mu_);
        wake_cv_.wait_for(l, std::chrono::seconds(1), [this] { return stop_.load(); });
      }
    }
  }
}

bool PublicLookupIndex::WaitServing(std::chrono::milliseconds timeout) const {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (!Stats().serving) {
    if (std::chrono::steady_clock::now() >= until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

PublicLookupIndexStats PublicLookupIndex::Stats() const {
  std::shared_lock lock(mu_);
  PublicLookupIndexStats s;
  // A look-up may have found damage the background thread has not acted on yet.
  s.serving = serving_ && !snap_->corrupt();
  if (snap_) {
    s.snapshot_seq = snap_->seq();
    s.snapshot_entries = snap_->count();
    s.snapshot_bytes = snap_->file_size();
  }
  s.overlay_entries = domains_.size() + websites_.size();
  s.last_seq = last_seq_;
  s.rebuilds = rebuilds_.load();
  s.damaged = damaged_.load();
  s.last_build_ms = last_build_ms_.load();
  s.reason = reason_;
  return s;
}

Status PublicLookupIndex::Ready() const {
  std::shared_lock lock(mu_);
  if (serving_ && !snap_->corrupt()) return core::Ok();
  return Error(ErrorCode::kUnavailable, "public look-up snapshot: " + reason_);
}

}  // namespace beian::agent
