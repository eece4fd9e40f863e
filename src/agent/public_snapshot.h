// The public look-up snapshot (issue 11 item 3): an immutable file, memory-mapped, that answers
// "is this registrable domain filed?" with no SQL and no per-entry allocation, whatever N is.
//
// Layout (little-endian; one file, written once by PublicSnapshotBuilder, then renamed in):
//   [0, 128)        header: magic "BEIANPS\0", version, the feed seq the file covers, the entry
//                   count, the table size, the region offsets, the chunk size and count, the hash
//                   of the chunk table, and the XXH64 of the header's first 120 bytes
//   [4096, …)       the body: an open-addressing hash table (power-of-two slots of 16 bytes:
//                   the key's XXH64, or 0 when empty, and the record's offset), then the records
//                   ({u16 key length, u16 website_sn length, u32 answer length, i64 seq, key,
//                   website_sn, answer}); the key bytes are compared, so a hash collision never
//                   answers for another domain
//   [body end, …)   the chunk table: the XXH64 of every chunk_size bytes of the body
// The answer stored is the pre-rendered JSON of the filing from `"domain":` on
// (RenderFiledAnswer: domain, domain_unicode, filed, the filing's fields); the request's own
// `{"query":…,` is written in front of it per request (AppendQueryHead), and a domain that is
// absent answers its key's fields (AppendKeyFields) and kNotFiledTail. Since the Unicode form is
// stored, a filed IDN asked in punycode needs no IDNA processing per request.
// Misses probe the same table as hits (load factor ≤ 1/2: about 1.5 slots for a hit, 2.5 for a
// miss, all in the 16-byte slots), so "not filed" costs what "filed" does.
//
// Integrity: Open() checks the header, the sizes against the file's size (truncation) and the
// chunk table's hash, in microseconds whatever N is, so a restart serves at once. The body is
// verified lazily, chunk by chunk: a look-up verifies every chunk it reads the first time it
// reads it (256 KiB, tens of µs), and VerifyAll() (a background pass) checks the rest. A chunk
// that does not match marks the whole snapshot corrupt: from then on every Find answers kCorrupt
// and the owner (PublicLookupIndex) stops using it and rebuilds — a damaged byte is never served.
//
// A file truncated UNDER a live mapping (by hand, a full disk's repair, a bad copy) turns the next
// read of a page past its new end into SIGBUS, which would kill the server. So every read of the
// mapping runs inside PublicSnapshot::Guarded: it arms a thread-local jump buffer
// (sigsetjmp(…, 0): registers only, no system call — a few ns, bench/public_snapshot_bench.cc)
// and the process's SIGBUS handler, installed by the first Open, jumps back to it when the
// fault's address lies inside the armed mapping: the read reports the snapshot damaged
// (kCorrupt) instead, and the owner falls back to the copy and rebuilds. Any other SIGBUS — an
// address outside the armed mapping, an unarmed thread, kill -BUS — gets the disposition that
// was there before (by default the process dies with a core dump). Only whole pages past the
// new end fault: the rest of the page the cut falls in reads as zeros. A record there no longer
// ends its answer with '}' (nor has a key of the slot's hash) and is refused (kCorrupt) too; a
// slot there reads as empty (a miss)
// until a fault or the owner's periodic fstat of the mapped file (FileIntact, every check
// interval) marks the snapshot damaged — that one page for that long is the residual window.
#pragma once

#include <signal.h>

#include <atomic>
#include <csetjmp>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"
#include "domain/domain_name.h"
#include "store/public_registry.h"

