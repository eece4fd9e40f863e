// `beian admin generate-registry`: fills the authority's registry with N synthetic filings for
// scale tests and the benchmark (issue 11 item 1; authority/registry_generator.h).
//   beian admin generate-registry --filings N [--seed S] [--provinces 11,31,…]
//       [--domains-out FILE] [--provider P] [--batch B] [--authority-database URL | --data-dir D]
// Deterministic for (N, seed, provinces) into an empty registry. A progress bar on a terminal,
// a plain line every 5 % otherwise; a summary with the rate at the end.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "authority/registry_generator.h"
#include "cli/commands.h"
#include "cli/data_options.h"
#include "cli/rules_source.h"
#include "core/crypto.h"
#include "store/migrations.h"

namespace beian::cli {
namespace {

struct GenerateOptions {
  DataOptions data;
  int64_t filings = 0;
  uint64_t seed = 1;
  std::string provinces;
  std::string domains_out;
  std::string provider;
  int batch = 25000;
  std::string rules_dir;
};

int Fail(const core::Error& e) {
  std::cerr << "beian admin generate-registry: " << e.message << "\n";
  for (const auto& d : e.details) {
    std::cerr << "  " << d.field << ": " << d.message << " (" << d.code << ")\n";
  }
  return 1;
}

std::vector<std::string> SplitList(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

// Progress on standard error: a redrawn bar on a terminal, else a line per 5 %.
class Progress {
 public:
  Progress() : tty_(isatty(STDERR_FILENO) == 1), start_(std::chrono::steady_clock::now()) {}

  void Update(int64_t done, int64_t total) {
    const double seconds = Elapsed();
    const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
    const int percent = static_cast<int>(done * 100 / total);
    if (tty_) {
      constexpr int kWidth = 40;
      const int filled = static_cast<int>(done * kWidth / total);
      std::fprintf(stderr, "\r[%s%s] %3d%% %lld/%lld filings, %.0f/s ",
                   std::string(static_cast<size_t>(filled), '#').c_str(),
                   std::string(static_cast<size_t>(kWidth - filled), '.').c_str(), percent,
                   static_cast<long long>(done), static_cast<long long>(total), rate);
      if (done == total) std::fputc('\n', stderr);
    } else if (percent / 5 != last_step_ || done == total) {
      last_step_ = percent / 5;
      std::fprintf(stderr, "generate-registry: %lld/%lld filings (%d%%), %.0f/s, %.1f s\n",
                   static_cast<long long>(done), static_cast<long long>(total), percent, rate,
                   seconds);
    }
    std::fflush(stderr);
  }

  double Elapsed() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

 private:
  bool tty_;
  std::chrono::steady_clock::time_point start_;
  int last_step_ = 0;
};

int Generate(const GenerateOptions& o) {
  if (!core::InitCrypto()) return 1;
  auto rules = LoadRulesFrom(o.rules_dir);
  if (!rules) return Fail(rules.error());
  if (auto s = o.data.Prepare(); !s) return Fail(s.error());
  // One connection with a rollback journal: see store::DatabaseOptions::sqlite_rollback_journal
  // (PostgreSQL ignores it).
  store::DatabaseOptions options;
  options.pool_size = 0;
  options.sqlite_rollback_journal = true;
  // The generated rows reference each other correctly by construction (a batch writes a
  // subject before its websites, a website before its domains; registry_generator_test runs
  // the same writes with foreign keys on): see store::DatabaseOptions::sqlite_foreign_keys.
  options.sqlite_foreign_keys = false;
  auto db = store::OpenDatabase(o.data.AuthorityUrl(), options);
  if (!db) {
    return Fail(core::Error(db.error().code, "cannot open the authority database " +
                                                 RedactUrl(o.data.AuthorityUrl()) + ": " +
                                                 db.error().message));
  }
  if (auto s = store::RequireCurrentSchema(**db, "authority"); !s) {
    return Fail(core::Error(s.error().code,
                            "the authority database schema is not current: run `beian migrate`"));
  }
  auto key = o.data.SecretKey();
  if (!key) return Fail(key.error());
  const core::PiiCipher pii(*key);
  std::ofstream domains;
  if (!o.domains_out.empty()) {
    domains.open(o.domains_out, std::ios::trunc);
    if (!domains) return Fail(core::Error(core::ErrorCode::kIo, "cannot write " + o.domains_out));
  }
  Progress progress;
  static core::SystemClock clock;
  authority::GenerateRegistryOptions g{
      .filings = o.filings,
      .seed = o.seed,
      .provinces = SplitList(o.provinces),
      .provider_id = o.provider,
      .batch = o.batch,
      .domains_out = o.domains_out.empty() ? nullptr : &domains,
      .progress = [&progress](int64_t done, int64_t total) { progress.Update(done, total); }};
  auto report = authority::GenerateRegistry(**db, clock, pii, *rules, g);
  if (!report) return Fail(report.error());
  domains.close();
  if (!o.domains_out.empty() && !domains) {
    return Fail(core::Error(core::ErrorCode::kIo, "cannot write " + o.domains_out));
  }
  const double seconds = progress.Elapsed();
  std::printf("CPU: building %.1f s, writing %.1f s (client side)\n", report->build_cpu_seconds,
              report->write_cpu_seconds);
  if (report->domains_staged) {
    std::printf("staged domains moved in key order in %.1f s\n", report->staged_domains_seconds);
  }
  if (report->indexes_rebuilt) {
    std::printf("secondary indexes re-created in %.1f s\n", report->index_seconds);
  }
  std::printf(
      "generated %lld filings: %lld subjects, %lld websites (%lld cancelled), %lld domains "
      "(%lld filed); change feed up to seq %lld; %.1f s, %.0f filings/s\n",
      static_cast<long long>(o.filings), static_cast<long long>(report->subjects),
      static_cast<long long>(report->websites), static_cast<long long>(report->cancelled_websites),
      static_cast<long long>(report->domains), static_cast<long long>(report->active_domains),
      static_cast<long long>(report->last_seq), seconds,
      seconds > 0 ? static_cast<double>(o.filings) / seconds : 0.0);
  return 0;
}

}  // namespace

void AddGenerateRegistryCommand(CLI::App& admin, int& exit_code) {
  auto o = std::make_shared<GenerateOptions>();
  auto* cmd = admin.add_subcommand(
      "generate-registry",
      "Fill the authority's registry with N synthetic filings (scale tests, the benchmark)");
  o->data.AddTo(*cmd);
  cmd->add_option("--filings", o->filings, "How many filings (subjects) to generate")
      ->required()
      ->check(CLI::Range(int64_t{1}, int64_t{100'000'000}));
  cmd->add_option("--seed", o->seed, "Seed: the same N and seed give the same registry")
      ->capture_default_str();
  cmd->add_option("--provinces", o->provinces,
                  "Comma list of province codes to file in (default: all 31)");
  cmd->add_option("--domains-out", o->domains_out,
                  "Also write the filed registrable domains (punycode), one per line, to FILE");
  cmd->add_option("--provider", o->provider,
                  "Record this access provider (already registered) for every website");
  cmd->add_option("--batch", o->batch, "Filings per transaction")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));
  cmd->add_option("--rules-dir", o->rules_dir, "Directory of filing-rules files")
      ->envname("BEIAN_RULES_DIR");
  cmd->callback([o, &exit_code] { exit_code = Generate(*o); });
}

}  // namespace beian::cli
