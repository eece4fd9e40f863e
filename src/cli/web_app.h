// The web console as a service serves it: GET /app-config.json (which service this is and where
// its API lives, so one built app serves both consoles) and the built files of --web-dir, with
// unknown non-API paths falling back to index.html. Without a built console (no index.html in
// web_dir) the API is served alone and a warning is logged.
#pragma once

#include <string>

#include "http/router.h"

namespace beian::cli {

struct WebAppOptions {
  std::string web_dir;     // the built app (web/dist)
  std::string service;     // "agent" | "authority"
  std::string api_prefix;  // "/api/v1" | "/authority/v1"
  bool demo = false;       // demo accounts loaded: the console opens the mailbox to everyone
  // The agent's: the authority's base URL for its public pages (the SMS verification page
  // <url>/verify the applicant is sent to); "" when the agent has no authority.
  std::string authority_public_url = {};
};

void MountWebApp(http::Router& router, const WebAppOptions& options);

}  // namespace beian::cli
