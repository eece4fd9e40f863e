// The notification catalogue: every template the program sends and the parameters each may name,
// with the longest value an SMS carries (longer values are clipped in SMS texts, never in
// e-mail). The templates' texts live in data/notify/templates.tsv; TemplateSet::Load checks the
// file against this catalogue at start. A service adds its templates here (the authority's SMS
// codes later) and their texts to the data file.
// The authority's templates (authority_*) go to the persons in charge of a submission, in
// zh-CN, signed with the authority's name (serve --authority-name).
#pragma once

#include <span>
#include <string_view>

namespace beian::notify {

struct ParamSpec {
  std::string_view name;
  int sms_budget;  // characters (Unicode code points) an SMS text gives the value at most
  // A secret (a verification code, an ICP password): the enqueuing code seals the value
  // (notify::SealParam), the outbox opens it only to render, keeps the sent text with the value
  // masked and blanks it in the row once sent. A value not sealed is refused, never sent.
  bool secret = false;
};

struct TemplateSpec {
  std::string_view id;
  std::span<const ParamSpec> params;  // besides CommonParams()
};

// Parameters every template may name: provider_name, display_name, console_url.
std::span<const ParamSpec> CommonParams();
std::span<const TemplateSpec> Catalogue();
const TemplateSpec* FindTemplate(std::string_view id);
// The spec of `param` for template `t` (its own or a common one), or nullptr.
const ParamSpec* FindParam(const TemplateSpec& t, std::string_view param);
// True when template `id` has a secret parameter.
bool HasSecretParams(std::string_view id);

// Longest --provider-name: the SMS signature 【…】 must leave room for the message.
inline constexpr int kMaxProviderNameChars = 10;
// Characters of one SMS segment (UCS-2).
inline constexpr int kSmsSegmentChars = 70;

}  // namespace beian::notify
