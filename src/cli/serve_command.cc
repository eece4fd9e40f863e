// `beian serve`: runs the agent (8080) and the authority (8090) — or one of them with
// --service — each on its own database, until SIGINT/SIGTERM; then stops accepting, finishes the
// requests in flight and exits 0. Also the hidden `beian routes`, which wires the same routes.
#include <pthread.h>

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "accounts/password_pool.h"
#include "agent/agent_module.h"
#include "agent/public_readiness.h"
#include "authority/authority_client.h"
#include "authority/authority_module.h"
#include "authority/providers.h"
#include "authority/results_delivery.h"
#include "authority/sms_verification.h"
#include "authority/sms_verification_routes.h"
#include "blob/file_blob_store.h"
#include "blob/memory_blob_store.h"
#include "cli/commands.h"
#include "cli/data_options.h"
#include "cli/demo_data.h"
#include "cli/rules_source.h"
#include "cli/web_app.h"
#include "core/crypto.h"
#include "core/log.h"
#include "core/periodic_task.h"
#include "core/request_signing.h"
#include "core/roles.h"
#include "core/time_text.h"
#include "domain/authority_reasons.h"
#include "http/health.h"
#include "http/router.h"
#include "http/server.h"
#include "notify/curl_transports.h"
#include "notify/mailbox_transport.h"
#include "notify/notify_routes.h"
#include "notify/outbox.h"
#include "store/handovers.h"
#include "store/migrations.h"
#include "store/notifications.h"
#include "store/submissions.h"

