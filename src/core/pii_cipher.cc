// Implementation of PiiCipher and the secret key (see pii_cipher.h).
#include "core/pii_cipher.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "core/crypto.h"

namespace beian::core {
namespace {
constexpr std::string_view kPrefix = "enc1:";
}

PiiCipher::PiiCipher(std::string key) : key_(std::move(key)) {}

std::string PiiCipher::Seal(std::string_view plaintext, std::string_view column) const {
  if (plaintext.empty()) return {};
  auto sealed = core::Seal(key_, plaintext, column);
  return std::string(kPrefix) + HexEncode(sealed.value());
}

Result<std::string> PiiCipher::Open(std::string_view stored, std::string_view column) const {
  if (stored.empty()) return std::string();
  if (!stored.starts_with(kPrefix)) {
    return Error(ErrorCode::kInternal, "stored personal data is not sealed");
  }
  BEIAN_ASSIGN_OR_RETURN(std::string raw, HexDecode(stored.substr(kPrefix.size())));
  return core::Open(key_, raw, column);
}

std::string PiiCipher::LookupHash(std::string_view value, std::string_view column) const {
  std::string input(column);
  input.push_back('\0');
  input.append(value);
  return KeyedHash(key_, input);
}

Result<std::string> LoadSecretKey(std::string_view hex_key, const std::string& key_file) {
  if (!hex_key.empty()) {
    auto key = HexDecode(hex_key);
    if (!key || key->size() != kSecretKeyBytes) {
      return Error(ErrorCode::kBadRequest, "the secret key must be 64 hexadecimal digits");
    }
    return *key;
  }
  std::error_code ec;
  if (!std::filesystem::exists(key_file, ec)) {
    const std::string fresh = RandomBytes(kSecretKeyBytes);
    const std::string tmp = key_file + ".tmp";
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      out << HexEncode(fresh) << "\n";
      if (!out) return Error(ErrorCode::kIo, "cannot write " + tmp);
    }
    ::chmod(tmp.c_str(), 0600);
    std::filesystem::rename(tmp, key_file, ec);
    if (ec) return Error(ErrorCode::kIo, "cannot create " + key_file + ": " + ec.message());
  }
  std::ifstream in(key_file, std::ios::binary);
  std::string hex;
  in >> hex;
  auto key = HexDecode(hex);
  if (!key || key->size() != kSecretKeyBytes) {
    return Error(ErrorCode::kIo, key_file + ": not a secret key (64 hexadecimal digits)");
  }
  return *key;
}

std::string MaskMobile(std::string_view mobile) {
  if (mobile.size() == 11) {
    return std::string(mobile.substr(0, 3)) + "****" + std::string(mobile.substr(7));
  }
  if (mobile.size() < 4) return std::string(mobile.size(), '*');
  const size_t keep = mobile.size() / 4;
  return std::string(mobile.substr(0, keep)) + std::string(mobile.size() - 2 * keep, '*') +
         std::string(mobile.substr(mobile.size() - keep));
}

std::string MaskIdentityNumber(std::string_view number) {
  if (number.size() >= 12) {
    return std::string(number.substr(0, 4)) + std::string(number.size() - 8, '*') +
           std::string(number.substr(number.size() - 4));
  }
  if (number.size() < 4) return std::string(number.size(), '*');
  const size_t keep = number.size() / 4;
  return std::string(number.substr(0, keep)) + std::string(number.size() - 2 * keep, '*') +
         std::string(number.substr(number.size() - keep));
}

}  // namespace beian::core
