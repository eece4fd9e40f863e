// The notification catalogue (see catalogue.h).
#include "notify/catalogue.h"

#include <array>

namespace beian::notify {
namespace {

constexpr std::array<ParamSpec, 3> kCommon{{
    {"provider_name", kMaxProviderNameChars},
    {"display_name", 12},
    {"console_url", 60},
}};

// The application templates' parameters (agent::TransitionApplication via
// EnqueueForApplicationEvent).
constexpr std::array<ParamSpec, 3> kApplication{{
    {"application_id", 32},
    {"application_ref", 8},
    {"organizer_name", 12},
}};
constexpr std::array<ParamSpec, 5> kRejection{{
    {"application_id", 32},
    {"application_ref", 8},
    {"organizer_name", 12},
    {"reasons", 0},  // multi-line; e-mail only
    {"reason_count", 2},
}};
constexpr std::array<ParamSpec, 5> kBackdrop{{
    {"application_id", 32},
    {"application_ref", 8},
    {"organizer_name", 12},
    {"carrier", 8},
    {"tracking_number", 32},
}};

// The authority's approval (issue 10 item 6): the subject SN and "name: website SN" lines.
constexpr std::array<ParamSpec, 5> kApproval{{
    {"application_id", 32},
    {"application_ref", 8},
    {"organizer_name", 12},
    {"subject_sn", 20},
    {"website_sns", 0},  // multi-line; e-mail only
}};

// Accounts (issue 9 item 8; accounts::AccountsService): the one-time link's token, the mobile
// code. The link is {console_url}confirm-email?token={token} (or reset-password?token=).
constexpr std::array<ParamSpec, 1> kAccountToken{{{"token", 43}}};
constexpr std::array<ParamSpec, 1> kAccountCode{{{"code", 6}}};
constexpr std::array<ParamSpec, 0> kAccountNone{};

// The authority (issue 10 items 4–6): the SMS verification code of a submission (the deadline as
// "2026-12-07 20:15", Beijing time), the ICP password at a subject's first approval, and the
// outcome of the review e-mailed to the subject.
constexpr std::array<ParamSpec, 3> kAuthoritySmsCode{{
    {"code", 6, true},
    {"organizer_name", 12},
    {"deadline", 16},
}};
constexpr std::array<ParamSpec, 3> kAuthorityIcpPassword{{
    {"organizer_name", 12},
    {"subject_sn", 18},
    {"icp_password", 16, true},
}};
constexpr std::array<ParamSpec, 3> kAuthorityApproved{{
    {"organizer_name", 12},
    {"subject_sn", 18},
    {"website_sns", 0},  // multi-line "name: SN"; e-mail only
}};
constexpr std::array<ParamSpec, 2> kAuthorityRejected{{
    {"organizer_name", 12}, {"reasons", 0},  // multi-line; e-mail only
}};

constexpr std::array<TemplateSpec, 17> kCatalogue{{
    {"application_submitted", kApplication},
    {"preliminary_approved", kApplication},
    {"preliminary_rejected", kRejection},
    {"backdrop_shipped", kBackdrop},
    {"photo_accepted", kApplication},
    {"photo_rejected", kRejection},
    {"application_withdrawn", kApplication},
    {"application_approved", kApproval},
    {"application_authority_returned", kRejection},
    {"account_confirm_email", kAccountToken},
    {"account_confirm_mobile", kAccountCode},
    {"account_exists", kAccountNone},
    {"password_reset", kAccountToken},
    {"authority_sms_code", kAuthoritySmsCode},
    {"authority_icp_password", kAuthorityIcpPassword},
    {"authority_approved", kAuthorityApproved},
    {"authority_rejected", kAuthorityRejected},
}};

}  // namespace

std::span<const ParamSpec> CommonParams() { return kCommon; }
std::span<const TemplateSpec> Catalogue() { return kCatalogue; }

const TemplateSpec* FindTemplate(std::string_view id) {
  for (const TemplateSpec& t : kCatalogue) {
    if (t.id == id) return &t;
  }
  return nullptr;
}

const ParamSpec* FindParam(const TemplateSpec& t, std::string_view param) {
  for (const ParamSpec& p : t.params) {
    if (p.name == param) return &p;
  }
  for (const ParamSpec& p : kCommon) {
    if (p.name == param) return &p;
  }
  return nullptr;
}

bool HasSecretParams(std::string_view id) {
  const TemplateSpec* t = FindTemplate(id);
  if (!t) return false;
  for (const ParamSpec& p : t->params) {
    if (p.secret) return true;
  }
  return false;
}

}  // namespace beian::notify