namespace beian::cli {
namespace {

struct ServeOptions {
  DataOptions data;
  std::string service = "both";
  std::string agent_listen = "127.0.0.1:8080";
  std::string authority_listen = "127.0.0.1:8090";
  int threads = 2;
  int password_threads = 2;
  bool no_demo = false;
  bool migrate = false;
  std::string web_dir = "web/dist";
  std::string smtp_url;
  std::string sms_gateway_url;
  // The authority this agent talks to; empty with both services: the local one, registered
  // automatically (issue 10 item 1).
  std::string authority_url;
  std::string provider_id;
  std::string provider_key;
  std::string mail_from;
  std::string provider_name = "备案服务";
  int notify_workers = 2;
  int notify_max_attempts = 8;
  double notify_retry_s = 30;
  double notify_lease_s = 120;
  int notify_poll_ms = 200;
  bool cookie_secure = false;
  std::string log_level = "info";
  uint64_t body_limit = 8 * 1024 * 1024;
  uint64_t upload_limit = agent::kDefaultUploadLimit;
  int db_pool = 8;
  std::string rules_dir;
  bool trust_proxy = false;
  std::string metrics_token;
  std::vector<std::string> public_urls;  // as given; empty: the listen addresses and localhost
  double header_timeout_s = 10;
  double idle_timeout_s = 60;
  int max_websites = 10;
  int max_domains = 10;
  int claim_minutes = agent::kDefaultClaimMinutes;
  // Seconds between two runs of the public registry sync (issue 10 item 7); 0: no sync.
  double registry_sync_interval_s = 2;
  // The hand-over to the authority (issue 10 item 3): the delay before the second attempt
  // (doubling, at most 10 minutes) and how long a worker holds a row it is sending.
  double handover_retry_s = 2;
  double handover_lease_s = 120;
  // The public look-up (issue 11): overlay entries that trigger a snapshot rebuild; requests a
  // second per client address (0: no limit) and the addresses never limited.
  size_t public_snapshot_rebuild_after = 50'000;
  double public_rate_limit = 0;
  // /readyz turns 503 public_lookup_stale when the answers are older than this while the sync
  // is not caught up (the authority unreachable); 0: no limit (issue 11 item 2).
  double public_max_staleness_s = 0;
  std::vector<std::string> public_rate_trusted;
  // The authority's results outbox (issue 10 item 6): how long a delivery's lease lasts (a
  // killed worker's rows are sent again after it) and the longest wait between two tries.
  double provider_events_lease_s = 60;
  double provider_events_max_backoff_s = 600;
  // The authority's messages (SMS codes, ICP password, review outcome) are signed 【name】.
  std::string authority_name = "工信部ICP备案";
  // Test-only (hidden): SMS codes valid this many seconds instead of the rules' 24 hours (0: the
  // rules'), and the sweeper of expired SMS verifications every this many seconds.
  double sms_code_validity_s = 0;
  double sms_sweep_interval_s = 30;
  // Changes per page while the copy is far behind the feed (issue 11 item 2).
  int registry_sync_page = 10000;
};

// "host:port" of a listen address with a wildcard host replaced by the loopback one: where this
// process reaches its own other service.
std::string LoopbackAddress(const std::string& listen) {
  size_t colon = listen.rfind(':');
  std::string host = colon == std::string::npos ? listen : listen.substr(0, colon);
  const std::string port = colon == std::string::npos ? "" : listen.substr(colon);
  if (host.empty() || host == "0.0.0.0") host = "127.0.0.1";
  if (host == "[::]") host = "[::1]";
  return host + port;
}

// One service's database and router. Its server is held apart (see Serve): the server's threads
// run handlers that use the module, so the server must stop before the module goes.
struct Hosted {
  explicit Hosted(std::string n) : name(std::move(n)) {}
  std::string name;
  std::unique_ptr<store::Database> db;
  http::Router router;
};

core::Status OpenAndCheck(const ServeOptions& o, Hosted& h) {
  BEIAN_ASSIGN_OR_RETURN(h.db, OpenServiceDatabase(o.data, h.name, o.db_pool));
  if (o.migrate) {
    BEIAN_TRY(store::Migrate(*h.db, h.name));
  } else {
    // A brand-new empty database gets its schema without --migrate (first start); one that
    // holds anything, an older schema included, is upgraded only when the operator says so.
    BEIAN_ASSIGN_OR_RETURN(bool created, store::CreateSchemaIfEmpty(*h.db, h.name));
    if (created) core::Log(core::LogLevel::kInfo, "schema_created", {{"service", h.name}});
  }
  auto current = store::RequireCurrentSchema(*h.db, h.name);
  if (!current) {
    return core::Error(current.error().code, "the " + h.name + " database schema is not current (" +
                                                 current.error().message +
                                                 "): run `beian migrate` (or serve --migrate)");
  }
  return core::Ok();
}

// The URLs a service answers under (http::RouterOptions::public_urls): --public-url as given
// (validated at start), else its listen address and localhost on the same port. A wildcard
// listen address stands for the loopback one, with a warning: other names need --public-url.
std::vector<std::string> PublicUrlsFor(const ServeOptions& o, const std::string& listen) {
  std::vector<std::string> urls;
  auto add = [&urls](const std::string& url) {
    auto normalized = http::NormalizePublicUrl(url);
    if (normalized && std::find(urls.begin(), urls.end(), *normalized) == urls.end()) {
      urls.push_back(*normalized);
    }
  };
  if (!o.public_urls.empty()) {
    for (const std::string& url : o.public_urls) add(url);
    return urls;
  }
  size_t colon = listen.rfind(':');
  std::string host = colon == std::string::npos ? listen : listen.substr(0, colon);
  std::string port = colon == std::string::npos ? "" : listen.substr(colon + 1);
  if (host.empty() || host == "0.0.0.0" || host == "[::]") {
    core::Log(core::LogLevel::kWarn, "public_url_missing",
              {{"listen", listen},
               {"message",
                "listening on every address, but without --public-url only the loopback names "
                "are served (other Host names get 421)"}});
    host = host == "[::]" ? "[::1]" : "127.0.0.1";
  }
  add("http://" + host + ":" + port);
  add("http://localhost:" + port);
  return urls;
}

// `ready`: the service's own readiness beyond its database (e.g. the agent's public look-up),
// with what /readyz adds to its body.
void Mount(const ServeOptions& o, Hosted& h, std::string_view api_prefix,
           http::DescribedReadiness ready = {}) {
  h.router.SetPublicUrls(PublicUrlsFor(o, h.name == "agent" ? o.agent_listen : o.authority_listen));
  store::Database* db = h.db.get();
  const std::string service = h.name;
  http::AddDescribedHealthRoutes(h.router,
                                 [db, service, ready]() -> core::Result<std::string> {
                                   BEIAN_TRY(db->Ping());
                                   BEIAN_TRY(store::RequireCurrentSchema(*db, service));
                                   return ready ? ready() : std::string();
                                 },
                                 {.metrics_token = o.metrics_token});
  h.router.metrics().AddGauge("beian_db_pool_in_use", "Database connections lent to a transaction",
                              [db] { return static_cast<double>(db->Stats().in_use); });
  h.router.metrics().AddGauge("beian_db_pool_size", "Database connections open",
                              [db] { return static_cast<double>(db->Stats().size); });
  // The applicant's console links to the authority's SMS verification page: the authority this
  // agent talks to (--authority-url), or the local one with both services.
  std::string authority_public_url;
  if (h.name == "agent") {
    authority_public_url = !o.authority_url.empty() ? o.authority_url
                           : o.service == "both" ? "http://" + LoopbackAddress(o.authority_listen)
                                                 : std::string();
    while (authority_public_url.ends_with("/")) authority_public_url.pop_back();
  }
  MountWebApp(h.router, {.web_dir = o.web_dir,
                         .service = h.name,
                         .api_prefix = std::string(api_prefix),
                         .demo = !o.no_demo,
                         .authority_public_url = authority_public_url});
}

// The agent's routes on its router: the module's, then Mount's. Serve and `beian routes` both
// wire through here, so the table `beian routes` prints is the one served.
void WireAgent(const ServeOptions& o, Hosted& h, const core::Clock& clock,
               const core::PiiCipher& pii, const domain::Rules& rules,
               accounts::PasswordPool* password_pool, blob::BlobStore& blobs,
               const authority::AuthorityClient* authority,
               std::unique_ptr<agent::AgentModule>& module) {
  agent::AgentOptions options;
  if (authority != nullptr) {
    // The judgement reads the authority's registry, and SN + ICP password are verified there.
    options.applications.provider = authority->options().provider_id;
    options.applications.registry_lookup = [authority](const domain::Application& app) {
      std::vector<std::string> domains;
      for (const domain::Website& w : app.websites) {
        for (const std::string& d : w.domains) {
          if (!d.empty()) domains.push_back(d);
        }
      }
      return authority->Lookup(app.organizer.certificate.type, app.organizer.certificate.number,
                               domains);
    };
    options.applications.credentials_check =
        [authority](const std::string& type, const std::string& number, const std::string& sn,
                    const std::string& password) {
          return authority->VerifyCredentials(type, number, sn, password);
        };
    // The agent's copy of the public registry follows the authority's change feed.
    options.registry_changes = [authority](int64_t since, int limit) {
      return authority->Changes(since, limit);
    };
    // The hand-over: one POST per attempt, given most of the lease (a submission carries every
    // document); the authority's events are signed with the same provider key.
    const auto lease = std::chrono::milliseconds(static_cast<int64_t>(o.handover_lease_s * 1000));
    const auto timeout = std::max(std::chrono::milliseconds(1000), lease * 2 / 5);
    options.submission_sender =
        [authority, timeout](const std::string& body) -> core::Result<agent::SubmissionReply> {
      BEIAN_ASSIGN_OR_RETURN(authority::AuthorityClient::Reply reply,
                             authority->Submit(body, timeout));
      return agent::SubmissionReply{reply.status, std::move(reply.body)};
    };
    options.handover.lease = lease;
    options.handover.retry_base =
        std::chrono::milliseconds(static_cast<int64_t>(o.handover_retry_s * 1000));
    auto key = core::ParseProviderKey(authority->options().provider_key);
    if (key) options.authority_link = {authority->options().provider_id, std::move(*key)};
  }
  options.registry_catch_up_page = o.registry_sync_page;
  options.cookie_secure = o.cookie_secure;
  options.password_pool = password_pool;
  options.applications.max_websites = o.max_websites;
  options.applications.max_domains = o.max_domains;
  options.blobs = &blobs;
  options.upload_limit = o.upload_limit;
  options.review.claim_duration = std::chrono::minutes(o.claim_minutes);
  options.public_snapshot_dir = std::filesystem::path(o.data.data_dir) / "public-snapshot";
  options.public_snapshot_rebuild_after = o.public_snapshot_rebuild_after;
  options.public_rate_limit.rate = o.public_rate_limit;
  for (const std::string& cidr : o.public_rate_trusted) {
    // Checked when the options were parsed.
    if (auto block = agent::ParseCidr(cidr)) options.public_rate_limit.trusted.push_back(*block);
  }
  module = std::make_unique<agent::AgentModule>(*h.db, clock, pii, rules, std::move(options));
  module->Register(h.router);
  // The mailbox is every signed-in account's in demo mode (a new user reads what was "sent").
  notify::RegisterNotifyRoutes(h.router, *h.db,
                               {.prefix = std::string(agent::kApiPrefix),
                                .admin_role = std::string(core::kRoleAdmin),
                                .mailbox_for_everyone = !o.no_demo,
                                .clock = &clock,
                                .open_address = notify::SealedAddressOpener(pii)});
  // Ready for public look-ups (issue 11 item 2, agent/public_readiness.h) once the registry copy
  // has been current — in this process or, per its mark file, an earlier one — and the index
  // serves; the body states what is served (as of which change and time, caught up or not, the
  // authority's state); past --public-max-staleness without catching up, 503.
  agent::PublicLookupIndex* index = module->public_index();
  agent::RegistrySync* sync = o.registry_sync_interval_s > 0 ? module->registry_sync() : nullptr;
  http::DescribedReadiness ready;
  if (sync != nullptr) {
    const auto max_staleness_ms = static_cast<int64_t>(o.public_max_staleness_s * 1000);
    ready = [index, sync, &clock, max_staleness_ms]() -> core::Result<std::string> {
      agent::PublicReadinessInput in;
      in.sync = sync->Freshness();
      in.now_ms = core::ToMillis(clock.Now());
      in.max_staleness_ms = max_staleness_ms;
      if (index != nullptr) {
        const agent::PublicLookupIndexStats stats = index->Stats();
        in.index_serving = stats.serving;
        in.index_reason = stats.reason;
        in.served_seq = stats.last_seq;
      } else {
        in.index_serving = true;  // look-ups read the copy
        in.served_seq = in.sync.cursor;
      }
      return agent::PublicReadiness(in);
    };
  } else if (index != nullptr) {
    ready = [index]() -> core::Result<std::string> {
      BEIAN_TRY(index->Ready());
      return std::string();
    };
  }
  Mount(o, h, agent::kApiPrefix, std::move(ready));
}

// The notification machinery of one service: its templates, transports and outbox workers. With
// neither --smtp-url nor --sms-gateway-url every message goes to the development mailbox; with
// one of them the other channel still goes to the mailbox (and the start says so).
struct Notifier {
  std::unique_ptr<notify::TemplateSet> templates;
  std::unique_ptr<notify::Transport> email;
  std::unique_ptr<notify::Transport> sms;
  std::unique_ptr<notify::Outbox> outbox;
};

// True when some channel's messages go to the development mailbox (see SetUpNotifier).
bool UsesMailbox(const ServeOptions& o) { return o.smtp_url.empty() || o.sms_gateway_url.empty(); }

// `sender` signs the service's messages (--provider-name, --authority-name); `listen` is the
// service's address, naming its console in them unless --public-url is given.
core::Status SetUpNotifier(const ServeOptions& o, Hosted& h, const core::Clock& clock,
                           const core::PiiCipher& pii, Notifier& n, const std::string& sender,
                           const std::string& listen) {
  std::string console_url =
      o.public_urls.empty() ? "http://" + listen + "/" : o.public_urls.front();
  if (!console_url.ends_with("/")) console_url += "/";
  BEIAN_ASSIGN_OR_RETURN(n.templates, notify::TemplateSet::LoadEmbedded(
                                          {.provider_name = sender, .console_url = console_url}));
  if (!o.smtp_url.empty()) {
    auto env = [](const char* name) {
      const char* v = std::getenv(name);
      return std::string(v ? v : "");
    };
    BEIAN_ASSIGN_OR_RETURN(n.email,
                           notify::MakeSmtpTransport({.url = o.smtp_url,
                                                      .mail_from = o.mail_from,
                                                      .user = env("BEIAN_SMTP_USER"),
                                                      .password = env("BEIAN_SMTP_PASSWORD")}));
  }
  if (!o.sms_gateway_url.empty()) {
    const char* token = std::getenv("BEIAN_SMS_GATEWAY_TOKEN");
    BEIAN_ASSIGN_OR_RETURN(n.sms, notify::MakeSmsGatewayTransport(
                                      {.url = o.sms_gateway_url, .token = token ? token : ""}));
  }
  if (!n.email || !n.sms) {
    auto mailbox = std::make_unique<notify::MailboxTransport>(*h.db, clock);
    if (n.email || n.sms) {
      core::Log(core::LogLevel::kWarn, "notify_mailbox_for_one_channel",
                {{"channel", n.email ? "sms" : "email"},
                 {"message",
                  "only one of --smtp-url and --sms-gateway-url is set: the other "
                  "channel's messages go to the development mailbox"}});
    }
    if (!n.email && !n.sms) {
      n.email = std::move(mailbox);
    } else if (!n.email) {
      n.email = std::move(mailbox);
    } else {
      n.sms = std::move(mailbox);
    }
  }
  notify::Transport* sms = n.sms ? n.sms.get() : n.email.get();  // both the mailbox
  notify::OutboxOptions oo;
  oo.workers = o.notify_workers;
  oo.max_attempts = o.notify_max_attempts;
  oo.retry_base = std::chrono::milliseconds(static_cast<int64_t>(o.notify_retry_s * 1000));
  oo.retry_max = std::max(oo.retry_base, std::chrono::milliseconds(3600000));
  oo.lease = std::chrono::milliseconds(static_cast<int64_t>(o.notify_lease_s * 1000));
  oo.poll_interval = std::chrono::milliseconds(o.notify_poll_ms);
  oo.open_address = notify::SealedAddressOpener(pii);
  oo.open_param = notify::SealedParamOpener(pii);
  n.outbox = std::make_unique<notify::Outbox>(
      *h.db, *n.templates, notify::Transports{.email = n.email.get(), .sms = sms}, clock, oo);
  // /metrics: deliveries per channel since start, and the outbox's backlog.
  notify::Outbox* outbox = n.outbox.get();
  for (std::string channel : {"email", "sms"}) {
    h.router.metrics().AddGauge(
        "beian_notifications_sent_total_" + channel, "Notifications delivered (" + channel + ")",
        [outbox, channel] { return static_cast<double>(outbox->counters(channel).sent.load()); });
    h.router.metrics().AddGauge(
        "beian_notifications_retried_total_" + channel,
        "Deliveries to be retried (" + channel + ")", [outbox, channel] {
          return static_cast<double>(outbox->counters(channel).retried.load());
        });
    h.router.metrics().AddGauge(
        "beian_notifications_failed_total_" + channel,
        "Notifications parked as failed (" + channel + ")",
        [outbox, channel] { return static_cast<double>(outbox->counters(channel).failed.load()); });
  }
  store::Database* db = h.db.get();
  h.router.metrics().AddGauge(
      "beian_outbox_oldest_pending_seconds", "Age of the oldest undelivered notification",
      [db, &clock] {
        auto stats = db->Read([](store::Tx& tx) { return store::NotificationRepo(tx).Stats(); });
        if (!stats || !stats->oldest_pending_created_at_ms) return 0.0;
        const int64_t now =
            std::chrono::duration_cast<std::chrono::milliseconds>(clock.Now().time_since_epoch())
                .count();
        return static_cast<double>(now - *stats->oldest_pending_created_at_ms) / 1000.0;
      });
  core::Log(core::LogLevel::kInfo, "notify_ready",
            {{"service", h.name},
             {"email", n.email->Describe()},
             {"sms", sms->Describe()},
             {"workers", o.notify_workers}});
  return core::Ok();
}

void WireAuthority(const ServeOptions& o, Hosted& h, const core::Clock& clock,
                   const core::PiiCipher& pii, const domain::Rules& rules,
                   accounts::PasswordPool* password_pool, blob::BlobStore& blobs,
                   std::unique_ptr<authority::AuthorityModule>& module,
                   std::unique_ptr<authority::SmsVerification>& sms) {
  module = std::make_unique<authority::AuthorityModule>(
      *h.db, clock, pii, rules,
      authority::AuthorityOptions{
          .cookie_secure = o.cookie_secure, .password_pool = password_pool, .blobs = &blobs});
  module->Register(h.router);
  // SMS verification (issue 10 item 4): the codes sent on arrival, the public entry and resend.
  authority::SmsVerificationOptions sms_options;
  if (o.sms_code_validity_s > 0) {
    sms_options.code_validity_ms = static_cast<int64_t>(o.sms_code_validity_s * 1000);
  }
  sms = std::make_unique<authority::SmsVerification>(*h.db, clock, pii, rules, sms_options);
  authority::SmsVerification* verification = sms.get();
  module->intake().SetStartSmsHook(
      [verification](store::Tx& tx, const store::SubmissionRecord& s,
                     const std::vector<authority::SmsPerson>& persons, const core::PiiCipher&,
                     int64_t) { return verification->Start(tx, s, persons); });
  authority::RegisterSmsVerificationRoutes(h.router, *sms);
  // The authority's outbox for operators, and its development mailbox (the SMS codes, the ICP
  // password) while some channel goes there.
  notify::RegisterNotifyRoutes(h.router, *h.db,
                               {.prefix = std::string(authority::kApiPrefix),
                                .admin_role = std::string(core::kRoleAuthorityReviewer),
                                .mailbox_for_everyone = false,
                                .mailbox = UsesMailbox(o),
                                .own_history = false,
                                .clock = &clock,
                                .open_address = notify::SealedAddressOpener(pii)});
  Mount(o, h, authority::kApiPrefix);
}

core::Status StartServer(const ServeOptions& o, Hosted& h, const std::string& listen,
                         std::unique_ptr<http::Server>& server, std::string spool_dir = {}) {
  http::ServerOptions so;
  so.spool_dir = std::move(spool_dir);
  so.listen = listen;
  so.threads = o.threads;
  so.body_limit = o.body_limit;
  so.service_name = h.name;
  so.trust_proxy_headers = o.trust_proxy;
  so.hsts = o.cookie_secure;
  so.header_timeout = std::chrono::milliseconds(static_cast<int64_t>(o.header_timeout_s * 1000));
  so.idle_timeout = std::chrono::milliseconds(static_cast<int64_t>(o.idle_timeout_s * 1000));
  server = std::make_unique<http::Server>(so, h.router);
  auto started = server->Start();
  if (!started) {
    return core::Error(started.error().code,
                       "cannot listen on " + listen + ": " + started.error().message);
  }
  return core::Ok();
}

int Serve(const ServeOptions& o) {
  auto level = core::ParseLogLevel(o.log_level);
  if (!level) {
    std::cerr << "beian serve: --log-level: " << level.error().message << "\n";
    return 2;
  }
  core::SetLogLevel(*level);
  if (!core::InitCrypto()) {
    std::cerr << "beian: libsodium could not be initialised\n";
    return 1;
  }
  if (!notify::InitCurl()) {
    std::cerr << "beian: libcurl could not be initialised\n";
    return 1;
  }
  if (o.service != "both" && o.service != "agent" && o.service != "authority") {
    std::cerr << "beian serve: --service must be agent, authority or both\n";
    return 2;
  }
  for (const std::string& url : o.public_urls) {
    if (auto normalized = http::NormalizePublicUrl(url); !normalized) {
      std::cerr << "beian serve: --public-url: " << normalized.error().message << "\n";
      return 2;
    }
  }
  // Block the stop signals in every thread; this thread waits for them with sigwait.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  auto fail = [](const core::Error& e) {
    std::cerr << "beian serve: " << e.message << "\n";
    return 1;
  };
  if (auto prepared = o.data.Prepare(); !prepared) return fail(prepared.error());
  auto rules = LoadRulesFrom(o.rules_dir);
  if (!rules) return fail(core::Error(rules.error().code, "rules: " + rules.error().message));
  // The reason catalogue is checked before anything listens (the module would refuse it later).
  if (auto reasons = agent::ReasonCatalogue::BuiltIn(); !reasons) return fail(reasons.error());
  if (auto reasons = domain::AuthorityReasons::BuiltIn(); !reasons) {
    return fail(reasons.error());
  }

