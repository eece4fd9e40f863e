// Normalisation of an application as it is read (RULES.md "Decisions where the sources leave a
// point open (2026-12-02)"): "normalise" = NFKC, trim, then per-field extras — codes (certificate
// and identity numbers, points 1 and 3) upper-case with spaces removed, military unit codes
// without 部队/…分队 (point 2), domains reduced to their registrable domain (point 4), names
// NFKC-folded and trimmed (point 6). Runs once, where the application JSON is read, so what is
// stored and judged is the normalised value. Normalising never yields a finding: a value that
// cannot be normalised (a malformed domain) is kept trimmed, and the checks report it.
#pragma once

#include <string>
#include <string_view>

#include "domain/application.h"

namespace beian::domain {

// Free text such as a name: NFKC, trimmed.
std::string NormalizeName(std::string_view name);
// A certificate or identity-document number: NFKC, trimmed, ASCII upper-case, spaces removed.
std::string NormalizeNumber(std::string_view number);
// A military unit code as typed ("37001部队", "37001部队12分队"): the number with 部队 and a
// trailing "…分队" removed, then NormalizeNumber.
std::string NormalizeMilitaryUnitCode(std::string_view code);
// A domain (point 4): NFKC, trim, one trailing dot stripped, 。 → ., ASCII lower-case, UTS #46 for
// Unicode labels, then the registrable domain in Unicode form ("WWW.Example.COM." →
// "example.com"). A name that is not a valid domain comes back NFKC-folded and trimmed only.
std::string NormalizeDomainName(std::string_view domain);

// Applies the functions above to every field they govern, in place.
void NormalizeApplication(Application& app);

}  // namespace beian::domain
