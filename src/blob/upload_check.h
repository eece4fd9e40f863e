// Checks of an uploaded document before it is stored: the type is judged by the content
// (libmagic), never by the name or the Content-Type the client sent; only JPEG, PNG and PDF are
// accepted. Images must have sane dimensions, read from the header alone: a side shorter than
// `min_side` is too small to read; a side over `max_side`, or width × height × channels over
// `max_pixel_values` (what decoding would allocate — a decompression bomb is a few KB on disk),
// is too large. Errors (all HTTP 422): unsupported_file_type, photo_must_be_image (a PDF where
// an image is required), image_too_large, image_too_small.
// SanitizeFileName makes a client's file name safe to keep as metadata; it is never a path.
// Thread-safe (one libmagic handle per thread).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace beian::blob {

struct UploadPolicy {
  uint32_t min_side = 100;
  uint32_t max_side = 10000;
  uint64_t max_pixel_values = 80'000'000;  // e.g. 5000 × 4000 × 4
};

struct CheckedFile {
  std::string content_type;  // "image/jpeg" | "image/png" | "application/pdf"
  bool is_image = false;
  uint32_t width = 0;  // images only
  uint32_t height = 0;
};

// The MIME type libmagic sees in `bytes` ("application/x-executable", …).
std::string SniffContentType(std::string_view bytes);

core::Result<CheckedFile> CheckUpload(std::string_view bytes, bool image_required,
                                      const UploadPolicy& policy = {});

// The last path component of `name` (after any '/' or '\'), without control characters, invalid
// UTF-8 or leading dots and spaces, at most 200 bytes (cut at a character boundary);
// "document" when nothing is left.
std::string SanitizeFileName(std::string_view name);

}  // namespace beian::blob
