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
#pragma once

#include <atomic>
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
// A JSON string literal, escaped as boost::json::serialize escapes it.
void AppendJsonString(std::string& out, std::string_view s);

// The hash of a key in the table (never 0: 0 marks an empty slot).
uint64_t SnapshotKeyHash(std::string_view domain);

class PublicSnapshotBuilder {
 public:
  // Creates `path` (truncating it) for up to `capacity` entries.
  static core::Result<std::unique_ptr<PublicSnapshotBuilder>> Create(
      const std::filesystem::path& path, int64_t seq, uint64_t capacity);
  ~PublicSnapshotBuilder();
  PublicSnapshotBuilder(const PublicSnapshotBuilder&) = delete;
  PublicSnapshotBuilder& operator=(const PublicSnapshotBuilder&) = delete;

  // kLimitExceeded when more than `capacity` entries are added (build again with more);
  // kConflict for a key added twice.
  core::Status Add(std::string_view domain, int64_t seq, std::string_view website_sn,
                   std::string_view answer_tail);
  // Writes the chunk table and the header and fsyncs the file. Call once.
  core::Status Finish(int64_t created_ms);
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
  // `hash` is SnapshotKeyHash(domain). Thread-safe.
  Found Find(std::string_view domain, uint64_t hash, Entry* out) const;

  // Verifies every chunk (those already verified again too when `again`); false when one does
  // not match (the snapshot is then corrupt()).
  bool VerifyAll(bool again = false) const;
  bool corrupt() const { return corrupt_.load(std::memory_order_relaxed); }
  // Marks the snapshot unusable (its file changed size under the mapping).
  void MarkDamaged() const { corrupt_.store(true, std::memory_order_relaxed); }

  int64_t seq() const { return seq_; }
  uint64_t count() const { return count_; }
  uint64_t file_size() const { return map_size_; }
  const std::filesystem::path& path() const { return path_; }

 private:
  PublicSnapshot() = default;
  // Verifies the chunks covering body bytes [offset, offset + size) not yet verified.
  bool Verified(uint64_t offset, uint64_t size) const;
  bool VerifyChunk(uint64_t chunk) const;

  std::filesystem::path path_;
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
};

}  // namespace beian::agent
