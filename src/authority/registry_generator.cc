// The registry generator (see registry_generator.h). A batch is built (filings, SNs, sealing,
// public records) on a helper thread while the previous batch is being written, so the CPU
// work and the database writes overlap on the two cores.
#include "authority/registry_generator.h"

#include <time.h>
#include <algorithm>

#include <chrono>
#include <cstdio>
#include <future>

#include <boost/json.hpp>

#include "authority/registry_service.h"
#include "domain/numbering.h"
#include "domain/synthetic_registry.h"
#include "store/registry.h"
#include "store/registry_bulk.h"

namespace beian::authority {
namespace {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;
using core::Result;

// The columns RegistryService seals these values under (registry_service.cc): the generated
// rows must open and hash exactly as approved ones (registry_generator_test checks it through
// RegistryService::Lookup).
constexpr std::string_view kCertificateColumn = "registry_subjects.certificate";
constexpr std::string_view kPersonColumn = "registry.person_in_charge";

// CPU time of the calling thread, in seconds.
double ThreadCpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

struct Batch {
  int64_t filings = 0;
  double build_cpu_seconds = 0;
  std::vector<store::BulkSubject> subjects;
  std::vector<store::BulkWebsite> websites;
  std::vector<store::BulkDomain> domains;
  std::vector<store::BulkWebsiteProvider> providers;
  std::vector<store::BulkChange> changes;
  std::vector<std::string> active_domains;
  store::SnCounterMap counters;  // the last sequence this batch used, per (province, year)
  int64_t cancelled_websites = 0;
  // The rows above encoded as statement parameters (on the builder's thread).
  std::vector<store::BulkRows> tables;
  store::BulkRows changes_encoded;
};

std::string SealPerson(const core::PiiCipher& pii, const domain::RegistryPerson& p) {
  json::object o{{"name", p.name},
                 {"id_type", p.id_type},
                 {"id_number", p.id_number},
                 {"mobile", p.mobile},
                 {"email", p.email}};
  return pii.Seal(json::serialize(o), kPersonColumn);
}

std::string Hex(uint64_t v, int width) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%0*llx", width, static_cast<unsigned long long>(v));
  return buf;
}

class Builder {
 public:
  Builder(const domain::Rules& rules, const core::PiiCipher& pii,
          const GenerateRegistryOptions& options, int64_t now_ms, store::SnCounterMap counters)
      : rules_(rules),
        pii_(pii),
        options_(options),
        synthetic_(rules, {.seed = options.seed, .provinces = options.provinces, .now_ms = now_ms}),
        counters_(std::move(counters)),
        // Ids: a tag of the seed and the filing index, so ids are deterministic, sort in
        // insertion order (the primary keys grow at their end) and differ in length from
        // core::RandomId's 32 hex digits.
        id_tag_(Hex(options.seed * 0x9E3779B97F4A7C15ULL >> 32, 8)) {}

  // Filings [start, end): numbered after the batches built before it.
  Result<Batch> Build(int64_t start, int64_t end) {
    const double cpu_start = ThreadCpuSeconds();
    Batch b;
    b.filings = end - start;
    for (int64_t i = start; i < end; ++i) BEIAN_TRY(Add(b, synthetic_.Filing(i)));
    using W = store::RegistryBulkWriter;
    b.tables.push_back(W::Encode(std::span<const store::BulkSubject>(b.subjects)));
    b.tables.push_back(W::Encode(std::span<const store::BulkWebsite>(b.websites)));
    b.tables.push_back(W::Encode(std::span<const store::BulkDomain>(b.domains)));
    b.tables.push_back(W::Encode(std::span<const store::BulkWebsiteProvider>(b.providers)));
    b.changes_encoded = W::Encode(std::span<const store::BulkChange>(b.changes));
    b.build_cpu_seconds = ThreadCpuSeconds() - cpu_start;
    return b;
  }

