// The public SMS verification routes of the authority (issue 10 item 4; contract §5), no session,
// no CSRF token (the entry carries its own secret), throttled per mobile and per client address:
//   POST /authority/v1/sms-verification         {mobile, code, id_last6}
//        → 200 {verified: true, submission_state, remaining}
//          422 sms_code_wrong (detail {field: attempts_left, message: "<n>"}), 410
//          sms_code_expired (past the deadline, the 5th wrong entry and after), 404
//          sms_code_not_found, 429 too_many_requests (Retry-After)
//   POST /authority/v1/sms-verification/resend  {mobile, id_last6}
//        → 200 {resends_left}; 429 sms_resend_limit, 410, 404, 429 too_many_requests
#pragma once

#include "authority/sms_verification.h"
#include "http/router.h"

namespace beian::authority {

// REQUIRES: `sms` outlives the router.
void RegisterSmsVerificationRoutes(http::Router& router, const SmsVerification& sms);

}  // namespace beian::authority
