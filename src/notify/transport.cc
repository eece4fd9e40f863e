// SealedAddressOpener (see transport.h).
#include "notify/transport.h"

namespace beian::notify {

AddressOpener SealedAddressOpener(const core::PiiCipher& pii) {
  return [&pii](std::string_view stored) -> core::Result<std::string> {
    if (!stored.starts_with("enc1:")) return std::string(stored);
    return pii.Open(stored, kSealedAddressColumn);
  };
}

}  // namespace beian::notify
