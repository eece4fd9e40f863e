// SealedAddressOpener (see transport.h).
#include "notify/transport.h"

namespace beian::notify {

AddressOpener SealedAddressOpener(const core::PiiCipher& pii) {
  return [&pii](std::string_view stored) -> core::Result<std::string> {
    if (!stored.starts_with("enc1:")) return std::string(stored);
    return pii.Open(stored, kSealedAddressColumn);
  };
}

std::string SealedParamColumn(std::string_view name) {
  return std::string(kSealedParamColumnPrefix) + std::string(name);
}

std::string SealParam(const core::PiiCipher& pii, std::string_view name, std::string_view value) {
  return pii.Seal(value, SealedParamColumn(name));
}

ParamOpener SealedParamOpener(const core::PiiCipher& pii) {
  return [&pii](std::string_view name, std::string_view stored) -> core::Result<std::string> {
    if (!stored.starts_with("enc1:")) {
      return core::Error(core::ErrorCode::kValidationFailed, "a secret parameter is not sealed");
    }
    return pii.Open(stored, SealedParamColumn(name));
  };
}

}  // namespace beian::notify
