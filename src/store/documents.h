// The documents aggregate: one row per file uploaded for an application (the content itself is
// in the blob store under `sha256`). The repository knows nothing of owners or states; the
// agent's documents service checks those first. Runs inside a caller's transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "store/database.h"

namespace beian::store {

struct DocumentRow {
  std::string id;
  std::string application_id;
  std::string kind;     // organizer_certificate, id_front, …
  std::string subject;  // "organizer", "websites[0].person_in_charge", …
  int64_t size = 0;
  std::string content_type;  // judged by content
  std::string sha256;
  std::string original_name;  // sanitised; a label, never a path
  std::optional<int64_t> width;
  std::optional<int64_t> height;
  std::string uploader_id;
  int64_t created_at_ms = 0;
};

class DocumentRepo {
 public:
  explicit DocumentRepo(Tx& tx) : tx_(tx) {}

  core::Status Insert(const DocumentRow& row);
  core::Result<std::optional<DocumentRow>> Find(std::string_view application_id,
                                                std::string_view id);
  // In upload order.
  core::Result<std::vector<DocumentRow>> List(std::string_view application_id);
  // False when there was no such document of that application.
  core::Result<bool> Delete(std::string_view application_id, std::string_view id);
  // The owner and state of the application `application_id` (the applications table), or
  // nullopt when there is none.
  core::Result<std::optional<std::pair<std::string, std::string>>> ApplicationOwnerAndState(
      std::string_view application_id);
  // The (kind, subject) pairs that have at least one document.
  core::Result<std::set<std::pair<std::string, std::string>>> KindsAndSubjects(
      std::string_view application_id);

 private:
  Tx& tx_;
};

}  // namespace beian::store
