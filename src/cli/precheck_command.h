// `beian precheck APPLICATION.json [--registry REGISTRY.json] [--inventory INVENTORY.json]
// [--provider NAME] [--today YYYY-MM-DD]`: the domain precheck applied to an application offline
// (issue 3 item 10), for agencies checking filings in bulk. Prints the result as JSON on `out`
// (domain::ToJson(PrecheckResult) with messages in en and zh-CN). Returns 0 when there is no
// error-level finding, 1 when there is, 2 when the input is unusable — a file that cannot be
// read, malformed JSON, a wrong shape, an invalid --today — with a message on `err` naming the
// file and the problem. "-" as the application path reads standard input (`in`).
#pragma once

#include <iosfwd>
#include <string>

namespace beian::cli {

struct PrecheckOptions {
  std::string application_path;
  std::string registry_path;   // empty: an empty registry
  std::string inventory_path;  // empty: no inventory (instance and domain checks are warnings)
  std::string provider = "beian";
  std::string today;  // YYYY-MM-DD, or empty for today in China
};

int RunPrecheck(const PrecheckOptions& options, std::istream& in, std::ostream& out,
                std::ostream& err);

}  // namespace beian::cli
