// The reading every reason catalogue shares (data/review/reasons.tsv, data/review/
// authority_reasons.tsv, data/authority/reasons.tsv): tab-separated text compiled into the
// binary, "#" comment lines and blank lines skipped, one header line naming the columns, then
// one row per code. Errors are kRulesInvalid and name the file and the line, so that a bad
// catalogue stops `beian serve` with a message that points at the row.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace beian::domain {

struct CatalogueRow {
  size_t line = 0;                     // 1-based, for messages
  std::vector<std::string_view> cols;  // views into the parsed text
};

// kRulesInvalid "<file> line <line>: <what>".
core::Error CatalogueError(std::string_view file, size_t line, const std::string& what);

// The rows of `tsv` after a header equal to `header` (column for column); every line has exactly
// that many columns ("expected N tab-separated columns"); a wrong header says what it must be; no
// header at all is "no header line". A trailing "\r" is dropped.
core::Result<std::vector<CatalogueRow>> ReadCatalogueTsv(std::string_view tsv,
                                                         std::string_view file,
                                                         std::span<const std::string_view> header);

// A reason code: non-empty lower-case snake_case (a-z, 0-9, _).
bool IsCatalogueCode(std::string_view code);

}  // namespace beian::domain
