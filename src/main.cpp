// The `beian` binary: parses the command line and hands each subcommand to its module.
// Wiring only — no logic lives here.
#include <CLI/CLI.hpp>

int main(int argc, char** argv) {
  CLI::App app{"beian — ICP filing system"};
  app.require_subcommand(1);
  app.add_subcommand("version", "Print the version")->callback([] { std::puts("beian 0.1.0"); });
  CLI11_PARSE(app, argc, argv);
  return 0;
}