  auto key = o.data.SecretKey();
  if (!key) return fail(key.error());
  const core::PiiCipher pii(*key);
  static core::SystemClock clock;
  const bool run_agent = o.service != "authority";
  const bool run_authority = o.service != "agent";
  // Owners before users: destruction runs in reverse, so on every return (a port that cannot be
  // bound included) the servers stop and join their threads before the modules whose services
  // their handlers call are destroyed, and those before the databases and routers.
  // Password hashing for both services, off the I/O threads (issue 6 item 4).
  accounts::PasswordPool password_pool({.threads = o.password_threads});
  Hosted agent_host("agent");
  Hosted authority_host("authority");
  // Documents live under <data-dir>/blobs, outside any served folder.
  std::unique_ptr<blob::FileBlobStore> blobs;
  // The authority's documents (handed over by providers) under <data-dir>/authority-blobs.
  std::unique_ptr<blob::FileBlobStore> authority_blobs;
  std::unique_ptr<agent::AgentModule> agent_module;
  std::unique_ptr<authority::AuthorityModule> authority_module;
  std::unique_ptr<authority::AuthorityClient> authority_client;
  std::unique_ptr<authority::SmsVerification> sms_verification;
  Notifier agent_notifier;
  Notifier authority_notifier;
  std::unique_ptr<http::Server> agent_server;
  std::unique_ptr<http::Server> authority_server;

