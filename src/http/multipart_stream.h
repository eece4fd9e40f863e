// multipart/form-data read while it arrives (RFC 7578), for routes whose uploads stream to disk
// (RouteOptions::stream_files): the server feeds the body through MultipartStreamParser as it
// reads it, so a large upload never sits in memory. Fields without a file name stay in memory
// (each at most field_limit bytes); each file field goes to its own temporary file
// "<spool_dir>/<random>.part" (mode 0600) as its bytes arrive, with its SHA-256 computed on the
// way and its first head_bytes kept for type checks (libmagic, image headers). A handler may move
// a file away (e.g. rename it into the blob store); whatever is still at a file's path is
// removed when the StreamedForm is destroyed, and the parser removes its files itself when the
// body is abandoned (413, a closed connection): nothing is left on disk. A process killed
// mid-upload leaves a .part file, which FileBlobStore::RemoveStaleTemporaries collects.
#pragma once

#include <cstdint>
#include <deque>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/crypto.h"
#include "core/result.h"
#include "http/multipart.h"

namespace beian::http {

struct StreamedFile {
  std::string name;  // the form field
  std::string filename;
  std::string content_type;    // as sent
  std::filesystem::path path;  // complete and closed once the form is handed over
  uint64_t size = 0;
  std::string sha256;  // lower-case hex
  std::string head;    // the first bytes (at most MultipartStreamOptions::head_bytes)
};

class StreamedForm {
 public:
  StreamedForm() = default;
  ~StreamedForm();  // removes every file still at its path
  StreamedForm(const StreamedForm&) = delete;
  StreamedForm& operator=(const StreamedForm&) = delete;

  std::vector<MultipartPart> fields;  // data views into this object
  std::vector<StreamedFile> files;

  const StreamedFile* FindFile(std::string_view name) const;

 private:
  friend class MultipartStreamParser;
  std::deque<std::string> storage_;  // the fields' data (a deque: views stay valid)
};

struct MultipartStreamOptions {
  std::filesystem::path spool_dir = {};
  MultipartLimits limits = {};
  size_t field_limit = 64 * 1024;
  size_t head_bytes = 1024 * 1024;
};

class MultipartStreamParser {
 public:
  // 415 unsupported_media_type unless `content_type` is multipart/form-data with a boundary.
  static core::Result<std::unique_ptr<MultipartStreamParser>> Create(
      std::string_view content_type, MultipartStreamOptions options);
  ~MultipartStreamParser();  // removes the files of a form never handed over
  MultipartStreamParser(const MultipartStreamParser&) = delete;
  MultipartStreamParser& operator=(const MultipartStreamParser&) = delete;

  // The next bytes of the body. Never fails: the first problem is kept (Finish reports it),
  // the files written so far are removed and the rest of the body is discarded.
  void Feed(std::string_view bytes);
  // After the whole body: the form, or the first problem (400 bad_request for a malformed body
  // or one over the limits, kIo when a file could not be written).
  core::Result<std::shared_ptr<StreamedForm>> Finish();

 private:
  enum class State { kPreamble, kAfterDelimiter, kHeaders, kData, kEpilogue, kFailed };
  MultipartStreamParser(std::string boundary, MultipartStreamOptions options);
  void Fail(core::Error error);
  core::Status BeginPart(std::string_view headers);
  core::Status PartData(std::string_view bytes);
  core::Status EndPart();
  void CloseFile();

  MultipartStreamOptions options_;
  std::string delimiter_;  // "\r\n--boundary"
  State state_ = State::kPreamble;
  std::string pending_;  // bytes not yet consumed (a possible partial delimiter, a header)
  std::shared_ptr<StreamedForm> form_;
  std::optional<core::Error> error_;
  // The part being read.
  bool in_file_ = false;
  std::string* field_ = nullptr;
  int fd_ = -1;
  std::optional<core::Sha256> sha_;
};

}  // namespace beian::http
