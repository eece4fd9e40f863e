// `beian migrate`: applies pending migrations to the agent's and the authority's databases
// (or one of them with --service). Safe to run while a server is up and from several
// processes at once (the store serialises migrations).
#include <iostream>

#include "cli/commands.h"
#include "cli/data_options.h"
#include "store/migrations.h"

namespace beian::cli {
namespace {

struct MigrateOptions {
  DataOptions data;
  std::string service = "both";
};

int Migrate(const MigrateOptions& o) {
  if (auto p = o.data.Prepare(); !p) {
    std::cerr << "beian migrate: " << p.error().message << "\n";
    return 1;
  }
  for (std::string_view service : {"agent", "authority"}) {
    if (o.service != "both" && o.service != service) continue;
    auto db = OpenServiceDatabase(o.data, service, 1);
    if (!db) {
      std::cerr << "beian migrate: " << db.error().message << "\n";
      return 1;
    }
    auto before = store::CheckSchema(**db, service);
    auto migrated = store::Migrate(**db, service);
    auto after = store::CheckSchema(**db, service);
    if (!migrated || !after) {
      std::cerr << "beian migrate: " << service << ": "
                << (!migrated ? migrated.error().message : after.error().message) << "\n";
      return 1;
    }
    std::cout << service << ": schema version " << (before ? before->current : 0) << " -> "
              << after->current << " (latest " << after->latest << ")\n";
  }
  return 0;
}

}  // namespace

void AddMigrateCommand(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<MigrateOptions>();
  auto* cmd = app.add_subcommand("migrate", "Apply pending database migrations");
  options->data.AddTo(*cmd);
  cmd->add_option("--service", options->service, "agent, authority or both")
      ->check(CLI::IsMember({"agent", "authority", "both"}))
      ->capture_default_str();
  cmd->callback([options, &exit_code] { exit_code = Migrate(*options); });
}

}  // namespace beian::cli
