// Signed requests between the provider's agent and the authority (DESIGN §6, issue 10 item 1).
// Each call carries four headers:
//   X-Beian-Provider   the provider's id at the authority
//   X-Beian-Timestamp  unix seconds, decimal
//   X-Beian-Nonce      16-64 characters of [A-Za-z0-9_-], never used twice
//   X-Beian-Signature  lower-case hex HMAC-SHA256(key, CanonicalRequest(...))
// The canonical request is, joined by "\n":
//   "BEIAN-HMAC-SHA256", METHOD (upper-case), the path with its query exactly as sent,
//   the timestamp, the nonce, lower-case hex SHA-256 of the body.
// The key is 32 random bytes, handed to the provider once as 64 hex digits.
// Pure functions; the nonce store and the provider keys belong to the caller (the authority's
// middleware, authority/signed_routes.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace beian::core {

inline constexpr std::string_view kProviderHeader = "X-Beian-Provider";
inline constexpr std::string_view kTimestampHeader = "X-Beian-Timestamp";
inline constexpr std::string_view kNonceHeader = "X-Beian-Nonce";
inline constexpr std::string_view kSignatureHeader = "X-Beian-Signature";
// How far a request's timestamp may be from the receiver's clock, either way.
inline constexpr int64_t kSignatureSkewSeconds = 300;
inline constexpr std::size_t kProviderKeyBytes = 32;

// Lower-case hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);

std::string CanonicalRequest(std::string_view method, std::string_view path_with_query,
                             std::string_view timestamp, std::string_view nonce,
                             std::string_view body);

// Lower-case hex HMAC-SHA256 of the canonical request under `key` (the raw 32 bytes).
std::string SignRequest(std::string_view key, std::string_view method,
                        std::string_view path_with_query, std::string_view timestamp,
                        std::string_view nonce, std::string_view body);

// A new provider key, as the 64 hex digits given to the provider.
std::string NewProviderKeyText();
// The raw key of its 64-hex-digit text; kValidationFailed otherwise.
Result<std::string> ParseProviderKey(std::string_view text);

// A fresh nonce (base64url of 128 random bits, 22 characters).
std::string NewNonce();

// The four headers of a signed request, as (name, value) pairs ready to send.
std::vector<std::pair<std::string, std::string>> SignedHeaders(
    std::string_view provider_id, std::string_view key, std::string_view method,
    std::string_view path_with_query, std::string_view body, int64_t now_seconds);

// The signature headers as received.
struct ReceivedSignature {
  std::string provider;
  std::string timestamp;
  std::string nonce;
  std::string signature;
};

// Checks the shape of the headers (all present, timestamp decimal, nonce and signature well
// formed): kBadSignature naming the first that is missing or malformed.
Status CheckSignatureShape(const ReceivedSignature& sig);
// kTimestampSkew when the timestamp is more than kSignatureSkewSeconds from `now_seconds`.
Status CheckTimestamp(const ReceivedSignature& sig, int64_t now_seconds);
// kBadSignature unless `sig.signature` is the signature of the request under `key`
// (compared in constant time).
Status CheckSignature(const ReceivedSignature& sig, std::string_view key, std::string_view method,
                      std::string_view path_with_query, std::string_view body);

}  // namespace beian::core
