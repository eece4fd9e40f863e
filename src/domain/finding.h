// A Finding is one problem a validator or a cross-field check found in an application: how bad it
// is (an error blocks submission, a warning does not), where it is (a path into the application
// JSON), what it is (a stable snake_case code, also the message key) and the values its message
// template needs. Findings are plain values; rendering them in zh-CN or en is RenderMessage's job.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace beian::domain {

enum class Severity { kError, kWarning };

// "error" | "warning".
std::string_view SeverityName(Severity severity);

struct Finding {
  Severity severity = Severity::kError;
  // Path into the application JSON, e.g. "organizer.certificate.number", "websites[0].domains[0]".
  std::string field;
  // Stable snake_case code, e.g. "checksum_mismatch"; also the key of its message.
  std::string code;
  // Values for the message template, e.g. {"min","3"}.
  std::map<std::string, std::string> params;

  bool operator==(const Finding&) const = default;
};

using Findings = std::vector<Finding>;

// True when at least one finding blocks submission.
bool HasError(const Findings& findings);

}  // namespace beian::domain
