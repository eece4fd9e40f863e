// The demo accounts `beian serve` loads unless --no-demo: one applicant, one reviewer and one
// admin on the agent, one authority reviewer on the authority; and the demo applicant's
// inventory (two server instances and three domains held by the demo organizer, so a new user
// can file at once). Loading is idempotent.
#pragma once

#include <ostream>
#include <string_view>

#include "accounts/accounts_service.h"
#include "agent/inventory_service.h"
#include "core/clock.h"

namespace beian::cli {

inline constexpr char kDemoPassword[] = "demo-password-1";

// Either service may be absent (nullptr) when only one runs.
core::Status LoadDemoAccounts(accounts::AccountsService* agent,
                              accounts::AccountsService* authority);
// The organizer the demo inventory's domains are held by (an enterprise with a valid unified
// social credit code), for the demo applicant to file as.
inline constexpr char kDemoOrganizerName[] = "北京示例科技有限公司";
inline constexpr char kDemoOrganizerCertificate[] = "91110108MA01ABCD5T";

// Instances i-demo-bj-001 and i-demo-sh-002 (mainland, public IP, subscription) and the domains
// beian-demo.cn, beian-demo.com and 示例科技.cn for the demo applicant; expiry two years after
// `clock`'s today, refreshed at each start. REQUIRES: LoadDemoAccounts ran on the agent.
core::Status LoadDemoInventory(agent::InventoryService& inventory, const core::Clock& clock);
// Lists the accounts with the address of the console each one signs in to.
void PrintDemoAccounts(std::ostream& out, std::string_view agent_url,
                       std::string_view authority_url);

}  // namespace beian::cli
