// The dimensions of an image read from its header alone (nothing is decoded, so a
// decompression bomb costs nothing to inspect): PNG (IHDR) and JPEG (the first SOFn frame).
// Pure functions of the bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace beian::blob {

struct ImageInfo {
  uint32_t width = 0;
  uint32_t height = 0;
  uint32_t channels = 0;  // colour components per pixel (PNG palette: 1)
};

// nullopt when the bytes are not a PNG with a well-formed IHDR.
std::optional<ImageInfo> ReadPngInfo(std::string_view bytes);
// nullopt when the bytes are not a JPEG with a frame header before the first scan.
std::optional<ImageInfo> ReadJpegInfo(std::string_view bytes);

}  // namespace beian::blob
