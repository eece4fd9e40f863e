// The one entry point that applies every rule to an application, offline or inside the agent
// service (`POST /applications/{id}/precheck`, `beian precheck`): field validators and cross-field
// checks, the filing-type judgement against the registry, server and domain eligibility against
// the provider's inventory (warnings only when no inventory is given), the Beian credentials the
// type asks for, and the required documents. Pure: the registry and inventory are read-only views
// and "today" comes from the caller's clock (the civil date in China).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

#include "core/clock.h"
#include "domain/application.h"
#include "domain/calendar.h"
#include "domain/documents.h"
#include "domain/filing_type.h"
#include "domain/finding.h"
#include "domain/inventory_view.h"
#include "domain/registry_view.h"
#include "domain/rules.h"

namespace beian::domain {

struct PrecheckResult {
  std::optional<FilingType> filing_type;  // empty when refused
  std::string filing_row;                 // FilingJudgement::row
  Finding explanation;                    // FilingJudgement::explanation (a message: code + params)
  bool needs_beian_credentials = false;
  std::vector<std::string> sms_persons;
  std::string province;  // the derived filing province ("" when unknown)
  Findings findings;     // errors first, then warnings; stable order otherwise
  std::vector<RequiredDocument> required_documents;

  bool HasErrors() const { return HasError(findings); }
};

PrecheckResult Precheck(const Application& app, const RegistryView& registry,
                        const InventoryView* inventory, const Rules& rules, Date today,
                        std::string_view provider);
PrecheckResult Precheck(const Application& app, const RegistryView& registry,
                        const InventoryView* inventory, const Rules& rules,
                        const core::Clock& clock, std::string_view provider);

// The result as JSON: {filing_type (null when refused), filing_row, explanation (English),
// explanation_message:{en, zh-CN}, needs_beian_credentials, sms_persons, province,
// findings:[{severity, field, code, params, message:{en, zh-CN}}], required_documents:[{kind,
// subject, reason, message:{en, zh-CN}}]}.
boost::json::object ToJson(const PrecheckResult& result, const Rules& rules);

// Every code the precheck can emit beyond the field validators' (for the message-coverage test).
std::vector<std::string_view> PrecheckCodes();

}  // namespace beian::domain