  if (run_authority) {
    if (auto s = OpenAndCheck(o, authority_host); !s) return fail(s.error());
    auto opened =
        blob::FileBlobStore::Open(std::filesystem::path(o.data.data_dir) / "authority-blobs");
    if (!opened) return fail(opened.error());
    authority_blobs = std::move(*opened);
    authority_blobs->RemoveStaleTemporaries();
    WireAuthority(o, authority_host, clock, pii, *rules, &password_pool, *authority_blobs,
                  authority_module, sms_verification);
    if (auto s = SetUpNotifier(o, authority_host, clock, pii, authority_notifier, o.authority_name,
                               o.authority_listen);
        !s) {
      return fail(core::Error(s.error().code, "notifications: " + s.error().message));
    }
    // Results not yet delivered to the providers (issue 10 item 6), read at each scrape.
    store::Database* authority_db = authority_host.db.get();
    authority_host.router.metrics().AddGauge(
        "beian_provider_events_backlog",
        "Results (provider_events) not yet delivered to the providers' agents", [authority_db] {
          auto stats = authority_db->Read(
              [](store::Tx& tx) { return store::ProviderEventRepo(tx).Stats(); });
          return stats ? static_cast<double>(stats->pending) : -1.0;
        });
  }
  if (run_agent) {
    authority::AuthorityClientOptions client;
    if (!o.authority_url.empty()) {
      if (o.provider_id.empty() || o.provider_key.empty()) {
        std::cerr << "beian serve: --authority-url needs --provider-id and --provider-key\n";
        return 2;
      }
      client = {o.authority_url, o.provider_id, o.provider_key};
    } else if (run_authority) {
      // Both services: the agent is the local authority's provider "local", its key kept in
      // <data-dir>/provider.key, so the whole journey needs no flag.
      auto local_key = authority::EnsureLocalProvider(
          *authority_host.db, clock, pii,
          {std::string(authority::kLocalProviderId), "本机接入服务商 (local provider)",
           "http://" + LoopbackAddress(o.agent_listen)},
          (std::filesystem::path(o.data.data_dir) / "provider.key").string());
      if (!local_key) return fail(local_key.error());
      client = {"http://" + LoopbackAddress(o.authority_listen),
                std::string(authority::kLocalProviderId), *local_key};
    }
    if (!client.base_url.empty()) {
      auto created = authority::AuthorityClient::Create(std::move(client), clock);
      if (!created) {
        return fail(core::Error(created.error().code, "authority: " + created.error().message));
      }
      authority_client = std::move(*created);
    }
    if (auto s = OpenAndCheck(o, agent_host); !s) return fail(s.error());
    auto opened = blob::FileBlobStore::Open(std::filesystem::path(o.data.data_dir) / "blobs");
    if (!opened) return fail(opened.error());
    blobs = std::move(*opened);
    // Uploads a killed process left half-written (never referenced by a document row).
    blobs->RemoveStaleTemporaries();
    WireAgent(o, agent_host, clock, pii, *rules, &password_pool, *blobs, authority_client.get(),
              agent_module);
    if (auto s = SetUpNotifier(o, agent_host, clock, pii, agent_notifier, o.provider_name,
                               o.agent_listen);
        !s) {
      return fail(core::Error(s.error().code, "notifications: " + s.error().message));
    }
    // Gauges are added before the server starts (Metrics is read-only while serving).
    if (agent::HandoverWorker* handover = agent_module->handover()) {
      http::Metrics& metrics = agent_host.router.metrics();
      metrics.AddGauge(
          "beian_handover_delivered_total", "Hand-overs the authority accepted (by this process)",
          [handover] { return static_cast<double>(handover->counters().delivered.load()); });
      metrics.AddGauge("beian_handover_refused_total",
                       "Hand-overs the authority refused for good (by this process)", [handover] {
                         return static_cast<double>(handover->counters().refused.load());
                       });
      metrics.AddGauge(
          "beian_handover_retried_total", "Hand-over attempts to be retried (by this process)",
          [handover] { return static_cast<double>(handover->counters().retried.load()); });
      store::Database* db = agent_host.db.get();
      metrics.AddGauge("beian_handover_backlog", "Hand-overs not yet delivered nor refused", [db] {
        auto backlog =
            db->Read([](store::Tx& tx) { return store::HandoverRepo(tx).OpenBacklog(); });
        return backlog ? static_cast<double>(backlog->open) : -1.0;
      });
    }
    if (agent::RegistrySync* sync = agent_module->registry_sync()) {
      http::Metrics& metrics = agent_host.router.metrics();
      metrics.AddGauge("beian_registry_sync_cursor",
                       "The seq of the last registry change applied to the public copy",
                       [sync] { return static_cast<double>(sync->Stats().last_seq); });
      metrics.AddGauge("beian_registry_sync_age_seconds",
                       "Seconds since the public registry copy last caught up with the authority",
                       [sync] {
                         const int64_t last = sync->Stats().last_success_ms;
                         if (last == 0) return -1.0;
                         const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                                              clock.Now().time_since_epoch())
                                              .count();
                         return static_cast<double>(now - last) / 1000.0;
                       });
      metrics.AddGauge("beian_registry_sync_behind",
                       "Registry changes the public copy has still to apply (at the last page)",
                       [sync] { return static_cast<double>(sync->Stats().behind); });
      metrics.AddGauge("beian_registry_sync_caught_up",
                       "1 while the last run of the public registry sync reached the feed's head, "
                       "else 0",
                       [sync] { return sync->Stats().caught_up ? 1.0 : 0.0; });
      metrics.AddGauge("beian_registry_sync_failures",
                       "Runs of the public registry sync that failed",
                       [sync] { return static_cast<double>(sync->Stats().failures); });
      metrics.AddGauge("beian_public_lookup_as_of_seconds",
                       "Age of the public look-up's answers: seconds since the registry copy last "
                       "held every change of the authority's feed (-1: never)",
                       [sync] {
                         return agent::PublicLookupAgeSeconds(sync->Freshness(),
                                                              core::ToMillis(clock.Now()));
                       });
    }
    if (agent::PublicLookupIndex* index = agent_module->public_index()) {
      http::Metrics& metrics = agent_host.router.metrics();
      metrics.AddGauge("beian_public_snapshot_serving",
                       "1 while public look-ups are answered from the snapshot, else 0",
                       [index] { return index->Stats().serving ? 1.0 : 0.0; });
      metrics.AddGauge("beian_public_snapshot_seq", "The feed seq the public snapshot covers",
                       [index] { return static_cast<double>(index->Stats().snapshot_seq); });
      metrics.AddGauge("beian_public_snapshot_entries", "Domains in the public snapshot",
                       [index] { return static_cast<double>(index->Stats().snapshot_entries); });
      metrics.AddGauge("beian_public_snapshot_overlay_entries",
                       "Changes held in memory over the public snapshot",
                       [index] { return static_cast<double>(index->Stats().overlay_entries); });
      metrics.AddGauge("beian_public_snapshot_rebuilds", "Public snapshots built by this process",
                       [index] { return static_cast<double>(index->Stats().rebuilds); });
      metrics.AddGauge("beian_public_snapshot_damaged",
                       "Public snapshot files found damaged (then rebuilt, never served)",
                       [index] { return static_cast<double>(index->Stats().damaged); });
    }
  }
  if (!o.no_demo) {
    auto loaded = LoadDemoAccounts(agent_module ? &agent_module->accounts() : nullptr,
                                   authority_module ? &authority_module->accounts() : nullptr);
    if (!loaded) return fail(loaded.error());
    if (agent_module) {
      auto inventory = LoadDemoInventory(agent_module->inventory(), clock);
      if (!inventory) return fail(inventory.error());
    }
  }
  if (run_agent) {
    // Uploads stream into the blob store's own tmp folder, so that a finished one is renamed in.
    if (auto s = StartServer(o, agent_host, o.agent_listen, agent_server, blobs->tmp_dir()); !s) {
      return fail(s.error());
    }
  }
  if (run_authority) {
    if (auto s = StartServer(o, authority_host, o.authority_listen, authority_server); !s) {
      return fail(s.error());
    }
  }

