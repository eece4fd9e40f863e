// The subcommands of `beian` (DESIGN §2). Each Add*Command registers its options on the CLI11 app
// and, when chosen, runs and stores its exit status in `exit_code`. Options that name where data
// lives (--data-dir, --database, --authority-database) mean the same for every subcommand, so
// `beian admin …` and `beian migrate` act on what `beian serve` serves.
#pragma once

#include <CLI/CLI.hpp>

namespace beian::cli {

void AddServeCommand(CLI::App& app, int& exit_code);
void AddRoutesCommand(CLI::App& app, int& exit_code);  // hidden; in serve_command.cc
void AddMigrateCommand(CLI::App& app, int& exit_code);
void AddAdminCommand(CLI::App& app, int& exit_code);
void AddPrecheckCommand(CLI::App& app, int& exit_code);
void AddCodesCommand(CLI::App& app, int& exit_code);
// `beian audit verify` (audit_command.cc).
void AddAuditCommand(CLI::App& app, int& exit_code);
// `beian admin import-inventory` (registered by AddAdminCommand on its `admin` command).
void AddImportInventoryCommand(CLI::App& admin, int& exit_code);
// `beian admin add-provider` and `registry-add` (authority_admin_command.cc).
void AddAuthorityAdminCommands(CLI::App& admin, int& exit_code);
// `beian admin generate-registry` (generate_registry_command.cc).
void AddGenerateRegistryCommand(CLI::App& admin, int& exit_code);

}  // namespace beian::cli
