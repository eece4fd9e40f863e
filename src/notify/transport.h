// How a rendered notification leaves the program: a Transport per channel (SMTP, the SMS
// gateway, or the development mailbox) delivers one message and says what happened — delivered,
// worth retrying (4xx, 429/5xx, timeouts, unreachable), or permanent (parked as failed at once).
// Transports are called from several worker threads at once and must be thread-safe.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "core/pii_cipher.h"
#include "core/result.h"
#include "notify/templates.h"

namespace beian::notify {

// Mobile numbers stay sealed at rest in the outbox too: an SMS row's address is the account's
// users.phone exactly as stored ("enc1:…", sealed for that column). The workers open it just
// before delivery; values not sealed are taken as they are.
using AddressOpener = std::function<core::Result<std::string>(std::string_view stored)>;
inline constexpr std::string_view kSealedAddressColumn = "users.phone";
AddressOpener SealedAddressOpener(const core::PiiCipher& pii);

// Secret template parameters (catalogue.h ParamSpec::secret: codes, ICP passwords) are stored
// sealed, each for its own column "notifications.<name>" ("notifications.icp_password"); the
// workers open them only to render (OutboxOptions::open_param).
inline constexpr std::string_view kSealedParamColumnPrefix = "notifications.";
std::string SealedParamColumn(std::string_view name);
std::string SealParam(const core::PiiCipher& pii, std::string_view name, std::string_view value);
// Opens the sealed value of parameter `name`; a value not sealed is an error (a secret in clear
// is refused).
using ParamOpener =
    std::function<core::Result<std::string>(std::string_view name, std::string_view stored)>;
ParamOpener SealedParamOpener(const core::PiiCipher& pii);
// What the sent text of a message shows in place of a secret value.
inline constexpr std::string_view kMaskedSecret = "******";

struct OutgoingMessage {
  std::string id;  // the notification's id (Message-ID, the gateway's Idempotency-Key)
  std::string channel;
  std::string address;  // opened (in clear)
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
