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

constexpr std::array<TemplateSpec, 7> kCatalogue{{
    {"application_submitted", kApplication},
    {"preliminary_approved", kApplication},
    {"preliminary_rejected", kRejection},
    {"backdrop_shipped", kBackdrop},
    {"photo_accepted", kApplication},
    {"photo_rejected", kRejection},
    {"application_withdrawn", kApplication},
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

}  // namespace beian::notify
