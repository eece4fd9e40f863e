// Outbox workers (see outbox.h).
#include "notify/outbox.h"

#include <unistd.h>

#include <algorithm>
#include <boost/json.hpp>
#include <random>

#include "core/crypto.h"
#include "core/log.h"
#include "notify/catalogue.h"

namespace beian::notify {
namespace {

using core::Result;
using Outcome = DeliveryResult::Outcome;

Params ParamsFromJson(std::string_view text) {
  Params out;
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) return out;
  for (const auto& [k, val] : v.get_object()) {
    out[std::string(k)] =
        val.is_string() ? std::string(val.get_string()) : boost::json::serialize(val);
  }
  return out;
}

// Opens the secret parameters of `params` in place (a value not sealed, or one this key cannot
// open, is an error: a secret is never sent from clear storage); `masked` gets the same params
// with each secret as kMaskedSecret, `blanked` the stored JSON with each secret "".
core::Status OpenSecrets(const TemplateSpec& spec, const ParamOpener& open, Params& params,
                         Params& masked, std::string& blanked, std::string_view params_json) {
  masked = params;
  boost::system::error_code ec;
  boost::json::value stored = boost::json::parse(params_json, ec);
  if (ec || !stored.is_object()) stored = boost::json::object();
  for (const ParamSpec& p : spec.params) {
    if (!p.secret) continue;
    auto it = params.find(p.name);
    if (it == params.end() || it->second.empty()) {
      return core::Error(core::ErrorCode::kValidationFailed,
                         "secret parameter " + std::string(p.name) + " is missing");
    }
    if (!open) {
      return core::Error(core::ErrorCode::kInternal,
                         "no key to open secret parameter " + std::string(p.name));
    }
    auto opened = open(p.name, it->second);
    if (!opened) {
      return core::Error(opened.error().code,
                         "secret parameter " + std::string(p.name) + ": " + opened.error().message);
    }
    it->second = std::move(*opened);
    masked[std::string(p.name)] = std::string(kMaskedSecret);
    stored.get_object()[p.name] = "";
  }
  blanked = boost::json::serialize(stored);
  return core::Ok();
}

double UnitRandom() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}

std::string Hostname() {
  char buf[256] = {0};
  if (gethostname(buf, sizeof buf - 1) != 0) return "host";
  return buf;
}

}  // namespace

std::chrono::milliseconds RetryDelay(int64_t attempt, std::chrono::milliseconds base,
                                     std::chrono::milliseconds max, double unit_random) {
  const int64_t shift = std::clamp<int64_t>(attempt - 1, 0, 40);
  int64_t d = base.count();
  for (int64_t i = 0; i < shift && d < max.count(); ++i) d *= 2;
  d = std::min(d, max.count());
  const int64_t half = d / 2;
  return std::chrono::milliseconds(half + static_cast<int64_t>(static_cast<double>(d - half) *
                                                               std::clamp(unit_random, 0.0, 1.0)));
}

Outbox::Outbox(store::Database& db, const TemplateSet& templates, Transports transports,
               const core::Clock& clock, OutboxOptions options)
    : db_(db),
      templates_(templates),
      transports_(transports),
      clock_(clock),
      options_(options),
      owner_prefix_(Hostname() + ":" + std::to_string(getpid()) + ":" +
                    core::RandomId().substr(0, 8)) {}

Outbox::~Outbox() { Stop(); }

int64_t Outbox::NowMs() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch())
      .count();
}

void Outbox::Start() {
  for (int i = 0; i < options_.workers; ++i) threads_.emplace_back([this, i] { Loop(i); });
}

void Outbox::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

void Outbox::Loop(int index) {
  const std::string owner = owner_prefix_ + ":" + std::to_string(index);
  while (!stopping_) {
    auto claimed = RunOnce(owner);
    if (!claimed) {
      core::Log(core::LogLevel::kWarn, "outbox_claim_failed",
                {{"worker", owner}, {"error", claimed.error().message}});
    }
    if (claimed && *claimed > 0) continue;  // more may be due
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, options_.poll_interval, [this] { return stopping_.load(); });
  }
}

Result<int> Outbox::RunOnce(const std::string& owner) {
  const int64_t now = NowMs();
  BEIAN_ASSIGN_OR_RETURN(std::vector<store::Notification> rows,
                         db_.Write(
                             [&](store::Tx& tx) {
                               return store::NotificationRepo(tx).Claim(
                                   owner, now, options_.lease.count(), options_.batch,
                                   options_.max_attempts);
                             },
                             {.isolation = store::Isolation::kReadCommitted}));
  if (rows.empty()) {
    // Rows whose last allowed attempt died with its worker.
    auto parked = db_.Write(
        [&](store::Tx& tx) {
          return store::NotificationRepo(tx).ParkExhausted(now, options_.max_attempts);
        },
        {.isolation = store::Isolation::kReadCommitted});
    if (parked && *parked > 0) {
      core::Log(core::LogLevel::kWarn, "notifications_parked", {{"count", *parked}});
    }
    return 0;
  }
  // A row is delivered only while at least half of its lease is left: the rows of a batch wait
  // for the ones before them, and a row whose lease could run out during its delivery would be
  // claimed by another worker meanwhile (a duplicate). Such rows go back instead.
  const int64_t fresh_until = now + options_.lease.count() / 2;
  for (const store::Notification& n : rows) {
    if (stopping_ || NowMs() > fresh_until) {
      // Draining, or the lease is getting short: give back what this worker has not begun.
      auto released = db_.Write(
          [&](store::Tx& tx) { return store::NotificationRepo(tx).Release(n.id, owner, NowMs()); },
          {.isolation = store::Isolation::kReadCommitted});
      if (!released) {
        core::Log(core::LogLevel::kWarn, "notification_release_failed",
                  {{"id", n.id}, {"error", released.error().message}});
      }
      continue;
    }
    Process(owner, n);
  }
  return static_cast<int>(rows.size());
}

