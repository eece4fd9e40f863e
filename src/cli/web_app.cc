// Serving of the web console (see web_app.h).
#include "cli/web_app.h"

#include <boost/json.hpp>

#include "core/log.h"
#include "core/version.h"
#include "http/json.h"
#include "http/static_files.h"

namespace beian::cli {

void MountWebApp(http::Router& router, const WebAppOptions& options) {
  boost::json::object fields{{"service", options.service},
                             {"api_base", options.api_prefix},
                             {"version", core::kVersion},
                             {"demo", options.demo}};
  if (!options.authority_public_url.empty()) {
    fields["authority_public_url"] = options.authority_public_url;
  }
  const std::string config = boost::json::serialize(fields);
  router.Add("GET", "/app-config.json", [config](http::Request&) -> core::Result<http::Response> {
    auto response = http::Response::RawJson(config);
    response.SetHeader("Cache-Control", "no-cache");
    return response;
  });
  auto files = http::StaticFiles::Load(options.web_dir);
  if (!files) {
    // The API works without the console; say why the pages are missing.
    core::Log(core::LogLevel::kWarn, "web_console_unavailable",
              {{"service", options.service},
               {"web_dir", options.web_dir},
               {"reason", files.error().message}});
    return;
  }
  router.SetFallback((*files)->AsHandler());
}

}  // namespace beian::cli
