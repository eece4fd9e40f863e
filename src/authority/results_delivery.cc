// ResultsDelivery (see results_delivery.h).
#include "authority/results_delivery.h"

#include <random>

#include "authority/authority_client.h"
#include "authority/submission_transitions.h"
#include "core/crypto.h"
#include "core/log.h"
#include "notify/outbox.h"
#include "store/providers.h"
#include "store/submissions.h"

namespace beian::authority {
namespace {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;
using core::Result;

double UnitRandom() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}

// "HTTP 409 invalid_transition: <message>" from an error answer, for last_error and the log.
std::string Describe(long status, const std::string& body) {
  std::string out = "HTTP " + std::to_string(status);
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (!ec && v.is_object()) {
    if (const json::value* e = v.get_object().if_contains("error"); e && e->is_object()) {
      if (const json::value* c = e->get_object().if_contains("code"); c && c->is_string()) {
        out += " " + std::string(c->get_string());
      }
      if (const json::value* m = e->get_object().if_contains("message"); m && m->is_string()) {
        out += ": " + std::string(m->get_string()).substr(0, 300);
      }
    }
  }
  return out;
}

}  // namespace

ResultsDelivery::ResultsDelivery(store::Database& db, const core::Clock& clock,
                                 const core::PiiCipher& pii, ResultsDeliveryOptions options)
    : db_(db), clock_(clock), pii_(pii), options_(options), owner_("results-" + core::RandomId()) {}

Result<int> ResultsDelivery::RunOnce() {
  const int64_t now_ms = ToMillis(clock_.Now());
  BEIAN_ASSIGN_OR_RETURN(std::vector<store::ProviderEvent> claimed,
                         db_.Write(
                             [&](store::Tx& tx) {
                               return store::ProviderEventRepo(tx).Claim(
                                   owner_, now_ms, now_ms + options_.lease.count(), options_.batch);
                             },
                             {.isolation = store::Isolation::kReadCommitted}));
  for (const store::ProviderEvent& e : claimed) {
    if (stopping_.load()) {
      (void)db_.Write(
          [&](store::Tx& tx) { return store::ProviderEventRepo(tx).Release(e.event_id, owner_); });
      continue;
    }
    // Where and with which key: the provider's current registration.
    std::string failure;
    long status = 0;
    std::string answer;
    auto provider =
        db_.Read([&](store::Tx& tx) { return store::ProviderRepo(tx).Find(e.provider_id); });
    if (!provider || !provider->has_value()) {
      failure = provider ? "the provider is not registered" : provider.error().message;
    } else {
      auto key = pii_.Open((*provider)->key_sealed, store::kProviderKeyColumn);
      auto client = key ? AuthorityClient::Create({.base_url = (*provider)->callback_url,
                                                   .provider_id = e.provider_id,
                                                   .provider_key = *key,
                                                   .timeout = options_.timeout},
                                                  clock_)
                        : Result<std::unique_ptr<AuthorityClient>>(key.error());
      if (!client) {
        failure = "cannot call the provider: " + client.error().message;
      } else {
        auto reply = (*client)->Send("POST", std::string(kProviderEventsPath), e.body);
        if (!reply) {
          failure = reply.error().message;
        } else {
          status = reply->status;
          answer = std::move(reply->body);
        }
      }
    }
    const int64_t done_ms = ToMillis(clock_.Now());
    Result<bool> marked = false;
    if (failure.empty() && status >= 200 && status <= 299) {
      marked = db_.Write([&](store::Tx& tx) {
        return store::ProviderEventRepo(tx).MarkDelivered(e.event_id, owner_, done_ms, "");
      });
      if (marked && *marked) {
        counters_.delivered.fetch_add(1);
        core::Log(core::LogLevel::kInfo, "provider_event_delivered",
                  {{"event_id", e.event_id},
                   {"provider", e.provider_id},
                   {"type", e.type},
                   {"attempts", e.attempts}});
      }
    } else if (failure.empty() && status == 409) {
      const std::string why = Describe(status, answer);
      marked = db_.Write([&](store::Tx& tx) {
        return store::ProviderEventRepo(tx).MarkDelivered(e.event_id, owner_, done_ms, why);
      });
      if (marked && *marked) {
        counters_.refused.fetch_add(1);
        core::Log(core::LogLevel::kWarn, "provider_event_refused",
                  {{"event_id", e.event_id},
                   {"provider", e.provider_id},
                   {"type", e.type},
                   {"answer", why}});
      }
    } else {
      if (failure.empty()) failure = Describe(status, answer);
      const auto delay =
          notify::RetryDelay(e.attempts, options_.base_backoff, options_.max_backoff, UnitRandom());
      marked = db_.Write([&](store::Tx& tx) {
        return store::ProviderEventRepo(tx).MarkRetry(e.event_id, owner_, done_ms + delay.count(),
                                                      failure);
      });
      counters_.retried.fetch_add(1);
      core::Log(core::LogLevel::kWarn, "provider_event_retry",
                {{"event_id", e.event_id},
                 {"provider", e.provider_id},
                 {"attempts", e.attempts},
                 {"retry_in_ms", static_cast<int64_t>(delay.count())},
                 {"error", failure}});
    }
    if (!marked) {
      core::Log(core::LogLevel::kWarn, "provider_event_mark_failed",
                {{"event_id", e.event_id}, {"error", marked.error().message}});
    } else if (!*marked) {
      // Our lease ran out while delivering and another worker took the row: it re-sends the
      // same event id, which the agent applies once.
      core::Log(core::LogLevel::kWarn, "provider_event_lease_lost", {{"event_id", e.event_id}});
    }
  }
  return static_cast<int>(claimed.size());
}

}  // namespace beian::authority
