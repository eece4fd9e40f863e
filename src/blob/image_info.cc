// PNG and JPEG header readers (see image_info.h).
#include "blob/image_info.h"

namespace beian::blob {
namespace {

uint32_t Be16(std::string_view b, size_t at) {
  return (static_cast<uint32_t>(static_cast<unsigned char>(b[at])) << 8) |
         static_cast<unsigned char>(b[at + 1]);
}

uint32_t Be32(std::string_view b, size_t at) { return (Be16(b, at) << 16) | Be16(b, at + 2); }

}  // namespace

std::optional<ImageInfo> ReadPngInfo(std::string_view b) {
  static constexpr std::string_view kSignature("\x89PNG\r\n\x1a\n", 8);
  // Signature, then the IHDR chunk: length 13, "IHDR", width, height, depth, colour type, …
  if (b.size() < 8 + 8 + 13 || b.substr(0, 8) != kSignature) return std::nullopt;
  if (Be32(b, 8) != 13 || b.substr(12, 4) != "IHDR") return std::nullopt;
  ImageInfo info{.width = Be32(b, 16), .height = Be32(b, 20), .channels = 0};
  switch (static_cast<unsigned char>(b[25])) {
    case 0:
      info.channels = 1;
      break;  // grey
    case 2:
      info.channels = 3;
      break;  // RGB
    case 3:
      info.channels = 1;
      break;  // palette
    case 4:
      info.channels = 2;
      break;  // grey + alpha
    case 6:
      info.channels = 4;
      break;  // RGBA
    default:
      return std::nullopt;
  }
  if (info.width == 0 || info.height == 0) return std::nullopt;
  return info;
}

std::optional<ImageInfo> ReadJpegInfo(std::string_view b) {
  if (b.size() < 4 || static_cast<unsigned char>(b[0]) != 0xFF ||
      static_cast<unsigned char>(b[1]) != 0xD8) {
    return std::nullopt;
  }
  size_t i = 2;
  while (i + 4 <= b.size()) {
    if (static_cast<unsigned char>(b[i]) != 0xFF) return std::nullopt;
    const unsigned char marker = static_cast<unsigned char>(b[i + 1]);
    if (marker == 0xFF) {  // fill byte
      ++i;
      continue;
    }
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {  // no length
      i += 2;
      continue;
    }
    if (marker == 0xD9 || marker == 0xDA) return std::nullopt;  // end / scan before any frame
    const uint32_t length = Be16(b, i + 2);
    if (length < 2 || i + 2 + length > b.size()) return std::nullopt;
    const bool sof =
        marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (sof) {
      if (length < 8) return std::nullopt;
      ImageInfo info{.width = Be16(b, i + 7),
                     .height = Be16(b, i + 5),
                     .channels = static_cast<unsigned char>(b[i + 9])};
      if (info.width == 0 || info.height == 0 || info.channels == 0) return std::nullopt;
      return info;
    }
    i += 2 + length;
  }
  return std::nullopt;
}

}  // namespace beian::blob
