// Upload checks (see upload_check.h).
#include "blob/upload_check.h"

#include <magic.h>

#include <memory>

#include "blob/image_info.h"

namespace beian::blob {
namespace {

using core::Error;
using core::ErrorCode;
using core::Result;

// One libmagic handle per thread: a magic_t is not safe to share.
magic_t ThreadMagic() {
  struct Handle {
    magic_t cookie = nullptr;
    Handle() {
      cookie = magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR);
      if (cookie != nullptr && magic_load(cookie, nullptr) != 0) {
        magic_close(cookie);
        cookie = nullptr;
      }
    }
    ~Handle() {
      if (cookie != nullptr) magic_close(cookie);
    }
  };
  thread_local Handle handle;
  return handle.cookie;
}

std::string Sides(const ImageInfo& i) {
  return std::to_string(i.width) + " × " + std::to_string(i.height);
}

// Length of the valid UTF-8 sequence at s[i], or 0.
size_t Utf8Length(std::string_view s, size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  if (n == 2 && c < 0xC2) return 0;  // overlong
  for (size_t k = 1; k < n; ++k) {
    if ((static_cast<unsigned char>(s[i + k]) >> 6) != 0x2) return 0;
  }
  return n;
}

}  // namespace

std::string SniffContentType(std::string_view bytes) {
  magic_t cookie = ThreadMagic();
  if (cookie == nullptr) return "";
  const char* type = magic_buffer(cookie, bytes.data(), bytes.size());
  return type == nullptr ? "" : type;
}

Result<CheckedFile> CheckUpload(std::string_view bytes, bool image_required,
                                const UploadPolicy& policy) {
  const std::string type = SniffContentType(bytes);
  if (type.empty() && ThreadMagic() == nullptr) {
    return Error(ErrorCode::kInternal, "the file type database (libmagic) could not be loaded");
  }
  CheckedFile out;
  out.content_type = type;
  if (type == "application/pdf") {
    if (image_required) {
      return Error(ErrorCode::kPhotoMustBeImage,
                   "this document must be a photo or scan as a JPEG or PNG image, not a PDF");
    }
    return out;
  }
  std::optional<ImageInfo> info;
  if (type == "image/jpeg") {
    info = ReadJpegInfo(bytes);
  } else if (type == "image/png") {
    info = ReadPngInfo(bytes);
  } else {
    return Error(ErrorCode::kUnsupportedFileType,
                 "only JPEG and PNG images and PDF files are accepted (this file is " +
                     (type.empty() ? std::string("of unknown type") : type) + ")");
  }
  if (!info) {
    return Error(ErrorCode::kUnsupportedFileType, "the image is damaged: its size cannot be read");
  }
  out.is_image = true;
  out.width = info->width;
  out.height = info->height;
  const uint64_t values = uint64_t{info->width} * info->height * info->channels;
  if (info->width > policy.max_side || info->height > policy.max_side ||
      values > policy.max_pixel_values) {
    return Error(ErrorCode::kImageTooLarge,
                 "the image is too large (" + Sides(*info) + " pixels; at most " +
                     std::to_string(policy.max_side) + " per side and " +
                     std::to_string(policy.max_pixel_values / 1'000'000) + " million values)");
  }
  if (info->width < policy.min_side || info->height < policy.min_side) {
    return Error(ErrorCode::kImageTooSmall, "the image is too small to read (" + Sides(*info) +
                                                " pixels; at least " +
                                                std::to_string(policy.min_side) + " per side)");
  }
  return out;
}

std::string SanitizeFileName(std::string_view name) {
  const size_t slash = name.find_last_of("/\\");
  if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
  std::string out;
  for (size_t i = 0; i < name.size();) {
    const size_t n = Utf8Length(name, i);
    if (n == 0) {
      ++i;  // invalid byte: dropped
      continue;
    }
    const auto c = static_cast<unsigned char>(name[i]);
    const bool control = n == 1 && (c < 0x20 || c == 0x7F);
    if (!control && out.size() + n <= 200) out.append(name.substr(i, n));
    i += n;
  }
  size_t start = 0;
  while (start < out.size() && (out[start] == '.' || out[start] == ' ')) ++start;
  out.erase(0, start);
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out.empty() ? "document" : out;
}

}  // namespace beian::blob
