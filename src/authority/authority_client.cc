// AuthorityClient (see authority_client.h).
#include "authority/authority_client.h"

#include <curl/curl.h>

#include <mutex>

#include "core/request_signing.h"

namespace beian::authority {
namespace {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;
using core::Result;

void InitCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

size_t Collect(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

std::string Escape(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      static constexpr char kHex[] = "0123456789ABCDEF";
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

struct CurlFree {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

}  // namespace

Result<std::unique_ptr<AuthorityClient>> AuthorityClient::Create(AuthorityClientOptions options,
                                                                 const core::Clock& clock) {
  if (!(options.base_url.starts_with("http://") || options.base_url.starts_with("https://"))) {
    return Error(ErrorCode::kValidationFailed,
                 "the authority URL must start with http:// or https://");
  }
  while (options.base_url.ends_with("/")) options.base_url.pop_back();
  if (options.provider_id.empty()) {
    return Error(ErrorCode::kValidationFailed, "the provider id is required");
  }
  BEIAN_ASSIGN_OR_RETURN(std::string key, core::ParseProviderKey(options.provider_key));
  InitCurlOnce();
  return std::unique_ptr<AuthorityClient>(
      new AuthorityClient(std::move(options), std::move(key), clock));
}

Result<AuthorityClient::Reply> AuthorityClient::Send(
    std::string_view method, const std::string& path_with_query, const std::string& body,
    std::optional<std::chrono::milliseconds> timeout) const {
  const long timeout_ms = static_cast<long>(timeout.value_or(options_.timeout).count());
  std::unique_ptr<CURL, CurlFree> curl(curl_easy_init());
  if (!curl) return Error(ErrorCode::kUnavailable, "cannot create an HTTP client");
  const int64_t now_s =
      std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count();
  curl_slist* raw = nullptr;
  for (const auto& [name, value] :
       core::SignedHeaders(options_.provider_id, key_, method, path_with_query, body, now_s)) {
    raw = curl_slist_append(raw, (name + ": " + value).c_str());
  }
  if (!body.empty()) raw = curl_slist_append(raw, "Content-Type: application/json");
  raw = curl_slist_append(raw, "Expect:");
  std::unique_ptr<curl_slist, CurlFree> headers(raw);
  const std::string url = options_.base_url + path_with_query;
  const std::string m(method);
  Reply reply;
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, m.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  if (m != "GET") {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  }
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, Collect);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &reply.body);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.timeout.count()));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  const CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) {
    return Error(ErrorCode::kUnavailable, "the authority at " + options_.base_url +
                                              " cannot be reached: " + curl_easy_strerror(rc));
  }
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply.status);
  return reply;
}

Result<json::object> AuthorityClient::JsonOk(std::string_view method, const std::string& target,
                                             const std::string& body) const {
  BEIAN_ASSIGN_OR_RETURN(Reply reply, Send(method, target, body));
  boost::system::error_code ec;
  json::value v = json::parse(reply.body, ec);
  if (reply.status < 200 || reply.status > 299) {
    std::string what = "HTTP " + std::to_string(reply.status);
    if (!ec && v.is_object() && v.as_object().contains("error")) {
      const json::value& e = v.as_object().at("error");
      if (e.is_object() && e.as_object().contains("code") && e.at("code").is_string()) {
        what += " " + std::string(e.at("code").as_string());
      }
    }
    return Error(ErrorCode::kUnavailable, "the authority refused the call (" + what + ")");
  }
  if (ec || !v.is_object()) {
    return Error(ErrorCode::kUnavailable, "the authority's answer is not a JSON object");
  }
  return std::move(v.as_object());
}

Result<domain::InMemoryRegistry> AuthorityClient::Lookup(
    const std::string& certificate_type, const std::string& certificate_number,
    const std::vector<std::string>& domains) const {
  std::string target =
      "/authority/v1/registry/lookup?certificate_type=" + Escape(certificate_type) +
      "&certificate_number=" + Escape(certificate_number);
  for (const std::string& d : domains) target += "&domain=" + Escape(d);
  BEIAN_ASSIGN_OR_RETURN(json::object answer, JsonOk("GET", target, ""));
  auto registry = domain::InMemoryRegistry::FromJson(answer);
  if (!registry) {
    return Error(ErrorCode::kUnavailable,
                 "the authority's look-up answer is malformed: " + registry.error().message);
  }
  return std::move(*registry);
}

Result<bool> AuthorityClient::VerifyCredentials(const std::string& certificate_type,
                                                const std::string& certificate_number,
                                                const std::string& beian_sn,
                                                const std::string& icp_password) const {
  const std::string body = json::serialize(json::object{{"certificate_type", certificate_type},
                                                        {"certificate_number", certificate_number},
                                                        {"beian_sn", beian_sn},
                                                        {"icp_password", icp_password}});
  BEIAN_ASSIGN_OR_RETURN(json::object answer,
                         JsonOk("POST", "/authority/v1/registry/verify-credentials", body));
  const json::value* valid = answer.if_contains("valid");
  if (valid == nullptr || !valid->is_bool()) {
    return Error(ErrorCode::kUnavailable, "the authority's answer has no \"valid\"");
  }
  return valid->as_bool();
}

Result<json::object> AuthorityClient::Changes(int64_t since, int limit) const {
  return JsonOk("GET",
                "/authority/v1/registry/changes?since=" + std::to_string(since) +
                    "&limit=" + std::to_string(limit),
                "");
}

Result<AuthorityClient::Reply> AuthorityClient::Submit(const std::string& body,
                                                       std::chrono::milliseconds timeout) const {
  return Send("POST", "/authority/v1/submissions", body, timeout);
}

}  // namespace beian::authority