  if (agent_notifier.outbox) agent_notifier.outbox->Start();
  // The hand-over outbox: rows a stopped or killed process left are sent now.
  if (agent_module && agent_module->handover()) agent_module->handover()->Start();
  if (authority_notifier.outbox) authority_notifier.outbox->Start();

  // Housekeeping: expired sessions are deleted every 10 minutes; so are the signed requests'
  // nonces that have left the timestamp window.
  std::vector<std::unique_ptr<core::PeriodicTask>> housekeeping;
  if (authority_module) {
    const authority::SignatureVerifier* verifier = &authority_module->verifier();
    housekeeping.push_back(
        std::make_unique<core::PeriodicTask>("purge_nonces", std::chrono::minutes(10), [verifier] {
          auto purged = verifier->PurgeExpiredNonces();
          if (!purged) {
            core::Log(core::LogLevel::kWarn, "purge_nonces_failed",
                      {{"error", purged.error().message}});
          }
        }));
    housekeeping.back()->Start();
  }
  if (agent_module) {
    agent::AuthorityEventsService* events = &agent_module->authority_events();
    housekeeping.push_back(std::make_unique<core::PeriodicTask>(
        "purge_authority_nonces", std::chrono::minutes(10), [events] {
          auto purged = events->PurgeExpiredNonces();
          if (!purged) {
            core::Log(core::LogLevel::kWarn, "purge_authority_nonces_failed",
                      {{"error", purged.error().message}});
          }
        }));
    housekeeping.back()->Start();
  }
  for (accounts::AccountsService* service :
       {agent_module ? &agent_module->accounts() : nullptr,
        authority_module ? &authority_module->accounts() : nullptr}) {
    if (!service) continue;
    housekeeping.push_back(
        std::make_unique<core::PeriodicTask>("purge_sessions", std::chrono::minutes(10), [service] {
          auto purged = service->PurgeExpiredSessions();
          if (!purged) {
            core::Log(core::LogLevel::kWarn, "purge_sessions_failed",
                      {{"error", purged.error().message}});
          } else if (*purged > 0) {
            core::Log(core::LogLevel::kInfo, "sessions_purged", {{"count", *purged}});
          }
        }));
    housekeeping.back()->Start();
  }

