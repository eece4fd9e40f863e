// TemplateSet (see templates.h).
#include "notify/templates.h"

#include <set>

#include "core/embedded.h"
#include "notify/catalogue.h"

namespace beian::notify {
namespace {

using core::Error;
using core::ErrorCode;
using core::Result;

constexpr std::string_view kChannels[] = {"email", "sms"};
constexpr std::string_view kLocales[] = {"zh-CN", "en"};

std::vector<std::string_view> PartsOf(std::string_view channel) {
  if (channel == "email") return {"subject", "text", "html"};
  return {"text"};
}

std::string Key(std::string_view t, std::string_view channel, std::string_view locale,
                std::string_view part) {
  std::string k(t);
  k.append("\t").append(channel).append("\t").append(locale).append("\t").append(part);
  return k;
}

// One piece of a template text: literal text or a parameter name.
struct Piece {
  bool param = false;
  std::string text;
};

// Splits "a {x} b {{c}}" into pieces; an unclosed "{" or a stray "}" is an error.
Result<std::vector<Piece>> Parse(std::string_view text) {
  std::vector<Piece> out;
  std::string literal;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '{' && i + 1 < text.size() && text[i + 1] == '{') {
      literal += '{';
      ++i;
    } else if (c == '}' && i + 1 < text.size() && text[i + 1] == '}') {
      literal += '}';
      ++i;
    } else if (c == '{') {
      const size_t end = text.find('}', i);
      if (end == std::string_view::npos) return Error(ErrorCode::kValidationFailed, "unclosed {");
      std::string name(text.substr(i + 1, end - i - 1));
      bool ok = !name.empty();
      for (char n : name) ok = ok && ((n >= 'a' && n <= 'z') || n == '_' || (n >= '0' && n <= '9'));
      if (!ok) return Error(ErrorCode::kValidationFailed, "malformed parameter {" + name + "}");
      if (!literal.empty()) out.push_back({false, std::move(literal)});
      literal.clear();
      out.push_back({true, std::move(name)});
      i = end;
    } else if (c == '}') {
      return Error(ErrorCode::kValidationFailed, "stray } (write }} for a literal brace)");
    } else {
      literal += c;
    }
  }
  if (!literal.empty()) out.push_back({false, std::move(literal)});
  return out;
}

// "\n", "\t", "\\" escapes of the data file.
Result<std::string> Unescape(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\') {
      out += s[i];
      continue;
    }
    if (i + 1 == s.size()) return Error(ErrorCode::kValidationFailed, "trailing backslash");
    const char n = s[++i];
    if (n == 'n') {
      out += '\n';
    } else if (n == 't') {
      out += '\t';
    } else if (n == '\\') {
      out += '\\';
    } else {
      return Error(ErrorCode::kValidationFailed, std::string("unknown escape \\") + n);
    }
  }
  return out;
}

std::vector<std::string_view> SplitTabs(std::string_view line) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (;;) {
    const size_t tab = line.find('\t', start);
    if (tab == std::string_view::npos) {
      out.push_back(line.substr(start));
      return out;
    }
    out.push_back(line.substr(start, tab - start));
    start = tab + 1;
  }
}

}  // namespace

