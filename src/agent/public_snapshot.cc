// The public look-up snapshot file (see public_snapshot.h).
#include "agent/public_snapshot.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <mutex>

#include "core/xxhash64.h"

namespace beian::agent {
namespace {

using core::Error;
using core::ErrorCode;
using core::Result;
using core::Status;

constexpr char kMagic[8] = {'B', 'E', 'I', 'A', 'N', 'P', 'S', '\0'};
// 2: the stored answer starts at "domain" (1 started at "filed").
constexpr uint32_t kVersion = 2;
constexpr uint64_t kBodyOffset = 4096;
constexpr uint64_t kChunkSize = 256 * 1024;
constexpr uint64_t kSlotSize = 16;
constexpr uint64_t kRecordHead = 16;
// Distinct from the chunk checksums' seed, so that the two uses never share values by design.
constexpr uint64_t kKeySeed = 0x626569616e6b6579ULL;  // "beiankey"

struct Header {
  char magic[8];
  uint32_t version;
  uint32_t chunk_size;
  int64_t seq;
  uint64_t count;
  uint64_t slots;
  uint64_t body_offset;
  uint64_t body_size;
  uint64_t records_offset;  // from the body's start
  uint64_t chunk_table_offset;
  uint64_t chunks;
  uint64_t chunk_table_hash;
  int64_t created_ms;
  uint64_t reserved[3];
  uint64_t header_hash;  // XXH64 of the 120 bytes before it
};
static_assert(sizeof(Header) == 128);
static_assert(std::endian::native == std::endian::little, "the snapshot format is little-endian");

uint64_t Load64(const unsigned char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

Error IoError(const std::string& what, const std::filesystem::path& path) {
  return Error(ErrorCode::kIo, what + " " + path.string() + ": " + std::strerror(errno));
}

Error Damaged(const std::filesystem::path& path, const std::string& why) {
  return Error(ErrorCode::kInternal, "public snapshot " + path.string() + " is damaged: " + why);
}

Status WriteAll(int fd, const void* data, size_t size, uint64_t offset,
                const std::filesystem::path& path) {
  const auto* p = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t n = ::pwrite(fd, p, size, static_cast<off_t>(offset));
    if (n < 0) {
      if (errno == EINTR) continue;
      return IoError("cannot write", path);
    }
    p += n;
    size -= static_cast<size_t>(n);
    offset += static_cast<uint64_t>(n);
  }
  return core::Ok();
}

// The SIGBUS disposition before ours: what a fault outside an armed snapshot read gets.
struct sigaction g_previous_bus_action {};

void OnBusError(int sig, siginfo_t* info, void* /*context*/) {
  snapshot_guard::Armed* a = snapshot_guard::armed.load(std::memory_order_relaxed);
  const auto* at = static_cast<const unsigned char*>(info->si_addr);
  // si_code > 0: raised by the kernel for this thread's access (≤ 0: sent by a process).
  if (a != nullptr && info->si_code > 0 && at >= a->begin && at < a->end) {
    siglongjmp(a->jump, 1);
  }
  // Not a guarded read of a snapshot: the earlier disposition takes over for good.
  ::sigaction(SIGBUS, &g_previous_bus_action, nullptr);
  // A fault runs its instruction again on return and faults under that disposition; a signal
  // sent by a process is raised again (SA_NODEFER: delivered at once).
  if (info->si_code <= 0) ::raise(sig);
}

}  // namespace

namespace snapshot_guard {

void Install() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction action {};
    action.sa_sigaction = OnBusError;
    sigemptyset(&action.sa_mask);
    // SA_NODEFER: SIGBUS stays unblocked in the handler, so the jump out of it (sigsetjmp
    // without the mask) leaves the thread's signal mask as it was.
    action.sa_flags = SA_SIGINFO | SA_NODEFER;
    ::sigaction(SIGBUS, &action, &g_previous_bus_action);
  });
}

}  // namespace snapshot_guard

