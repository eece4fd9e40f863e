// The field validators in one include, and the list of every finding code they can emit (so a
// test can prove each has zh-CN and en messages, and docs/rules.md can list them).
#pragma once

#include <string_view>
#include <vector>

#include "domain/contact_validators.h"
#include "domain/domain_name.h"
#include "domain/identity_validators.h"
#include "domain/name_validators.h"
#include "domain/uscc.h"

namespace beian::domain {

// Every code the validators above emit, sorted.
const std::vector<std::string_view>& ValidatorCodes();

}  // namespace beian::domain
