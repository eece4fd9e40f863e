// SMTP and SMS-gateway transports over libcurl (see curl_transports.h).
#include "notify/curl_transports.h"

#include <curl/curl.h>

#include <boost/json.hpp>
#include <cstring>

#include "notify/mime.h"

namespace beian::notify {
namespace {

using core::Error;
using core::ErrorCode;
using core::Result;

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
using CurlPtr = std::unique_ptr<CURL, CurlDeleter>;

struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using SlistPtr = std::unique_ptr<curl_slist, SlistDeleter>;

// The message being uploaded to the SMTP server.
struct Upload {
  std::string_view data;
  size_t offset = 0;
};

size_t ReadUpload(char* buffer, size_t size, size_t nitems, void* user) {
  auto* u = static_cast<Upload*>(user);
  const size_t n = std::min(size * nitems, u->data.size() - u->offset);
  std::memcpy(buffer, u->data.data() + u->offset, n);
  u->offset += n;
  return n;
}

size_t Collect(char* data, size_t size, size_t nmemb, void* user) {
  auto* s = static_cast<std::string*>(user);
  const size_t n = size * nmemb;
  if (s->size() < 4096) s->append(data, std::min(n, 4096 - s->size()));
  return n;
}

// A curl error worth retrying: the network or the server's state, not the request.
bool TransientCurlError(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_LOGIN_DENIED:
      return true;
    default:
      return false;
  }
}

std::string CurlMessage(CURLcode code, const char* errbuf) {
  std::string m = curl_easy_strerror(code);
  if (errbuf && *errbuf) m += ": " + std::string(errbuf);
  return m;
}

class SmtpTransport : public Transport {
 public:
  explicit SmtpTransport(SmtpOptions o) : o_(std::move(o)), domain_(DomainOf(o_.mail_from)) {}

  DeliveryResult Deliver(const OutgoingMessage& m) override {
    const std::string mime = BuildMimeMessage({.from = o_.mail_from,
                                               .to = m.address,
                                               .subject = m.rendered.subject,
                                               .text = m.rendered.text,
                                               .html = m.rendered.html,
                                               .message_id = m.id + "@" + domain_,
                                               .date_unix_ms = NowMs(),
                                               .boundary = ""});
    CurlPtr curl(curl_easy_init());
    if (!curl) return DeliveryResult::Retry("curl_easy_init failed");
    CURL* c = curl.get();
    char errbuf[CURL_ERROR_SIZE] = {0};
    const std::string from = "<" + BareAddress(o_.mail_from) + ">";
    const std::string to = "<" + m.address + ">";
    SlistPtr rcpt(curl_slist_append(nullptr, to.c_str()));
    Upload upload{mime, 0};
    curl_easy_setopt(c, CURLOPT_URL, o_.url.c_str());
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get());
    curl_easy_setopt(c, CURLOPT_READFUNCTION, ReadUpload);
    curl_easy_setopt(c, CURLOPT_READDATA, &upload);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(mime.size()));
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(o_.connect_timeout.count()));
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(o_.timeout.count()));
    if (o_.url.starts_with("smtp://")) curl_easy_setopt(c, CURLOPT_USE_SSL, CURLUSESSL_TRY);
    if (!o_.verify_tls) {
      curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
      curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    if (!o_.user.empty()) curl_easy_setopt(c, CURLOPT_USERNAME, o_.user.c_str());
    if (!o_.password.empty()) curl_easy_setopt(c, CURLOPT_PASSWORD, o_.password.c_str());
    const CURLcode rc = curl_easy_perform(c);
    long reply = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply);
    if (rc == CURLE_OK) return DeliveryResult::Delivered();
    std::string detail = CurlMessage(rc, errbuf);
    if (reply > 0) detail = "SMTP " + std::to_string(reply) + ": " + detail;
    if (reply >= 500 && reply < 600 && reply != 530 && reply != 534 && reply != 535) {
      return DeliveryResult::Permanent(detail);
    }
    if ((reply >= 400 && reply < 500) || TransientCurlError(rc) || reply >= 500) {
      return DeliveryResult::Retry(detail);
    }
    return DeliveryResult::Permanent(detail);
  }

  std::string Describe() const override {
    // The URL without its user information.
    std::string u = o_.url;
    const size_t scheme = u.find("://");
    const size_t at = u.find('@', scheme == std::string::npos ? 0 : scheme + 3);
    if (scheme != std::string::npos && at != std::string::npos)
      u.erase(scheme + 3, at - scheme - 2);
    return u;
  }

 private:
  static int64_t NowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }

  SmtpOptions o_;
  std::string domain_;
};

