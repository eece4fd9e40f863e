// Tests of the public look-up snapshot file (pure, no database): every key found with its answer
// and nothing else, misses, the JSON escapes of boost::json, and damage — a truncated file, a
// flipped bit in the header, the chunk table or the body — detected and never answered from;
// a file truncated under a live mapping caught by the bus-error guard (no crash), while any
// other SIGBUS still kills the process.
#include "agent/public_snapshot.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <csignal>

#include <boost/json.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>

namespace beian::agent {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

class PublicSnapshotTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "beian-snap-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    path_ = dir_ / "snapshot.bin";
  }
  void TearDown() override { fs::remove_all(dir_); }

  static std::string Domain(int i) { return "site" + std::to_string(i) + ".com.cn"; }
  static std::string Tail(int i) {
    store::PublicFilingRow row{.domain = Domain(i),
                               .website_sn = "京ICP备" + std::to_string(2026000000 + i) + "号-1",
                               .subject_sn = "京ICP备" + std::to_string(2026000000 + i) + "号",
                               .organizer_name = "张*",
                               .organizer_type = "individual",
                               .website_name = "博客 \"" + std::to_string(i) + "\"",
                               .approved_at = "2026-12-06T10:00:00Z",
                               .seq = i};
    return RenderFiledAnswer({row.domain, row.domain}, row);
  }

  void Build(int n, int64_t seq = 42) {
    auto b = PublicSnapshotBuilder::Create(path_, seq, static_cast<uint64_t>(n));
    ASSERT_TRUE(b) << b.error().message;
    for (int i = 0; i < n; ++i) {
      auto s = (*b)->Add(Domain(i), i, "W" + std::to_string(i), Tail(i));
      ASSERT_TRUE(s) << s.error().message;
    }
    ASSERT_TRUE((*b)->Finish(1));
  }

  void FlipByte(uint64_t offset) {
    std::fstream f(path_, std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(static_cast<std::streamoff>(offset));
    char c;
    f.get(c);
    f.seekp(static_cast<std::streamoff>(offset));
    f.put(static_cast<char>(c ^ 0x10));
  }

  fs::path dir_;
  fs::path path_;
};

TEST_F(PublicSnapshotTest, AStopEndsFinishAndLeavesNoServableFile) {
  auto b = PublicSnapshotBuilder::Create(path_, 7, 2000);
  ASSERT_TRUE(b) << b.error().message;
  for (int i = 0; i < 2000; ++i) ASSERT_TRUE((*b)->Add(Domain(i), i, "W", Tail(i)));
  std::atomic<bool> stop{true};
  auto finished = (*b)->Finish(1, &stop);
  ASSERT_FALSE(finished);
  EXPECT_EQ(finished.error().code, core::ErrorCode::kUnavailable);
  b->reset();
  // No header was written: the file does not open.
  EXPECT_FALSE(PublicSnapshot::Open(path_));
}

TEST_F(PublicSnapshotTest, ChunksTrustedJustAfterTheBuildAreNotReadAgain) {
  Build(2000);
  auto snap = PublicSnapshot::Open(path_);
  ASSERT_TRUE(snap) << snap.error().message;
  (*snap)->TrustChunksJustBuilt();
  // Damage written after the trust is not looked for (a restart's Open and VerifyAll would):
  // VerifyAll without `again` skips trusted chunks; with `again` it finds the damage.
  FlipByte(4096 + 100);  // in the slot table, after the 4 KiB header
  EXPECT_TRUE((*snap)->VerifyAll());
  EXPECT_FALSE((*snap)->VerifyAll(/*again=*/true));
}

TEST_F(PublicSnapshotTest, FindsEveryKeyWithItsAnswerAndNothingElse) {
  constexpr int kN = 20'000;
  Build(kN);
  auto s = PublicSnapshot::Open(path_);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ((*s)->seq(), 42);
  EXPECT_EQ((*s)->count(), static_cast<uint64_t>(kN));
  for (int i = 0; i < kN; ++i) {
    PublicSnapshot::Entry e;
    const std::string d = Domain(i);
    ASSERT_EQ((*s)->Find(d, SnapshotKeyHash(d), &e), PublicSnapshot::Found::kFiled) << d;
    EXPECT_EQ(e.seq, i);
    EXPECT_EQ(e.website_sn, "W" + std::to_string(i));
    EXPECT_EQ(e.answer_tail, Tail(i));
  }
  for (int i = kN; i < kN + 5'000; ++i) {
    PublicSnapshot::Entry e;
    const std::string d = Domain(i);
    EXPECT_EQ((*s)->Find(d, SnapshotKeyHash(d), &e), PublicSnapshot::Found::kAbsent) << d;
  }
  // A key whose hash is in the table but whose bytes differ is not found (a forced collision).
  PublicSnapshot::Entry e;
  EXPECT_EQ((*s)->Find("other.cn", SnapshotKeyHash(Domain(7)), &e), PublicSnapshot::Found::kAbsent);
  EXPECT_TRUE((*s)->VerifyAll());
}

