// `beian admin import-inventory FILE [--format json|csv]`: loads server instances and domains
// into applicants' accounts from a JSON or CSV file (formats: agent/inventory_import.h). All or
// nothing per file: when any row is rejected, nothing is written, every rejected row is listed
// with its line and reason on standard error, and the exit status is 1. Rows whose key exists
// for the same owner are updated (so re-running a file is harmless). On a terminal, a progress
// bar is drawn on standard error.
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "agent/inventory_import.h"
#include "agent/inventory_service.h"
#include "cli/commands.h"
#include "cli/data_options.h"
#include "core/crypto.h"
#include "store/migrations.h"

namespace beian::cli {
namespace {

struct ImportOptions {
  DataOptions data;
  std::string file;
  std::string format;  // "" = by extension / content
};

// "\r[#########           ]  450/1000 rows" on standard error, redrawn at most every 1%.
class ProgressBar {
 public:
  explicit ProgressBar(bool enabled) : enabled_(enabled) {}
  void Update(size_t done, size_t total) {
    if (!enabled_ || total == 0) return;
    const int percent = static_cast<int>(done * 100 / total);
    if (percent == last_percent_ && done != total) return;
    last_percent_ = percent;
    constexpr int kWidth = 30;
    const int filled = percent * kWidth / 100;
    std::cerr << "\r[" << std::string(filled, '#') << std::string(kWidth - filled, ' ') << "] "
              << done << "/" << total << " rows" << std::flush;
    drawn_ = true;
  }
  void Finish() {
    if (drawn_) std::cerr << "\n";
  }

 private:
  bool enabled_;
  int last_percent_ = -1;
  bool drawn_ = false;
};

int Import(const ImportOptions& o) {
  if (!core::InitCrypto()) return 1;
  std::ifstream in(o.file, std::ios::binary);
  if (!in) {
    std::cerr << "beian admin import-inventory: cannot read " << o.file << "\n";
    return 1;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  agent::ImportFormat format = agent::GuessImportFormat(o.file, text);
  if (o.format == "json") format = agent::ImportFormat::kJson;
  if (o.format == "csv") format = agent::ImportFormat::kCsv;

  auto parsed = agent::ParseInventoryFile(text, format);
  if (!parsed) {
    std::cerr << "beian admin import-inventory: " << o.file << ": " << parsed.error().message
              << "\nnothing was imported\n";
    return 1;
  }
  if (auto p = o.data.Prepare(); !p) {
    std::cerr << "beian admin: " << p.error().message << "\n";
    return 1;
  }
  auto db = OpenServiceDatabase(o.data, "agent", 1);
  if (!db) {
    std::cerr << "beian admin: " << db.error().message << "\n";
    return 1;
  }
  if (auto s = store::RequireCurrentSchema(**db, "agent"); !s) {
    std::cerr << "beian admin: the agent database schema is not current: run `beian migrate` "
                 "first\n";
    return 1;
  }
  static core::SystemClock clock;
  agent::InventoryService service(**db, clock);
  ProgressBar bar(isatty(STDERR_FILENO) == 1);
  auto report = service.Import(parsed->rows, parsed->rejected,
                               [&bar](size_t done, size_t total) { bar.Update(done, total); });
  bar.Finish();
  if (!report) {
    std::cerr << "beian admin import-inventory: " << report.error().message
              << "\nnothing was imported\n";
    return 1;
  }
  if (!report->rejected.empty()) {
    std::cerr << o.file << ": " << report->rejected.size() << " row(s) rejected; nothing was "
              << "imported:\n";
    for (const agent::RejectedRow& r : report->rejected) {
      std::cerr << "  line " << r.line;
      if (!r.location.empty()) std::cerr << " (" << r.location << ")";
      std::cerr << ": " << r.reason << "\n";
    }
    return 1;
  }
  std::cout << "imported " << report->instances << " instance(s) and " << report->domains
            << " domain(s) from " << o.file << "\n";
  return 0;
}

}  // namespace

void AddImportInventoryCommand(CLI::App& admin, int& exit_code) {
  auto options = std::make_shared<ImportOptions>();
  auto* cmd = admin.add_subcommand(
      "import-inventory",
      "Import server instances and domains (JSON or CSV); all or nothing per file");
  options->data.AddTo(*cmd);
  cmd->add_option("FILE", options->file, "The file (.json or .csv)")->required();
  cmd->add_option("--format", options->format, "json or csv (default: by extension or content)")
      ->check(CLI::IsMember({"json", "csv"}));
  cmd->callback([options, &exit_code] { exit_code = Import(*options); });
}

}  // namespace beian::cli
