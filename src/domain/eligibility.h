// Eligibility against this provider's inventory (RULES.md "Servers", "Websites and domains";
// FACTS 6.1, 6.2): each website's server instance (mainland, public IP, subscription billing,
// enough time left, a free filing service code) and each domain the provider holds (real-name
// verified, not expiring too soon, holder = the organizer, or the legal representative where
// the province accepts it). Without an inventory (nullptr: `beian precheck` without
// --inventory) nothing can be verified, and each website gets warnings saying so instead of
// errors. Pure; `today` is the civil date in China.
#pragma once

#include <vector>

#include "domain/application.h"
#include "domain/calendar.h"
#include "domain/finding.h"
#include "domain/inventory_view.h"
#include "domain/rules.h"

namespace beian::domain {

// One instance for `needed` new websites. Codes: instance_not_mainland {instance_id, region},
// instance_no_public_ip {instance_id}, instance_not_subscription {instance_id, billing},
// instance_expires_soon {instance_id, expires_at, min_months}, instance_no_service_code
// {instance_id, total, used, needed}.
Findings CheckInstance(const Instance& instance, int needed, const Timing& timing, Date today,
                       std::string_view field);

// The key holder names are compared by (RULES.md decision 6): NFKC, all whitespace removed,
// nothing more.
std::string HolderNameKey(std::string_view name);

// Whether `expires` leaves at least `months` calendar months after `today` (decision 8:
// expiry ≥ AddMonths(today, months), clamped to month end; "长期" = long_term always passes).
bool EnoughLeft(const std::optional<Date>& expires, bool long_term, Date today, int months);

// One domain held by the provider. Codes: domain_not_real_name_verified {domain},
// domain_expires_soon {domain, expires_at, min_months} (the filing province's months, else
// Timing's), domain_holder_mismatch {holder, organizer} (decision 6: unless the province lets the
// legal representative hold it and the holder is `legal_representative_name`).
Findings CheckInventoryDomain(const InventoryDomain& domain, const std::string& organizer_name,
                              const std::string& legal_representative_name,
                              const Province* filing_province, const Timing& timing, Date today,
                              std::string_view field);

// Every website of `app`. `needs_service_code[i]` says whether websites[i] consumes a new code
// (false for a website already filed through this provider); an empty vector means all do.
// Websites naming the same instance share its free codes. Codes besides the above:
// instance_id required, instance_not_found {instance_id}, domain_not_in_inventory {domain}
// (warning: a domain registered elsewhere is checked by the authority), and without inventory
// instance_not_verified {instance_id} / domain_not_verified {domain} (warnings).
Findings CheckEligibility(const Application& app, const InventoryView* inventory,
                          const Rules& rules, const Province* filing_province, Date today,
                          const std::vector<bool>& needs_service_code = {});

const std::vector<std::string_view>& EligibilityCodes();

}  // namespace beian::domain
