// libsodium-backed implementation of core/crypto.h.
#include "core/crypto.h"

#include <sodium.h>

#include <cstring>

namespace beian::core {
namespace {

const unsigned char* U(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}
unsigned char* U(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }

}  // namespace

bool InitCrypto() { return sodium_init() >= 0; }

std::string RandomBytes(std::size_t n) {
  std::string out(n, '\0');
  randombytes_buf(out.data(), n);
  return out;
}

std::string RandomToken() { return Base64UrlEncode(RandomBytes(32)); }

std::string RandomId() { return HexEncode(RandomBytes(16)); }

std::string HexEncode(std::string_view bytes) {
  std::string out(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), U(bytes), bytes.size());
  out.pop_back();
  return out;
}

Result<std::string> HexDecode(std::string_view hex) {
  std::string out(hex.size() / 2, '\0');
  std::size_t len = 0;
  if (hex.size() % 2 != 0 ||
      sodium_hex2bin(U(out), out.size(), hex.data(), hex.size(), nullptr, &len, nullptr) != 0 ||
      len != out.size()) {
    return Error(ErrorCode::kBadRequest, "not a hex string");
  }
  return out;
}

std::string Base64UrlEncode(std::string_view bytes) {
  const int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_encoded_len(bytes.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), U(bytes), bytes.size(), variant);
  out.resize(std::strlen(out.c_str()));
  return out;
}

std::string HashToken(std::string_view token) {
  std::string digest(crypto_generichash_BYTES, '\0');
  crypto_generichash(U(digest), digest.size(), U(token), token.size(), nullptr, 0);
  return HexEncode(digest);
}

Result<std::string> HashPassword(std::string_view password, PasswordCost cost) {
  unsigned long long ops = crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE;
  std::size_t mem = crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE;
  if (cost == PasswordCost::kModerate) {
    ops = crypto_pwhash_argon2id_OPSLIMIT_MODERATE;
    mem = crypto_pwhash_argon2id_MEMLIMIT_MODERATE;
  } else if (cost == PasswordCost::kMinimum) {
    ops = crypto_pwhash_argon2id_OPSLIMIT_MIN;
    mem = crypto_pwhash_argon2id_MEMLIMIT_MIN;
  }
  char out[crypto_pwhash_argon2id_STRBYTES];
  if (crypto_pwhash_argon2id_str(out, password.data(), password.size(), ops, mem) != 0) {
    return Error(ErrorCode::kInternal, "password hashing ran out of memory");
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view encoded_hash, std::string_view password) {
  std::string hash(encoded_hash);  // libsodium wants a NUL-terminated string
  return crypto_pwhash_argon2id_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return a.empty() || sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string HmacSha256(std::string_view key, std::string_view message) {
  std::string mac(crypto_auth_hmacsha256_BYTES, '\0');
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, U(key), key.size());
  crypto_auth_hmacsha256_update(&state, U(message), message.size());
  crypto_auth_hmacsha256_final(&state, U(mac));
  return mac;
}

static_assert(sizeof(crypto_hash_sha256_state) <= 128);

Sha256::Sha256() { crypto_hash_sha256_init(reinterpret_cast<crypto_hash_sha256_state*>(state_)); }

Sha256::~Sha256() = default;

void Sha256::Update(std::string_view bytes) {
  crypto_hash_sha256_update(reinterpret_cast<crypto_hash_sha256_state*>(state_), U(bytes),
                            bytes.size());
}

std::string Sha256::FinalHex() {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(reinterpret_cast<crypto_hash_sha256_state*>(state_), digest);
  return HexEncode(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

Result<std::string> Seal(std::string_view key, std::string_view plaintext,
                         std::string_view associated) {
  if (key.size() != kSecretKeyBytes) return Error(ErrorCode::kInternal, "bad key size");
  const std::size_t nonce_len = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  std::string out(nonce_len + plaintext.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
  randombytes_buf(out.data(), nonce_len);
  unsigned long long clen = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(U(out) + nonce_len, &clen, U(plaintext),
                                             plaintext.size(), U(associated), associated.size(),
                                             nullptr, U(out), U(key));
  out.resize(nonce_len + clen);
  return out;
}

Result<std::string> Open(std::string_view key, std::string_view sealed,
                         std::string_view associated) {
  const std::size_t nonce_len = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  if (key.size() != kSecretKeyBytes) return Error(ErrorCode::kInternal, "bad key size");
  if (sealed.size() < nonce_len + crypto_aead_xchacha20poly1305_ietf_ABYTES) {
    return Error(ErrorCode::kInternal, "sealed value too short");
  }
  std::string out(sealed.size() - nonce_len, '\0');
  unsigned long long mlen = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(U(out), &mlen, nullptr, U(sealed) + nonce_len,
                                                 sealed.size() - nonce_len, U(associated),
                                                 associated.size(), U(sealed), U(key)) != 0) {
    return Error(ErrorCode::kInternal, "sealed value failed authentication");
  }
  out.resize(mlen);
  return out;
}

std::string KeyedHash(std::string_view key, std::string_view value) {
  std::string digest(crypto_generichash_BYTES, '\0');
  crypto_generichash(U(digest), digest.size(), U(value), value.size(), U(key), key.size());
  return HexEncode(digest);
}

}  // namespace beian::core
