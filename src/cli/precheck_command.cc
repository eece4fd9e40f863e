// `beian precheck`; see precheck_command.h.
#include "cli/precheck_command.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include <boost/json.hpp>

#include "core/clock.h"
#include "domain/application_json.h"
#include "domain/calendar.h"
#include "domain/inventory_view.h"
#include "domain/precheck.h"
#include "domain/registry_view.h"
#include "domain/rules_loader.h"

namespace beian::cli {
namespace {

namespace json = boost::json;

constexpr int kExitErrors = 1;
constexpr int kExitUnusable = 2;

std::optional<std::string> ReadAll(const std::string& path, std::istream& in,
                                   std::string& problem) {
  std::ostringstream buf;
  if (path == "-") {
    buf << in.rdbuf();
    return buf.str();
  }
  std::ifstream f(path, std::ios::binary);
  if (!f) {
    problem = std::strerror(errno);
    return std::nullopt;
  }
  buf << f.rdbuf();
  if (f.bad()) {
    problem = "read error";
    return std::nullopt;
  }
  return buf.str();
}

// The file's JSON, or a message naming the file and the problem.
std::optional<json::value> ReadJson(const std::string& path, std::istream& in, std::ostream& err) {
  std::string problem;
  std::optional<std::string> text = ReadAll(path, in, problem);
  const std::string name = path == "-" ? "<stdin>" : path;
  if (!text) {
    err << "beian precheck: " << name << ": cannot read: " << problem << "\n";
    return std::nullopt;
  }
  boost::system::error_code ec;
  json::value v = json::parse(*text, ec);
  if (ec) {
    err << "beian precheck: " << name << ": malformed JSON: " << ec.message() << "\n";
    return std::nullopt;
  }
  return v;
}

void Report(std::ostream& err, const std::string& path, const core::Error& e) {
  err << "beian precheck: " << (path == "-" ? "<stdin>" : path) << ": " << e.message << "\n";
}

void Indent(std::ostream& os, int depth) {
  for (int i = 0; i < depth; ++i) os << "  ";
}

// Two-space indented JSON, members in insertion order: stable, diff-friendly output.
void Pretty(std::ostream& os, const json::value& v, int depth) {
  if (v.is_object()) {
    const json::object& o = v.get_object();
    if (o.empty()) {
      os << "{}";
      return;
    }
    os << "{\n";
    std::size_t i = 0;
    for (const auto& kv : o) {
      Indent(os, depth + 1);
      os << json::serialize(json::value(kv.key())) << ": ";
      Pretty(os, kv.value(), depth + 1);
      os << (++i < o.size() ? ",\n" : "\n");
    }
    Indent(os, depth);
    os << "}";
  } else if (v.is_array()) {
    const json::array& a = v.get_array();
    if (a.empty()) {
      os << "[]";
      return;
    }
    os << "[\n";
    for (std::size_t i = 0; i < a.size(); ++i) {
      Indent(os, depth + 1);
      Pretty(os, a[i], depth + 1);
      os << (i + 1 < a.size() ? ",\n" : "\n");
    }
    Indent(os, depth);
    os << "]";
  } else {
    os << json::serialize(v);
  }
}

}  // namespace

int RunPrecheck(const PrecheckOptions& options, std::istream& in, std::ostream& out,
                std::ostream& err) {
  if (options.application_path.empty()) {
    err << "beian precheck: no application file given (use - for standard input)\n";
    return kExitUnusable;
  }
  std::optional<domain::Date> today;
  if (options.today.empty()) {
    today = domain::ChinaDate(core::SystemClock().Now());
  } else if (!(today = domain::ParseDate(options.today))) {
    err << "beian precheck: --today: \"" << options.today << "\" is not a date (YYYY-MM-DD)\n";
    return kExitUnusable;
  }

  std::optional<json::value> app_json = ReadJson(options.application_path, in, err);
  if (!app_json) return kExitUnusable;
  core::Result<domain::Application> app = domain::ApplicationFromJson(*app_json);
  if (!app) {
    Report(err, options.application_path, app.error());
    return kExitUnusable;
  }

  domain::InMemoryRegistry registry;
  if (!options.registry_path.empty()) {
    std::optional<json::value> v = ReadJson(options.registry_path, in, err);
    if (!v) return kExitUnusable;
    auto r = domain::InMemoryRegistry::FromJson(*v);
    if (!r) {
      Report(err, options.registry_path, r.error());
      return kExitUnusable;
    }
    registry = std::move(*r);
  }
  std::optional<domain::InMemoryInventory> inventory;
  if (!options.inventory_path.empty()) {
    std::optional<json::value> v = ReadJson(options.inventory_path, in, err);
    if (!v) return kExitUnusable;
    auto r = domain::InMemoryInventory::FromJson(*v);
    if (!r) {
      Report(err, options.inventory_path, r.error());
      return kExitUnusable;
    }
    inventory = std::move(*r);
  }

  core::Result<domain::Rules> rules = domain::LoadEmbeddedRules();
  if (!rules) {
    err << "beian precheck: rules data: " << rules.error().message << "\n";
    return kExitUnusable;
  }
  domain::PrecheckResult result = domain::Precheck(
      *app, registry, inventory ? &*inventory : nullptr, *rules, *today, options.provider);
  Pretty(out, domain::ToJson(result, *rules), 0);
  out << "\n";
  return result.HasErrors() ? kExitErrors : 0;
}

}  // namespace beian::cli