std::string RenderFiledAnswer(const domain::NormalizedDomain& key,
                              const store::PublicFilingRow& row) {
  std::string out;
  AppendKeyFields(out, key);
  out += "\"filed\":true,\"subject_sn\":";
  AppendJsonString(out, row.subject_sn);
  out += ",\"website_sn\":";
  AppendJsonString(out, row.website_sn);
  out += ",\"organizer_name\":";
  AppendJsonString(out, row.organizer_name);
  out += ",\"organizer_type\":";
  AppendJsonString(out, row.organizer_type);
  out += ",\"website_name\":";
  AppendJsonString(out, row.website_name);
  out += ",\"approved_at\":";
  AppendJsonString(out, row.approved_at);
  out += '}';
  return out;
}

namespace {

// Whether any of the 8 bytes of `w` needs a JSON escape (< 0x20, '"' or '\\'): the classic
// "has a byte less than n" and "has a zero byte" word tricks.
bool NeedsEscape(uint64_t w) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHigh = 0x8080808080808080ULL;
  const uint64_t control = (w - kOnes * 0x20) & ~w & kHigh;
  const uint64_t q = w ^ (kOnes * '"');
  const uint64_t b = w ^ (kOnes * '\\');
  return (control | ((q - kOnes) & ~q & kHigh) | ((b - kOnes) & ~b & kHigh)) != 0;
}

}  // namespace

void AppendJsonString(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  // Most strings need no escape: skip them 8 bytes at a time (a word that may need one is looked
  // at byte by byte below).
  size_t clean = 0;
  while (s.size() - clean >= 8) {
    uint64_t w;
    std::memcpy(&w, s.data() + clean, 8);
    if (NeedsEscape(w)) break;
    clean += 8;
  }
  size_t start = 0;
  for (size_t i = clean; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + start, i - start);
    start = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 15];
    }
  }
  out.append(s.data() + start, s.size() - start);
  out += '"';
}

void AppendQueryHead(std::string& out, std::string_view query) {
  out += "{\"query\":";
  AppendJsonString(out, query);
  out += ',';
}

void AppendKeyFields(std::string& out, const domain::NormalizedDomain& key) {
  AppendKeyFields(out, key.ascii, key.unicode);
}

void AppendKeyFields(std::string& out, std::string_view ascii, std::string_view unicode) {
  out += "\"domain\":";
  AppendJsonString(out, ascii);
  out += ",\"domain_unicode\":";
  AppendJsonString(out, unicode);
  out += ',';
}

uint64_t SnapshotKeyHash(std::string_view domain) {
  const uint64_t h = core::Xxh64(domain, kKeySeed);
  return h == 0 ? 1 : h;
}

// --- builder ------------------------------------------------------------------------------------

Result<std::unique_ptr<PublicSnapshotBuilder>> PublicSnapshotBuilder::Create(
    const std::filesystem::path& path, int64_t seq, uint64_t capacity) {
  std::unique_ptr<PublicSnapshotBuilder> b(new PublicSnapshotBuilder());
  b->path_ = path;
  b->seq_ = seq;
  b->capacity_ = capacity;
  // Load factor at most 1/2 at capacity; at least 16 slots.
  b->slots_ = std::bit_ceil(std::max<uint64_t>(16, capacity * 2));
  b->fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (b->fd_ < 0) return IoError("cannot create", path);
  b->table_map_size_ = kBodyOffset + b->slots_ * kSlotSize;
  if (::ftruncate(b->fd_, static_cast<off_t>(b->table_map_size_)) != 0) {
    return IoError("cannot size", path);
  }
  void* m = ::mmap(nullptr, b->table_map_size_, PROT_READ | PROT_WRITE, MAP_SHARED, b->fd_, 0);
  if (m == MAP_FAILED) return IoError("cannot map", path);
  b->table_ = static_cast<unsigned char*>(m) + kBodyOffset;
  b->buffer_.reserve(1 << 20);
  return b;
}

