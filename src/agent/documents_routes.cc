// Handlers of the document routes (see documents_routes.h).
#include "agent/documents_routes.h"

#include <boost/json.hpp>

#include "core/roles.h"
#include "http/json.h"
#include "http/multipart.h"
#include "http/multipart_stream.h"

namespace beian::agent {
namespace {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;
using core::Result;

DocumentActor ActorOf(const http::Request& req) {
  return {req.principal->user_id, req.principal->role};
}

// RFC 5987 percent-encoding of a UTF-8 file name for filename*=.
std::string PercentEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
        c == '-' || c == '_') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

std::string ExtensionOf(std::string_view content_type) {
  if (content_type == "image/png") return ".png";
  if (content_type == "image/jpeg") return ".jpg";
  if (content_type == "application/pdf") return ".pdf";
  return "";
}

}  // namespace

json::object DocumentJson(const store::DocumentRow& d) {
  return {{"id", d.id},
          {"kind", d.kind},
          {"subject", d.subject},
          {"size", d.size},
          {"content_type", d.content_type},
          {"sha256", d.sha256},
          {"file_name", d.original_name},
          {"width", d.width ? json::value(*d.width) : json::value(nullptr)},
          {"height", d.height ? json::value(*d.height) : json::value(nullptr)},
          {"uploader_id", d.uploader_id},
          {"created_at", d.created_at_ms}};
}

void RegisterDocumentRoutes(http::Router& router, DocumentsService& service,
                            const std::string& prefix, uint64_t upload_limit) {
  const std::string base = prefix + "/applications/{id}/documents";
  const std::vector<std::string> readers = {std::string(core::kRoleApplicant),
                                            std::string(core::kRoleReviewer)};
  // The body streams to disk as it arrives when the server has a spool folder (Request::form):
  // the file is then moved into the blob store by rename, never held in memory.
  router.Add("POST", base,
             [&service](http::Request& req) -> Result<http::Response> {
               std::vector<http::MultipartPart> in_memory;
               if (!req.form) {
                 BEIAN_ASSIGN_OR_RETURN(in_memory, http::ParseMultipart(req));
               }
               const std::vector<http::MultipartPart>& parts =
                   req.form ? req.form->fields : in_memory;
               const http::StreamedFile* streamed = req.form ? req.form->FindFile("file") : nullptr;
               const http::MultipartPart* kind = http::FindPart(parts, "kind");
               const http::MultipartPart* subject = http::FindPart(parts, "subject");
               const http::MultipartPart* file = http::FindPart(parts, "file");
               std::vector<core::ErrorDetail> missing;
               for (auto [present, name] :
                    {std::pair{kind != nullptr, "kind"}, std::pair{subject != nullptr, "subject"},
                     std::pair{file != nullptr || streamed != nullptr, "file"}}) {
                 if (!present)
                   missing.push_back({name, "required", std::string(name) + " is required"});
               }
               if (streamed == nullptr && file != nullptr && !file->filename) {
                 missing.push_back({"file", "invalid", "file must be a file field"});
               }
               auto known = [](const std::string& name) {
                 return name == "kind" || name == "subject" || name == "file";
               };
               std::vector<std::string> names;
               for (const auto& p : parts) names.push_back(p.name);
               if (req.form) {
                 for (const auto& f : req.form->files) names.push_back(f.name);
               }
               for (const std::string& name : names) {
                 if (!known(name)) {
                   return Error(ErrorCode::kUnknownField, "unknown form field " + name,
                                {{name, "unknown_field", "unknown form field"}});
                 }
               }
               if (!missing.empty()) {
                 std::string message = missing.front().message;
                 return Error(ErrorCode::kValidationFailed, std::move(message), std::move(missing));
               }
               UploadInput input{.kind = std::string(kind->data),
                                 .subject = std::string(subject->data),
                                 .file_name = {},
                                 .bytes = {},
                                 .spooled = nullptr};
               SpooledUpload spooled;
               if (streamed != nullptr) {
                 input.file_name = streamed->filename;
                 spooled = {.path = streamed->path,
                            .size = streamed->size,
                            .sha256 = streamed->sha256,
                            .head = streamed->head};
                 input.spooled = &spooled;
               } else {
                 input.file_name = file->filename.value_or("");
                 input.bytes = file->data;
               }
               BEIAN_ASSIGN_OR_RETURN(
                   store::DocumentRow row,
                   service.Upload(ActorOf(req), std::string(req.PathParam("id")), input));
               return http::JsonResponse(DocumentJson(row), 201);
             },
             {.auth = http::Auth::kSession,
              .roles = {std::string(core::kRoleApplicant)},
              .body_limit = upload_limit + 64 * 1024,
              .stream_files = true});
  router.Add("GET", base,
             [&service](http::Request& req) -> Result<http::Response> {
               BEIAN_ASSIGN_OR_RETURN(auto rows,
                                      service.List(ActorOf(req), std::string(req.PathParam("id"))));
               json::array items;
               for (const auto& r : rows) items.push_back(DocumentJson(r));
               auto response = http::JsonResponse(json::object{{"items", std::move(items)}});
               response.SetHeader("Cache-Control", "no-store");
               return response;
             },
             {.auth = http::Auth::kSession, .roles = readers});
  router.Add("GET", base + "/{doc_id}",
             [&service](http::Request& req) -> Result<http::Response> {
               BEIAN_ASSIGN_OR_RETURN(
                   DocumentContent doc,
                   service.Download(ActorOf(req), std::string(req.PathParam("id")),
                                    std::string(req.PathParam("doc_id"))));
               http::Response response;
               response.status = 200;
               response.content_type = doc.row.content_type;
               response.body = std::move(doc.bytes);
               // Always a download, never rendered in the console's origin; the name is a label.
               const std::string fallback = doc.row.kind + ExtensionOf(doc.row.content_type);
               response.SetHeader("Content-Disposition", "attachment; filename=\"" + fallback +
                                                             "\"; filename*=UTF-8''" +
                                                             PercentEncode(doc.row.original_name));
               response.SetHeader("X-Content-Type-Options", "nosniff");
               response.SetHeader("Cache-Control", "private, no-store");
               return response;
             },
             {.auth = http::Auth::kSession, .roles = readers});
  router.Add("DELETE", base + "/{doc_id}",
             [&service](http::Request& req) -> Result<http::Response> {
               BEIAN_TRY(service.Delete(ActorOf(req), std::string(req.PathParam("id")),
                                        std::string(req.PathParam("doc_id"))));
               return http::Response::NoContent();
             },
             {.auth = http::Auth::kSession, .roles = {std::string(core::kRoleApplicant)}});
}

}  // namespace beian::agent