 private:
  core::Status Add(Batch& b, const domain::SyntheticFiling& f) {
    const core::TimePoint created{std::chrono::milliseconds(f.created_ms)};
    const int year = NumberingYear(created);
    int64_t& last = counters_[{f.province, year}];
    BEIAN_ASSIGN_OR_RETURN(std::string subject_sn,
                           domain::FormatSubjectSn(rules_, f.province, year, last + 1));
    ++last;
    b.counters[{f.province, year}] = last;
    const bool subject_cancelled = f.cancelled_ms != 0;
    store::BulkSubject s{
        .id = id_tag_ + "-" + Hex(static_cast<uint64_t>(f.index), 12),
        .subject_sn = subject_sn,
        .province = f.province,
        .year = year,
        .sequence = last,
        .certificate_type = f.certificate_type,
        .certificate_hash = pii_.LookupHash(domain::CanonicalCertificateKey(f.certificate_number),
                                            kCertificateColumn),
        .certificate_sealed = pii_.Seal(f.certificate_number, kCertificateColumn),
        .organizer_type = f.organizer_type,
        .organizer_name = f.organizer_name,
        .person_sealed = SealPerson(pii_, f.person_in_charge),
        .status = subject_cancelled ? "cancelled" : "active",
        .last_website_index = static_cast<int>(f.websites.size()),
        .created_ms = f.created_ms,
        .updated_ms = subject_cancelled ? f.cancelled_ms : f.created_ms};
    for (const domain::SyntheticWebsite& sw : f.websites) {
      const bool cancelled = sw.cancelled_ms != 0;
      store::BulkWebsite w{.id = s.id + "-" + std::to_string(sw.index),
                           .subject_id = s.id,
                           // domain::FormatWebsiteSn's form, without parsing the subject SN again.
                           .website_sn = subject_sn + "-" + std::to_string(sw.index),
                           .website_index = sw.index,
                           .name = sw.name,
                           .person_sealed = SealPerson(pii_, sw.person_in_charge),
                           .status = cancelled ? "cancelled" : "active",
                           .approved_ms = sw.approved_ms,
                           .updated_ms = cancelled ? sw.cancelled_ms : sw.approved_ms};
      // The public record as RegistryService shows it: a cancelled website has no current
      // domains.
      store::RegistryWebsiteRow record{.id = w.id,
                                       .subject_id = s.id,
                                       .subject_sn = subject_sn,
                                       .website_sn = w.website_sn,
                                       .website_index = sw.index,
                                       .name = sw.name,
                                       .person_sealed = {},
                                       .status = w.status,
                                       .approved_at_ms = sw.approved_ms,
                                       .organizer_type = f.organizer_type,
                                       .organizer_name = f.organizer_name,
                                       .domains = {},
                                       .provider_ids = {}};
      for (const domain::NormalizedDomain& d : sw.domains) {
        b.domains.push_back(
            {.domain = d.ascii,
             .website_id = w.id,
             .valid_from_ms = sw.approved_ms,
             .valid_to_ms = cancelled ? std::optional(sw.cancelled_ms) : std::nullopt});
        if (!cancelled) {
          record.domains.push_back(d.ascii);
          b.active_domains.push_back(d.ascii);
        }
      }
      if (!options_.provider_id.empty()) {
        b.providers.push_back(
            {.website_id = w.id,
             .provider_id = options_.provider_id,
             .valid_from_ms = sw.approved_ms,
             .valid_to_ms = cancelled ? std::optional(sw.cancelled_ms) : std::nullopt});
      }
      b.changes.push_back({.website_sn = w.website_sn,
                           .body = json::serialize(RegistryService::PublicRecord(record)),
                           .created_ms = w.updated_ms});
      if (cancelled) ++b.cancelled_websites;
      b.websites.push_back(std::move(w));
    }
    b.subjects.push_back(std::move(s));
    return core::Ok();
  }

  const domain::Rules& rules_;
  const core::PiiCipher& pii_;
  const GenerateRegistryOptions& options_;
  domain::SyntheticRegistry synthetic_;
  store::SnCounterMap counters_;
  std::string id_tag_;
};

// `stage_domains`: the domains go to the staging table (RegistryBulkWriter::BeginDomainStaging).
Result<int64_t> WriteBatch(store::Database& db, Batch& b, bool stage_domains) {
  return db.Write(
      [&](store::Tx& tx) -> Result<int64_t> {
        store::RegistryBulkWriter w(tx);
        for (const store::BulkRows& rows : b.tables) {
          if (stage_domains && rows.table == store::BulkRows::Table::kDomains) {
            BEIAN_TRY(w.InsertStaged(rows));
          } else {
            BEIAN_TRY(w.Insert(rows));
          }
        }
        BEIAN_ASSIGN_OR_RETURN(int64_t last_seq, w.AppendChanges(b.changes_encoded));
        BEIAN_TRY(w.RaiseSnCounters(b.counters));
        return last_seq;
      },
      {.isolation = store::Isolation::kReadCommitted});
}

Error Explain(Error e) {
  if (e.code == ErrorCode::kConflict) {
    e.message = "a generated row is already in the registry (" + e.message +
                "): generate into an empty registry, or with another --seed";
  }
  return e;
}

}  // namespace

