// Demo accounts (see demo_data.h).
#include "cli/demo_data.h"

#include <array>

#include "domain/calendar.h"

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

core::Status LoadDemoInventory(agent::InventoryService& inventory, const core::Clock& clock) {
  const std::string expires =
      domain::FormatDate(domain::AddMonths(domain::ChinaDate(clock.Now()), 24));
  const std::string owner = kDemoAccounts[0].email;
  std::vector<agent::ImportRow> rows;
  auto instance = [&](const char* id, const char* region, const char* ip) {
    rows.push_back({.line = 0,
                    .location = id,
                    .input = agent::InstanceInput{.owner_email = owner,
                                                  .id = id,
                                                  .product = "ecs",
                                                  .region = region,
                                                  .mainland = true,
                                                  .public_ip = ip,
                                                  .billing = "subscription",
                                                  .expires_at = expires,
                                                  .service_codes_total = 5,
                                                  .service_codes_used = std::nullopt}});
  };
  auto domain = [&](const char* name) {
    rows.push_back({.line = 0,
                    .location = name,
                    .input = agent::DomainInput{.owner_email = owner,
                                                .name = name,
                                                .holder_name = kDemoOrganizerName,
                                                .real_name_verified = true,
                                                .registrar = "示例注册商",
                                                .expires_at = expires}});
  };
  instance("i-demo-bj-001", "cn-beijing", "47.95.10.1");
  instance("i-demo-sh-002", "cn-shanghai", "47.100.20.2");
  domain("beian-demo.cn");
  domain("beian-demo.com");
  domain("示例科技.cn");
  BEIAN_ASSIGN_OR_RETURN(agent::ImportReport report, inventory.Import(rows));
  if (!report.rejected.empty()) {
    return core::Error(core::ErrorCode::kInternal,
                       "demo inventory rejected: " + report.rejected.front().location + ": " +
                           report.rejected.front().reason);
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