TEST_F(PublicSnapshotTest, AnEmptySnapshotAnswersNotFiled) {
  Build(0, 0);
  auto s = PublicSnapshot::Open(path_);
  ASSERT_TRUE(s) << s.error().message;
  PublicSnapshot::Entry e;
  EXPECT_EQ((*s)->Find("a.cn", SnapshotKeyHash("a.cn"), &e), PublicSnapshot::Found::kAbsent);
}

TEST_F(PublicSnapshotTest, TheBuilderRefusesMoreThanItsCapacityAndDuplicates) {
  auto b = PublicSnapshotBuilder::Create(path_, 1, 2);
  ASSERT_TRUE(b);
  ASSERT_TRUE((*b)->Add("a.cn", 1, "W", "{}"));
  EXPECT_EQ((*b)->Add("a.cn", 1, "W", "{}").error().code, core::ErrorCode::kConflict);
  ASSERT_TRUE((*b)->Add("b.cn", 1, "W", "{}"));
  EXPECT_EQ((*b)->Add("c.cn", 1, "W", "{}").error().code, core::ErrorCode::kLimitExceeded);
}

TEST_F(PublicSnapshotTest, ATruncatedFileIsRefused) {
  Build(1000);
  const auto size = fs::file_size(path_);
  for (uint64_t cut : {size - 1, size - 8, size / 2, uint64_t{4096}, uint64_t{100}, uint64_t{0}}) {
    fs::resize_file(path_, cut);
    auto s = PublicSnapshot::Open(path_);
    ASSERT_FALSE(s) << cut;
    EXPECT_EQ(s.error().code, core::ErrorCode::kInternal) << cut;
    Build(1000);
  }
  EXPECT_EQ(PublicSnapshot::Open(dir_ / "none.bin").error().code, core::ErrorCode::kNotFound);
}

TEST_F(PublicSnapshotTest, AFlippedBitInTheHeaderOrChunkTableIsRefusedAtOpen) {
  Build(1000);
  for (uint64_t at : {uint64_t{0}, uint64_t{20}, uint64_t{100}, uint64_t{127}}) {
    FlipByte(at);
    EXPECT_FALSE(PublicSnapshot::Open(path_)) << at;
    FlipByte(at);
    EXPECT_TRUE(PublicSnapshot::Open(path_)) << at;
  }
  FlipByte(fs::file_size(path_) - 3);  // the chunk table
  EXPECT_FALSE(PublicSnapshot::Open(path_));
}

TEST_F(PublicSnapshotTest, AFlippedBitInTheBodyIsNeverServed) {
  constexpr int kN = 30'000;  // several chunks
  Build(kN);
  const auto size = fs::file_size(path_);
  // Somewhere in the records, past the slot table (65,536 slots × 16 bytes after 4 KiB).
  const uint64_t at = 4096 + 65'536 * 16 + (size - 4096 - 65'536 * 16) / 2;
  FlipByte(at);
  auto s = PublicSnapshot::Open(path_);
  ASSERT_TRUE(s) << "the body is verified lazily: " << s.error().message;
  // Every key either answers exactly what was written or reports the damage; once one look-up
  // has touched the damaged chunk, every look-up reports it.
  bool seen_corrupt = false;
  for (int i = 0; i < kN; ++i) {
    PublicSnapshot::Entry e;
    const std::string d = Domain(i);
    const auto found = (*s)->Find(d, SnapshotKeyHash(d), &e);
    if (found == PublicSnapshot::Found::kCorrupt) {
      seen_corrupt = true;
      continue;
    }
    ASSERT_FALSE(seen_corrupt) << "answered after the damage was found";
    ASSERT_EQ(found, PublicSnapshot::Found::kFiled) << d;
    ASSERT_EQ(e.answer_tail, Tail(i)) << d;
  }
  EXPECT_TRUE(seen_corrupt);
  EXPECT_TRUE((*s)->corrupt());
  // The background pass finds it on its own too.
  auto again = PublicSnapshot::Open(path_);
  ASSERT_TRUE(again);
  EXPECT_FALSE((*again)->VerifyAll());
  PublicSnapshot::Entry e;
  EXPECT_EQ((*again)->Find(Domain(0), SnapshotKeyHash(Domain(0)), &e),
            PublicSnapshot::Found::kCorrupt);
}

