// In-memory static file serving with SPA fallback.
#include "http/static_files.h"

#include <cstdio>
#include <fstream>
#include <sstream>
#include <system_error>

namespace beian::http {
namespace {

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// FNV-1a 64: only needs to change when the content changes.
std::string ETagFor(std::string_view body) {
  uint64_t h = 1469598103934665603ULL;
  for (char c : body) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  char buf[24];
  std::snprintf(buf, sizeof(buf), "\"%016llx\"", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace

std::string_view StaticFiles::ContentTypeFor(std::string_view name) {
  static const std::pair<std::string_view, std::string_view> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".webmanifest", "application/manifest+json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".ico", "image/x-icon"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
      {".ttf", "font/ttf"},
      {".txt", "text/plain; charset=utf-8"},
      {".wasm", "application/wasm"},
  };
  for (const auto& [ext, type] : kTypes) {
    if (EndsWith(name, ext)) return type;
  }
  return "application/octet-stream";
}

core::Result<std::shared_ptr<StaticFiles>> StaticFiles::Load(const std::filesystem::path& root,
                                                             StaticOptions options) {
  namespace fs = std::filesystem;
  std::shared_ptr<StaticFiles> sf(new StaticFiles(std::move(options)));
  std::error_code ec;
  if (!fs::is_directory(root, ec)) {
    return core::Error(core::ErrorCode::kIo, "web UI directory not found: " + root.string());
  }
  fs::recursive_directory_iterator it(root, fs::directory_options::none, ec);
  if (ec)
    return core::Error(core::ErrorCode::kIo, "cannot read " + root.string() + ": " + ec.message());
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec)
      return core::Error(core::ErrorCode::kIo,
                         "cannot read " + root.string() + ": " + ec.message());
    const fs::path& p = it->path();
    if (p.filename().string().starts_with(".")) {
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file()) continue;
    std::ifstream in(p, std::ios::binary);
    std::ostringstream data;
    data << in.rdbuf();
    if (!in.good() && !in.eof()) {
      return core::Error(core::ErrorCode::kIo, "cannot read " + p.string());
    }
    std::string rel = "/" + fs::relative(p, root).generic_string();
    File f;
    f.body = std::move(data).str();
    f.content_type = std::string(ContentTypeFor(rel));
    f.etag = ETagFor(f.body);
    f.immutable = rel.starts_with("/assets/");
    sf->files_.emplace(std::move(rel), std::move(f));
  }
  auto index = sf->files_.find("/" + sf->options_.index);
  if (index == sf->files_.end()) {
    return core::Error(core::ErrorCode::kIo,
                       "web UI has no " + sf->options_.index + " in " + root.string());
  }
  sf->index_ = &index->second;
  return sf;
}

Response StaticFiles::Reply(const Request& request, const File& file) const {
  Response r;
  r.SetHeader("Cache-Control", file.immutable ? "public, max-age=31536000, immutable" : "no-cache");
  r.SetHeader("ETag", file.etag);
  if (request.Header("if-none-match") == file.etag) {
    r.status = 304;
    return r;
  }
  r.content_type = file.content_type;
  r.body = file.body;
  return r;
}

core::Result<Response> StaticFiles::Serve(const Request& request) const {
  if (request.method != "GET" && request.method != "HEAD") {
    return core::Error(core::ErrorCode::kMethodNotAllowed, "only GET and HEAD here");
  }
  // Rebuild the path from decoded segments so that "%2e%2e" and friends are seen for what
  // they are; lookups only ever hit loaded files.
  std::string path;
  bool suspicious = false;
  for (const std::string& seg : request.segments) {
    if (seg == ".." || seg == "." || seg.find('/') != std::string::npos ||
        seg.find('\0') != std::string::npos || seg.find('\\') != std::string::npos) {
      suspicious = true;
    }
    path += '/';
    path += seg;
  }
  if (path.empty()) path = "/";
  if (!suspicious) {
    auto it = files_.find(path);
    if (it != files_.end()) return Reply(request, it->second);
  }
  std::string_view raw = request.path.empty() ? std::string_view("/") : request.path;
  for (const std::string& prefix : options_.api_prefixes) {
    if (raw.starts_with(prefix) || path.starts_with(prefix)) {
      return core::Error(core::ErrorCode::kNotFound, "no such resource");
    }
  }
  if (suspicious) return core::Error(core::ErrorCode::kNotFound, "no such resource");
  return Reply(request, *index_);
}

Handler StaticFiles::AsHandler() const {
  std::shared_ptr<const StaticFiles> self = shared_from_this();
  return [self](Request& request) { return self->Serve(request); };
}

}  // namespace beian::http
