// `beian admin create-user --email E --role R --password-stdin`: creates a user in the database
// of the service the role belongs to (authority_reviewer → the authority's, others → the
// agent's). The password is read from standard input, never from the command line, so it does not
// appear in the process list or shell history.
#include <iostream>
#include <string>
#include <vector>

#include "accounts/accounts_service.h"
#include "cli/commands.h"
#include "cli/data_options.h"
#include "core/roles.h"
#include "store/migrations.h"

namespace beian::cli {
namespace {

struct CreateUserOptions {
  DataOptions data;
  std::string email;
  std::string role;
  std::string display_name;
  std::string phone;
  std::string locale = "zh-CN";
  bool password_stdin = false;
};

int CreateUser(const CreateUserOptions& o) {
  if (!core::InitCrypto()) return 1;
  if (!o.password_stdin) {
    std::cerr << "beian admin create-user: give the password on standard input with "
                 "--password-stdin\n";
    return 2;
  }
  std::string password;
  std::getline(std::cin, password);
  if (!password.empty() && password.back() == '\r') password.pop_back();

  const std::string service = o.role == core::kRoleAuthorityReviewer ? "authority" : "agent";
  if (auto p = o.data.Prepare(); !p) {
    std::cerr << "beian admin: " << p.error().message << "\n";
    return 1;
  }
  auto db = OpenServiceDatabase(o.data, service, 1);
  if (!db) {
    std::cerr << "beian admin: " << db.error().message << "\n";
    return 1;
  }
  if (auto s = store::RequireCurrentSchema(**db, service); !s) {
    std::cerr << "beian admin: the " << service
              << " database schema is not current: run `beian migrate` first\n";
    return 1;
  }
  auto key = o.data.SecretKey();
  if (!key) {
    std::cerr << "beian admin: " << key.error().message << "\n";
    return 1;
  }
  const core::PiiCipher pii(*key);
  static core::SystemClock clock;
  accounts::AccountsService accounts(**db, clock, pii, {});
  accounts::Registration r{.email = o.email,
                           .phone = o.phone,
                           .password = password,
                           .display_name = o.display_name.empty() ? o.email : o.display_name,
                           .locale = o.locale};
  auto user = accounts.CreateUser(r, o.role);
  if (!user) {
    std::cerr << "beian admin create-user: " << user.error().message << "\n";
    for (const auto& d : user.error().details) {
      std::cerr << "  " << d.field << ": " << d.message << " (" << d.code << ")\n";
    }
    return 1;
  }
  std::cout << "created " << user->role << " " << user->email << " (id " << user->id << ") in the "
            << service << " database\n";
  return 0;
}

}  // namespace

void AddAdminCommand(CLI::App& app, int& exit_code) {
  auto* admin =
      app.add_subcommand("admin", "Administration: users, inventory, providers and the registry");
  admin->require_subcommand(1);
  auto options = std::make_shared<CreateUserOptions>();
  auto* cmd = admin->add_subcommand("create-user", "Create a user (password on standard input)");
  options->data.AddTo(*cmd);
  cmd->add_option("--email", options->email, "E-mail address (the login)")->required();
  cmd->add_option("--role", options->role, "One of " + core::RoleListText())
      ->required()
      ->check(CLI::IsMember(std::vector<std::string>(core::kRoles.begin(), core::kRoles.end())));
  cmd->add_option("--display-name", options->display_name, "Name shown in the console");
  cmd->add_option("--phone", options->phone, "Mainland mobile number");
  cmd->add_option("--locale", options->locale, "Language of the user's notifications")
      ->check(CLI::IsMember({"zh-CN", "en"}));
  cmd->add_flag("--password-stdin", options->password_stdin,
                "Read the password from standard input (required)");
  cmd->callback([options, &exit_code] { exit_code = CreateUser(*options); });
  AddImportInventoryCommand(*admin, exit_code);
  AddAuthorityAdminCommands(*admin, exit_code);
  AddGenerateRegistryCommand(*admin, exit_code);
}

}  // namespace beian::cli