Result<GenerateRegistryReport> GenerateRegistry(store::Database& db, const core::Clock& clock,
                                                const core::PiiCipher& pii,
                                                const domain::Rules& rules,
                                                const GenerateRegistryOptions& o) {
  if (o.filings < 1 || o.filings > domain::kMaxSyntheticFilings) {
    return Error(ErrorCode::kValidationFailed,
                 "--filings must be between 1 and " + std::to_string(domain::kMaxSyntheticFilings),
                 {{"filings", "invalid", "out of range"}});
  }
  if (o.batch < 1 || o.batch > 100000) {
    return Error(ErrorCode::kValidationFailed, "--batch must be between 1 and 100000",
                 {{"batch", "invalid", "out of range"}});
  }
  for (const std::string& p : o.provinces) {
    if (rules.FindProvince(p) == nullptr) {
      return Error(ErrorCode::kValidationFailed, "unknown province " + p,
                   {{"provinces", "invalid", "unknown province " + p}});
    }
  }
  GenerateRegistryReport report;
  store::SnCounterMap counters;
  std::vector<store::RegistryIndex> dropped;
  bool staging = false;
  BEIAN_TRY(db.Write([&](store::Tx& tx) -> core::Status {
    store::RegistryBulkWriter w(tx);
    BEIAN_TRY(w.PrepareBulkLoad(int64_t{512} << 20));
    BEIAN_ASSIGN_OR_RETURN(counters, w.SnCounters());
    BEIAN_ASSIGN_OR_RETURN(const bool empty, w.RegistryEmpty());
    dropped.clear();
    staging = false;
    if (empty && o.filings >= o.rebuild_indexes_from) {
      // The subjects' indexes: their keys (certificate hashes, names) are random.
      BEIAN_ASSIGN_OR_RETURN(dropped, w.SecondaryIndexes("registry_subjects"));
      if (tx.dialect() == store::Dialect::kSqlite) {
        // SQLite: the domains are staged and moved in key order at the end (see
        // BeginDomainStaging); their secondary indexes (the website's, in random order then)
        // are built after the move.
        BEIAN_ASSIGN_OR_RETURN(auto domain_indexes, w.SecondaryIndexes("registry_domains"));
        dropped.insert(dropped.end(), domain_indexes.begin(), domain_indexes.end());
        BEIAN_TRY(w.BeginDomainStaging());
        staging = true;
      }
      BEIAN_TRY(w.DropIndexes(dropped));
    }
    return core::Ok();
  }));
  // Moves the staged domains in and re-creates the dropped indexes: after the last batch, and
  // after a failed one (the batches before it stay, complete).
  auto restore = [&]() -> core::Status {
    if (staging) {
      const auto start = std::chrono::steady_clock::now();
      auto moved = db.Write(
          [&](store::Tx& tx) { return store::RegistryBulkWriter(tx).FinishDomainStaging(); });
      staging = false;
      if (!moved) {
        (void)db.Write(
            [&](store::Tx& tx) { return store::RegistryBulkWriter(tx).AbandonDomainStaging(); });
        (void)db.Write(
            [&](store::Tx& tx) { return store::RegistryBulkWriter(tx).CreateIndexes(dropped); });
        dropped.clear();
        return Explain(std::move(moved).error());
      }
      report.domains_staged = true;
      report.staged_domains_seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }
    if (dropped.empty()) return core::Ok();
    const auto start = std::chrono::steady_clock::now();
    BEIAN_TRY(db.Write(
        [&](store::Tx& tx) { return store::RegistryBulkWriter(tx).CreateIndexes(dropped); }));
    report.indexes_rebuilt = true;
    report.index_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    dropped.clear();
    return core::Ok();
  };
  const int64_t now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(clock.Now().time_since_epoch()).count();
  Builder builder(rules, pii, o, now_ms, std::move(counters));
  auto build = [&](int64_t start) {
    return builder.Build(start, std::min(o.filings, start + o.batch));
  };
  std::future<Result<Batch>> next = std::async(std::launch::async, build, int64_t{0});
  std::future<void> disposed;
  for (int64_t start = 0; start < o.filings; start += o.batch) {
    Result<Batch> batch = next.get();
    if (!batch) {
      (void)restore();
      return std::move(batch).error();
    }
    if (start + o.batch < o.filings) next = std::async(std::launch::async, build, start + o.batch);
    const double write_start = ThreadCpuSeconds();
    auto last_seq = WriteBatch(db, *batch, staging);
    report.write_cpu_seconds += ThreadCpuSeconds() - write_start;
    report.build_cpu_seconds += batch->build_cpu_seconds;
    if (!last_seq) {
      if (next.valid()) next.wait();
      (void)restore();  // the registry keeps its schema; the batch's own error is the answer
      return Explain(std::move(last_seq).error());
    }
    report.last_seq = *last_seq;
    report.subjects += static_cast<int64_t>(batch->subjects.size());
    report.websites += static_cast<int64_t>(batch->websites.size());
    report.domains += static_cast<int64_t>(batch->domains.size());
    report.cancelled_websites += batch->cancelled_websites;
    report.active_domains += static_cast<int64_t>(batch->active_domains.size());
    if (o.domains_out != nullptr) {
      for (const std::string& d : batch->active_domains) *o.domains_out << d << '\n';
      if (!*o.domains_out) {
        if (next.valid()) next.wait();
        (void)restore();
        return Error(ErrorCode::kIo, "cannot write the domains file");
      }
    }
    if (o.progress) o.progress(start + batch->filings, o.filings);
    // Freeing a batch's millions of strings is the writer thread's time otherwise.
    disposed = std::async(std::launch::async, [b = std::move(*batch)]() mutable { b = Batch{}; });
  }
  BEIAN_TRY(restore());
  return report;
}

}  // namespace beian::authority