// A file truncated under a live mapping: the reads of lost pages raise SIGBUS, which the guard
// turns into kCorrupt — no crash, nothing served from it afterwards.
TEST_F(PublicSnapshotTest, ATruncationUnderALiveMappingIsCaughtNotACrash) {
  constexpr int kN = 30'000;
  Build(kN);
  auto s = PublicSnapshot::Open(path_);
  ASSERT_TRUE(s) << s.error().message;
  ASSERT_TRUE((*s)->VerifyAll());  // every chunk verified: the probes read the pages directly
  ASSERT_TRUE((*s)->FileIntact());
  // Half the file goes: most records (written in key order) are past the new end.
  fs::resize_file(path_, fs::file_size(path_) / 2);
  // The first keys' records are still there and answer whole (read under the guard).
  for (int i = 0; i < 100; ++i) {
    PublicSnapshot::Entry e;
    const std::string d = Domain(i);
    ASSERT_EQ((*s)->Find(d, SnapshotKeyHash(d), &e), PublicSnapshot::Found::kFiled) << d;
    std::string tail;
    ASSERT_TRUE((*s)->Guarded([&] { tail.assign(e.answer_tail); }));
    ASSERT_EQ(tail, Tail(i));
  }
  EXPECT_FALSE((*s)->faulted());
  // The last key's record is on a lost page: the probe faults, and answers kCorrupt.
  PublicSnapshot::Entry e;
  const std::string last = Domain(kN - 1);
  EXPECT_EQ((*s)->Find(last, SnapshotKeyHash(last), &e), PublicSnapshot::Found::kCorrupt);
  EXPECT_TRUE((*s)->faulted());
  EXPECT_TRUE((*s)->corrupt());
  // From then on nothing is answered from it, not even what is still whole.
  for (int i = 0; i < kN; i += 97) {
    const std::string d = Domain(i);
    ASSERT_EQ((*s)->Find(d, SnapshotKeyHash(d), &e), PublicSnapshot::Found::kCorrupt) << d;
  }
  EXPECT_FALSE((*s)->FileIntact());
  EXPECT_FALSE((*s)->VerifyAll(/*again=*/true));
  // The thread is disarmed after a fault: a later guarded read is unaffected.
  EXPECT_TRUE((*s)->Guarded([] {}));
}

