// E-mail as MIME text (RFC 5322 / 2045–2047): UTF-8 headers as RFC 2047 encoded words, a
// multipart/alternative body with a text/plain and a text/html part (each base64, UTF-8),
// Message-ID and Date. Pure functions; the SMTP transport sends what BuildMimeMessage returns.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace beian::notify {

struct MimeMessage {
  std::string from;          // "noreply@beian.example.cn" or "Name <addr>"
  std::string to;            // one address
  std::string subject;       // UTF-8
  std::string text;          // UTF-8, \n line ends
  std::string html;          // UTF-8; empty: a single text/plain body
  std::string message_id;    // without <>, e.g. "<id>@beian.example.cn"
  int64_t date_unix_ms = 0;  // the Date header
  std::string boundary;      // empty: derived from message_id
};

// The message with CRLF line ends, ready for SMTP DATA (no line longer than 78 characters
// besides the encoded words' folding).
std::string BuildMimeMessage(const MimeMessage& m);

// "=?UTF-8?B?…?=" words (folded with CRLF SP, each at most 75 characters, never splitting a
// UTF-8 sequence) for non-ASCII text; plain ASCII text is returned as is.
std::string EncodeHeaderWord(std::string_view utf8);
std::string Base64(std::string_view bytes);
// "Sun, 06 Dec 2026 16:30:00 +0000".
std::string Rfc5322Date(int64_t unix_ms);
// The domain of an address ("a@b.cn" → "b.cn", "Name <a@b.cn>" → "b.cn"); "localhost" if none.
std::string DomainOf(std::string_view address);
// The bare address of "Name <a@b.cn>" (or the text itself).
std::string BareAddress(std::string_view address);

}  // namespace beian::notify
