// The streaming multipart/form-data parser (see multipart_stream.h).
#include "http/multipart_stream.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

namespace beian::http {
namespace {

using core::Error;
using core::ErrorCode;

void RemoveQuietly(const std::filesystem::path& path) {
  std::error_code ec;
  std::filesystem::remove(path, ec);
}

}  // namespace

StreamedForm::~StreamedForm() {
  for (const StreamedFile& f : files) RemoveQuietly(f.path);
}

const StreamedFile* StreamedForm::FindFile(std::string_view name) const {
  for (const StreamedFile& f : files) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

core::Result<std::unique_ptr<MultipartStreamParser>> MultipartStreamParser::Create(
    std::string_view content_type, MultipartStreamOptions options) {
  BEIAN_ASSIGN_OR_RETURN(std::string boundary, internal::MultipartBoundary(content_type));
  return std::unique_ptr<MultipartStreamParser>(
      new MultipartStreamParser(std::move(boundary), std::move(options)));
}

MultipartStreamParser::MultipartStreamParser(std::string boundary, MultipartStreamOptions options)
    : options_(std::move(options)),
      delimiter_("\r\n--" + boundary),
      form_(std::make_shared<StreamedForm>()) {
  // The body starts with "--boundary" (no CRLF before it): seen as a delimiter like the others.
  pending_ = "\r\n";
}

MultipartStreamParser::~MultipartStreamParser() { CloseFile(); }

void MultipartStreamParser::CloseFile() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

void MultipartStreamParser::Fail(Error error) {
  if (state_ == State::kFailed) return;
  state_ = State::kFailed;
  error_ = std::move(error);
  CloseFile();
  form_.reset();  // removes the files written so far
  pending_.clear();
  pending_.shrink_to_fit();
}

core::Status MultipartStreamParser::BeginPart(std::string_view headers) {
  if (form_->fields.size() + form_->files.size() >= options_.limits.max_parts) {
    return internal::MalformedMultipart("too many parts");
  }
  BEIAN_ASSIGN_OR_RETURN(MultipartPart part, internal::ParsePartHeaders(headers));
  if (part.filename) {
    StreamedFile file;
    file.name = std::move(part.name);
    file.filename = std::move(*part.filename);
    file.content_type = std::move(part.content_type);
    file.path = options_.spool_dir / (core::RandomId() + ".part");
    fd_ = ::open(file.path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd_ < 0) {
      return Error(ErrorCode::kIo,
                   "cannot create " + file.path.string() + ": " + std::strerror(errno));
    }
    form_->files.push_back(std::move(file));
    sha_.emplace();
    in_file_ = true;
  } else {
    form_->storage_.emplace_back();
    field_ = &form_->storage_.back();
    form_->fields.push_back(std::move(part));
    in_file_ = false;
  }
  return core::Ok();
}

core::Status MultipartStreamParser::PartData(std::string_view bytes) {
  if (bytes.empty()) return core::Ok();
  if (!in_file_) {
    if (field_->size() + bytes.size() > options_.field_limit) {
      return internal::MalformedMultipart("field " + form_->fields.back().name +
                                          " is larger than " +
                                          std::to_string(options_.field_limit) + " bytes");
    }
    field_->append(bytes);
    return core::Ok();
  }
  StreamedFile& file = form_->files.back();
  sha_->Update(bytes);
  if (file.head.size() < options_.head_bytes) {
    file.head.append(bytes.substr(0, options_.head_bytes - file.head.size()));
  }
  file.size += bytes.size();
  while (!bytes.empty()) {
    ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Error(ErrorCode::kIo, "write " + file.path.string() + ": " + std::strerror(errno));
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return core::Ok();
}

core::Status MultipartStreamParser::EndPart() {
  if (in_file_) {
    form_->files.back().sha256 = sha_->FinalHex();
    sha_.reset();
    CloseFile();
    in_file_ = false;
  } else if (field_ != nullptr) {
    form_->fields.back().data = *field_;
    field_ = nullptr;
  }
  return core::Ok();
}

void MultipartStreamParser::Feed(std::string_view bytes) {
  if (state_ == State::kFailed || state_ == State::kEpilogue) return;
  pending_.append(bytes);
  size_t pos = 0;
  auto status = [&]() -> core::Status {
    for (;;) {
      std::string_view rest = std::string_view(pending_).substr(pos);
      switch (state_) {
        case State::kPreamble:
        case State::kData: {
          size_t at = rest.find(delimiter_);
          if (at == std::string_view::npos) {
            // Everything but a possible start of the delimiter is data (or preamble).
            size_t safe =
                rest.size() >= delimiter_.size() ? rest.size() - delimiter_.size() + 1 : 0;
            if (state_ == State::kData) BEIAN_TRY(PartData(rest.substr(0, safe)));
            pos += safe;
            return core::Ok();
          }
          if (state_ == State::kData) {
            BEIAN_TRY(PartData(rest.substr(0, at)));
            BEIAN_TRY(EndPart());
          }
          pos += at + delimiter_.size();
          state_ = State::kAfterDelimiter;
          break;
        }
        case State::kAfterDelimiter: {
          // "--" ends the body; otherwise optional whitespace, then CRLF and a part's header.
          if (rest.size() < 2) return core::Ok();
          if (rest.substr(0, 2) == "--") {
            state_ = State::kEpilogue;
            pos = pending_.size();
            return core::Ok();
          }
          size_t ws = 0;
          while (ws < rest.size() && (rest[ws] == ' ' || rest[ws] == '\t')) ++ws;
          if (ws > 64) return internal::MalformedMultipart("malformed boundary line");
          if (rest.size() < ws + 2) return core::Ok();
          if (rest.substr(ws, 2) != "\r\n") {
            return internal::MalformedMultipart("malformed boundary line");
          }
          pos += ws + 2;
          state_ = State::kHeaders;
          break;
        }
        case State::kHeaders: {
          // A part may have no header lines at all: then the blank line follows at once.
          size_t end;
          size_t skip;
          if (rest.substr(0, 2) == "\r\n") {
            end = 0;
            skip = 2;
          } else {
            end = rest.find("\r\n\r\n");
            skip = 4;
          }
          if (end == std::string_view::npos) {
            if (rest.size() > options_.limits.max_part_header_bytes + 4) {
              return internal::MalformedMultipart("part header too large");
            }
            return core::Ok();
          }
          if (end > options_.limits.max_part_header_bytes) {
            return internal::MalformedMultipart("part header too large");
          }
          BEIAN_TRY(BeginPart(rest.substr(0, end)));
          pos += end + skip;
          state_ = State::kData;
          break;
        }
        case State::kEpilogue:
        case State::kFailed:
          return core::Ok();
      }
    }
  }();
  if (!status.ok()) {
    Fail(std::move(status).error());
    return;
  }
  pending_.erase(0, pos);
}

core::Result<std::shared_ptr<StreamedForm>> MultipartStreamParser::Finish() {
  if (state_ == State::kFailed) return *error_;
  if (state_ != State::kEpilogue) {
    Fail(internal::MalformedMultipart(state_ == State::kPreamble ? "no boundary found"
                                                                 : "unterminated part"));
    return *error_;
  }
  return std::move(form_);
}

}  // namespace beian::http
