// The review routes under /api/v1 (the review contract; see review_service.h). Reviewer (role
// reviewer; anyone else 403):
//   GET    /review/reasons                          the reason catalogue → {items}
//   GET    /review/queue                            ?stage=preliminary|photo|ready&province=
//                                                   &organizer_type=&overdue=true&limit=&cursor=
//   POST   /review/applications/{id}/claim          → {application_id, reviewer_id, expires_at}
//   DELETE /review/applications/{id}/claim          → 204
//   GET    /review/applications/{id}                the detail (masked) with documents,
//                                                   precheck, events, changes, claim
//   POST   /review/applications/{id}/reveal         full personal numbers (audited)
//   POST   /review/applications/{id}/decision       {decision: approve|reject, reasons}
//   POST   /review/applications/{id}/photo-decision {decision: accept|reject, reasons}
//   GET    /review/backdrops                        ?status=requested|shipped&limit=&cursor=
//   POST   /review/backdrops/{id}/ship              {carrier, tracking_number}
// Applicant (role applicant; another's application 404):
//   POST   /applications/{id}/backdrop              {recipient, mobile, address}
//   POST   /applications/{id}/photo                 {document_id}
// Handlers parse, call one service function and render.
#pragma once

#include <string>

#include "agent/applications_service.h"
#include "agent/review_service.h"
#include "http/router.h"

namespace beian::agent {

void RegisterReviewRoutes(http::Router& router, ReviewService& review,
                          ApplicationsService& applications, const std::string& prefix);

}  // namespace beian::agent
