// Request signing (see request_signing.h).
#include "core/request_signing.h"

#include <sodium.h>

#include <charconv>

#include "core/crypto.h"

namespace beian::core {
namespace {

Error Bad(std::string message) { return Error(ErrorCode::kBadSignature, std::move(message)); }

bool IsNonceChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

bool IsLowerHex(std::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

std::string Sha256Hex(std::string_view data) {
  unsigned char out[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(out, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  return HexEncode(std::string_view(reinterpret_cast<const char*>(out), sizeof out));
}

std::string CanonicalRequest(std::string_view method, std::string_view path_with_query,
                             std::string_view timestamp, std::string_view nonce,
                             std::string_view body) {
  std::string upper(method);
  for (char& c : upper) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  std::string out = "BEIAN-HMAC-SHA256\n";
  out += upper;
  out += '\n';
  out += path_with_query;
  out += '\n';
  out += timestamp;
  out += '\n';
  out += nonce;
  out += '\n';
  out += Sha256Hex(body);
  return out;
}

std::string SignRequest(std::string_view key, std::string_view method,
                        std::string_view path_with_query, std::string_view timestamp,
                        std::string_view nonce, std::string_view body) {
  return HexEncode(
      HmacSha256(key, CanonicalRequest(method, path_with_query, timestamp, nonce, body)));
}

std::string NewProviderKeyText() { return HexEncode(RandomBytes(kProviderKeyBytes)); }

Result<std::string> ParseProviderKey(std::string_view text) {
  auto raw = HexDecode(text);
  if (!raw || raw->size() != kProviderKeyBytes) {
    return Error(ErrorCode::kValidationFailed, "a provider key is 64 hexadecimal digits");
  }
  return std::move(*raw);
}

std::string NewNonce() { return Base64UrlEncode(RandomBytes(16)); }

std::vector<std::pair<std::string, std::string>> SignedHeaders(
    std::string_view provider_id, std::string_view key, std::string_view method,
    std::string_view path_with_query, std::string_view body, int64_t now_seconds) {
  const std::string timestamp = std::to_string(now_seconds);
  const std::string nonce = NewNonce();
  return {{std::string(kProviderHeader), std::string(provider_id)},
          {std::string(kTimestampHeader), timestamp},
          {std::string(kNonceHeader), nonce},
          {std::string(kSignatureHeader),
           SignRequest(key, method, path_with_query, timestamp, nonce, body)}};
}

Status CheckSignatureShape(const ReceivedSignature& sig) {
  if (sig.provider.empty()) return Bad("the X-Beian-Provider header is missing");
  if (sig.timestamp.empty()) return Bad("the X-Beian-Timestamp header is missing");
  if (sig.nonce.empty()) return Bad("the X-Beian-Nonce header is missing");
  if (sig.signature.empty()) return Bad("the X-Beian-Signature header is missing");
  if (sig.timestamp.size() > 12) return Bad("X-Beian-Timestamp is not unix seconds");
  for (char c : sig.timestamp) {
    if (c < '0' || c > '9') return Bad("X-Beian-Timestamp is not unix seconds");
  }
  if (sig.nonce.size() < 16 || sig.nonce.size() > 64) {
    return Bad("X-Beian-Nonce must be 16 to 64 characters");
  }
  for (char c : sig.nonce) {
    if (!IsNonceChar(c)) return Bad("X-Beian-Nonce may hold only A-Z a-z 0-9 _ -");
  }
  if (sig.signature.size() != 64 || !IsLowerHex(sig.signature)) {
    return Bad("X-Beian-Signature is not 64 lower-case hexadecimal digits");
  }
  return Ok();
}

Status CheckTimestamp(const ReceivedSignature& sig, int64_t now_seconds) {
  int64_t ts = 0;
  auto [ptr, ec] =
      std::from_chars(sig.timestamp.data(), sig.timestamp.data() + sig.timestamp.size(), ts);
  if (ec != std::errc() || ptr != sig.timestamp.data() + sig.timestamp.size()) {
    return Bad("X-Beian-Timestamp is not unix seconds");
  }
  const int64_t off = ts > now_seconds ? ts - now_seconds : now_seconds - ts;
  if (off > kSignatureSkewSeconds) {
    return Error(ErrorCode::kTimestampSkew, "X-Beian-Timestamp is " + std::to_string(off) +
                                                " seconds from the authority's clock (at most " +
                                                std::to_string(kSignatureSkewSeconds) +
                                                " allowed)");
  }
  return Ok();
}

Status CheckSignature(const ReceivedSignature& sig, std::string_view key, std::string_view method,
                      std::string_view path_with_query, std::string_view body) {
  const std::string expected =
      SignRequest(key, method, path_with_query, sig.timestamp, sig.nonce, body);
  if (!ConstantTimeEquals(expected, sig.signature)) {
    return Bad("the request signature does not match");
  }
  return Ok();
}

}  // namespace beian::core
