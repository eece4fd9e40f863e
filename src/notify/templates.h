// Notification templates: the texts of data/notify/templates.tsv (compiled in), checked against
// the catalogue (catalogue.h) when loaded — a template naming a parameter its catalogue entry
// does not list, a missing or repeated part, an SMS text that does not start with
// 【{provider_name}】 or that could exceed one segment all refuse the load with "file:line: …" —
// and rendered per channel and locale:
//   auto set = TemplateSet::LoadEmbedded({.provider_name = "示例云"});
//   auto msg = set->Render("preliminary_rejected", "email", "en", params);
// Immutable after Load; safe from any thread.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace beian::notify {

inline constexpr std::string_view kTemplatesFile = "data/notify/templates.tsv";

struct TemplateOptions {
  // The sender named in every SMS (【…】) and signing every e-mail; 1 to kMaxProviderNameChars.
  std::string provider_name = "备案服务";
  // Base URL of the console named in the messages.
  std::string console_url = "http://127.0.0.1:8080/";
};

using Params = std::map<std::string, std::string, std::less<>>;

struct Rendered {
  std::string subject;  // e-mail only
  std::string text;
  std::string html;  // e-mail only
};

class TemplateSet {
 public:
  // Parses and checks `tsv` (named `file_name` in errors). kValidationFailed naming file:line.
  static core::Result<std::unique_ptr<TemplateSet>> Load(std::string_view tsv,
                                                         std::string_view file_name,
                                                         TemplateOptions options);
  static core::Result<std::unique_ptr<TemplateSet>> LoadEmbedded(TemplateOptions options);

  // The message of `template_id` for `channel` ("email" | "sms") in `locale` ("zh-CN" | "en";
  // anything else falls back to zh-CN). Parameters the template names but `params` lacks
  // render empty; provider_name and console_url come from the options. SMS values are clipped
  // to their catalogue budget. kNotFound for an unknown template or channel.
  core::Result<Rendered> Render(std::string_view template_id, std::string_view channel,
                                std::string_view locale, const Params& params) const;

  const TemplateOptions& options() const { return options_; }

 private:
  struct Part {
    std::string text;
    int line = 0;
  };
  TemplateOptions options_;
  // key: template \t channel \t locale \t part
  std::map<std::string, Part, std::less<>> parts_;
};

// Number of Unicode code points of UTF-8 text (what an SMS segment counts).
int CountChars(std::string_view utf8);
// `utf8` cut to at most `max_chars` code points, ending in "…" when cut.
std::string ClipChars(std::string_view utf8, int max_chars);
std::string EscapeHtml(std::string_view text);

}  // namespace beian::notify
