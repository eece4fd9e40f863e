// The authority's side of request signing (issue 10 item 1; core/request_signing.h for the
// scheme): SignatureVerifier checks a request's X-Beian-* headers against the provider's key
// (stored sealed in the providers table) and records its nonce in the authority database, and
// Signed() wraps a route's handler so that it runs only for a verified provider:
//   router.Add("GET", "/authority/v1/registry/lookup", Signed(verifier, Lookup));
// Refusals are 401 with a stable code, checked in this order:
//   bad_signature     a header missing or malformed, or the signature does not match
//   unknown_provider  X-Beian-Provider names no provider
//   timestamp_skew    X-Beian-Timestamp more than 5 minutes from the authority's clock
//   replayed          the nonce was seen before (nonces are kept past the 5-minute window)
// The nonce is recorded only after the signature verified, so nobody can burn a provider's
// nonces. Thread-safe.
#pragma once

#include <functional>
#include <string>

#include "core/clock.h"
#include "core/pii_cipher.h"
#include "core/result.h"
#include "http/request.h"
#include "http/response.h"
#include "http/router.h"
#include "store/database.h"
#include "store/providers.h"

namespace beian::authority {

class SignatureVerifier {
 public:
  SignatureVerifier(store::Database& db, const core::Clock& clock, const core::PiiCipher& pii)
      : db_(db), clock_(clock), pii_(pii) {}

  // The provider that signed `request` (its target as sent, its body), or the refusal.
  core::Result<store::Provider> Verify(const http::Request& request) const;
  // Deletes nonces that have left the timestamp window; returns how many.
  core::Result<int64_t> PurgeExpiredNonces() const;

 private:
  store::Database& db_;
  const core::Clock& clock_;
  const core::PiiCipher& pii_;
};

using SignedHandler =
    std::function<core::Result<http::Response>(http::Request&, const store::Provider&)>;

// A handler that verifies the signature, then calls `handler` with the provider.
// REQUIRES: `verifier` outlives the router.
http::Handler Signed(const SignatureVerifier& verifier, SignedHandler handler);

}  // namespace beian::authority
