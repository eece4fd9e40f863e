// SignatureVerifier and Signed() (see signed_routes.h).
#include "authority/signed_routes.h"

#include <chrono>

#include "core/request_signing.h"

namespace beian::authority {
namespace {

using core::Error;
using core::ErrorCode;
using core::Result;

int64_t UnixMs(core::TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

}  // namespace

Result<store::Provider> SignatureVerifier::Verify(const http::Request& request) const {
  core::ReceivedSignature sig{std::string(request.Header(core::kProviderHeader)),
                              std::string(request.Header(core::kTimestampHeader)),
                              std::string(request.Header(core::kNonceHeader)),
                              std::string(request.Header(core::kSignatureHeader))};
  BEIAN_TRY(core::CheckSignatureShape(sig));
  const int64_t now_ms = UnixMs(clock_.Now());
  return db_.Write([&](store::Tx& tx) -> Result<store::Provider> {
    BEIAN_ASSIGN_OR_RETURN(auto provider, store::ProviderRepo(tx).Find(sig.provider));
    if (!provider) {
      return Error(ErrorCode::kUnknownProvider,
                   "no provider \"" + sig.provider + "\" is known to the authority");
    }
    BEIAN_ASSIGN_OR_RETURN(std::string key_text,
                           pii_.Open(provider->key_sealed, store::kProviderKeyColumn));
    BEIAN_ASSIGN_OR_RETURN(std::string key, core::ParseProviderKey(key_text));
    // The signature first: a request with a wrong signature says nothing about time or nonces.
    BEIAN_TRY(core::CheckSignature(sig, key, request.method, request.target, request.body));
    BEIAN_TRY(core::CheckTimestamp(sig, now_ms / 1000));
    // Kept until the timestamp can no longer pass the window check.
    const int64_t expires_ms = (std::stoll(sig.timestamp) + core::kSignatureSkewSeconds + 1) * 1000;
    BEIAN_ASSIGN_OR_RETURN(bool fresh,
                           store::NonceRepo(tx).Remember(provider->id, sig.nonce, expires_ms));
    if (!fresh) {
      return Error(ErrorCode::kReplayed, "this request's nonce was used before (a replay)");
    }
    return std::move(*provider);
  });
}

Result<int64_t> SignatureVerifier::PurgeExpiredNonces() const {
  const int64_t now_ms = UnixMs(clock_.Now());
  return db_.Write([&](store::Tx& tx) { return store::NonceRepo(tx).PurgeExpired(now_ms); });
}

http::Handler Signed(const SignatureVerifier& verifier, SignedHandler handler) {
  return
      [&verifier, handler = std::move(handler)](http::Request& request) -> Result<http::Response> {
        BEIAN_ASSIGN_OR_RETURN(store::Provider provider, verifier.Verify(request));
        return handler(request, provider);
      };
}

}  // namespace beian::authority