PublicSnapshotBuilder::~PublicSnapshotBuilder() {
  if (table_) ::munmap(table_ - kBodyOffset, table_map_size_);
  if (fd_ >= 0) ::close(fd_);
}

Status PublicSnapshotBuilder::Add(std::string_view domain, int64_t seq, std::string_view website_sn,
                                  std::string_view answer_tail) {
  if (count_ >= capacity_) {
    return Error(ErrorCode::kLimitExceeded, "more entries than the snapshot was sized for");
  }
  if (domain.size() > 0xFFFF || website_sn.size() > 0xFFFF || answer_tail.size() > 0xFFFFFFFFu) {
    return Error(ErrorCode::kInternal, "a public filing too large for the snapshot");
  }
  if (answer_tail.empty() || answer_tail.back() != '}') {
    return Error(ErrorCode::kInternal, "an answer that does not end its JSON object");
  }
  const uint64_t hash = SnapshotKeyHash(domain);
  const uint64_t mask = slots_ - 1;
  uint64_t i = hash & mask;
  for (;; i = (i + 1) & mask) {
    unsigned char* slot = table_ + i * kSlotSize;
    const uint64_t h = Load64(slot);
    if (h == 0) break;
    // The key bytes of an earlier record with the same hash: only in the buffer or the file.
    if (h == hash) {
      const uint64_t off = Load64(slot + 8);
      unsigned char head[kRecordHead];
      std::string key;
      const uint64_t flushed = records_size_ - buffer_.size();
      if (off >= flushed) {
        std::memcpy(head, buffer_.data() + (off - flushed), kRecordHead);
        uint16_t klen;
        std::memcpy(&klen, head, 2);
        key.assign(buffer_.data() + (off - flushed) + kRecordHead, klen);
      } else {
        const uint64_t records_at = kBodyOffset + slots_ * kSlotSize;
        if (::pread(fd_, head, kRecordHead, static_cast<off_t>(records_at + off)) !=
            static_cast<ssize_t>(kRecordHead)) {
          return IoError("cannot read back", path_);
        }
        uint16_t klen;
        std::memcpy(&klen, head, 2);
        key.resize(klen);
        if (::pread(fd_, key.data(), klen, static_cast<off_t>(records_at + off + kRecordHead)) !=
            static_cast<ssize_t>(klen)) {
          return IoError("cannot read back", path_);
        }
      }
      if (key == domain) return Error(ErrorCode::kConflict, "a domain added twice");
    }
  }
  unsigned char* slot = table_ + i * kSlotSize;
  std::memcpy(slot, &hash, 8);
  std::memcpy(slot + 8, &records_size_, 8);
  const auto klen = static_cast<uint16_t>(domain.size());
  const auto slen = static_cast<uint16_t>(website_sn.size());
  const auto tlen = static_cast<uint32_t>(answer_tail.size());
  char head[kRecordHead];
  std::memcpy(head, &klen, 2);
  std::memcpy(head + 2, &slen, 2);
  std::memcpy(head + 4, &tlen, 4);
  std::memcpy(head + 8, &seq, 8);
  buffer_.append(head, kRecordHead);
  buffer_.append(domain);
  buffer_.append(website_sn);
  buffer_.append(answer_tail);
  records_size_ += kRecordHead + klen + slen + tlen;
  ++count_;
  if (buffer_.size() >= (1 << 20)) return Flush();
  return core::Ok();
}

Status PublicSnapshotBuilder::Flush() {
  const uint64_t at = kBodyOffset + slots_ * kSlotSize + (records_size_ - buffer_.size());
  BEIAN_TRY(WriteAll(fd_, buffer_.data(), buffer_.size(), at, path_));
  buffer_.clear();
  return core::Ok();
}

