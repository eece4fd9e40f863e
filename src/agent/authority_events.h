// Results back from the authority (issue 10 item 6; the authority contract §4): the agent's
// POST /api/v1/authority/events, signed by the authority with THIS provider's key
// (core/request_signing.h). Refusals are 401, checked in this order: bad_signature (a header
// missing or malformed, or the signature does not match), unknown_provider (X-Beian-Provider is
// not our provider id, or the agent has no authority configured), timestamp_skew (more than 5
// minutes off), replayed (the nonce was seen before; nonces are kept in the agent database).
//
// An event is applied once, in one transaction with its authority_events row (the event id is
// the primary key): a repeat answers {"event_id", "applied": false}. Effects:
//   under_review  the hand-over's authority_state; no transition
//   approved      beian {subject_sn, website_sns (by website name and by domain)} stored,
//                 authority_approve → approved, one service code of each distinct instance used
//   rejected      authority_reject → returned, with a rejection snapshot of the reasons
//   expired       sms_failed → returned, reason {field:"", code:"sms_not_verified"}
// 409 invalid_transition when the application is not in authority_review or the submission is
// not its current one (the authority then stops retrying).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include <boost/json.hpp>

#include "agent/application_transitions.h"
#include "core/clock.h"
#include "core/pii_cipher.h"
#include "core/result.h"
#include "http/request.h"
#include "http/router.h"
#include "store/database.h"

namespace beian::agent {

// The zh-CN and en label of a reason code the authority's side returns: a hand-over refusal or
// an SMS verification's failure (data/review/authority_reasons.tsv), or a code of the authority
// reviewer's catalogue (domain::AuthorityReasons); nullopt for another code. The provider's own
// catalogue names a code both have first (application_transitions.cc).
std::optional<std::pair<std::string, std::string>> AuthorityReasonLabel(std::string_view code);

struct AuthorityLink {
  std::string provider_id;  // our id at the authority; "" when no authority is configured
  std::string key;          // the raw 32-byte provider key
};

class AuthorityEventsService {
 public:
  AuthorityEventsService(store::Database& db, const core::Clock& clock, const core::PiiCipher& pii,
                         TransitionContext context, AuthorityLink link);

  // Checks the request's signature and records its nonce (see the file comment).
  core::Status Verify(const http::Request& request) const;
  // Applies one event (the parsed body); {"event_id", "applied"}.
  core::Result<boost::json::object> Apply(const boost::json::object& event,
                                          const std::string& body_text);
  core::Result<int64_t> PurgeExpiredNonces() const;

 private:
  store::Database& db_;
  const core::Clock& clock_;
  const core::PiiCipher& pii_;
  TransitionContext context_;
  AuthorityLink link_;
};

// POST /api/v1/authority/events (no session, no CSRF: the signature is the authentication).
void RegisterAuthorityEventRoutes(http::Router& router, AuthorityEventsService& service,
                                  const std::string& prefix);

}  // namespace beian::agent
