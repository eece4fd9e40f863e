// The roles of DESIGN §1, in one place: the API's words for them, the list the accounts
// service checks, the list `beian codes --json` prints for the console, and the list the
// migrations' CHECK constraints are tested against (store/migrations_test.cc).
// Adding a role means adding it here, to a new migration in both dialects, and to the console.
#pragma once

#include <algorithm>
#include <array>
#include <string>
#include <string_view>

namespace beian::core {

inline constexpr std::string_view kRoleApplicant = "applicant";
inline constexpr std::string_view kRoleReviewer = "reviewer";
inline constexpr std::string_view kRoleAdmin = "admin";
inline constexpr std::string_view kRoleAuthorityReviewer = "authority_reviewer";

// Every role, in the order the console lists them.
inline constexpr std::array<std::string_view, 4> kRoles = {kRoleApplicant, kRoleReviewer,
                                                           kRoleAdmin, kRoleAuthorityReviewer};

// True for one of kRoles (exact, case-sensitive).
constexpr bool IsKnownRole(std::string_view role) {
  return std::find(kRoles.begin(), kRoles.end(), role) != kRoles.end();
}

// "applicant, reviewer, admin, authority_reviewer" — for messages and help texts.
inline std::string RoleListText() {
  std::string out;
  for (std::string_view r : kRoles) {
    if (!out.empty()) out += ", ";
    out += r;
  }
  return out;
}

}  // namespace beian::core
