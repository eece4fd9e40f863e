// The provider's side of the authority's signed API (issue 10 items 1, 2): an HTTP client over
// libcurl that signs every request (core/request_signing.h) with the provider's key, and the
// typed calls the agent makes — the registry look-up for the filing-type judgement, the check of
// a Beian SN + ICP password, and the hand-over of a submission. `beian serve` builds one from
// --authority-url, --provider-id and --provider-key (or, with both services, from the local
// registration) and hands the agent plain functions, so the agent's room does not depend on
// this one.
// Failures to reach the authority, and answers other than 2xx, are kUnavailable naming what
// happened (a 401's code included). Thread-safe: each call uses its own curl handle.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "core/clock.h"
#include "core/result.h"
#include "domain/registry_view.h"

namespace beian::authority {

struct AuthorityClientOptions {
  std::string base_url;  // "http://127.0.0.1:8090" (no trailing slash needed)
  std::string provider_id;
  std::string provider_key;  // the 64 hex digits from `beian admin add-provider`
  std::chrono::milliseconds timeout{5000};
};

class AuthorityClient {
 public:
  // kValidationFailed for a URL that is not http(s) or a key that is not 64 hex digits.
  static core::Result<std::unique_ptr<AuthorityClient>> Create(AuthorityClientOptions options,
                                                               const core::Clock& clock);

  struct Reply {
    long status = 0;
    std::string body;
  };
  // A signed request; `path_with_query` starts with "/authority/v1/". Any HTTP status is a
  // Reply; only transport failures are errors (kUnavailable).
  core::Result<Reply> Send(std::string_view method, const std::string& path_with_query,
                           const std::string& body,
                           std::optional<std::chrono::milliseconds> timeout = std::nullopt) const;

  // GET /authority/v1/registry/lookup, as the judgement's registry view.
  core::Result<domain::InMemoryRegistry> Lookup(const std::string& certificate_type,
                                                const std::string& certificate_number,
                                                const std::vector<std::string>& domains) const;
  // POST /authority/v1/registry/verify-credentials.
  core::Result<bool> VerifyCredentials(const std::string& certificate_type,
                                       const std::string& certificate_number,
                                       const std::string& beian_sn,
                                       const std::string& icp_password) const;
  // GET /authority/v1/registry/changes.
  core::Result<boost::json::object> Changes(int64_t since, int limit) const;
  // POST /authority/v1/submissions (the hand-over, contract §1): the answer as it came, whatever
  // its status (the hand-over worker judges it); `timeout` replaces the client's (a submission
  // carries every document, up to 64 MiB).
  core::Result<Reply> Submit(const std::string& body, std::chrono::milliseconds timeout) const;

  const AuthorityClientOptions& options() const { return options_; }

 private:
  AuthorityClient(AuthorityClientOptions options, std::string key, const core::Clock& clock)
      : options_(std::move(options)), key_(std::move(key)), clock_(clock) {}
  core::Result<boost::json::object> JsonOk(std::string_view method, const std::string& target,
                                           const std::string& body) const;

  AuthorityClientOptions options_;
  std::string key_;  // raw 32 bytes
  const core::Clock& clock_;
};

}  // namespace beian::authority
