// The demo accounts `beian serve` loads unless --no-demo: one applicant, one reviewer and one
// admin on the agent, one authority reviewer on the authority. Loading is idempotent.
#pragma once

#include <ostream>
#include <string_view>

#include "accounts/accounts_service.h"

namespace beian::cli {

inline constexpr char kDemoPassword[] = "demo-password-1";

// Either service may be absent (nullptr) when only one runs.
core::Status LoadDemoAccounts(accounts::AccountsService* agent,
                              accounts::AccountsService* authority);
// Lists the accounts with the address of the console each one signs in to.
void PrintDemoAccounts(std::ostream& out, std::string_view agent_url,
                       std::string_view authority_url);

}  // namespace beian::cli
