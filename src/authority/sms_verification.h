// SMS verification of a submission's persons (issue 10 item 4; contract §5). The SMS helper owns
// this module (the .cc, the routes, the sweeper); this header fixes the one call the intake
// makes, so both sides build in parallel.
//
// StartSmsVerification runs INSIDE the intake transaction of a first arrival (never for a
// repeat): one 6-digit code per distinct mobile among `persons` (persons sharing a mobile share
// ONE sms_codes row, person = the first of them), stored hashed, sent by SMS with template
// `authority_sms_code` {code, organizer_name, deadline} through store::NotificationRepo on the
// authority database; the deadline is s.sms_deadline_ms (24 h after arrival).
//
// The intake does not link this function directly: it calls it through
// authority::StartSmsHook (submission_intake.h), which `beian serve` sets to
// &StartSmsVerification. An unset hook sends no codes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "authority/sms_rules.h"
#include "core/pii_cipher.h"
#include "core/result.h"
#include "store/database.h"
#include "store/submissions.h"

namespace beian::authority {

using store::SubmissionRecord;

// The PiiCipher column of sms_codes.mobile_sealed (the reviewer's detail opens it, masked).
inline constexpr std::string_view kSmsMobileColumn = "sms_codes.mobile";

core::Status StartSmsVerification(store::Tx& tx, const SubmissionRecord& s,
                                  const std::vector<SmsPerson>& persons, const core::PiiCipher& pii,
                                  int64_t now_ms);

}  // namespace beian::authority
