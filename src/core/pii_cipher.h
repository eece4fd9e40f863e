// Encryption of personal data at rest (DESIGN §7): identity numbers and mobile numbers are
// stored sealed with XChaCha20-Poly1305 under the deployment's secret key, bound to the column
// they live in, with a keyed hash beside them where look-ups need one. Stored form:
// "enc1:" + hex(nonce || ciphertext || tag). Thread-safe (immutable after construction).
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace beian::core {

class PiiCipher {
 public:
  // REQUIRES: key is kSecretKeyBytes (32) bytes.
  explicit PiiCipher(std::string key);

  // The stored form of `plaintext` for column `column` (e.g. "users.phone"). Empty stays empty.
  std::string Seal(std::string_view plaintext, std::string_view column) const;
  // The plaintext of a stored value; an error if it was not sealed under this key and column.
  Result<std::string> Open(std::string_view stored, std::string_view column) const;
  // Keyed hash for equality look-ups of `value` in `column`.
  std::string LookupHash(std::string_view value, std::string_view column) const;

 private:
  std::string key_;
};

// The deployment's secret key: from `hex_key` (64 hex digits, e.g. BEIAN_SECRET_KEY) when
// given — what several nodes sharing a database must use — otherwise from `key_file`, which is
// created with 32 random bytes (mode 0600) when it does not exist.
Result<std::string> LoadSecretKey(std::string_view hex_key, const std::string& key_file);

// "13812345678" → "138****5678"; other strings keep their first and last quarter.
std::string MaskMobile(std::string_view mobile);
// "330106199001011234" → "3301**********1234": identity numbers of 12 characters or more keep
// their first and last four; shorter ones their first and last quarter.
std::string MaskIdentityNumber(std::string_view number);

}  // namespace beian::core
