// MIME building (see mime.h).
#include "notify/mime.h"

#include <sodium.h>

#include <ctime>

namespace beian::notify {
namespace {

bool IsAscii(std::string_view s) {
  for (unsigned char c : s) {
    if (c >= 0x80 || c == '\r' || c == '\n') return false;
  }
  return true;
}

// Base64 lines of at most 76 characters, CRLF-terminated.
std::string Base64Lines(std::string_view bytes) {
  const std::string b = Base64(bytes);
  std::string out;
  for (size_t i = 0; i < b.size(); i += 76) out.append(b, i, 76).append("\r\n");
  return out;
}

std::string Crlf(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') continue;
    if (text[i] == '\n') {
      out += "\r\n";
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace

std::string Base64(std::string_view bytes) {
  if (bytes.empty()) return "";
  std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

std::string EncodeHeaderWord(std::string_view utf8) {
  if (IsAscii(utf8)) return std::string(utf8);
  // "=?UTF-8?B?" + base64 + "?=" ≤ 75 → base64 ≤ 63 → at most 45 bytes (a multiple of 3) per word.
  constexpr size_t kMaxBytes = 45;
  std::string out;
  size_t i = 0;
  while (i < utf8.size()) {
    size_t end = std::min(utf8.size(), i + kMaxBytes);
    // Do not split a UTF-8 sequence: back up to the start of the character.
    while (end < utf8.size() && end > i && (static_cast<unsigned char>(utf8[end]) & 0xC0) == 0x80) {
      --end;
    }
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + Base64(utf8.substr(i, end - i)) + "?=";
    i = end;
  }
  return out;
}

std::string Rfc5322Date(int64_t unix_ms) {
  const std::time_t t = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[tm.tm_wday],
                tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return buf;
}

std::string BareAddress(std::string_view address) {
  const size_t lt = address.rfind('<');
  const size_t gt = address.rfind('>');
  if (lt != std::string_view::npos && gt != std::string_view::npos && gt > lt) {
    return std::string(address.substr(lt + 1, gt - lt - 1));
  }
  return std::string(address);
}

std::string DomainOf(std::string_view address) {
  const std::string bare = BareAddress(address);
  const size_t at = bare.rfind('@');
  if (at == std::string::npos || at + 1 == bare.size()) return "localhost";
  return bare.substr(at + 1);
}

std::string BuildMimeMessage(const MimeMessage& m) {
  std::string out;
  // A display name in From is encoded on its own; the address stays plain.
  std::string from = m.from;
  const size_t lt = from.rfind('<');
  if (lt != std::string::npos && lt > 0) {
    std::string name = from.substr(0, lt);
    while (!name.empty() && name.back() == ' ') name.pop_back();
    from = EncodeHeaderWord(name) + " " + from.substr(lt);
  }
  out += "From: " + from + "\r\n";
  out += "To: " + m.to + "\r\n";
  out += "Subject: " + EncodeHeaderWord(m.subject) + "\r\n";
  out += "Date: " + Rfc5322Date(m.date_unix_ms) + "\r\n";
  out += "Message-ID: <" + m.message_id + ">\r\n";
  out += "MIME-Version: 1.0\r\n";
  out += "Auto-Submitted: auto-generated\r\n";
  const std::string text_part =
      "Content-Type: text/plain; charset=UTF-8\r\n"
      "Content-Transfer-Encoding: base64\r\n\r\n" +
      Base64Lines(Crlf(m.text));
  if (m.html.empty()) {
    out += text_part;
    return out;
  }
  std::string boundary = m.boundary;
  if (boundary.empty()) {
    boundary = "=_beian_" + Base64(m.message_id).substr(0, 24);
    for (char& c : boundary) {
      if (c == '/' || c == '+') c = '_';
    }
  }
  out += "Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n\r\n";
  out += "This is a MIME message.\r\n";
  out += "--" + boundary + "\r\n" + text_part;
  out += "--" + boundary + "\r\n";
  out += "Content-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n";
  out += Base64Lines(Crlf(m.html));
  out += "--" + boundary + "--\r\n";
  return out;
}

}  // namespace beian::notify
