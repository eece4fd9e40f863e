// Documents of an application (see documents_service.h).
#include "agent/documents_service.h"

#include <algorithm>
#include <chrono>

#include "core/crypto.h"
#include "core/roles.h"

namespace beian::agent {
namespace {

using core::Error;
using core::ErrorCode;
using core::Result;

Error NotFound() { return Error(ErrorCode::kNotFound, "no such application or document"); }

// "organizer", "organizer.person_in_charge", "websites[0]", "websites[2].person_in_charge", …:
// letters, digits, '_', '.', '[', ']' only, at most 100 bytes.
bool IsSubject(std::string_view s) {
  if (s.empty() || s.size() > 100) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '[' ||
           c == ']';
  });
}

// The verification steps in which the applicant may (re)place the verified photo.
bool PhotoStep(std::string_view state) {
  return state == "verification" || state == "backdrop_shipped";
}

}  // namespace

bool KindNeedsImage(std::string_view kind) {
  return kind == "id_front" || kind == "id_back" || kind == "verified_photo";
}

Result<std::optional<ApplicationAccess>> StoredApplicationAccess(
    store::Tx& tx, const std::string& application_id) {
  BEIAN_ASSIGN_OR_RETURN(auto found,
                         store::DocumentRepo(tx).ApplicationOwnerAndState(application_id));
  if (!found) return std::optional<ApplicationAccess>();
  return std::optional<ApplicationAccess>(
      ApplicationAccess{std::move(found->first), std::move(found->second)});
}

Result<std::set<std::pair<std::string, std::string>>> SatisfiedDocuments(
    store::Tx& tx, const std::string& application_id) {
  return store::DocumentRepo(tx).KindsAndSubjects(application_id);
}

core::Status DocumentsService::CheckAccess(store::Tx& tx, const DocumentActor& actor,
                                           const std::string& application_id, bool write,
                                           std::string_view kind) {
  BEIAN_ASSIGN_OR_RETURN(auto app, access_(tx, application_id));
  if (!app) return NotFound();
  const bool owner = app->owner_id == actor.user_id;
  if (!owner && (write || actor.role != core::kRoleReviewer)) return NotFound();
  if (write) {
    const bool editable = app->state == "draft" || app->state == "returned" ||
                          (kind == "verified_photo" && PhotoStep(app->state));
    if (!editable) {
      return Error(ErrorCode::kInvalidTransition,
                   "documents can be changed only while the application is a draft or returned "
                   "(it is " +
                       app->state + ")",
                   {{"state", "invalid_transition", "state " + app->state}});
    }
  }
  return core::Ok();
}

