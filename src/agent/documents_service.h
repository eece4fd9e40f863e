// Documents of an application (issue 7 item 3): upload, list, download and delete, with the
// application's owner and state checked first in one place. Who may do what:
//   upload, delete — the owner, while the application is editable (draft, returned); the
//                    verified photo may also be uploaded in verification and backdrop_shipped,
//                    where it replaces the earlier verified photo;
//   list, download — the owner and reviewers.
// Anyone else gets kNotFound for the application and its documents alike (never kForbidden, so
// ids cannot be probed). The file is checked by content (blob/upload_check.h) and written to the
// blob store before its row is inserted: a process killed in between leaves an unreferenced
// blob, never a row without its file. `kind` must be one of kDocumentKinds; the kinds that prove
// a person's identity or appearance (id_front, id_back, verified_photo) must be images.
// Thread-safe.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "blob/blob_store.h"
#include "blob/upload_check.h"
#include "core/clock.h"
#include "core/result.h"
#include "store/database.h"
#include "store/documents.h"

namespace beian::agent {

inline constexpr std::string_view kDocumentKinds[] = {"organizer_certificate",
                                                      "id_front",
                                                      "id_back",
                                                      "authenticity_checklist",
                                                      "verified_photo",
                                                      "domain_certificate",
                                                      "residence_permit",
                                                      "commitment_letter",
                                                      "authorization_letter",
                                                      "pre_approval",
                                                      "other"};

// What the documents service needs to know of an application.
struct ApplicationAccess {
  std::string owner_id;
  std::string state;
};
// Looks an application up inside the caller's transaction; nullopt when there is none.
using ApplicationAccessFn = std::function<core::Result<std::optional<ApplicationAccess>>(
    store::Tx&, const std::string& application_id)>;

struct DocumentActor {
  std::string user_id;
  std::string role;
};

// An uploaded file already on disk (streamed there while the request was read), taken into the
// blob store by BlobStore::Adopt.
struct SpooledUpload {
  std::filesystem::path path = {};
  uint64_t size = 0;
  std::string sha256 = {};  // of the whole content
  std::string_view head =
      {};  // its first bytes (up to 1 MiB): enough to judge type and image sides
};

struct UploadInput {
  std::string kind;
  std::string subject;
  std::string file_name;                   // as the client sent it
  std::string_view bytes;                  // the content in memory, or
  const SpooledUpload* spooled = nullptr;  // the content on disk
};

struct DocumentContent {
  store::DocumentRow row;
  std::string bytes;
};

// The application's owner and state from the applications table (the production
// ApplicationAccessFn).
core::Result<std::optional<ApplicationAccess>> StoredApplicationAccess(
    store::Tx& tx, const std::string& application_id);

// The (kind, subject) pairs for which the application has a document — for the precheck's
// `required_documents[].satisfied` (runs inside the caller's transaction).
core::Result<std::set<std::pair<std::string, std::string>>> SatisfiedDocuments(
    store::Tx& tx, const std::string& application_id);

// True for the kinds that must be a JPEG or PNG image.
bool KindNeedsImage(std::string_view kind);

class DocumentsService {
 public:
  DocumentsService(store::Database& db, blob::BlobStore& blobs, const core::Clock& clock,
                   ApplicationAccessFn access, blob::UploadPolicy policy = {})
      : db_(db), blobs_(blobs), clock_(clock), access_(std::move(access)), policy_(policy) {}

  core::Result<store::DocumentRow> Upload(const DocumentActor& actor,
                                          const std::string& application_id,
                                          const UploadInput& input);
  core::Result<std::vector<store::DocumentRow>> List(const DocumentActor& actor,
                                                     const std::string& application_id);
  core::Result<DocumentContent> Download(const DocumentActor& actor,
                                         const std::string& application_id,
                                         const std::string& document_id);
  core::Status Delete(const DocumentActor& actor, const std::string& application_id,
                      const std::string& document_id);

 private:
  // kNotFound unless `actor` may see the application (and, when `write`, change its documents
  // as `kind` in its present state: else kInvalidTransition).
  core::Status CheckAccess(store::Tx& tx, const DocumentActor& actor,
                           const std::string& application_id, bool write,
                           std::string_view kind = {});

  store::Database& db_;
  blob::BlobStore& blobs_;
  const core::Clock& clock_;
  ApplicationAccessFn access_;
  blob::UploadPolicy policy_;
};

}  // namespace beian::agent
