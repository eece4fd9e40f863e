// multipart/form-data request bodies (RFC 7578), e.g. a document upload with the fields `kind`,
// `subject` and `file`. The parts' data are views into the request body (no copy of uploads):
// they are valid while the request is.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "http/request.h"

namespace beian::http {

struct MultipartPart {
  std::string name;                     // the form field name
  std::optional<std::string> filename;  // set for file fields
  std::string content_type;             // as sent; "text/plain" when absent
  std::string_view data;                // into the request body
};

struct MultipartLimits {
  size_t max_parts = 32;
  size_t max_part_header_bytes = 8 * 1024;
};

// Parses the body of `request`. Content-Type not multipart/form-data with a boundary →
// 415 unsupported_media_type; a malformed body, a part without a name, or over the limits →
// 400 bad_request.
core::Result<std::vector<MultipartPart>> ParseMultipart(const Request& request,
                                                        const MultipartLimits& limits = {});
core::Result<std::vector<MultipartPart>> ParseMultipartBody(std::string_view content_type,
                                                            std::string_view body,
                                                            const MultipartLimits& limits = {});

// The first part named `name`, or nullptr.
const MultipartPart* FindPart(const std::vector<MultipartPart>& parts, std::string_view name);

// Pieces shared with the streaming parser (multipart_stream.h).
namespace internal {
// The boundary of a multipart/form-data Content-Type; 415 unsupported_media_type otherwise.
core::Result<std::string> MultipartBoundary(std::string_view content_type);
// A part's name, file name and content type from its header lines (CRLF-separated, without the
// blank line); data left empty. 400 bad_request when malformed.
core::Result<MultipartPart> ParsePartHeaders(std::string_view headers);
// 400 bad_request "multipart body: <message>".
core::Error MalformedMultipart(std::string message);
}  // namespace internal

}  // namespace beian::http
