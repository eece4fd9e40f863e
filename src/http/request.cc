// Request accessors and target parsing (Boost.URL).
#include "http/request.h"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include "http/cookie.h"
#include "http/response.h"

namespace beian::http {

std::string_view Request::Header(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (EqualsIgnoreCase(n, name)) return v;
  }
  return {};
}

bool Request::HasHeader(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (EqualsIgnoreCase(n, name)) return true;
  }
  return false;
}

std::string_view Request::PathParam(std::string_view name) const {
  for (const auto& [n, v] : path_params) {
    if (n == name) return v;
  }
  return {};
}

std::optional<std::string_view> Request::Query(std::string_view name) const {
  for (const auto& [n, v] : query) {
    if (n == name) return std::string_view(v);
  }
  return std::nullopt;
}

std::optional<std::string_view> Request::Cookie(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (!EqualsIgnoreCase(n, "cookie")) continue;
    if (auto c = FindCookie(v, name)) return c;
  }
  return std::nullopt;
}

bool Request::ParseTarget() {
  // Origin form ("/path?query") as browsers send it; absolute form ("http://host/path") is
  // allowed too (RFC 9112 §3.2.2), and only its path and query are used.
  auto parsed = boost::urls::parse_origin_form(target);
  if (!parsed && (target.starts_with("http://") || target.starts_with("https://"))) {
    parsed = boost::urls::parse_absolute_uri(target);
  }
  if (!parsed) return false;
  const boost::urls::url_view& u = *parsed;
  path = std::string(u.encoded_path());
  segments.clear();
  // Without escapes the encoded text is the decoded text: no decoding pass (the usual case).
  if (path.find('%') == std::string::npos) {
    for (auto seg : u.encoded_segments()) segments.emplace_back(seg.data(), seg.size());
  } else {
    for (auto seg : u.segments()) segments.push_back(seg);
  }
  // "/a/" has a trailing empty segment; routes are matched without it.
  if (!segments.empty() && segments.back().empty()) segments.pop_back();
  query.clear();
  if (u.has_query()) {
    std::string_view encoded_query = u.encoded_query();
    if (encoded_query.find_first_of("%+") == std::string_view::npos) {
      for (auto p : u.encoded_params()) {
        query.emplace_back(std::string(p.key.data(), p.key.size()),
                           std::string(p.value.data(), p.value.size()));
      }
    } else {
      for (auto p : u.params()) query.emplace_back(p.key, p.value);
    }
  }
  return true;
}

}  // namespace beian::http
