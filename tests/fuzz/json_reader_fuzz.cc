// libFuzzer target: request bodies through the strict JSON reader (the path every API body
// takes) never crash, and every refusal is a 400 with a stable code.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/error.h"
#include "core/json_reader.h"

using beian::core::ErrorCode;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto obj = beian::core::ParseJsonObjectText(text);
  if (!obj) {
    if (obj.error().code != ErrorCode::kInvalidJson &&
        obj.error().code != ErrorCode::kValidationFailed) {
      std::abort();
    }
    return 0;
  }
  beian::core::JsonReader r(*obj);
  r.RequiredString("email");
  r.OptionalInt("limit");
  r.OptionalBool("flag");
  r.OptionalStringArray("domains");
  if (auto* nested = r.OptionalObject("organizer")) {
    nested->OptionalString("name");
    if (auto list = nested->OptionalObjectArray("websites")) {
      for (auto* w : *list) w->OptionalString("name");
    }
  }
  auto finished = r.Finish();
  if (!finished) {
    const ErrorCode c = finished.error().code;
    if (c != ErrorCode::kValidationFailed && c != ErrorCode::kUnknownField) std::abort();
    if (finished.error().details.empty()) std::abort();
  }
  return 0;
}
