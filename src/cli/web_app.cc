// Serving of the web console (see web_app.h).
#include "cli/web_app.h"

#include <boost/json.hpp>

#include "http/json.h"

namespace beian::cli {

void MountWebApp(http::Router& router, const WebAppOptions& options) {
  const std::string config = boost::json::serialize(boost::json::object{
      {"service", options.service}, {"api_base", options.api_prefix}, {"version", "0.1.0"}});
  router.Add("GET", "/app-config.json", [config](http::Request&) -> core::Result<http::Response> {
    auto response = http::Response::RawJson(config);
    response.SetHeader("Cache-Control", "no-cache");
    return response;
  });
}

}  // namespace beian::cli
