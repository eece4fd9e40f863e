// The built web UI (e.g. web/dist) served from memory: every file under the root is read once
// at Load(). Files under /assets/ (content-hashed names) are cached for a year as immutable;
// index.html and other files must be revalidated (no-cache, with an ETag → 304). A GET for an
// unknown path outside the API prefixes gets index.html, so the single-page app's own routes
// work on reload; unknown paths under an API prefix or under /assets/ get a JSON 404. Only the
// loaded files can be served, so no request path can reach outside the root.
//   BEIAN_ASSIGN_OR_RETURN(auto ui, http::StaticFiles::Load("web/dist"));
//   router.SetFallback(ui->AsHandler());
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.h"
#include "http/request.h"
#include "http/response.h"
#include "http/router.h"

namespace beian::http {

struct StaticOptions {
  // Paths starting with one of these never fall back to index.html.
  std::vector<std::string> api_prefixes = {"/api/",   "/authority/", "/healthz",
                                           "/readyz", "/metrics",    "/assets/"};
  std::string index = "index.html";
};

class StaticFiles : public std::enable_shared_from_this<StaticFiles> {
 public:
  // Reads every regular, non-hidden file under `root`. kIo if `root` or index.html is missing
  // or unreadable.
  static core::Result<std::shared_ptr<StaticFiles>> Load(const std::filesystem::path& root,
                                                         StaticOptions options = {});

  // Serves a GET/HEAD request (see the file comment).
  core::Result<Response> Serve(const Request& request) const;
  // A router handler that keeps this object alive.
  Handler AsHandler() const;

  size_t file_count() const { return files_.size(); }

  // The Content-Type for a file name, by extension ("application/octet-stream" if unknown).
  static std::string_view ContentTypeFor(std::string_view name);

 private:
  struct File {
    std::string body;
    std::string content_type;
    std::string etag;
    bool immutable = false;
  };
  explicit StaticFiles(StaticOptions options) : options_(std::move(options)) {}
  Response Reply(const Request& request, const File& file) const;

  StaticOptions options_;
  std::unordered_map<std::string, File> files_;  // key: "/assets/app.js"
  const File* index_ = nullptr;
};

}  // namespace beian::http