Status PublicSnapshotBuilder::Finish(int64_t created_ms, const std::atomic<bool>* stop) {
  BEIAN_TRY(Flush());
  ::munmap(table_ - kBodyOffset, table_map_size_);
  table_ = nullptr;
  Header h{};
  std::memcpy(h.magic, kMagic, 8);
  h.version = kVersion;
  h.chunk_size = static_cast<uint32_t>(kChunkSize);
  h.seq = seq_;
  h.count = count_;
  h.slots = slots_;
  h.body_offset = kBodyOffset;
  h.records_offset = slots_ * kSlotSize;
  h.body_size = h.records_offset + records_size_;
  h.chunk_table_offset = kBodyOffset + h.body_size;
  h.chunks = (h.body_size + kChunkSize - 1) / kChunkSize;
  h.created_ms = created_ms;
  // The chunk checksums, read back through a private read-only map of the body.
  std::string table(h.chunks * 8, '\0');
  if (h.body_size > 0) {
    void* m = ::mmap(nullptr, h.chunk_table_offset, PROT_READ, MAP_SHARED, fd_, 0);
    if (m == MAP_FAILED) return IoError("cannot map", path_);
    ::madvise(m, h.chunk_table_offset, MADV_SEQUENTIAL);
    const auto* body = static_cast<const unsigned char*>(m) + kBodyOffset;
    for (uint64_t c = 0; c < h.chunks; ++c) {
      if (stop != nullptr && stop->load(std::memory_order_relaxed)) {
        ::munmap(m, h.chunk_table_offset);
        return Error(ErrorCode::kUnavailable, "stopping");
      }
      const uint64_t off = c * kChunkSize;
      const uint64_t n = std::min(kChunkSize, h.body_size - off);
      const uint64_t sum = core::Xxh64(body + off, n);
      std::memcpy(table.data() + c * 8, &sum, 8);
    }
    ::munmap(m, h.chunk_table_offset);
  }
  h.chunk_table_hash = core::Xxh64(table);
  h.header_hash = core::Xxh64(&h, offsetof(Header, header_hash));
  BEIAN_TRY(WriteAll(fd_, table.data(), table.size(), h.chunk_table_offset, path_));
  BEIAN_TRY(WriteAll(fd_, &h, sizeof h, 0, path_));
  if (::fsync(fd_) != 0) return IoError("cannot sync", path_);
  return core::Ok();
}

// --- reader -------------------------------------------------------------------------------------

