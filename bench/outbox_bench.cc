// Outbox throughput and delay (issue 9 "Performance"): notifications delivered per second by 1
// and 4 workers to a local SMS sink (an HTTP server on 127.0.0.1, this program's own
// http::Server answering 200) and to a local SMTP sink (tests/integration/lib/smtp_sink.py,
// python3-aiosmtpd), on SQLite and — with BEIAN_BENCH_POSTGRES_URL (a server URL; a throwaway
// database is created on it) — PostgreSQL; and the delay from the enqueueing commit to the
// delivery (p50, p99) while messages arrive at a steady rate. Target: ≥ 1,000 SMS/s, p99 < 1 s.
//
//   outbox_bench [--drain N] [--rate R] [--seconds S]   (prints a Markdown table)
// Not a Google Benchmark: each figure is one timed run of the real workers.
#include <libpq-fe.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/clock.h"
#include "core/crypto.h"
#include "core/log.h"
#include "http/router.h"
#include "http/server.h"
#include "notify/curl_transports.h"
#include "notify/outbox.h"
#include "store/database.h"
#include "store/migrations.h"
#include "store/notifications.h"
#include "store/users.h"

namespace {

using namespace beian;
using Clock = std::chrono::steady_clock;

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

[[noreturn]] void Die(const std::string& what) {
  std::cerr << "outbox_bench: " << what << "\n";
  std::exit(1);
}

// Records, per delivered message, the delay since its enqueueing commit.
class Timed : public notify::Transport {
 public:
  explicit Timed(notify::Transport& inner) : inner_(inner) {}
  notify::DeliveryResult Deliver(const notify::OutgoingMessage& m) override {
    auto r = inner_.Deliver(m);
    const int64_t now = NowMs();
    std::lock_guard lock(mu_);
    auto it = enqueued_.find(m.id);
    if (it != enqueued_.end() && r.outcome == notify::DeliveryResult::Outcome::kDelivered) {
      delays_.push_back(now - it->second);
    }
    return r;
  }
  std::string Describe() const override { return inner_.Describe(); }
  void Enqueued(const std::string& id, int64_t at) {
    std::lock_guard lock(mu_);
    enqueued_[id] = at;
  }
  std::vector<int64_t> TakeDelays() {
    std::lock_guard lock(mu_);
    std::vector<int64_t> d = std::move(delays_);
    delays_.clear();
    enqueued_.clear();
    return d;
  }

