// SealedAddressOpener (see transport.h).
#include "notify/transport.h"

namespace beian::notify {

AddressOpener SealedAddressOpener(const core::PiiCipher& pii) {
  return [&pii](std::string_view stored) -> core::Result<std::string> {
    if (!stored.starts_with("enc1:")) return std::string(stored);
    return pii.Open(stored, kSealedAddressColumn);
  };
}

std::string SealParam(const core::PiiCipher& pii, std::string_view value) {
  return pii.Seal(value, kSealedParamColumn);
}

ParamOpener SealedParamOpener(const core::PiiCipher& pii) {
  return [&pii](std::string_view stored) -> core::Result<std::string> {
    if (!stored.starts_with("enc1:")) {
      return core::Error(core::ErrorCode::kValidationFailed, "a secret parameter is not sealed");
    }
    return pii.Open(stored, kSealedParamColumn);
  };
}

}  // namespace beian::notify