  // The public look-up's snapshot: opened (or built in the background) before the sync runs, so
  // that the sync's pages reach its overlay.
  if (agent_module && agent_module->public_index()) {
    if (auto s = agent_module->public_index()->Start(); !s) {
      return fail(core::Error(s.error().code, "public look-up snapshot: " + s.error().message));
    }
  }

  // Results back to the providers (issue 10 item 6): the provider_events outbox, polled every
  // second; a run drains what is due.
  std::unique_ptr<authority::ResultsDelivery> results_delivery;
  if (authority_module) {
    results_delivery = std::make_unique<authority::ResultsDelivery>(
        *authority_host.db, clock, pii,
        authority::ResultsDeliveryOptions{
            .lease =
                std::chrono::milliseconds(static_cast<int64_t>(o.provider_events_lease_s * 1000)),
            .max_backoff = std::chrono::milliseconds(
                static_cast<int64_t>(o.provider_events_max_backoff_s * 1000))});
    authority::ResultsDelivery* delivery = results_delivery.get();
    housekeeping.push_back(std::make_unique<core::PeriodicTask>(
        "provider_events", std::chrono::seconds(1), [delivery] {
          for (int round = 0; round < 100; ++round) {
            auto n = delivery->RunOnce();
            if (!n) {
              core::Log(core::LogLevel::kWarn, "provider_events_failed",
                        {{"error", n.error().message}});
              return;
            }
            if (*n == 0) return;
          }
        }));
    housekeeping.back()->Start();
  }

  // SMS verifications past their deadline expire (sms_timeout): at start, then every 30 s.
  if (sms_verification) {
    authority::SmsVerification* sms = sms_verification.get();
    auto sweep = [sms] {
      auto swept = sms->Sweep();
      if (!swept) {
        core::Log(core::LogLevel::kWarn, "sms_sweep_failed", {{"error", swept.error().message}});
      }
    };
    sweep();
    housekeeping.push_back(std::make_unique<core::PeriodicTask>(
        "sms_sweep", std::chrono::milliseconds(static_cast<int64_t>(o.sms_sweep_interval_s * 1000)),
        sweep));
    housekeeping.back()->Start();
  }

  // The public registry copy follows the authority's change feed (issue 10 item 7); lag shows in
  // /metrics as the age of the last complete run.
  if (agent_module && agent_module->registry_sync() && o.registry_sync_interval_s > 0) {
    agent::RegistrySync* sync = agent_module->registry_sync();
    housekeeping.push_back(std::make_unique<core::PeriodicTask>(
        "registry_sync",
        std::chrono::milliseconds(static_cast<int64_t>(o.registry_sync_interval_s * 1000)),
        [sync] { (void)sync->RunOnce(); }));
    housekeeping.back()->Start();
  }

  std::cout << "Beian is serving.\n";
  if (run_agent) {
    std::cout << "  provider console  http://" << o.agent_listen << "/  (database "
              << RedactUrl(o.data.AgentUrl()) << ")\n";
  }
  if (run_authority) {
    std::cout << "  authority console http://" << o.authority_listen << "/  (database "
              << RedactUrl(o.data.AuthorityUrl()) << ")\n";
  }
  if (!o.no_demo) {
    PrintDemoAccounts(std::cout, "http://" + o.agent_listen + "/",
                      "http://" + o.authority_listen + "/");
  }
  std::cout << "Stop with Ctrl-C." << std::endl;
  core::Log(core::LogLevel::kInfo, "serving",
            {{"rules_version", rules->version},
             {"agent", run_agent ? o.agent_listen : ""},
             {"authority", run_authority ? o.authority_listen : ""},
             {"threads", o.threads},
             {"password_threads", o.password_threads}});

  int signal = 0;
  sigwait(&stop_signals, &signal);
  core::Log(core::LogLevel::kInfo, "stopping", {{"signal", signal}});
  for (http::Server* server : {agent_server.get(), authority_server.get()}) {
    if (server) server->Shutdown();
  }
  for (http::Server* server : {agent_server.get(), authority_server.get()}) {
    if (server) server->Wait();
  }
  // The drain: the messages in hand finish, claimed ones not begun go back to the outbox.
  if (agent_notifier.outbox) agent_notifier.outbox->Stop();
  // A hand-over in flight finishes (its answer applied); rows not begun stay for the next start.
  if (agent_module && agent_module->handover()) agent_module->handover()->Stop();
  // A delivery in flight finishes; rows claimed and not begun go back to the outbox.
  if (results_delivery) results_delivery->RequestStop();
  if (authority_notifier.outbox) authority_notifier.outbox->Stop();
  for (auto& task : housekeeping) task->Stop();
  core::Log(core::LogLevel::kInfo, "stopped", {});
  return 0;
}

