// Rendering findings for people: a finding's code is the key of a message template in the rules
// catalogue (data/rules/messages_*.tsv), in zh-CN and en, with `{param}` placeholders filled from
// the finding's params. Pure; safe from any thread.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "domain/finding.h"
#include "domain/rules.h"

namespace beian::domain {

// Replaces every `{name}` in `tmpl` with params[name]; unknown placeholders are kept verbatim.
std::string RenderTemplate(std::string_view tmpl, const std::map<std::string, std::string>& params);

// The message for `finding` in `lang` ("zh-CN" or "en"; anything else is treated as "en"). Falls
// back to the English template, then to the bare code when the catalogue has no entry.
std::string RenderMessage(const Rules& rules, const Finding& finding, std::string_view lang);

}  // namespace beian::domain