int CountChars(std::string_view utf8) {
  int n = 0;
  for (unsigned char c : utf8) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

std::string ClipChars(std::string_view utf8, int max_chars) {
  if (CountChars(utf8) <= max_chars) return std::string(utf8);
  if (max_chars <= 0) return "";
  std::string out;
  int n = 0;
  for (size_t i = 0; i < utf8.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(utf8[i]);
    if ((c & 0xC0) != 0x80) {
      if (n == max_chars - 1) break;
      ++n;
    }
    out += utf8[i];
  }
  return out + "…";
}

std::string EscapeHtml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

Result<std::unique_ptr<TemplateSet>> TemplateSet::Load(std::string_view tsv,
                                                       std::string_view file_name,
                                                       TemplateOptions options) {
  const int provider_chars = CountChars(options.provider_name);
  if (provider_chars < 1 || provider_chars > kMaxProviderNameChars) {
    return Error(ErrorCode::kValidationFailed,
                 "the provider name must be 1 to " + std::to_string(kMaxProviderNameChars) +
                     " characters (it signs every SMS as 【…】): " + options.provider_name);
  }
  auto set = std::unique_ptr<TemplateSet>(new TemplateSet());
  set->options_ = std::move(options);
  auto fail = [&](int line, const std::string& message) {
    return Error(ErrorCode::kValidationFailed,
                 std::string(file_name) + ":" + std::to_string(line) + ": " + message);
  };
  int line_no = 0;
  size_t pos = 0;
  while (pos < tsv.size()) {
    size_t end = tsv.find('\n', pos);
    if (end == std::string_view::npos) end = tsv.size();
    std::string_view line = tsv.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    auto f = SplitTabs(line);
    if (f.size() != 5) return fail(line_no, "expected 5 tab-separated fields");
    const TemplateSpec* spec = FindTemplate(f[0]);
    if (!spec) return fail(line_no, "unknown template " + std::string(f[0]));
    bool channel_ok = false;
    for (auto c : kChannels) channel_ok = channel_ok || c == f[1];
    if (!channel_ok) return fail(line_no, "unknown channel " + std::string(f[1]));
    bool locale_ok = false;
    for (auto l : kLocales) locale_ok = locale_ok || l == f[2];
    if (!locale_ok) return fail(line_no, "unknown locale " + std::string(f[2]));
    bool part_ok = false;
    for (auto p : PartsOf(f[1])) part_ok = part_ok || p == f[3];
    if (!part_ok) {
      return fail(line_no, "channel " + std::string(f[1]) + " has no part " + std::string(f[3]));
    }
    auto text = Unescape(f[4]);
    if (!text) return fail(line_no, text.error().message);
    auto pieces = Parse(*text);
    if (!pieces) return fail(line_no, pieces.error().message);
    // Parameters, and the SMS text's longest rendering.
    int longest = 0;
    for (const Piece& p : *pieces) {
      if (!p.param) {
        longest += CountChars(p.text);
        continue;
      }
      const ParamSpec* param = FindParam(*spec, p.text);
      if (!param) {
        return fail(line_no,
                    "template " + std::string(f[0]) + " names unknown parameter {" + p.text + "}");
      }
      if (f[1] == "sms" && param->sms_budget == 0) {
        return fail(line_no, "parameter {" + p.text + "} is not for SMS texts");
      }
      longest += p.text == "provider_name" ? provider_chars : param->sms_budget;
    }
    if (f[1] == "sms") {
      if (!text->starts_with("【{provider_name}】")) {
        return fail(line_no, "an SMS text starts with 【{provider_name}】");
      }
      if (longest > kSmsSegmentChars) {
        return fail(line_no, "the SMS text can reach " + std::to_string(longest) +
                                 " characters with its parameters at their longest (one segment "
                                 "is " +
                                 std::to_string(kSmsSegmentChars) + ")");
      }
    }
    auto [it, inserted] = set->parts_.emplace(Key(f[0], f[1], f[2], f[3]), Part{*text, line_no});
    if (!inserted) {
      return fail(line_no, "repeats line " + std::to_string(it->second.line));
    }
  }
  for (const TemplateSpec& t : Catalogue()) {
    for (auto channel : kChannels) {
      for (auto locale : kLocales) {
        for (auto part : PartsOf(channel)) {
          if (!set->parts_.contains(Key(t.id, channel, locale, part))) {
            return fail(line_no, "missing " + std::string(part) + " of template " +
                                     std::string(t.id) + " (" + std::string(channel) + ", " +
                                     std::string(locale) + ")");
          }
        }
      }
    }
  }
  return set;
}

Result<std::unique_ptr<TemplateSet>> TemplateSet::LoadEmbedded(TemplateOptions options) {
  auto data = core::EmbeddedFile(kTemplatesFile);
  if (!data) return Error(ErrorCode::kInternal, std::string(kTemplatesFile) + " is not embedded");
  return Load(*data, kTemplatesFile, std::move(options));
}

Result<Rendered> TemplateSet::Render(std::string_view template_id, std::string_view channel,
                                     std::string_view locale, const Params& params) const {
  const TemplateSpec* spec = FindTemplate(template_id);
  if (!spec) return Error(ErrorCode::kNotFound, "unknown template " + std::string(template_id));
  if (channel != "email" && channel != "sms") {
    return Error(ErrorCode::kNotFound, "unknown channel " + std::string(channel));
  }
  const std::string_view loc = locale == "en" ? "en" : "zh-CN";
  const bool sms = channel == "sms";
  auto value_of = [&](const std::string& name) -> std::string {
    if (name == "provider_name") return options_.provider_name;
    if (name == "console_url") return options_.console_url;
    auto it = params.find(name);
    std::string v = it == params.end() ? std::string() : it->second;
    if (sms) {
      const ParamSpec* p = FindParam(*spec, name);
      v = ClipChars(v, p ? p->sms_budget : 0);
    }
    return v;
  };
  Rendered out;
  for (auto part : PartsOf(channel)) {
    auto it = parts_.find(Key(template_id, channel, loc, part));
    if (it == parts_.end()) return Error(ErrorCode::kNotFound, "missing template part");
    auto pieces = Parse(it->second.text);  // checked at load
    if (!pieces) return std::move(pieces).error();
    const bool html = part == "html";
    std::string text;
    for (const Piece& p : *pieces) {
      if (!p.param) {
        text += p.text;
      } else if (html) {
        // Multi-line values (the reasons) keep their lines.
        std::string escaped = EscapeHtml(value_of(p.text));
        std::string with_breaks;
        for (char c : escaped) {
          if (c == '\n') {
            with_breaks += "<br>";
          } else {
            with_breaks += c;
          }
        }
        text += with_breaks;
      } else {
        text += value_of(p.text);
      }
    }
    if (part == "subject") {
      out.subject = std::move(text);
    } else if (html) {
      out.html = std::move(text);
    } else {
      out.text = std::move(text);
    }
  }
  return out;
}

}  // namespace beian::notify