// Cut inside a page: the rest of that page reads as zeros without faulting; a record cut there
// is refused (its answer no longer ends with '}'), and the owner's fstat check sees the size.
TEST_F(PublicSnapshotTest, ACutInsideAPageIsRefusedNotServedAsZeros) {
  constexpr int kN = 3'000;
  Build(kN);
  std::string bytes;
  {
    std::ifstream in(path_, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  // A record in the second half that lies within one page, cut 5 bytes before its end.
  int chosen = -1;
  uint64_t cut = 0;
  for (int i = kN / 2; i < kN && chosen < 0; ++i) {
    const size_t at = bytes.find(Tail(i));
    ASSERT_NE(at, std::string::npos);
    const uint64_t end = at + Tail(i).size();
    if (at / 4096 == end / 4096 && (end - 5) % 4096 != 0) {
      chosen = i;
      cut = end - 5;
    }
  }
  ASSERT_GE(chosen, 0);
  auto s = PublicSnapshot::Open(path_);
  ASSERT_TRUE(s);
  ASSERT_TRUE((*s)->VerifyAll());
  fs::resize_file(path_, cut);
  PublicSnapshot::Entry e;
  const std::string d = Domain(chosen);
  EXPECT_EQ((*s)->Find(d, SnapshotKeyHash(d), &e), PublicSnapshot::Found::kCorrupt);
  EXPECT_TRUE((*s)->corrupt());
  EXPECT_FALSE((*s)->FileIntact());
}

TEST_F(PublicSnapshotTest, AFaultInANestedGuardReturnsToTheInnerOneAndTheOuterStaysArmed) {
  constexpr int kN = 30'000;
  Build(kN);
  auto s = PublicSnapshot::Open(path_);
  ASSERT_TRUE(s);
  // The record written last lies at the end of the file.
  PublicSnapshot::Entry e;
  const std::string d = Domain(kN - 1);
  ASSERT_EQ((*s)->Find(d, SnapshotKeyHash(d), &e), PublicSnapshot::Found::kFiled);
  fs::resize_file(path_, 8192);
  // Room first (Guarded's contract): the fault cuts the copy short, never an allocation.
  std::string copied;
  copied.reserve(e.answer_tail.size());
  bool inner = true;
  bool after_inner = false;
  const bool outer = (*s)->Guarded([&] {
    inner = (*s)->Guarded([&] { copied.assign(e.answer_tail); });
    after_inner = true;
  });
  EXPECT_FALSE(inner);
  EXPECT_TRUE(after_inner) << "the fault returned to the inner guard";
  EXPECT_TRUE(outer);
  EXPECT_TRUE((*s)->faulted());
  EXPECT_EQ((*s)->Find(d, SnapshotKeyHash(d), &e), PublicSnapshot::Found::kCorrupt);
}

// Any SIGBUS that is not a guarded read of a snapshot keeps its earlier disposition (the
// default: the process dies) — a fault on another mapping, one outside the armed mapping while
// a guard is armed, and SIGBUS sent by a process.
TEST_F(PublicSnapshotTest, AnyOtherBusErrorKeepsItsDefaultAction) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  Build(100);
  auto s = PublicSnapshot::Open(path_);  // installs the handler
  ASSERT_TRUE(s);
  const fs::path other = dir_ / "other.bin";
  // A read of page 2 of a file cut to nothing, mapped outside any snapshot.
  const auto fault_elsewhere = [&other] {
    std::ofstream(other, std::ios::binary) << std::string(8192, 'x');
    const int fd = ::open(other.c_str(), O_RDONLY);
    void* m = ::mmap(nullptr, 8192, PROT_READ, MAP_SHARED, fd, 0);
    fs::resize_file(other, 0);
    return static_cast<int>(static_cast<volatile const unsigned char*>(m)[4096]);
  };
  EXPECT_DEATH(
      {
        (void)PublicSnapshot::Open(path_);
        fault_elsewhere();
      },
      "");
  EXPECT_DEATH(
      {
        auto again = PublicSnapshot::Open(path_);
        (void)(*again)->Guarded([&] { fault_elsewhere(); });
      },
      "");
  EXPECT_DEATH(
      {
        (void)PublicSnapshot::Open(path_);
        ::raise(SIGBUS);
      },
      "");
  // This process: still guarded and alive.
  EXPECT_TRUE((*s)->Guarded([] {}));
}

TEST(PublicSnapshotJson, HeadAndTailAreWhatBoostJsonSerializes) {
  std::string all;
  for (int c = 0; c < 128; ++c) all += static_cast<char>(c);
  all += "中国 \xF0\x9F\x98\x80";
  std::string mine;
  AppendJsonString(mine, all);
  EXPECT_EQ(mine, json::serialize(json::value(all)));

  store::PublicFilingRow row{.domain = "example.cn",
                             .website_sn = "京ICP备2026000001号-1",
                             .subject_sn = "京ICP备2026000001号",
                             .organizer_name = "A \"quoted\" \\ name\n",
                             .organizer_type = "enterprise",
                             .website_name = "网站",
                             .approved_at = "2026-12-06T10:00:00Z"};
  std::string answer;
  AppendQueryHead(answer, "WWW.Example.CN");
  answer += RenderFiledAnswer({"example.cn", "example.cn"}, row);
  const json::object expected{{"query", "WWW.Example.CN"},
                              {"domain", "example.cn"},
                              {"domain_unicode", "example.cn"},
                              {"filed", true},
                              {"subject_sn", row.subject_sn},
                              {"website_sn", row.website_sn},
                              {"organizer_name", row.organizer_name},
                              {"organizer_type", row.organizer_type},
                              {"website_name", row.website_name},
                              {"approved_at", row.approved_at}};
  EXPECT_EQ(answer, json::serialize(expected));
  std::string none;
  AppendQueryHead(none, "x.cn");
  AppendKeyFields(none, {"x.cn", "x.cn"});
  none += kNotFiledTail;
  const json::object not_filed{{"query", "x.cn"},           {"domain", "x.cn"},
                               {"domain_unicode", "x.cn"},  {"filed", false},
                               {"subject_sn", nullptr},     {"website_sn", nullptr},
                               {"organizer_name", nullptr}, {"organizer_type", nullptr},
                               {"website_name", nullptr},   {"approved_at", nullptr}};
  EXPECT_EQ(none, json::serialize(not_filed));
}

}  // namespace
}  // namespace beian::agent
