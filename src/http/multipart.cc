// multipart/form-data parsing.
#include "http/multipart.h"

#include "http/response.h"

namespace beian::http {
namespace {

core::Error Bad(std::string message) {
  return core::Error(core::ErrorCode::kBadRequest, "multipart body: " + std::move(message));
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Splits `value` ("form-data; name=\"a\"; filename=\"b\"") into its first token and parameters.
// Quoted values may contain ';' and backslash escapes.
struct HeaderParams {
  std::string token;
  std::vector<std::pair<std::string, std::string>> params;
  std::optional<std::string> Get(std::string_view key) const {
    for (const auto& [k, v] : params) {
      if (EqualsIgnoreCase(k, key)) return v;
    }
    return std::nullopt;
  }
};

std::optional<HeaderParams> ParseParams(std::string_view value) {
  HeaderParams out;
  size_t i = value.find(';');
  out.token = std::string(Trim(value.substr(0, i)));
  while (i != std::string_view::npos && i < value.size()) {
    ++i;  // past ';'
    while (i < value.size() && (value[i] == ' ' || value[i] == '\t')) ++i;
    size_t eq = value.find('=', i);
    if (eq == std::string_view::npos) {
      if (Trim(value.substr(i)).empty()) break;
      return std::nullopt;
    }
    std::string key(Trim(value.substr(i, eq - i)));
    i = eq + 1;
    std::string v;
    if (i < value.size() && value[i] == '"') {
      ++i;
      bool closed = false;
      while (i < value.size()) {
        char c = value[i++];
        if (c == '\\' && i < value.size()) {
          v += value[i++];
        } else if (c == '"') {
          closed = true;
          break;
        } else {
          v += c;
        }
      }
      if (!closed) return std::nullopt;
      i = value.find(';', i);
    } else {
      size_t end = value.find(';', i);
      v = std::string(Trim(value.substr(i, end == std::string_view::npos ? end : end - i)));
      i = end;
    }
    out.params.emplace_back(std::move(key), std::move(v));
  }
  return out;
}

}  // namespace

const MultipartPart* FindPart(const std::vector<MultipartPart>& parts, std::string_view name) {
  for (const MultipartPart& p : parts) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

core::Result<std::vector<MultipartPart>> ParseMultipart(const Request& request,
                                                        const MultipartLimits& limits) {
  return ParseMultipartBody(request.Header("content-type"), request.body, limits);
}

namespace internal {

core::Result<std::string> MultipartBoundary(std::string_view content_type) {
  auto ct = ParseParams(content_type);
  std::optional<std::string> boundary;
  if (ct && EqualsIgnoreCase(ct->token, "multipart/form-data")) boundary = ct->Get("boundary");
  if (!boundary || boundary->empty() || boundary->size() > 70) {
    return core::Error(core::ErrorCode::kUnsupportedMediaType,
                       "the body must be sent as multipart/form-data with a boundary");
  }
  return std::move(*boundary);
}

core::Result<MultipartPart> ParsePartHeaders(std::string_view headers) {
  MultipartPart part;
  part.content_type = "text/plain";
  bool has_disposition = false;
  while (!headers.empty()) {
    size_t eol = headers.find("\r\n");
    std::string_view line = headers.substr(0, eol);
    headers = eol == std::string_view::npos ? std::string_view() : headers.substr(eol + 2);
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) return Bad("malformed part header");
    std::string_view name = Trim(line.substr(0, colon));
    std::string_view value = Trim(line.substr(colon + 1));
    if (EqualsIgnoreCase(name, "content-disposition")) {
      auto cd = ParseParams(value);
      if (!cd || !EqualsIgnoreCase(cd->token, "form-data")) {
        return Bad("part is not form-data");
      }
      auto field = cd->Get("name");
      if (!field || field->empty()) return Bad("part without a name");
      part.name = *field;
      part.filename = cd->Get("filename");
      has_disposition = true;
    } else if (EqualsIgnoreCase(name, "content-type")) {
      part.content_type = std::string(value);
    }
  }
  if (!has_disposition) return Bad("part without Content-Disposition");
  return part;
}

core::Error MalformedMultipart(std::string message) { return Bad(std::move(message)); }

}  // namespace internal

core::Result<std::vector<MultipartPart>> ParseMultipartBody(std::string_view content_type,
                                                            std::string_view body,
                                                            const MultipartLimits& limits) {
  BEIAN_ASSIGN_OR_RETURN(const std::string boundary, internal::MultipartBoundary(content_type));
  const std::string delimiter = "--" + boundary;
  const std::string next_delimiter = "\r\n" + delimiter;

  // The preamble (ignored) ends at the first delimiter.
  size_t pos;
  if (body.substr(0, delimiter.size()) == delimiter) {
    pos = delimiter.size();
  } else {
    size_t first = body.find(next_delimiter);
    if (first == std::string_view::npos) return Bad("no boundary found");
    pos = first + next_delimiter.size();
  }
  std::vector<MultipartPart> parts;
  for (;;) {
    // After a delimiter: "--" ends the body; otherwise optional whitespace then CRLF.
    if (body.substr(pos, 2) == "--") return parts;
    while (pos < body.size() && (body[pos] == ' ' || body[pos] == '\t')) ++pos;
    if (body.substr(pos, 2) != "\r\n") return Bad("malformed boundary line");
    pos += 2;
    if (parts.size() >= limits.max_parts) return Bad("too many parts");

    size_t header_end = body.find("\r\n\r\n", pos);
    if (header_end == std::string_view::npos) {
      // A part may have no headers at all: then the blank line follows at once.
      if (body.substr(pos, 2) != "\r\n") return Bad("unterminated part header");
      header_end = pos - 2;
    }
    if (header_end + 4 - pos > limits.max_part_header_bytes + 4) {
      return Bad("part header too large");
    }
    std::string_view headers =
        header_end >= pos ? body.substr(pos, header_end - pos) : std::string_view();
    BEIAN_ASSIGN_OR_RETURN(MultipartPart part, internal::ParsePartHeaders(headers));
    size_t data_start = header_end + 4;
    size_t data_end = body.find(next_delimiter, data_start);
    if (data_end == std::string_view::npos) return Bad("unterminated part");
    part.data = body.substr(data_start, data_end - data_start);
    parts.push_back(std::move(part));
    pos = data_end + next_delimiter.size();
  }
}

}  // namespace beian::http
