// The real transports, over libcurl: e-mail to an SMTP server and SMS to an HTTP gateway.
//
// SMTP (--smtp-url smtp://host[:port] or smtps://host[:port]): smtp:// upgrades with STARTTLS
// whenever the server offers it (CURLUSESSL_TRY) and sends in clear otherwise (a local relay);
// smtps:// is TLS from the first byte. The user and password come from the URL
// (smtp://user:pass@host) or BEIAN_SMTP_USER / BEIAN_SMTP_PASSWORD. Outcomes: the server's 2xx
// to DATA → delivered; a 4xx reply, a refused/failed connection or a timeout → retry; a 5xx
// reply → permanent (RFC 5321: the same message will be refused again), except 530/534/535
// (authentication: the operator's configuration, fixable without touching the message) → retry.
//
// SMS (--sms-gateway-url http(s)://…): POST {"to", "template", "params", "text"} as JSON with
// "Authorization: Bearer <BEIAN_SMS_GATEWAY_TOKEN>" and "Idempotency-Key: <notification id>" (a
// gateway that answered after our timeout sees the retry as the same message). 2xx → delivered;
// 429 or 5xx, a timeout or no connection → retry; any other answer → permanent, with the
// gateway's status and body as the error.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "core/result.h"
#include "notify/transport.h"

namespace beian::notify {

// Process-wide libcurl initialisation (call once at start, before threads).
bool InitCurl();

struct SmtpOptions {
  std::string url;        // smtp://host:port or smtps://host:port (user:pass@ allowed)
  std::string mail_from;  // "noreply@example.cn" or "Name <noreply@example.cn>"
  std::string user;       // overrides the URL's when set
  std::string password;
  std::chrono::milliseconds connect_timeout{10000};
  std::chrono::milliseconds timeout{60000};
  // Verify the server's certificate (smtps:// and STARTTLS). Off only for tests.
  bool verify_tls = true;
};

// kValidationFailed for a URL of another scheme or a missing --mail-from.
core::Result<std::unique_ptr<Transport>> MakeSmtpTransport(SmtpOptions options);

struct SmsGatewayOptions {
  std::string url;    // http:// or https://
  std::string token;  // Bearer token; empty: no Authorization header
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds timeout{10000};
};

core::Result<std::unique_ptr<Transport>> MakeSmsGatewayTransport(SmsGatewayOptions options);

}  // namespace beian::notify
