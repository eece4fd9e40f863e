// Test support for the rules room: the embedded rules loaded once, and a findings → codes helper.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "domain/finding.h"
#include "domain/rules.h"
#include "domain/rules_loader.h"

namespace beian::domain::testing {

inline const Rules& EmbeddedRules() {
  static const Rules rules = [] {
    auto r = LoadEmbeddedRules();
    if (!r) {
      std::fprintf(stderr, "embedded rules: %s\n", r.error().message.c_str());
      std::abort();
    }
    return std::move(r).value();
  }();
  return rules;
}

inline std::vector<std::string> Codes(const Findings& findings) {
  std::vector<std::string> out;
  for (const Finding& f : findings) out.push_back(f.code);
  return out;
}

inline std::chrono::year_month_day Ymd(int y, unsigned m, unsigned d) {
  return std::chrono::year_month_day{std::chrono::year{y}, std::chrono::month{m},
                                     std::chrono::day{d}};
}

}  // namespace beian::domain::testing