 private:
  notify::Transport& inner_;
  std::mutex mu_;
  std::unordered_map<std::string, int64_t> enqueued_;
  std::vector<int64_t> delays_;
};

struct Backend {
  std::string name;
  std::string url;  // of a fresh database per run (made by `fresh`)
  std::function<std::string()> fresh;
};

int64_t Percentile(std::vector<int64_t> v, double p) {
  if (v.empty()) return -1;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

// Enqueues `n` messages of `channel` in transactions of `batch`; reports each id's commit time.
void Enqueue(store::Database& db, const std::string& channel, int n, int batch, int& serial,
             Timed& timed) {
  for (int done = 0; done < n; done += batch) {
    std::vector<std::string> ids;
    const int count = std::min(batch, n - done);
    auto r = db.Write([&](store::Tx& tx) -> core::Status {
      ids.clear();
      for (int i = 0; i < count; ++i) {
        auto row = store::NotificationRepo(tx).Enqueue(
            {.dedupe_key = "bench:" + std::to_string(serial + i),
             .recipient_id = "bench-user",
             .channel = channel,
             .address = channel == "sms" ? "13900000001" : "bench@example.com",
             .template_id = "preliminary_approved",
             .params_json =
                 R"({"organizer_name":"北京示例科技有限公司","application_ref":"ab12cd34"})",
             .locale = "zh-CN",
             .created_at_ms = NowMs()});
        if (!row) return std::move(row).error();
        if (*row) ids.push_back((*row)->id);
      }
      return core::Ok();
    });
    if (!r) Die("enqueue: " + r.error().message);
    const int64_t committed = NowMs();
    for (const auto& id : ids) timed.Enqueued(id, committed);
    serial += count;
  }
}

int64_t Pending(store::Database& db) {
  auto s = db.Read([](store::Tx& tx) { return store::NotificationRepo(tx).Stats(); });
  if (!s) Die("stats: " + s.error().message);
  return s->pending;
}

struct Result {
  double drain_per_s = 0;
  double steady_per_s = 0;
  int64_t p50_ms = -1;
  int64_t p99_ms = -1;
};

Result RunOne(const std::string& url, const std::string& channel, notify::Transport& transport,
              const notify::TemplateSet& templates, int workers, int drain_n, int rate,
              int seconds) {
  auto opened = store::OpenDatabase(url, {.pool_size = workers + 4});
  if (!opened) Die("open " + url + ": " + opened.error().message);
  store::Database& db = **opened;
  if (auto m = store::Migrate(db, "agent"); !m) Die("migrate: " + m.error().message);
  Timed timed(transport);
  core::SystemClock clock;
  notify::OutboxOptions oo;
  oo.workers = workers;
  oo.batch = 32;
  oo.poll_interval = std::chrono::milliseconds(20);
  oo.retry_base = std::chrono::milliseconds(200);
  int serial = 0;
  Result out;
  // 1. Drain: a backlog of drain_n messages, then the workers start.
  Enqueue(db, channel, drain_n, 500, serial, timed);
  {
    notify::Outbox outbox(db, templates, {.email = &timed, .sms = &timed}, clock, oo);
    const auto t0 = Clock::now();
    outbox.Start();
    while (Pending(db) > 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    const double s = std::chrono::duration<double>(Clock::now() - t0).count();
    outbox.Stop();
    out.drain_per_s = drain_n / s;
  }
  timed.TakeDelays();
  // 2. Steady: `rate` messages per second for `seconds`, in commits every 10 ms.
  {
    notify::Outbox outbox(db, templates, {.email = &timed, .sms = &timed}, clock, oo);
    outbox.Start();
    const int per_tick = std::max(1, rate / 100);
    const auto t0 = Clock::now();
    auto next = t0;
    int sent = 0;
    while (Clock::now() - t0 < std::chrono::seconds(seconds)) {
      Enqueue(db, channel, per_tick, per_tick, serial, timed);
      sent += per_tick;
      next += std::chrono::milliseconds(10);
      std::this_thread::sleep_until(next);
    }
    while (Pending(db) > 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    const double s = std::chrono::duration<double>(Clock::now() - t0).count();
    outbox.Stop();
    out.steady_per_s = sent / s;
  }
  auto delays = timed.TakeDelays();
  out.p50_ms = Percentile(delays, 0.50);
  out.p99_ms = Percentile(delays, 0.99);
  return out;
}

std::string PgAdmin(const std::string& url, const std::string& sql) {
  PGconn* c = PQconnectdb(url.c_str());
  std::string err;
  if (PQstatus(c) != CONNECTION_OK) {
    err = PQerrorMessage(c);
  } else {
    PGresult* r = PQexec(c, sql.c_str());
    if (PQresultStatus(r) != PGRES_COMMAND_OK) err = PQresultErrorMessage(r);
    PQclear(r);
  }
  PQfinish(c);
  return err;
}

std::string WithDatabase(const std::string& url, const std::string& db) {
  const auto scheme = url.find("://");
  const auto slash = url.find('/', scheme + 3);
  const auto query = url.find('?');
  const std::string tail = query == std::string::npos ? "" : url.substr(query);
  return (slash == std::string::npos ? url.substr(0, query) : url.substr(0, slash)) + "/" + db +
         tail;
}

}  // namespace

int main(int argc, char** argv) {
  int drain_n = 5000;
  int rate = 1000;
  int seconds = 5;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--drain") drain_n = std::atoi(argv[i + 1]);
    if (a == "--rate") rate = std::atoi(argv[i + 1]);
    if (a == "--seconds") seconds = std::atoi(argv[i + 1]);
  }
  if (!core::InitCrypto() || !notify::InitCurl()) Die("init");
  core::SetLogLevel(core::LogLevel::kError);
  auto templates = notify::TemplateSet::LoadEmbedded({});
  if (!templates) Die(templates.error().message);

  // The SMS sink: an HTTP server answering 200 to every POST.
  http::Router sink_router;
  sink_router.Add("POST", "/sms", [](http::Request&) -> core::Result<http::Response> {
    return http::Response::RawJson("{}");
  });
  http::ServerOptions so;
  so.listen = "127.0.0.1:0";
  so.threads = 2;
  so.access_log = false;
  http::Server sink(so, sink_router);
  if (auto s = sink.Start(); !s) Die("sink: " + s.error().message);
  auto sms = notify::MakeSmsGatewayTransport(
      {.url = "http://127.0.0.1:" + std::to_string(sink.port()) + "/sms", .token = "bench"});
  if (!sms) Die(sms.error().message);

  // The SMTP sink: smtp_sink.py with Debian's python3 (python3-aiosmtpd), if present.
  std::unique_ptr<notify::Transport> smtp;
  pid_t smtp_pid = -1;
  const char* root = std::getenv("BEIAN_REPO");
  const std::string script = std::string(root ? root : ".") + "/tests/integration/lib/smtp_sink.py";
  if (std::filesystem::exists("/usr/bin/python3") && std::filesystem::exists(script)) {
    const int port = 20000 + static_cast<int>(getpid() % 20000);
    // The sink stops when its stdin closes: give it a pipe this process holds until the end.
    int fds[2];
    if (pipe(fds) != 0) Die("pipe");
    smtp_pid = fork();
    if (smtp_pid == 0) {
      dup2(fds[0], 0);
      close(fds[1]);
      if (!std::freopen("/dev/null", "w", stdout)) _exit(127);
      execl("/usr/bin/python3", "python3", script.c_str(), std::to_string(port).c_str(), "accept",
            static_cast<char*>(nullptr));
      _exit(127);
    }
    close(fds[0]);
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    auto t = notify::MakeSmtpTransport(
        {.url = "smtp://127.0.0.1:" + std::to_string(port), .mail_from = "bench@beian.test"});
    if (t) smtp = std::move(*t);
  }

  std::vector<Backend> backends;
  const std::string dir =
      (std::filesystem::temp_directory_path() / ("beian-outbox-bench-" + std::to_string(getpid())))
          .string();
  std::filesystem::create_directories(dir);
  int run = 0;
  backends.push_back(
      {"SQLite", "", [&] { return "sqlite://" + dir + "/run" + std::to_string(++run) + ".db"; }});
  std::vector<std::string> pg_dbs;
  const char* pg = std::getenv("BEIAN_BENCH_POSTGRES_URL");
  if (pg && *pg) {
    backends.push_back({"PostgreSQL", "", [&] {
                          const std::string name = "beian_outbox_bench_" +
                                                   std::to_string(getpid()) + "_" +
                                                   std::to_string(++run);
                          const std::string err = PgAdmin(pg, "CREATE DATABASE " + name);
                          if (!err.empty()) Die("create database: " + err);
                          pg_dbs.push_back(name);
                          return WithDatabase(pg, name);
                        }});
  }

  std::cout
      << "| backend | channel | workers | backlog drained (msg/s) | steady load (msg/s) "
         "| delay p50 (ms) | delay p99 (ms) |\n| --- | --- | --- | ---: | ---: | ---: | ---: |\n";
  for (const Backend& b : backends) {
    for (const std::string channel : {"sms", "email"}) {
      notify::Transport* t = channel == "sms" ? sms->get() : smtp.get();
      if (!t) continue;
      // The SMTP sink (Python) is far slower than the HTTP one: a smaller load.
      const int n = channel == "sms" ? drain_n : drain_n / 5;
      const int r = channel == "sms" ? rate : rate / 5;
      for (int workers : {1, 4}) {
        Result res = RunOne(b.fresh(), channel, *t, **templates, workers, n, r, seconds);
        std::printf("| %s | %s | %d | %.0f | %.0f (offered %d) | %lld | %lld |\n", b.name.c_str(),
                    channel == "sms" ? "SMS → HTTP sink" : "e-mail → SMTP sink", workers,
                    res.drain_per_s, res.steady_per_s, r, static_cast<long long>(res.p50_ms),
                    static_cast<long long>(res.p99_ms));
        std::fflush(stdout);
      }
    }
  }
  sink.Shutdown();
  sink.Wait();
  if (smtp_pid > 0) {
    kill(smtp_pid, SIGTERM);
    waitpid(smtp_pid, nullptr, 0);
  }
  for (const auto& name : pg_dbs) PgAdmin(pg, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  std::filesystem::remove_all(dir);
  return 0;
}
