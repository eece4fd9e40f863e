// `beian codes [--json]`: every error code the server can answer with the HTTP status it maps to
// (http/error_status.cc), and the roles (core/roles.h). The console's catalogue of messages and
// its role list are tested against this output, so a code added on the server without console
// text fails a test instead of reaching a user as a bare word.
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <iostream>

#include "cli/commands.h"
#include "core/error.h"
#include "core/roles.h"
#include "http/error_status.h"

namespace beian::cli {
namespace {

int PrintCodes(bool json) {
  if (json) {
    boost::json::array codes;
    for (core::ErrorCode code : core::AllErrorCodes()) {
      codes.push_back(boost::json::object{{"code", core::ErrorCodeName(code)},
                                          {"status", http::HttpStatusFor(code)}});
    }
    boost::json::array roles;
    for (std::string_view role : core::kRoles) roles.push_back(boost::json::string(role));
    boost::json::object out{{"codes", std::move(codes)}, {"roles", std::move(roles)}};
    std::cout << boost::json::serialize(out) << "\n";
    return 0;
  }
  for (core::ErrorCode code : core::AllErrorCodes()) {
    std::cout << http::HttpStatusFor(code) << "  " << core::ErrorCodeName(code) << "\n";
  }
  std::cout << "roles: " << core::RoleListText() << "\n";
  return 0;
}

}  // namespace

void AddCodesCommand(CLI::App& app, int& exit_code) {
  auto json = std::make_shared<bool>(false);
  auto* cmd = app.add_subcommand(
      "codes", "Print every error code with its HTTP status, and the roles (for the console)");
  cmd->add_flag("--json", *json, "Print one JSON object: {\"codes\":[{code,status}],\"roles\":[]}");
  cmd->callback([json, &exit_code] { exit_code = PrintCodes(*json); });
}

}  // namespace beian::cli