class SmsGatewayTransport : public Transport {
 public:
  explicit SmsGatewayTransport(SmsGatewayOptions o) : o_(std::move(o)) {}

  DeliveryResult Deliver(const OutgoingMessage& m) override {
    boost::json::object params;
    for (const auto& [k, v] : m.params) params[k] = v;
    const std::string body = boost::json::serialize(boost::json::object{{"to", m.address},
                                                                        {"template", m.template_id},
                                                                        {"params", params},
                                                                        {"text", m.rendered.text}});
    CurlPtr curl(curl_easy_init());
    if (!curl) return DeliveryResult::Retry("curl_easy_init failed");
    CURL* c = curl.get();
    char errbuf[CURL_ERROR_SIZE] = {0};
    curl_slist* h = nullptr;
    h = curl_slist_append(h, "Content-Type: application/json; charset=utf-8");
    h = curl_slist_append(h, ("Idempotency-Key: " + m.id).c_str());
    if (!o_.token.empty()) h = curl_slist_append(h, ("Authorization: Bearer " + o_.token).c_str());
    SlistPtr headers(h);
    std::string answer;
    curl_easy_setopt(c, CURLOPT_URL, o_.url.c_str());
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, Collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &answer);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(o_.connect_timeout.count()));
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(o_.timeout.count()));
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    const CURLcode rc = curl_easy_perform(c);
    if (rc != CURLE_OK) {
      const std::string detail = CurlMessage(rc, errbuf);
      return TransientCurlError(rc) ? DeliveryResult::Retry(detail)
                                    : DeliveryResult::Permanent(detail);
    }
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    if (status >= 200 && status < 300) return DeliveryResult::Delivered();
    const std::string detail = "HTTP " + std::to_string(status) + ": " + answer;
    if (status == 429 || status >= 500) return DeliveryResult::Retry(detail);
    return DeliveryResult::Permanent(detail);
  }

  std::string Describe() const override { return o_.url; }

 private:
  SmsGatewayOptions o_;
};

}  // namespace

bool InitCurl() { return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK; }

Result<std::unique_ptr<Transport>> MakeSmtpTransport(SmtpOptions options) {
  if (!options.url.starts_with("smtp://") && !options.url.starts_with("smtps://")) {
    return Error(ErrorCode::kValidationFailed, "--smtp-url must start with smtp:// or smtps://");
  }
  if (options.mail_from.empty() || BareAddress(options.mail_from).find('@') == std::string::npos) {
    return Error(ErrorCode::kValidationFailed,
                 "--mail-from must be an e-mail address (e.g. noreply@beian.example.cn)");
  }
  return std::unique_ptr<Transport>(std::make_unique<SmtpTransport>(std::move(options)));
}

Result<std::unique_ptr<Transport>> MakeSmsGatewayTransport(SmsGatewayOptions options) {
  if (!options.url.starts_with("http://") && !options.url.starts_with("https://")) {
    return Error(ErrorCode::kValidationFailed,
                 "--sms-gateway-url must start with http:// or https://");
  }
  return std::unique_ptr<Transport>(std::make_unique<SmsGatewayTransport>(std::move(options)));
}

}  // namespace beian::notify
