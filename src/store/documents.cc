// DocumentRepo: named statements for the documents table.
#include "store/documents.h"

namespace beian::store {
namespace {

using core::Result;

#define BEIAN_DOCUMENT_COLUMNS                                                            \
  "id, application_id, kind, subject, size, content_type, sha256, original_name, width, " \
  "height, uploader_id, created_at"

constexpr Statement kInsert{"documents.insert",
                            "INSERT INTO documents (" BEIAN_DOCUMENT_COLUMNS
                            ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"};
constexpr Statement kFind{"documents.find",
                          "SELECT " BEIAN_DOCUMENT_COLUMNS
                          " FROM documents WHERE application_id = $1 AND id = $2"};
constexpr Statement kList{"documents.list",
                          "SELECT " BEIAN_DOCUMENT_COLUMNS
                          " FROM documents WHERE application_id = $1 ORDER BY created_at, id"};
constexpr Statement kDelete{"documents.delete",
                            "DELETE FROM documents WHERE application_id = $1 AND id = $2"};
constexpr Statement kKinds{
    "documents.kinds", "SELECT DISTINCT kind, subject FROM documents WHERE application_id = $1"};

constexpr Statement kApplication{"documents.application_owner_state",
                                 "SELECT owner_id, state FROM applications WHERE id = $1"};

#undef BEIAN_DOCUMENT_COLUMNS

Result<DocumentRow> FromRow(const Row& row) {
  DocumentRow d;
  BEIAN_ASSIGN_OR_RETURN(d.id, row.GetText(0));
  BEIAN_ASSIGN_OR_RETURN(d.application_id, row.GetText(1));
  BEIAN_ASSIGN_OR_RETURN(d.kind, row.GetText(2));
  BEIAN_ASSIGN_OR_RETURN(d.subject, row.GetText(3));
  BEIAN_ASSIGN_OR_RETURN(d.size, row.GetInt(4));
  BEIAN_ASSIGN_OR_RETURN(d.content_type, row.GetText(5));
  BEIAN_ASSIGN_OR_RETURN(d.sha256, row.GetText(6));
  BEIAN_ASSIGN_OR_RETURN(d.original_name, row.GetText(7));
  BEIAN_ASSIGN_OR_RETURN(d.width, row.GetOptionalInt(8));
  BEIAN_ASSIGN_OR_RETURN(d.height, row.GetOptionalInt(9));
  BEIAN_ASSIGN_OR_RETURN(d.uploader_id, row.GetText(10));
  BEIAN_ASSIGN_OR_RETURN(d.created_at_ms, row.GetInt(11));
  return d;
}

}  // namespace

core::Status DocumentRepo::Insert(const DocumentRow& d) {
  BEIAN_ASSIGN_OR_RETURN(
      int64_t n, tx_.Exec(kInsert, {d.id, d.application_id, d.kind, d.subject, d.size,
                                    d.content_type, d.sha256, d.original_name, d.width, d.height,
                                    d.uploader_id, d.created_at_ms}));
  (void)n;
  return core::Ok();
}

Result<std::optional<DocumentRow>> DocumentRepo::Find(std::string_view application_id,
                                                      std::string_view id) {
  BEIAN_ASSIGN_OR_RETURN(auto row, tx_.QueryOne(kFind, {application_id, id}));
  if (!row) return std::optional<DocumentRow>();
  BEIAN_ASSIGN_OR_RETURN(DocumentRow d, FromRow(*row));
  return std::optional<DocumentRow>(std::move(d));
}

Result<std::vector<DocumentRow>> DocumentRepo::List(std::string_view application_id) {
  BEIAN_ASSIGN_OR_RETURN(auto rows, tx_.Query(kList, {application_id}));
  std::vector<DocumentRow> out;
  out.reserve(rows.size());
  for (const Row& row : rows) {
    BEIAN_ASSIGN_OR_RETURN(DocumentRow d, FromRow(row));
    out.push_back(std::move(d));
  }
  return out;
}

Result<bool> DocumentRepo::Delete(std::string_view application_id, std::string_view id) {
  BEIAN_ASSIGN_OR_RETURN(int64_t n, tx_.Exec(kDelete, {application_id, id}));
  return n > 0;
}

Result<std::optional<std::pair<std::string, std::string>>> DocumentRepo::ApplicationOwnerAndState(
    std::string_view application_id) {
  BEIAN_ASSIGN_OR_RETURN(auto row, tx_.QueryOne(kApplication, {application_id}));
  if (!row) return std::optional<std::pair<std::string, std::string>>();
  BEIAN_ASSIGN_OR_RETURN(std::string owner, row->GetText(0));
  BEIAN_ASSIGN_OR_RETURN(std::string state, row->GetText(1));
  return std::optional<std::pair<std::string, std::string>>(
      std::pair{std::move(owner), std::move(state)});
}

Result<std::set<std::pair<std::string, std::string>>> DocumentRepo::KindsAndSubjects(
    std::string_view application_id) {
  BEIAN_ASSIGN_OR_RETURN(auto rows, tx_.Query(kKinds, {application_id}));
  std::set<std::pair<std::string, std::string>> out;
  for (const Row& row : rows) {
    BEIAN_ASSIGN_OR_RETURN(std::string kind, row.GetText(0));
    BEIAN_ASSIGN_OR_RETURN(std::string subject, row.GetText(1));
    out.emplace(std::move(kind), std::move(subject));
  }
  return out;
}

}  // namespace beian::store
