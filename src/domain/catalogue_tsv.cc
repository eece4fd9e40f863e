// The reason catalogues' TSV reading (see catalogue_tsv.h).
#include "domain/catalogue_tsv.h"

#include <algorithm>

#include "domain/validators_util.h"

namespace beian::domain {

core::Error CatalogueError(std::string_view file, size_t line, const std::string& what) {
  return core::Error(core::ErrorCode::kRulesInvalid,
                     std::string(file) + " line " + std::to_string(line) + ": " + what);
}

core::Result<std::vector<CatalogueRow>> ReadCatalogueTsv(std::string_view tsv,
                                                         std::string_view file,
                                                         std::span<const std::string_view> header) {
  std::vector<CatalogueRow> rows;
  bool header_seen = false;
  size_t line_no = 0;
  for (std::string_view line : text::Split(tsv, '\n')) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    auto cols = text::Split(line, '\t');
    if (cols.size() != header.size()) {
      return CatalogueError(file, line_no,
                            "expected " + std::to_string(header.size()) + " tab-separated columns");
    }
    if (!header_seen) {
      if (!std::equal(cols.begin(), cols.end(), header.begin())) {
        std::string names;
        for (std::string_view h : header) names += (names.empty() ? "" : " ") + std::string(h);
        return CatalogueError(file, line_no, "the header must be: " + names);
      }
      header_seen = true;
      continue;
    }
    rows.push_back({line_no, std::move(cols)});
  }
  if (!header_seen) return CatalogueError(file, line_no, "no header line");
  return rows;
}

bool IsCatalogueCode(std::string_view code) {
  return !code.empty() && std::all_of(code.begin(), code.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

}  // namespace beian::domain
