// Names of the error codes (see error.h).
#include "core/error.h"

namespace beian::core {

const std::vector<ErrorCode>& AllErrorCodes() {
  static const std::vector<ErrorCode> kAll = {
#define BEIAN_X(name, str) ErrorCode::name,
      BEIAN_ERROR_CODES(BEIAN_X)
#undef BEIAN_X
  };
  return kAll;
}

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
#define BEIAN_X(name, str) \
  case ErrorCode::name:    \
    return str;
    BEIAN_ERROR_CODES(BEIAN_X)
#undef BEIAN_X
  }
  return "internal";
}

}  // namespace beian::core
