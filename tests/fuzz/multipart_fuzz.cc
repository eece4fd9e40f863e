// libFuzzer target: multipart/form-data parsing (document uploads) never crashes, and every part
// it returns lies inside the body it was given. The first line of the input is the boundary.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "http/multipart.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const auto newline = input.find('\n');
  const std::string boundary = input.substr(0, newline == std::string::npos ? 0 : newline);
  const std::string body = newline == std::string::npos ? input : input.substr(newline + 1);
  const std::string content_type = "multipart/form-data; boundary=" + boundary;
  auto parts = beian::http::ParseMultipartBody(content_type, body, {.max_parts = 8});
  if (!parts) return 0;
  if (parts->size() > 8) std::abort();
  for (const auto& p : *parts) {
    const char* begin = body.data();
    if (!p.data.empty() &&
        (p.data.data() < begin || p.data.data() + p.data.size() > begin + body.size())) {
      std::abort();
    }
  }
  return 0;
}