Result<std::shared_ptr<PublicSnapshot>> PublicSnapshot::Open(const std::filesystem::path& path) {
  snapshot_guard::Install();
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Error(ErrorCode::kNotFound, "no public snapshot " + path.string());
    return IoError("cannot open", path);
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    return IoError("cannot stat", path);
  }
  const auto size = static_cast<uint64_t>(st.st_size);
  if (size < kBodyOffset) {
    ::close(fd);
    return Damaged(path, "shorter than its header");
  }
  void* m = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
  if (m == MAP_FAILED) {
    ::close(fd);
    return IoError("cannot map", path);
  }
  std::shared_ptr<PublicSnapshot> s(new PublicSnapshot());
  s->path_ = path;
  s->fd_ = fd;
  s->map_ = static_cast<const unsigned char*>(m);
  s->map_size_ = size;
  // The file may shrink while it is read here too.
  const auto shrank = [&] { return Damaged(path, "it shrank while it was opened"); };
  Header h;
  if (!s->Guarded([&] { std::memcpy(&h, s->map_, sizeof h); })) return shrank();
  if (std::memcmp(h.magic, kMagic, 8) != 0) return Damaged(path, "not a public snapshot");
  if (h.version != kVersion) return Damaged(path, "version " + std::to_string(h.version));
  if (h.header_hash != core::Xxh64(&h, offsetof(Header, header_hash))) {
    return Damaged(path, "the header's checksum does not match");
  }
  const bool sane = h.chunk_size >= 4096 && h.chunk_size <= (64u << 20) &&
                    std::has_single_bit(h.slots) && h.count <= h.slots / 2 &&
                    h.body_offset == kBodyOffset && h.records_offset == h.slots * kSlotSize &&
                    h.body_size >= h.records_offset &&
                    h.chunk_table_offset == kBodyOffset + h.body_size &&
                    h.chunks == (h.body_size + h.chunk_size - 1) / h.chunk_size;
  if (!sane) return Damaged(path, "inconsistent header");
  if (size != h.chunk_table_offset + h.chunks * 8) {
    return Damaged(path, "size " + std::to_string(size) + " instead of " +
                             std::to_string(h.chunk_table_offset + h.chunks * 8) + " (truncated?)");
  }
  s->chunk_table_ = s->map_ + h.chunk_table_offset;
  uint64_t table_hash = 0;
  if (!s->Guarded([&] { table_hash = core::Xxh64(s->chunk_table_, h.chunks * 8); })) {
    return shrank();
  }
  if (table_hash != h.chunk_table_hash) {
    return Damaged(path, "the chunk table's checksum does not match");
  }
  s->body_ = s->map_ + kBodyOffset;
  s->body_size_ = h.body_size;
  s->records_ = s->body_ + h.records_offset;
  s->records_size_ = h.body_size - h.records_offset;
  s->slots_ = h.slots;
  s->chunk_size_ = h.chunk_size;
  s->chunks_ = h.chunks;
  s->seq_ = h.seq;
  s->count_ = h.count;
  s->state_ = std::make_unique<std::atomic<uint8_t>[]>(h.chunks);
  for (uint64_t c = 0; c < h.chunks; ++c) s->state_[c].store(0, std::memory_order_relaxed);
  // Look-ups touch the body at random: no read-ahead beyond the page asked for.
  ::madvise(const_cast<unsigned char*>(s->body_), h.body_size, MADV_RANDOM);
  return s;
}

PublicSnapshot::~PublicSnapshot() {
  if (map_) ::munmap(const_cast<unsigned char*>(map_), map_size_);
  if (fd_ >= 0) ::close(fd_);
}

bool PublicSnapshot::FileIntact() const {
  struct stat st {};
  if (::fstat(fd_, &st) == 0 && static_cast<uint64_t>(st.st_size) == map_size_) return true;
  MarkDamaged();
  return false;
}

bool PublicSnapshot::VerifyChunk(uint64_t c) const {
  const uint64_t off = c * chunk_size_;
  const uint64_t n = std::min(chunk_size_, body_size_ - off);
  const bool ok = core::Xxh64(body_ + off, n) == Load64(chunk_table_ + c * 8);
  state_[c].store(ok ? 1 : 2, std::memory_order_release);
  if (!ok) corrupt_.store(true, std::memory_order_relaxed);
  return ok;
}

bool PublicSnapshot::Verified(uint64_t offset, uint64_t size) const {
  if (size == 0) return true;
  const uint64_t last = (offset + size - 1) / chunk_size_;
  for (uint64_t c = offset / chunk_size_; c <= last; ++c) {
    const uint8_t st = state_[c].load(std::memory_order_acquire);
    if (st == 1) continue;
    if (st == 2 || !VerifyChunk(c)) return false;
  }
  return true;
}

bool PublicSnapshot::VerifyAll(bool again) const {
  bool ok = false;
  return Guarded([&] { ok = VerifyAllUnguarded(again); }) && ok;
}

void PublicSnapshot::TrustChunksJustBuilt() const {
  for (uint64_t c = 0; c < chunks_; ++c) {
    uint8_t unverified = 0;
    state_[c].compare_exchange_strong(unverified, 1, std::memory_order_acq_rel);
  }
}

