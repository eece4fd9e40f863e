// The applicant's application routes under /api/v1 (DESIGN §6; see applications_service.h):
//   POST   /applications                  create a draft (Idempotency-Key honoured) → 201
//   GET    /applications                  own applications, newest first, masked:
//                                         ?state=&limit=&cursor= → {items, next_cursor}
//   GET    /applications/{id}             the owner's detail (values in clear), ETag: "<version>"
//   PATCH  /applications/{id}             JSON merge patch of a draft/returned application;
//                                         If-Match: <version> required (428 without, 412 stale)
//   POST   /applications/{id}/precheck    the rules applied now → the `beian precheck` JSON
//                                         with `satisfied` on each required document
//   POST   /applications/{id}/submit      {beian_sn?, icp_password?} (Idempotency-Key honoured)
//   POST   /applications/{id}/withdraw
//   GET    /applications/{id}/events      the timeline → {items}
// Role applicant only; another applicant's application is 404.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "agent/applications_service.h"
#include "http/router.h"

namespace beian::agent {

// `may_submit` (when set) is asked before a submit: its error refuses it (the agent: an
// account that has not confirmed its e-mail address and mobile gets account_unconfirmed).
void RegisterApplicationRoutes(
    http::Router& router, ApplicationsService& service, const std::string& prefix,
    std::function<core::Status(std::string_view user_id)> may_submit = {});

// The JSON of one timeline row.
boost::json::object EventJson(const store::ApplicationEvent& e);

}  // namespace beian::agent
