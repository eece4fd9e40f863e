// Test support: real, tiny files built in memory — a valid PNG (stored deflate, so no zlib
// needed), a PNG header that claims any size (a decompression bomb), a baseline JPEG header, a
// PDF, and an ELF executable header.
#pragma once

#include <cstdint>
#include <string>

namespace beian::blob::testing {

inline void PutBe32(std::string& out, uint32_t v) {
  out += static_cast<char>(v >> 24);
  out += static_cast<char>(v >> 16);
  out += static_cast<char>(v >> 8);
  out += static_cast<char>(v);
}

inline uint32_t Crc32(const std::string& data) {
  uint32_t crc = 0xFFFFFFFFu;
  for (unsigned char c : data) {
    crc ^= c;
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

inline void PngChunk(std::string& out, const std::string& type, const std::string& data) {
  PutBe32(out, static_cast<uint32_t>(data.size()));
  const std::string body = type + data;
  out += body;
  PutBe32(out, Crc32(body));
}

// A grey PNG of width × height whose IHDR may claim other sides (claimed_* > 0) than the pixel
// data holds — the shape of a decompression bomb.
inline std::string Png(uint32_t width, uint32_t height, uint32_t claimed_width = 0,
                       uint32_t claimed_height = 0) {
  std::string out("\x89PNG\r\n\x1a\n", 8);
  std::string ihdr;
  PutBe32(ihdr, claimed_width ? claimed_width : width);
  PutBe32(ihdr, claimed_height ? claimed_height : height);
  ihdr += std::string("\x08\x00\x00\x00\x00", 5);  // depth 8, grey, deflate, filter, no interlace
  PngChunk(out, "IHDR", ihdr);
  std::string raw;
  for (uint32_t y = 0; y < height; ++y) {
    raw += '\0';  // filter: none
    raw += std::string(width, static_cast<char>(y & 0xFF));
  }
  std::string z("\x78\x01", 2);
  uint32_t a = 1, b = 0;
  for (unsigned char c : raw) {
    a = (a + c) % 65521;
    b = (b + a) % 65521;
  }
  for (size_t i = 0; i < raw.size() || i == 0; i += 65535) {
    const size_t n = std::min<size_t>(65535, raw.size() - i);
    const bool last = i + n >= raw.size();
    z += static_cast<char>(last ? 1 : 0);
    z += static_cast<char>(n & 0xFF);
    z += static_cast<char>(n >> 8);
    z += static_cast<char>(~n & 0xFF);
    z += static_cast<char>((~n >> 8) & 0xFF);
    z += raw.substr(i, n);
    if (last) break;
  }
  PutBe32(z, (b << 16) | a);
  PngChunk(out, "IDAT", z);
  PngChunk(out, "IEND", "");
  return out;
}

// A baseline JPEG's headers (SOI, JFIF APP0, SOF0 with 3 components, a scan, EOI).
inline std::string Jpeg(uint16_t width, uint16_t height) {
  std::string out("\xFF\xD8", 2);
  out += std::string("\xFF\xE0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00", 18);
  out += std::string("\xFF\xC0\x00\x11\x08", 5);
  out += static_cast<char>(height >> 8);
  out += static_cast<char>(height & 0xFF);
  out += static_cast<char>(width >> 8);
  out += static_cast<char>(width & 0xFF);
  out += std::string("\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01", 10);
  out += std::string("\xFF\xDA\x00\x0C\x03\x01\x00\x02\x11\x03\x11\x00\x3F\x00", 14);
  out += std::string(64, '\x55');
  out += std::string("\xFF\xD9", 2);
  return out;
}

inline std::string Pdf() {
  return "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
         "2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
         "trailer << /Root 1 0 R >>\n%%EOF\n";
}

// The first bytes of a 64-bit x86 Linux executable.
inline std::string Elf() {
  std::string out(
      "\x7F"
      "ELF\x02\x01\x01\x00",
      8);
  out += std::string(8, '\0');
  out += std::string("\x02\x00\x3E\x00\x01\x00\x00\x00", 8);  // ET_EXEC, x86-64, version 1
  out += std::string(40, '\0');
  out += std::string(200, '\x90');
  return out;
}

}  // namespace beian::blob::testing
