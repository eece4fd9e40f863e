// The `beian` binary: parses the command line and hands each subcommand to its module.
// Wiring only — no logic lives here.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli/commands.h"
#include "core/version.h"

int main(int argc, char** argv) {
  CLI::App app{"beian — ICP filing system: the provider's filing service and the authority's"};
  app.require_subcommand(1);
  int exit_code = 0;
  beian::cli::AddServeCommand(app, exit_code);
  beian::cli::AddMigrateCommand(app, exit_code);
  beian::cli::AddAdminCommand(app, exit_code);
  beian::cli::AddPrecheckCommand(app, exit_code);
  beian::cli::AddCodesCommand(app, exit_code);
  beian::cli::AddAuditCommand(app, exit_code);
  beian::cli::AddRoutesCommand(app, exit_code);
  app.add_subcommand("version", "Print the version")->callback([] {
    std::printf("beian %s\n", beian::core::kVersion);
  });
  CLI11_PARSE(app, argc, argv);
  return exit_code;
}
