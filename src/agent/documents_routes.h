// The HTTP surface of an application's documents (DESIGN §6), under the agent's API prefix:
//   POST   {prefix}/applications/{id}/documents            multipart kind, subject, file → 201
//   GET    {prefix}/applications/{id}/documents            {items: [document]}
//   GET    {prefix}/applications/{id}/documents/{doc_id}   the file, as an attachment (nosniff)
//   DELETE {prefix}/applications/{id}/documents/{doc_id}   204
// Uploads have their own body limit (`upload_limit`, the file plus the form's overhead),
// enforced by the server while it reads: a larger body is answered 413 before the handler runs,
// so nothing of it reaches the disk. Handlers only decode, call DocumentsService, and render.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>

#include "agent/documents_service.h"
#include "http/router.h"

namespace beian::agent {

inline constexpr uint64_t kDefaultUploadLimit = 10 * 1024 * 1024;

void RegisterDocumentRoutes(http::Router& router, DocumentsService& service,
                            const std::string& prefix, uint64_t upload_limit = kDefaultUploadLimit);

// The JSON of a document row (also for the application's detail view).
boost::json::object DocumentJson(const store::DocumentRow& row);

}  // namespace beian::agent
