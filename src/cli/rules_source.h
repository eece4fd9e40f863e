// Where the filing rules come from: the data set compiled into the binary, or — so that an
// operator can follow a province's new rules without a rebuild — a directory of rules files
// (--rules-dir, same layout as data/rules/). Either way the set is validated completely; a broken
// file stops the program with "<file>:<line>: <problem>".
#pragma once

#include <string>

#include "core/result.h"
#include "domain/rules.h"

namespace beian::cli {

// Empty `dir`: the embedded rules.
core::Result<domain::Rules> LoadRulesFrom(const std::string& dir);

}  // namespace beian::cli
