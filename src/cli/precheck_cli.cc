// `beian precheck APPLICATION.json [--registry R] [--inventory I] [--provider P] [--today D]`:
// the command-line face of RunPrecheck (precheck_command.h).
#include <iostream>

#include "cli/commands.h"
#include "cli/precheck_command.h"

namespace beian::cli {

void AddPrecheckCommand(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<PrecheckOptions>();
  auto* cmd = app.add_subcommand(
      "precheck",
      "Apply the filing rules to an application offline; prints JSON. Exit 0: no error "
      "finding, 1: errors found, 2: unusable input");
  cmd->add_option("application", options->application_path,
                  "Application JSON file ('-' reads standard input)")
      ->required();
  cmd->add_option("--registry", options->registry_path,
                  "What the authority already holds (subjects, websites, open orders)");
  cmd->add_option("--inventory", options->inventory_path,
                  "This provider's inventory (instances, domains)");
  cmd->add_option("--provider", options->provider, "This provider's name in the registry")
      ->capture_default_str();
  cmd->add_option("--today", options->today, "Date to judge on (YYYY-MM-DD; default today)");
  cmd->callback(
      [options, &exit_code] { exit_code = RunPrecheck(*options, std::cin, std::cout, std::cerr); });
}

}  // namespace beian::cli
