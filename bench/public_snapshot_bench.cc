// PublicSnapshot::Find on a warm snapshot (issue 11 item 4): the cost of one probe, hit and miss,
// so that the bus-error guard around the mapping's reads (public_snapshot.h) can be measured
// against it (the guard must cost well under 50 ns per Find; BM_GuardOnly is the guard alone).
// BENCH_SNAPSHOT_N entries (default 200,000) are written to a file under $TMPDIR, verified once,
// then probed with keys drawn at random (a fixed seed), half filed and half not.
#include <benchmark/benchmark.h>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "agent/public_snapshot.h"

namespace {

using beian::agent::PublicSnapshot;
using beian::agent::PublicSnapshotBuilder;
using beian::agent::SnapshotKeyHash;

struct Fixture {
  std::filesystem::path path;
  std::shared_ptr<PublicSnapshot> snap;
  std::vector<std::string> filed;
  std::vector<std::string> absent;
};

void Die(const std::string& what) {
  std::cerr << what << "\n";
  std::abort();
}

const Fixture& TheFixture() {
  static const Fixture* f = [] {
    auto* out = new Fixture();
    const char* n_env = std::getenv("BENCH_SNAPSHOT_N");
    const uint64_t n = n_env != nullptr ? std::strtoull(n_env, nullptr, 10) : 200'000;
    const char* tmp = std::getenv("TMPDIR");
    out->path = std::filesystem::path(tmp != nullptr ? tmp : "/tmp") /
                ("beian-snapshot-bench-" + std::to_string(::getpid()) + ".bin");
    auto builder = PublicSnapshotBuilder::Create(out->path, 1, n);
    if (!builder) Die(builder.error().message);
    const std::string answer = std::string(179, 'a') + '}';
    for (uint64_t i = 0; i < n; ++i) {
      std::string domain = "bench-" + std::to_string(i * 7919) + ".com.cn";
      if (auto s = (*builder)->Add(domain, 1, "京ICP备0000000001号-1", answer); !s) {
        Die(s.error().message);
      }
      out->filed.push_back(std::move(domain));
      out->absent.push_back("absent-" + std::to_string(i * 7919) + ".com.cn");
    }
    if (auto s = (*builder)->Finish(0); !s) Die(s.error().message);
    auto opened = PublicSnapshot::Open(out->path);
    if (!opened) Die(opened.error().message);
    out->snap = *opened;
    if (!out->snap->VerifyAll()) Die("the benchmark's snapshot does not verify");
    std::mt19937_64 rng(42);
    std::shuffle(out->filed.begin(), out->filed.end(), rng);
    std::shuffle(out->absent.begin(), out->absent.end(), rng);
    std::atexit([] { std::filesystem::remove(TheFixture().path); });
    return out;
  }();
  return *f;
}

void Probe(benchmark::State& state, const std::vector<std::string>& keys) {
  const Fixture& f = TheFixture();
  std::vector<uint64_t> hashes;
  hashes.reserve(keys.size());
  for (const std::string& k : keys) hashes.push_back(SnapshotKeyHash(k));
  size_t i = 0;
  for (auto _ : state) {
    PublicSnapshot::Entry e;
    benchmark::DoNotOptimize(f.snap->Find(keys[i], hashes[i], &e));
    benchmark::DoNotOptimize(e);
    if (++i == keys.size()) i = 0;
  }
}

void BM_FindFiled(benchmark::State& state) { Probe(state, TheFixture().filed); }
void BM_FindAbsent(benchmark::State& state) { Probe(state, TheFixture().absent); }
// The guard alone: arm (sigsetjmp without the mask) and disarm around an empty read.
void BM_GuardOnly(benchmark::State& state) {
  const Fixture& f = TheFixture();
  for (auto _ : state) {
    benchmark::DoNotOptimize(f.snap->Guarded([] { benchmark::ClobberMemory(); }));
  }
}
BENCHMARK(BM_FindFiled);
BENCHMARK(BM_FindAbsent);
BENCHMARK(BM_GuardOnly);

}  // namespace

BENCHMARK_MAIN();