// `beian routes [--json]`: the route table of each service, wired as `serve` wires it but on an
// in-memory SQLite database that is never queried. Hidden: for the contract test that compares
// it with docs/openapi.yaml (tests/contract/), and for developers.
int PrintRoutes(bool json) {
  if (!core::InitCrypto()) {
    std::cerr << "beian: libsodium could not be initialised\n";
    return 1;
  }
  core::SetLogLevel(core::LogLevel::kError);
  const ServeOptions o;
  const core::PiiCipher pii(core::RandomBytes(core::kSecretKeyBytes));
  static core::SystemClock clock;
  Hosted agent_host("agent");
  Hosted authority_host("authority");
  for (Hosted* h : {&agent_host, &authority_host}) {
    auto db = store::OpenDatabase("sqlite::memory:", {.pool_size = 1});
    if (!db) {
      std::cerr << "beian routes: " << db.error().message << "\n";
      return 1;
    }
    h->db = std::move(*db);
  }
  blob::MemoryBlobStore blobs;
  std::unique_ptr<agent::AgentModule> agent_module;
  std::unique_ptr<authority::AuthorityModule> authority_module;
  std::unique_ptr<authority::SmsVerification> sms_verification;
  auto rules = LoadRulesFrom("");
  if (!rules) {
    std::cerr << "beian routes: rules: " << rules.error().message << "\n";
    return 1;
  }
  WireAgent(o, agent_host, clock, pii, *rules, nullptr, blobs, nullptr, agent_module);
  WireAuthority(o, authority_host, clock, pii, *rules, nullptr, blobs, authority_module,
                sms_verification);

  if (json) {
    boost::json::object out;
    for (const Hosted* h : {&agent_host, &authority_host}) {
      boost::json::array routes;
      for (const auto& r : h->router.Routes()) {
        routes.push_back(boost::json::object{{"method", r.method}, {"path", r.pattern}});
      }
      out[h->name] = std::move(routes);
    }
    std::cout << boost::json::serialize(out) << "\n";
    return 0;
  }
  for (const Hosted* h : {&agent_host, &authority_host}) {
    for (const auto& r : h->router.Routes()) {
      std::cout << h->name << "  " << r.method << "  " << r.pattern << "\n";
    }
  }
  return 0;
}

}  // namespace

void AddRoutesCommand(CLI::App& app, int& exit_code) {
  auto json = std::make_shared<bool>(false);
  auto* cmd = app.add_subcommand("routes", "Print the route table of each service");
  cmd->group("");  // hidden from --help: a tool for tests and developers
  cmd->add_flag("--json", *json, "One JSON object: {\"agent\":[{method,path}],\"authority\":[…]}");
  cmd->callback([json, &exit_code] { exit_code = PrintRoutes(*json); });
}

