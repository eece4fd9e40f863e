// Message rendering (see messages.h).
#include "domain/messages.h"

namespace beian::domain {

std::string RenderTemplate(std::string_view tmpl,
                           const std::map<std::string, std::string>& params) {
  std::string out;
  out.reserve(tmpl.size() + 16);
  std::size_t pos = 0;
  while (pos < tmpl.size()) {
    std::size_t open = tmpl.find('{', pos);
    if (open == std::string_view::npos) break;
    std::size_t close = tmpl.find('}', open + 1);
    if (close == std::string_view::npos) break;
    out.append(tmpl.substr(pos, open - pos));
    auto it = params.find(std::string(tmpl.substr(open + 1, close - open - 1)));
    if (it != params.end()) {
      out.append(it->second);
    } else {
      out.append(tmpl.substr(open, close - open + 1));
    }
    pos = close + 1;
  }
  out.append(tmpl.substr(pos));
  return out;
}

std::string RenderMessage(const Rules& rules, const Finding& finding, std::string_view lang) {
  const Message* m = rules.FindMessage(finding.code);
  if (m == nullptr) return finding.code;
  const std::string& tmpl = (lang == "zh-CN" && !m->zh.empty()) ? m->zh : m->en;
  if (tmpl.empty()) return finding.code;
  return RenderTemplate(tmpl, finding.params);
}

}  // namespace beian::domain
