// Server and domain eligibility; see eligibility.h.
#include "domain/eligibility.h"

#include <map>

#include "domain/registry_view.h"
#include "domain/validators_util.h"

namespace beian::domain {
namespace {

using Params = std::map<std::string, std::string>;

Finding Make(Severity s, std::string_view field, std::string code, Params params) {
  return Finding{s, std::string(field), std::move(code), std::move(params)};
}

}  // namespace

std::string HolderNameKey(std::string_view name) {
  // RULES.md decision 6: NFKC (（） → ()), every whitespace character removed, nothing more —
  // "有限公司" and "(有限公司)" stay different, and so does ASCII case.
  std::string folded = text::Nfkc(name);
  auto cps = text::DecodeUtf8(folded);
  if (!cps) return folded;
  std::u32string out;
  for (char32_t c : *cps) {
    const bool space = c == U' ' || (c >= U'\t' && c <= U'\r') || c == U'\u00a0' ||
                       c == U'\u1680' || (c >= U'\u2000' && c <= U'\u200a') || c == U'\u2028' ||
                       c == U'\u2029' || c == U'\u202f' || c == U'\u205f' || c == U'\u3000';
    if (!space) out.push_back(c);
  }
  return text::EncodeUtf8(out);
}

bool EnoughLeft(const std::optional<Date>& expires, bool long_term, Date today, int months) {
  if (long_term) return true;  // "长期"
  if (!expires) return false;
  return std::chrono::sys_days(*expires) >= std::chrono::sys_days(AddMonths(today, months));
}

Findings CheckInstance(const Instance& in, int needed, const Timing& timing, Date today,
                       std::string_view field) {
  Findings out;
  if (!in.mainland) {
    out.push_back(Make(Severity::kError, field, "instance_not_mainland",
                       {{"instance_id", in.id}, {"region", in.region}}));
  }
  if (!in.public_ip) {
    out.push_back(Make(Severity::kError, field, "instance_no_public_ip", {{"instance_id", in.id}}));
  }
  if (in.billing != "subscription") {
    out.push_back(Make(Severity::kError, field, "instance_not_subscription",
                       {{"instance_id", in.id}, {"billing", in.billing}}));
  }
  if (!EnoughLeft(in.expires_at, in.long_term, today, timing.server_min_months_left)) {
    out.push_back(Make(Severity::kError, field, "instance_expires_soon",
                       {{"instance_id", in.id},
                        {"expires_at", in.expires_at ? FormatDate(*in.expires_at) : ""},
                        {"min_months", std::to_string(timing.server_min_months_left)}}));
  }
  if (in.service_codes_total - in.service_codes_used < needed) {
    out.push_back(Make(Severity::kError, field, "instance_no_service_code",
                       {{"instance_id", in.id},
                        {"total", std::to_string(in.service_codes_total)},
                        {"used", std::to_string(in.service_codes_used)},
                        {"needed", std::to_string(needed)}}));
  }
  return out;
}

Findings CheckInventoryDomain(const InventoryDomain& d, const std::string& organizer_name,
                              const std::string& legal_representative_name,
                              const Province* filing_province, const Timing& timing, Date today,
                              std::string_view field) {
  Findings out;
  if (!d.real_name_verified) {
    out.push_back(
        Make(Severity::kError, field, "domain_not_real_name_verified", {{"domain", d.name}}));
  }
  const int months = filing_province != nullptr && filing_province->domain_min_months_left
                         ? *filing_province->domain_min_months_left
                         : timing.domain_min_months_left;
  if (!EnoughLeft(d.expires_at, d.long_term, today, months)) {
    out.push_back(Make(Severity::kError, field, "domain_expires_soon",
                       {{"domain", d.name},
                        {"expires_at", d.expires_at ? FormatDate(*d.expires_at) : ""},
                        {"min_months", std::to_string(months)}}));
  }
  const std::string holder = HolderNameKey(d.holder_name);
  // Where the province accepts it, the legal representative may hold the domain instead.
  const bool legal_ok =
      filing_province != nullptr && filing_province->legal_representative_may_hold_domain &&
      !legal_representative_name.empty() && holder == HolderNameKey(legal_representative_name);
  if (!organizer_name.empty() && holder != HolderNameKey(organizer_name) && !legal_ok) {
    out.push_back(Make(Severity::kError, field, "domain_holder_mismatch",
                       {{"holder", d.holder_name}, {"organizer", organizer_name}}));
  }
  return out;
}

Findings CheckEligibility(const Application& app, const InventoryView* inventory,
                          const Rules& rules, const Province* filing_province, Date today,
                          const std::vector<bool>& needs_service_code) {
  Findings out;
  // Per instance: how many websites of this application need a new code from it.
  std::map<std::string, int> needed;
  for (std::size_t i = 0; i < app.websites.size(); ++i) {
    std::string id(text::Trim(app.websites[i].instance_id));
    bool needs =
        needs_service_code.empty() || i >= needs_service_code.size() || needs_service_code[i];
    if (!id.empty() && needs) ++needed[id];
  }
  std::map<std::string, bool> instance_reported;
  const bool individual = [&] {
    const OrganizerType* t = rules.FindOrganizerType(app.organizer.type);
    return t != nullptr && t->is_individual;
  }();
  const Province* holder_province = individual ? nullptr : filing_province;
  // Decision 10: absent, the organizer's person in charge is taken as the legal representative.
  const std::string legal_name(text::Trim(app.organizer.legal_representative.Empty()
                                              ? app.organizer.person_in_charge.name
                                              : app.organizer.legal_representative.name));

  for (std::size_t i = 0; i < app.websites.size(); ++i) {
    const Website& w = app.websites[i];
    const std::string path = "websites[" + std::to_string(i) + "]";
    const std::string id(text::Trim(w.instance_id));
    const std::string field = path + ".instance_id";
    if (id.empty()) {
      out.push_back(Make(Severity::kError, field, "required", {}));
    } else if (inventory == nullptr) {
      out.push_back(
          Make(Severity::kWarning, field, "instance_not_verified", {{"instance_id", id}}));
    } else if (std::optional<Instance> in = inventory->FindInstance(id); !in) {
      out.push_back(Make(Severity::kError, field, "instance_not_found", {{"instance_id", id}}));
    } else if (!instance_reported[id]) {
      // Reported once, on the first website that names the instance.
      instance_reported[id] = true;
      Findings f = CheckInstance(*in, needed[id], rules.timing, today, field);
      out.insert(out.end(), f.begin(), f.end());
    }

    for (std::size_t d = 0; d < w.domains.size(); ++d) {
      if (text::Trim(w.domains[d]).empty()) continue;
      const std::string dfield = path + ".domains[" + std::to_string(d) + "]";
      const std::string key = CanonicalDomainKey(w.domains[d]);
      if (inventory == nullptr) {
        out.push_back(Make(Severity::kWarning, dfield, "domain_not_verified", {{"domain", key}}));
      } else if (std::optional<InventoryDomain> dom = inventory->FindDomain(key); !dom) {
        out.push_back(
            Make(Severity::kWarning, dfield, "domain_not_in_inventory", {{"domain", key}}));
      } else {
        Findings f = CheckInventoryDomain(*dom, std::string(text::Trim(app.organizer.name)),
                                          legal_name, holder_province, rules.timing, today, dfield);
        out.insert(out.end(), f.begin(), f.end());
      }
    }
  }
  return out;
}

const std::vector<std::string_view>& EligibilityCodes() {
  static const std::vector<std::string_view> kCodes = {
      "domain_expires_soon",           "domain_holder_mismatch",    "domain_not_in_inventory",
      "domain_not_real_name_verified", "domain_not_verified",       "instance_expires_soon",
      "instance_no_public_ip",         "instance_no_service_code",  "instance_not_found",
      "instance_not_mainland",         "instance_not_subscription", "instance_not_verified",
  };
  return kCodes;
}

}  // namespace beian::domain
