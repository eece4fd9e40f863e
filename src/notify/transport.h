// How a rendered notification leaves the program: a Transport per channel (SMTP, the SMS
// gateway, or the development mailbox) delivers one message and says what happened — delivered,
// worth retrying (4xx, 429/5xx, timeouts, unreachable), or permanent (parked as failed at once).
// Transports are called from several worker threads at once and must be thread-safe.
#pragma once

#include <string>

#include "notify/templates.h"

namespace beian::notify {

struct OutgoingMessage {
  std::string id;  // the notification's id (Message-ID, the gateway's Idempotency-Key)
  std::string channel;
  std::string address;
  std::string template_id;
  std::string locale;
  Params params;
  Rendered rendered;
};

struct DeliveryResult {
  enum class Outcome { kDelivered, kRetry, kPermanent };
  Outcome outcome = Outcome::kDelivered;
  std::string detail;  // the server's answer or the error, for last_error

  static DeliveryResult Delivered() { return {}; }
  static DeliveryResult Retry(std::string d) { return {Outcome::kRetry, std::move(d)}; }
  static DeliveryResult Permanent(std::string d) { return {Outcome::kPermanent, std::move(d)}; }
};

class Transport {
 public:
  virtual ~Transport() = default;
  virtual DeliveryResult Deliver(const OutgoingMessage& message) = 0;
  // For logs and the start-up banner: "smtp://mail.example.cn:587", "mailbox", …
  virtual std::string Describe() const = 0;
};

}  // namespace beian::notify