void Outbox::Process(const std::string& owner, const store::Notification& n) {
  Transport* transport = n.channel == "sms" ? transports_.sms : transports_.email;
  OutgoingMessage m{.id = n.id,
                    .channel = n.channel,
                    .address = n.address,
                    .template_id = n.template_id,
                    .locale = n.locale,
                    .params = ParamsFromJson(n.params_json),
                    .rendered = {}};
  DeliveryResult result;
  if (options_.open_address) {
    auto opened = options_.open_address(n.address);
    if (opened) {
      m.address = std::move(*opened);
    } else {
      result = DeliveryResult::Permanent("the address cannot be opened: " + opened.error().message);
    }
  }
  // Secrets: opened to render; what is kept of the sent message masks them.
  const TemplateSpec* spec = FindTemplate(n.template_id);
  const bool secrets = spec != nullptr && HasSecretParams(n.template_id);
  Params masked;
  std::string blanked;
  if (secrets && result.outcome == Outcome::kDelivered) {
    auto opened = OpenSecrets(*spec, options_.open_param, m.params, masked, blanked, n.params_json);
    if (!opened) result = DeliveryResult::Permanent(opened.error().message);
  }
  auto rendered = templates_.Render(n.template_id, n.channel, n.locale, m.params);
  if (result.outcome != Outcome::kDelivered) {
    // The address could not be opened (another deployment's key).
  } else if (!rendered) {
    result = DeliveryResult::Permanent("template: " + rendered.error().message);
  } else if (!transport) {
    result = DeliveryResult::Permanent("no transport for channel " + n.channel);
  } else {
    m.rendered = std::move(*rendered);
    result = transport->Deliver(m);
  }
  const int64_t now = NowMs();
  ChannelCounters& counters = CountersOf(n.channel);
  Result<bool> marked = false;
  std::string_view outcome;
  if (result.outcome == Outcome::kDelivered) {
    outcome = "sent";
    Rendered kept = m.rendered;
    std::optional<std::string_view> params_after;
    if (secrets) {
      auto masked_render = templates_.Render(n.template_id, n.channel, n.locale, masked);
      kept = masked_render ? std::move(*masked_render) : Rendered{};
      params_after = blanked;
    }
    marked = db_.Write(
        [&](store::Tx& tx) {
          return store::NotificationRepo(tx).MarkSent(n.id, owner, now, kept.subject, kept.text,
                                                      params_after);
        },
        {.isolation = store::Isolation::kReadCommitted});
    counters.sent.fetch_add(1, std::memory_order_relaxed);
  } else if (result.outcome == Outcome::kRetry && n.attempts < options_.max_attempts) {
    outcome = "retry";
    const auto delay =
        RetryDelay(n.attempts, options_.retry_base, options_.retry_max, UnitRandom());
    marked = db_.Write(
        [&](store::Tx& tx) {
          return store::NotificationRepo(tx).MarkRetry(n.id, owner, now, now + delay.count(),
                                                       result.detail);
        },
        {.isolation = store::Isolation::kReadCommitted});
    counters.retried.fetch_add(1, std::memory_order_relaxed);
  } else {
    outcome = "failed";
    std::string error = result.detail;
    if (result.outcome == Outcome::kRetry) {
      error += " (gave up after " + std::to_string(n.attempts) + " attempts)";
    }
    marked = db_.Write(
        [&](store::Tx& tx) {
          return store::NotificationRepo(tx).MarkFailed(n.id, owner, now, error);
        },
        {.isolation = store::Isolation::kReadCommitted});
    counters.failed.fetch_add(1, std::memory_order_relaxed);
  }
  const core::LogLevel level = outcome == "sent" ? core::LogLevel::kDebug : core::LogLevel::kWarn;
  core::Log(level, "notification_delivery",
            {{"id", n.id},
             {"channel", n.channel},
             {"template", n.template_id},
             {"attempt", n.attempts},
             {"outcome", outcome},
             {"detail", result.detail}});
  if (!marked) {
    core::Log(core::LogLevel::kWarn, "notification_mark_failed",
              {{"id", n.id}, {"error", marked.error().message}});
  } else if (!*marked) {
    // The lease ran out during the delivery and another worker took the row.
    core::Log(core::LogLevel::kWarn, "notification_lease_lost", {{"id", n.id}, {"worker", owner}});
  }
}

}  // namespace beian::notify
