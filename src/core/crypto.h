// Cryptographic primitives, all from libsodium: random tokens, password hashing (Argon2id),
// token hashing, HMAC-SHA256, constant-time comparison, and authenticated encryption of personal
// data at rest (XChaCha20-Poly1305) with a keyed hash beside it for look-ups.
// Call InitCrypto() once before anything else; every function is then thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.h"

namespace beian::core {

// Initialises libsodium. Returns false if the library cannot be used (then nothing else may be).
bool InitCrypto();

// `n` bytes from the operating system's CSPRNG.
std::string RandomBytes(std::size_t n);

// 256 random bits, base64url without padding (43 characters): session tokens, CSRF tokens.
std::string RandomToken();

// 128 random bits as 32 lower-case hex digits: record ids.
std::string RandomId();

std::string HexEncode(std::string_view bytes);
Result<std::string> HexDecode(std::string_view hex);
std::string Base64UrlEncode(std::string_view bytes);

// BLAKE2b-256 of `token`, hex: what is stored for a session token, so that a leaked database
// does not leak live sessions.
std::string HashToken(std::string_view token);

// Argon2id cost. kInteractive is for people's passwords; kMinimum only for tests.
enum class PasswordCost { kInteractive, kModerate, kMinimum };

// An encoded Argon2id hash string ("$argon2id$v=19$m=…"), salt included.
Result<std::string> HashPassword(std::string_view password, PasswordCost cost);

// True when `password` matches `encoded_hash`. Runs in time independent of where they differ.
bool VerifyPassword(std::string_view encoded_hash, std::string_view password);

bool ConstantTimeEquals(std::string_view a, std::string_view b);

// HMAC-SHA256(key, message), raw 32 bytes.
std::string HmacSha256(std::string_view key, std::string_view message);

// SHA-256 of data that arrives in pieces (e.g. an upload streamed to disk).
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void Update(std::string_view bytes);
  // Lower-case hex of the digest; the object is spent afterwards.
  std::string FinalHex();

 private:
  alignas(16) unsigned char state_[128];  // crypto_hash_sha256_state (104 bytes in libsodium)
};

// Secret-key sealing of personal data: XChaCha20-Poly1305 with a random nonce; the output is
// nonce || ciphertext || tag. `associated` binds the ciphertext to its context (e.g. a column).
// The key is 32 bytes.
constexpr std::size_t kSecretKeyBytes = 32;
Result<std::string> Seal(std::string_view key, std::string_view plaintext,
                         std::string_view associated);
Result<std::string> Open(std::string_view key, std::string_view sealed,
                         std::string_view associated);

// Keyed BLAKE2b-256 (hex) of `value`: a stable look-up key for encrypted values.
std::string KeyedHash(std::string_view key, std::string_view value);

}  // namespace beian::core
