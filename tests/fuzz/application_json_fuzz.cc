// libFuzzer target: the strict Application JSON parser (fed from the network by the HTTP API).
// Any input must either fail with an Error or parse into an application whose ToJson parses back
// to the same application.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "domain/application_json.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto app = beian::domain::ApplicationFromJsonText(text);
  if (!app.ok()) return 0;
  auto again = beian::domain::ApplicationFromJson(beian::domain::ToJson(*app));
  if (!again.ok() || !(*again == *app)) std::abort();
  return 0;
}