void AddServeCommand(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<ServeOptions>();
  auto* cmd = app.add_subcommand("serve", "Serve the provider console/API and the authority");
  options->data.AddTo(*cmd);
  cmd->add_option("--service", options->service, "Which service to run: both, agent, authority")
      ->envname("BEIAN_SERVICE")
      ->capture_default_str();
  cmd->add_option("--agent-listen", options->agent_listen, "Address of the provider service")
      ->envname("BEIAN_AGENT_LISTEN")
      ->capture_default_str();
  cmd->add_option("--authority-listen", options->authority_listen,
                  "Address of the authority service")
      ->envname("BEIAN_AUTHORITY_LISTEN")
      ->capture_default_str();
  cmd->add_option("--threads", options->threads, "Worker threads per service")
      ->envname("BEIAN_THREADS")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  cmd->add_option("--password-threads", options->password_threads,
                  "Threads that hash passwords for sign-in and registration (both services)")
      ->envname("BEIAN_PASSWORD_THREADS")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  cmd->add_flag("--no-demo", options->no_demo, "Start without the demo accounts")
      ->envname("BEIAN_NO_DEMO");
  cmd->add_flag("--migrate", options->migrate, "Apply pending database migrations first")
      ->envname("BEIAN_MIGRATE");
  cmd->add_option("--web-dir", options->web_dir, "Directory of the built web console")
      ->envname("BEIAN_WEB_DIR")
      ->capture_default_str();
  cmd->add_option("--smtp-url", options->smtp_url,
                  "SMTP server for e-mail notifications: smtp://host:port (STARTTLS when offered) "
                  "or smtps://host:port; user and password in the URL or BEIAN_SMTP_USER / "
                  "BEIAN_SMTP_PASSWORD (default: the development mailbox)")
      ->envname("BEIAN_SMTP_URL");
  cmd->add_option(
         "--mail-from", options->mail_from,
         "Sender of the e-mails, e.g. 'Beian <noreply@beian.example.cn>' (with --smtp-url)")
      ->envname("BEIAN_MAIL_FROM");
  cmd->add_option("--sms-gateway-url", options->sms_gateway_url,
                  "SMS gateway endpoint (http:// or https://), POSTed JSON with Bearer "
                  "BEIAN_SMS_GATEWAY_TOKEN (default: the development mailbox)")
      ->envname("BEIAN_SMS_GATEWAY_URL");
  cmd->add_option("--authority-url", options->authority_url,
                  "The authority's URL, for an agent served without it (with both services: the "
                  "local one)")
      ->envname("BEIAN_AUTHORITY_URL");
  cmd->add_option("--provider-id", options->provider_id,
                  "This provider's id at the authority (with --authority-url)")
      ->envname("BEIAN_PROVIDER_ID");
  cmd->add_option("--provider-key", options->provider_key,
                  "This provider's key (64 hex digits from `beian admin add-provider`)")
      ->envname("BEIAN_PROVIDER_KEY");
  cmd->add_option("--provider-name", options->provider_name,
                  "Name of the access provider: signs every SMS as 【name】 and every e-mail "
                  "(1-10 characters)")
      ->envname("BEIAN_PROVIDER_NAME")
      ->capture_default_str();
  cmd->add_option("--notify-workers", options->notify_workers,
                  "Outbox worker threads delivering notifications")
      ->envname("BEIAN_NOTIFY_WORKERS")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  cmd->add_option("--notify-max-attempts", options->notify_max_attempts,
                  "Delivery attempts before a notification is parked as failed")
      ->envname("BEIAN_NOTIFY_MAX_ATTEMPTS")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  cmd->add_option("--notify-retry-seconds", options->notify_retry_s,
                  "Delay before the second attempt; doubles with each further one (with jitter, "
                  "at most an hour)")
      ->envname("BEIAN_NOTIFY_RETRY_SECONDS")
      ->check(CLI::Range(0.01, 3600.0))
      ->capture_default_str();
  cmd->add_option("--notify-lease-seconds", options->notify_lease_s,
                  "How long a worker holds a claimed notification; after that another worker may "
                  "deliver it (longer than the SMTP/gateway timeouts)")
      ->envname("BEIAN_NOTIFY_LEASE_SECONDS")
      ->check(CLI::Range(1.0, 3600.0))
      ->capture_default_str();
  cmd->add_option("--notify-poll-ms", options->notify_poll_ms,
                  "How often an idle worker looks for due notifications (milliseconds)")
      ->envname("BEIAN_NOTIFY_POLL_MS")
      ->check(CLI::Range(10, 60000))
      ->capture_default_str();
  cmd->add_flag("--cookie-secure", options->cookie_secure,
                "Served over HTTPS: __Host- session cookies marked Secure, and HSTS")
      ->envname("BEIAN_COOKIE_SECURE");
  cmd->add_option("--log-level", options->log_level, "debug, info, warn, error or off")
      ->envname("BEIAN_LOG_LEVEL")
      ->capture_default_str();
  cmd->add_option("--body-limit", options->body_limit, "Largest request body in bytes")
      ->envname("BEIAN_BODY_LIMIT")
      ->capture_default_str();
  cmd->add_option("--upload-limit", options->upload_limit,
                  "Largest uploaded document in bytes (the upload route's body limit adds 64 KiB)")
      ->envname("BEIAN_UPLOAD_LIMIT")
      ->check(CLI::Range(uint64_t{1024}, uint64_t{1} << 30))
      ->capture_default_str();
  cmd->add_option("--db-pool", options->db_pool, "Database connections per service")
      ->envname("BEIAN_DB_POOL")
      ->check(CLI::Range(1, 512))
      ->capture_default_str();
  cmd->add_option("--public-url", options->public_urls,
                  "URL the services are reached at, e.g. https://beian.example.cn (repeatable; "
                  "other Host names get 421; default: the listen addresses and localhost)")
      ->envname("BEIAN_PUBLIC_URL")
      ->delimiter(',');
  cmd->add_option("--metrics-token", options->metrics_token,
                  "Bearer token that may read /metrics from any address (else loopback only)")
      ->envname("BEIAN_METRICS_TOKEN");
  cmd->add_flag("--trust-proxy", options->trust_proxy,
                "Take the client address from X-Forwarded-For and https from X-Forwarded-Proto "
                "(only behind a proxy that sets them)")
      ->envname("BEIAN_TRUST_PROXY");
  cmd->add_option("--header-timeout", options->header_timeout_s,
                  "Seconds a client may take to send a request's header")
      ->envname("BEIAN_HEADER_TIMEOUT")
      ->check(CLI::Range(0.1, 3600.0))
      ->capture_default_str();
  cmd->add_option("--idle-timeout", options->idle_timeout_s,
                  "Seconds an idle keep-alive connection stays open")
      ->envname("BEIAN_IDLE_TIMEOUT")
      ->check(CLI::Range(0.1, 3600.0))
      ->capture_default_str();
  cmd->add_option("--max-websites", options->max_websites, "Most websites one application may hold")
      ->envname("BEIAN_MAX_WEBSITES")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  cmd->add_option("--max-domains", options->max_domains,
                  "Most domains one application may hold (all websites together)")
      ->envname("BEIAN_MAX_DOMAINS")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  cmd->add_option("--claim-minutes", options->claim_minutes,
                  "Minutes a reviewer's claim on an application lasts")
      ->envname("BEIAN_CLAIM_MINUTES")
      ->check(CLI::Range(1, 24 * 60))
      ->capture_default_str();
  cmd->add_option("--registry-sync-interval", options->registry_sync_interval_s,
                  "Seconds between two runs of the agent's public registry sync from the "
                  "authority's change feed (0: no sync)")
      ->envname("BEIAN_REGISTRY_SYNC_INTERVAL")
      ->check(CLI::Range(0.0, 3600.0))
      ->capture_default_str();
  cmd->add_option("--handover-retry-seconds", options->handover_retry_s,
                  "Delay before the second attempt of a hand-over to the authority; doubles with "
                  "each further one (with jitter, at most 10 minutes; it never gives up)")
      ->envname("BEIAN_HANDOVER_RETRY_SECONDS")
      ->check(CLI::Range(0.01, 600.0))
      ->capture_default_str();
  cmd->add_option("--handover-lease-seconds", options->handover_lease_s,
                  "How long the hand-over worker holds a submission it is sending (the POST may "
                  "take 40% of it); after that, a restarted or another node sends it again")
      ->envname("BEIAN_HANDOVER_LEASE_SECONDS")
      ->check(CLI::Range(1.0, 3600.0))
      ->capture_default_str();
  cmd->add_option("--public-snapshot-rebuild-after", options->public_snapshot_rebuild_after,
                  "Changes held in memory over the public look-up snapshot before it is rebuilt")
      ->envname("BEIAN_PUBLIC_SNAPSHOT_REBUILD_AFTER")
      ->check(CLI::Range(size_t{1}, size_t{10'000'000}))
      ->capture_default_str();
  cmd->add_option("--public-max-staleness", options->public_max_staleness_s,
                  "Seconds the public look-up may answer from a registry copy that has not caught "
                  "up (the authority unreachable) before /readyz says 503 public_lookup_stale "
                  "(0: no limit; the answers and /readyz state their age either way)")
      ->envname("BEIAN_PUBLIC_MAX_STALENESS")
      ->check(CLI::Range(0.0, 86400.0 * 365))
      ->capture_default_str();
  cmd->add_option("--public-rate-limit", options->public_rate_limit,
                  "Public look-ups a second per client address, bursts up to the same number "
                  "(0: no limit); over it: 429 too_many_requests")
      ->envname("BEIAN_PUBLIC_RATE_LIMIT")
      ->check(CLI::Range(0.0, 1e9))
      ->capture_default_str();
  cmd->add_option("--public-rate-trusted", options->public_rate_trusted,
                  "Address blocks (CIDR, comma-separated or repeated) the public look-up's rate "
                  "limit never applies to, e.g. a CDN's ranges")
      ->envname("BEIAN_PUBLIC_RATE_TRUSTED")
      ->delimiter(',')
      ->check([](const std::string& v) -> std::string {
        auto block = agent::ParseCidr(v);
        return block ? std::string() : block.error().message;
      });
  cmd->add_option("--provider-events-lease", options->provider_events_lease_s,
                  "Seconds a delivery of a result to a provider holds its row; a worker killed "
                  "mid-delivery leaves it, and it is sent again after this")
      ->envname("BEIAN_PROVIDER_EVENTS_LEASE")
      ->check(CLI::Range(1.0, 3600.0))
      ->capture_default_str();
  cmd->add_option("--provider-events-max-backoff", options->provider_events_max_backoff_s,
                  "Longest wait, in seconds, between two tries of a result a provider did not "
                  "take (network error, 5xx, 429); results are never given up")
      ->envname("BEIAN_PROVIDER_EVENTS_MAX_BACKOFF")
      ->check(CLI::Range(1.0, 3600.0))
      ->capture_default_str();
  cmd->add_option("--authority-name", options->authority_name,
                  "Name of the authority: signs its SMS (verification codes, ICP password) as "
                  "【name】 and its e-mails (1-10 characters)")
      ->envname("BEIAN_AUTHORITY_NAME")
      ->capture_default_str();
  // Test-only, hidden from --help: short SMS deadlines for the integration tests.
  cmd->add_option("--sms-code-validity", options->sms_code_validity_s,
                  "Seconds an SMS verification code is valid (test-only; default: the rules' "
                  "24 hours)")
      ->check(CLI::Range(0.0, 86400.0 * 7))
      ->group("");
  cmd->add_option("--sms-sweep-interval", options->sms_sweep_interval_s,
                  "Seconds between two runs of the SMS deadline sweeper (test-only)")
      ->check(CLI::Range(0.1, 3600.0))
      ->group("");
  cmd->add_option("--registry-sync-page", options->registry_sync_page,
                  "Registry changes asked per page while the public copy is far behind the "
                  "authority's feed (catching up; the feed allows up to 10000)")
      ->envname("BEIAN_REGISTRY_SYNC_PAGE")
      ->capture_default_str()
      ->check(CLI::Range(1, 10000));
  cmd->add_option("--rules-dir", options->rules_dir,
                  "Directory of filing-rules files replacing the built-in data/rules")
      ->envname("BEIAN_RULES_DIR");
  cmd->callback([options, &exit_code] { exit_code = Serve(*options); });
}

}  // namespace beian::cli