namespace beian::agent {

// The answer's fields after the query: `"domain":…,"domain_unicode":…,"filed":true,…}`.
std::string RenderFiledAnswer(const domain::NormalizedDomain& key,
                              const store::PublicFilingRow& row);
inline constexpr std::string_view kNotFiledTail =
    "\"filed\":false,\"subject_sn\":null,\"website_sn\":null,\"organizer_name\":null,"
    "\"organizer_type\":null,\"website_name\":null,\"approved_at\":null}";
// `{"query":…,` and `"domain":…,"domain_unicode":…,` — with the JSON string escapes of
// boost::json, so that the pieces are byte for byte boost::json::serialize of the answer object.
void AppendQueryHead(std::string& out, std::string_view query);
void AppendKeyFields(std::string& out, const domain::NormalizedDomain& key);
void AppendKeyFields(std::string& out, std::string_view ascii, std::string_view unicode);
// A JSON string literal, escaped as boost::json::serialize escapes it.
void AppendJsonString(std::string& out, std::string_view s);

// The hash of a key in the table (never 0: 0 marks an empty slot).
uint64_t SnapshotKeyHash(std::string_view domain);

// The bus-error guard's state (see the top of this file and PublicSnapshot::Guarded).
namespace snapshot_guard {
struct Armed {
  sigjmp_buf jump;
  const unsigned char* begin = nullptr;  // the armed mapping
  const unsigned char* end = nullptr;
  Armed* outer = nullptr;  // the guard this one is nested in, if any
};
// The innermost armed guard of this thread (read by the SIGBUS handler).
inline thread_local std::atomic<Armed*> armed{nullptr};
// Installs the SIGBUS handler once per process (PublicSnapshot::Open calls it).
void Install();
}  // namespace snapshot_guard

class PublicSnapshotBuilder {
 public:
  // Creates `path` (truncating it) for up to `capacity` entries.
  static core::Result<std::unique_ptr<PublicSnapshotBuilder>> Create(
      const std::filesystem::path& path, int64_t seq, uint64_t capacity);
  ~PublicSnapshotBuilder();
  PublicSnapshotBuilder(const PublicSnapshotBuilder&) = delete;
  PublicSnapshotBuilder& operator=(const PublicSnapshotBuilder&) = delete;

  // kLimitExceeded when more than `capacity` entries are added (build again with more);
  // kConflict for a key added twice. `answer_tail` ends with '}' (RenderFiledAnswer): a look-up
  // checks that last byte (see Find).
  core::Status Add(std::string_view domain, int64_t seq, std::string_view website_sn,
                   std::string_view answer_tail);
  // Writes the chunk table and the header and fsyncs the file. Call once. The checksums are
  // computed from the file's pages as written; a `stop` set meanwhile ends it (kUnavailable).
  core::Status Finish(int64_t created_ms, const std::atomic<bool>* stop = nullptr);
  uint64_t count() const { return count_; }

 private:
  PublicSnapshotBuilder() = default;
  core::Status Flush();

  int fd_ = -1;
  std::filesystem::path path_;
  int64_t seq_ = 0;
  uint64_t capacity_ = 0;
  uint64_t slots_ = 0;
  uint64_t count_ = 0;
  unsigned char* table_ = nullptr;  // the slot table, mapped shared
  size_t table_map_size_ = 0;
  uint64_t records_size_ = 0;  // written so far (flushed + buffered)
  std::string buffer_;
};

class PublicSnapshot {
 public:
  // kNotFound when the file does not exist; kInternal (message says what) when it is not a whole,
  // well-formed snapshot; kIo when it cannot be read.
  static core::Result<std::shared_ptr<PublicSnapshot>> Open(const std::filesystem::path& path);
  ~PublicSnapshot();
  PublicSnapshot(const PublicSnapshot&) = delete;
  PublicSnapshot& operator=(const PublicSnapshot&) = delete;

  struct Entry {
    int64_t seq = 0;
    std::string_view website_sn;
    std::string_view answer_tail;  // valid while the snapshot lives
  };
  enum class Found { kFiled, kAbsent, kCorrupt };
  // `hash` is SnapshotKeyHash(domain). Thread-safe; guarded (a fault answers kCorrupt). The
  // entry's views point into the mapping: read them only inside Guarded.
  Found Find(std::string_view domain, uint64_t hash, Entry* out) const;

