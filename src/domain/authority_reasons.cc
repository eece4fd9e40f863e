// The authority reviewer's reason catalogue (see authority_reasons.h).
#include "domain/authority_reasons.h"

#include <algorithm>
#include <array>
#include <set>

#include "core/embedded.h"
#include "domain/catalogue_tsv.h"

namespace beian::domain {
namespace {

namespace json = boost::json;

constexpr std::string_view kFile = "data/authority/reasons.tsv";
constexpr std::array<std::string_view, 4> kHeader = {"code", "zh-CN", "en", "note_required"};

}  // namespace

core::Result<AuthorityReasons> AuthorityReasons::Parse(std::string_view tsv) {
  BEIAN_ASSIGN_OR_RETURN(std::vector<CatalogueRow> rows, ReadCatalogueTsv(tsv, kFile, kHeader));
  AuthorityReasons out;
  std::set<std::string, std::less<>> seen;
  for (const CatalogueRow& row : rows) {
    const auto& cols = row.cols;
    AuthorityReason e;
    e.code = std::string(cols[0]);
    if (!IsCatalogueCode(e.code))
      return CatalogueError(kFile, row.line, "a code is lower-case snake_case");
    if (!seen.insert(e.code).second) return CatalogueError(kFile, row.line, "code repeated");
    e.zh_cn = std::string(cols[1]);
    e.en = std::string(cols[2]);
    if (e.zh_cn.empty() || e.en.empty()) return CatalogueError(kFile, row.line, "text required");
    if (cols[3] != "yes" && cols[3] != "no") {
      return CatalogueError(kFile, row.line, "note_required is yes or no");
    }
    e.note_required = cols[3] == "yes";
    out.entries_.push_back(std::move(e));
  }
  if (!seen.contains("other")) {
    // Named at the end of the text (the line count), as a missing row has no line of its own.
    const auto lines = static_cast<size_t>(std::count(tsv.begin(), tsv.end(), '\n')) + 1;
    return CatalogueError(kFile, lines, "the code other is required");
  }
  return out;
}

core::Result<AuthorityReasons> AuthorityReasons::BuiltIn() {
  auto text = core::EmbeddedFile(kFile);
  if (!text) {
    return core::Error(core::ErrorCode::kRulesInvalid,
                       std::string(kFile) + " is not built into the binary");
  }
  return Parse(*text);
}

const AuthorityReason* AuthorityReasons::Find(std::string_view code) const {
  for (const AuthorityReason& e : entries_) {
    if (e.code == code) return &e;
  }
  return nullptr;
}

json::object AuthorityReasons::ToJson() const {
  json::array items;
  for (const AuthorityReason& e : entries_) {
    items.push_back(json::object{
        {"code", e.code}, {"zh_CN", e.zh_cn}, {"en", e.en}, {"note_required", e.note_required}});
  }
  return json::object{{"items", std::move(items)}};
}

}  // namespace beian::domain
