// `beian audit verify`: walks the agent's hash-chained audit log (agent/audit.h) and exits 0
// when every row is intact, 1 naming the first broken row (DESIGN §7), 2 when the database
// cannot be read.
#include <iostream>

#include "agent/audit.h"
#include "cli/commands.h"
#include "cli/data_options.h"

namespace beian::cli {
namespace {

struct AuditOptions {
  DataOptions data;
};

int Verify(const AuditOptions& o) {
  if (auto p = o.data.Prepare(); !p) {
    std::cerr << "beian audit verify: " << p.error().message << "\n";
    return 2;
  }
  auto db = OpenServiceDatabase(o.data, "agent", 1);
  if (!db) {
    std::cerr << "beian audit verify: " << db.error().message << "\n";
    return 2;
  }
  auto result = agent::VerifyAuditLog(**db);
  if (!result) {
    std::cerr << "beian audit verify: " << result.error().message << "\n";
    return 2;
  }
  if (result->broken_seq) {
    std::cerr << "beian audit verify: audit log broken at row " << *result->broken_seq << ": "
              << result->problem << "\n";
    return 1;
  }
  std::cout << "audit log: " << result->rows << " rows verified, chain intact\n";
  return 0;
}

}  // namespace

void AddAuditCommand(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<AuditOptions>();
  auto* audit = app.add_subcommand("audit", "The agent's audit log");
  audit->require_subcommand(1);
  auto* verify = audit->add_subcommand(
      "verify", "Check the hash chain of the audit log; exit 1 naming the first broken row");
  options->data.AddTo(*verify);
  verify->callback([options, &exit_code] { exit_code = Verify(*options); });
}

}  // namespace beian::cli