  // Runs `read`, which reads this snapshot's mapping, with the bus-error guard armed. Returns
  // false — and the snapshot is from then on damaged (corrupt(), faulted()) — when the file
  // shrank under the mapping and a read faulted; `read` was then cut short where it faulted, so
  // it must not own objects with destructors (nor leave shared state half-changed: e.g. reserve
  // a string's room before copying into it). Guards nest.
  template <class Read>
  bool Guarded(Read&& read) const {
    snapshot_guard::Armed a;
    a.begin = map_;
    a.end = map_ + map_size_;
    a.outer = snapshot_guard::armed.load(std::memory_order_relaxed);
    if (sigsetjmp(a.jump, 0) != 0) {
      // Back from the handler: the fault is this mapping's.
      snapshot_guard::armed.store(a.outer, std::memory_order_relaxed);
      MarkFaulted();
      return false;
    }
    snapshot_guard::armed.store(&a, std::memory_order_relaxed);
    // The compiler keeps the mapping's reads between arming and disarming.
    std::atomic_signal_fence(std::memory_order_seq_cst);
    read();
    std::atomic_signal_fence(std::memory_order_seq_cst);
    snapshot_guard::armed.store(a.outer, std::memory_order_relaxed);
    return true;
  }

  // The batch look-up's prefetches (PublicLookupIndex::AppendBatch): start loading the slot
  // `hash` lands on; and, once that slot is in cache, the record its first slot points to (read
  // from the mapping like Find, unverified: a hint only, nothing is answered from it).
  void PrefetchSlot(uint64_t hash) const { __builtin_prefetch(body_ + (hash & (slots_ - 1)) * 16); }
  void PrefetchRecord(uint64_t hash) const;

  // Verifies every chunk (those already verified again too when `again`); false when one does
  // not match (the snapshot is then corrupt()).
  bool VerifyAll(bool again = false) const;
  // Takes every chunk as verified without reading it: for a file opened just after the builder's
  // Finish computed its checksums from these same pages, where reading them all again (7.4 GiB
  // at 10 M filings) would prove nothing more. A restart still verifies everything.
  void TrustChunksJustBuilt() const;
  bool corrupt() const { return corrupt_.load(std::memory_order_relaxed); }
  // Whether a read faulted (the file shrank under the mapping).
  bool faulted() const { return faulted_.load(std::memory_order_relaxed); }
  // Marks the snapshot unusable (its file changed size under the mapping).
  void MarkDamaged() const { corrupt_.store(true, std::memory_order_relaxed); }
  // False — and the snapshot is marked damaged — when the mapped file (the one opened, even if
  // another file was renamed over its path since) is no longer the size mapped: one fstat.
  bool FileIntact() const;

  int64_t seq() const { return seq_; }
  uint64_t count() const { return count_; }
  uint64_t file_size() const { return map_size_; }
  const std::filesystem::path& path() const { return path_; }

 private:
  PublicSnapshot() = default;
  Found FindUnguarded(std::string_view domain, uint64_t hash, Entry* out) const;
  bool VerifyAllUnguarded(bool again) const;
  // Verifies the chunks covering body bytes [offset, offset + size) not yet verified.
  bool Verified(uint64_t offset, uint64_t size) const;
  bool VerifyChunk(uint64_t chunk) const;
  void MarkFaulted() const {
    faulted_.store(true, std::memory_order_relaxed);
    corrupt_.store(true, std::memory_order_relaxed);
  }

  std::filesystem::path path_;
  int fd_ = -1;  // kept open for FileIntact
  const unsigned char* map_ = nullptr;
  size_t map_size_ = 0;
  const unsigned char* body_ = nullptr;
  uint64_t body_size_ = 0;
  const unsigned char* records_ = nullptr;
  uint64_t records_size_ = 0;
  uint64_t slots_ = 0;
  uint64_t chunk_size_ = 0;
  uint64_t chunks_ = 0;
  const unsigned char* chunk_table_ = nullptr;
  int64_t seq_ = 0;
  uint64_t count_ = 0;
  // Per chunk: 0 not yet verified, 1 verified, 2 does not match.
  std::unique_ptr<std::atomic<uint8_t>[]> state_;
  mutable std::atomic<bool> corrupt_{false};
  mutable std::atomic<bool> faulted_{false};
};

}  // namespace beian::agent