Result<store::DocumentRow> DocumentsService::Upload(const DocumentActor& actor,
                                                    const std::string& application_id,
                                                    const UploadInput& input) {
  std::vector<core::ErrorDetail> problems;
  if (std::find(std::begin(kDocumentKinds), std::end(kDocumentKinds), input.kind) ==
      std::end(kDocumentKinds)) {
    problems.push_back({"kind", input.kind.empty() ? "required" : "invalid",
                        "kind must be one of the document kinds"});
  }
  if (!IsSubject(input.subject)) {
    problems.push_back({"subject", input.subject.empty() ? "required" : "invalid",
                        "subject names what the document proves, e.g. organizer"});
  }
  // Ownership before anything about the file, so another's id answers 404 whatever was sent.
  BEIAN_TRY(db_.Read(
      [&](store::Tx& tx) { return CheckAccess(tx, actor, application_id, true, input.kind); }));
  if (!problems.empty()) {
    std::string message = problems.front().message;
    return Error(ErrorCode::kValidationFailed, std::move(message), std::move(problems));
  }
  const std::string_view judged = input.spooled ? input.spooled->head : input.bytes;
  BEIAN_ASSIGN_OR_RETURN(blob::CheckedFile file,
                         blob::CheckUpload(judged, KindNeedsImage(input.kind), policy_));
  BEIAN_ASSIGN_OR_RETURN(std::string sha256,
                         input.spooled ? blobs_.Adopt(input.spooled->path, input.spooled->sha256)
                                       : blobs_.Put(input.bytes));
  const uint64_t size = input.spooled ? input.spooled->size : input.bytes.size();
  store::DocumentRow row{
      .id = core::RandomId(),
      .application_id = application_id,
      .kind = input.kind,
      .subject = input.subject,
      .size = static_cast<int64_t>(size),
      .content_type = file.content_type,
      .sha256 = sha256,
      .original_name = blob::SanitizeFileName(input.file_name),
      .width = file.is_image ? std::optional<int64_t>(file.width) : std::nullopt,
      .height = file.is_image ? std::optional<int64_t>(file.height) : std::nullopt,
      .uploader_id = actor.user_id,
      .created_at_ms =
          std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch())
              .count()};
  // The state is checked again in the writing transaction: a submit in between wins.
  BEIAN_TRY(db_.Write([&](store::Tx& tx) -> core::Status {
    BEIAN_TRY(CheckAccess(tx, actor, application_id, true, input.kind));
    store::DocumentRepo repo(tx);
    if (input.kind == "verified_photo") {
      // During verification a new verified photo replaces the earlier one (a rejected photo is
      // taken again); the rejection keeps the replaced file's hash for flagged_fields.
      BEIAN_ASSIGN_OR_RETURN(auto app, access_(tx, application_id));
      if (app && PhotoStep(app->state)) {
        BEIAN_ASSIGN_OR_RETURN(auto existing, repo.List(application_id));
        for (const store::DocumentRow& d : existing) {
          if (d.kind == "verified_photo") BEIAN_TRY(repo.Delete(application_id, d.id));
        }
      }
    }
    return repo.Insert(row);
  }));
  return row;
}

Result<std::vector<store::DocumentRow>> DocumentsService::List(const DocumentActor& actor,
                                                               const std::string& application_id) {
  return db_.Read([&](store::Tx& tx) -> Result<std::vector<store::DocumentRow>> {
    BEIAN_TRY(CheckAccess(tx, actor, application_id, false));
    return store::DocumentRepo(tx).List(application_id);
  });
}

Result<DocumentContent> DocumentsService::Download(const DocumentActor& actor,
                                                   const std::string& application_id,
                                                   const std::string& document_id) {
  BEIAN_ASSIGN_OR_RETURN(
      store::DocumentRow row, db_.Read([&](store::Tx& tx) -> Result<store::DocumentRow> {
        BEIAN_TRY(CheckAccess(tx, actor, application_id, false));
        BEIAN_ASSIGN_OR_RETURN(auto found,
                               store::DocumentRepo(tx).Find(application_id, document_id));
        if (!found) return NotFound();
        return std::move(*found);
      }));
  auto bytes = blobs_.Read(row.sha256);
  if (!bytes) {
    // A row whose file is gone is damage, not a client error.
    if (bytes.error().code == ErrorCode::kNotFound) {
      return Error(ErrorCode::kIo, "document " + row.id + " has no file " + row.sha256);
    }
    return std::move(bytes).error();
  }
  return DocumentContent{std::move(row), std::move(*bytes)};
}

core::Status DocumentsService::Delete(const DocumentActor& actor, const std::string& application_id,
                                      const std::string& document_id) {
  return db_.Write([&](store::Tx& tx) -> core::Status {
    BEIAN_ASSIGN_OR_RETURN(auto found, store::DocumentRepo(tx).Find(application_id, document_id));
    BEIAN_TRY(CheckAccess(tx, actor, application_id, true, found ? found->kind : ""));
    if (!found) return NotFound();
    BEIAN_ASSIGN_OR_RETURN(bool deleted,
                           store::DocumentRepo(tx).Delete(application_id, document_id));
    if (!deleted) return NotFound();
    // The blob stays: another document may share its content (a sweep may collect orphans).
    return core::Ok();
  });
}

}  // namespace beian::agent