bool PublicSnapshot::VerifyAllUnguarded(bool again) const {
  for (uint64_t c = 0; c < chunks_; ++c) {
    if (corrupt()) return false;
    const uint8_t st = state_[c].load(std::memory_order_acquire);
    if (st == 2) return false;
    if (st == 1 && !again) continue;
    if (!VerifyChunk(c)) return false;
  }
  return !corrupt();
}

void PublicSnapshot::PrefetchRecord(uint64_t hash) const {
  const unsigned char* slot = body_ + (hash & (slots_ - 1)) * kSlotSize;
  // The first slot only (most keys sit there); an empty or another key's slot: nothing to load.
  if (Load64(slot) != hash) return;
  const uint64_t off = Load64(slot + 8);
  if (off >= records_size_) return;
  // The head and key (compared), then the answer copied out: a filed record spans ~5 lines.
  const unsigned char* r = records_ + off;
  const uint64_t span = std::min<uint64_t>(records_size_ - off, 320);
  for (uint64_t at = 0; at < span; at += 64) __builtin_prefetch(r + at);
}

PublicSnapshot::Found PublicSnapshot::Find(std::string_view domain, uint64_t hash,
                                           Entry* out) const {
  if (corrupt()) return Found::kCorrupt;
  Found found = Found::kCorrupt;
  if (!Guarded([&] { found = FindUnguarded(domain, hash, out); })) return Found::kCorrupt;
  return found;
}

PublicSnapshot::Found PublicSnapshot::FindUnguarded(std::string_view domain, uint64_t hash,
                                                    Entry* out) const {
  const uint64_t mask = slots_ - 1;
  uint64_t i = hash & mask;
  for (uint64_t probes = 0; probes < slots_; ++probes, i = (i + 1) & mask) {
    const uint64_t at = i * kSlotSize;
    if (!Verified(at, kSlotSize)) return Found::kCorrupt;
    const unsigned char* slot = body_ + at;
    const uint64_t h = Load64(slot);
    if (h == 0) return Found::kAbsent;
    if (h != hash) continue;
    const uint64_t off = Load64(slot + 8);
    // Bounds are checked even though the bytes are verified: the checksum guards against damage,
    // these against a writer's bug.
    if (off > records_size_ || records_size_ - off < kRecordHead) return Found::kCorrupt;
    const uint64_t rec = (records_ - body_) + off;
    if (!Verified(rec, kRecordHead)) return Found::kCorrupt;
    const unsigned char* r = records_ + off;
    uint16_t klen, slen;
    uint32_t tlen;
    std::memcpy(&klen, r, 2);
    std::memcpy(&slen, r + 2, 2);
    std::memcpy(&tlen, r + 4, 4);
    const uint64_t len = kRecordHead + uint64_t{klen} + slen + tlen;
    if (records_size_ - off < len) return Found::kCorrupt;
    if (!Verified(rec, len)) return Found::kCorrupt;
    const auto* chars = reinterpret_cast<const char*>(r + kRecordHead);
    if (std::string_view(chars, klen) != domain) {
      // Another key with the same 64-bit hash — or a record that is not what the slot points
      // to (zeros past a cut inside a page): then this miss must not answer "not filed".
      if (SnapshotKeyHash(std::string_view(chars, klen)) != h) {
        MarkDamaged();
        return Found::kCorrupt;
      }
      continue;
    }
    // Every answer ends its JSON object. A file cut inside a page after this record's chunk was
    // verified reads as zeros past the cut without faulting (only whole lost pages fault): such
    // a record ends in a zero, and the snapshot is damaged.
    if (tlen == 0 || chars[klen + slen + tlen - 1] != '}') {
      MarkDamaged();
      return Found::kCorrupt;
    }
    std::memcpy(&out->seq, r + 8, 8);
    out->website_sn = std::string_view(chars + klen, slen);
    out->answer_tail = std::string_view(chars + klen + slen, tlen);
    return Found::kFiled;
  }
  return Found::kAbsent;
}

}  // namespace beian::agent
