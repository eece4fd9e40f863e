// Demo accounts (see demo_data.h).
#include "cli/demo_data.h"

#include <array>

namespace beian::cli {
namespace {

struct DemoAccount {
  const char* email;
  const char* role;
  const char* display_name;
  const char* phone;
  bool authority;
};

constexpr std::array<DemoAccount, 4> kDemoAccounts = {{
    {"applicant@demo.beian.test", "applicant", "示例申请人", "13800000001", false},
    {"reviewer@demo.beian.test", "reviewer", "示例审核员", "13800000002", false},
    {"admin@demo.beian.test", "admin", "示例管理员", "13800000003", false},
    {"authority@demo.beian.test", "authority_reviewer", "管局审核员", "13800000004", true},
}};

}  // namespace

core::Status LoadDemoAccounts(accounts::AccountsService* agent,
                              accounts::AccountsService* authority) {
  for (const auto& d : kDemoAccounts) {
    accounts::AccountsService* service = d.authority ? authority : agent;
    if (!service) continue;
    accounts::Registration r{.email = d.email,
                             .phone = d.phone,
                             .password = kDemoPassword,
                             .display_name = d.display_name};
    BEIAN_TRY(service->EnsureUser(r, d.role));
  }
  return core::Ok();
}

void PrintDemoAccounts(std::ostream& out, std::string_view agent_url,
                       std::string_view authority_url) {
  out << "Demo accounts (password " << kDemoPassword << "; start with --no-demo to skip):\n";
  for (const auto& d : kDemoAccounts) {
    out << "  " << d.email << "  (" << d.role << ")  " << (d.authority ? authority_url : agent_url)
        << "\n";
  }
}

}  // namespace beian::cli
