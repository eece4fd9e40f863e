// TransitionSubmission (see submission_transitions.h).
#include "authority/submission_transitions.h"

#include <chrono>
#include <cstdio>

#include "core/crypto.h"
#include "domain/deadlines.h"

namespace beian::authority {
namespace {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;
using core::Result;

bool Reports(std::string_view state) {
  return state == store::kSubmissionUnderReview || state == store::kSubmissionApproved ||
         state == store::kSubmissionRejected || state == store::kSubmissionExpired;
}

}  // namespace

json::array ReasonsToJson(const std::vector<Reason>& reasons) {
  json::array out;
  for (const Reason& r : reasons) {
    out.push_back(json::object{{"field", r.field}, {"code", r.code}, {"message", r.message}});
  }
  return out;
}

json::object ProviderEventBody(const store::SubmissionRecord& s, const std::string& event_id,
                               int64_t occurred_at_ms, const std::vector<Reason>& reasons) {
  json::object body{{"event_id", event_id},
                    {"type", s.state},
                    {"submission_id", s.provider_submission_id},
                    {"application_id", s.application_id},
                    {"authority_submission_id", s.id},
                    {"occurred_at", FormatRfc3339(occurred_at_ms)}};
  if (s.state == store::kSubmissionApproved && s.approval_json) {
    boost::system::error_code ec;
    json::value approval = json::parse(*s.approval_json, ec);
    if (!ec && approval.is_object()) body["approval"] = std::move(approval);
  }
  if (s.state == store::kSubmissionRejected || s.state == store::kSubmissionExpired) {
    body["reasons"] = ReasonsToJson(reasons);
  }
  return body;
}

Result<SubmissionTransitionOutcome> TransitionSubmission(
    store::Tx& tx, const SubmissionTransitionContext& ctx,
    const SubmissionTransitionRequest& request) {
  store::SubmissionRepo repo(tx);
  BEIAN_ASSIGN_OR_RETURN(auto found, repo.Find(request.submission_id));
  if (!found) return Error(ErrorCode::kNotFound, "submission not found");
  store::SubmissionRecord s = std::move(*found);
  BEIAN_ASSIGN_OR_RETURN(domain::Transition t,
                         domain::Apply(domain::Machine::kSubmission, s.state, request.event,
                                       request.role, request.facts));
  const core::TimePoint now = ctx.clock.Now();
  const int64_t now_ms = ToMillis(now);
  const int64_t expected_version = s.version;
  s.state = t.to;
  s.updated_at_ms = now_ms;
  if (t.to == store::kSubmissionUnderReview && t.from != t.to) {
    s.review_started_at_ms = now_ms;
    const auto deadline = domain::DeadlineForState(domain::Machine::kSubmission, t.to, now,
                                                   ctx.rules.timing, ctx.calendar);
    s.review_deadline_ms =
        deadline ? std::optional<int64_t>(ToMillis(deadline->due)) : std::nullopt;
  }
  const bool closes = domain::IsTerminal(domain::Machine::kSubmission, t.to);
  if (closes) {
    s.decided_at_ms = now_ms;
    s.decided_by = request.actor;
    s.claimed_by = std::nullopt;
    s.claim_until_ms = std::nullopt;
  }
  if (t.to == store::kSubmissionApproved) {
    if (!request.approval) {
      return Error(ErrorCode::kInternal, "an approval needs the issued numbers");
    }
    s.approval_json = json::serialize(*request.approval);
    if (const json::value* sn = request.approval->if_contains("subject_sn");
        sn && sn->is_string()) {
      s.subject_sn = std::string(sn->get_string());
    }
  }
  BEIAN_ASSIGN_OR_RETURN(bool moved, repo.Update(s, expected_version));
  if (!moved) {
    return Error(ErrorCode::kPreconditionFailed, "the submission has changed; try again");
  }
  s.version = expected_version + 1;
  if (closes) BEIAN_TRY(repo.ReleaseOpenKeys(s.id));
  BEIAN_TRY(repo.AppendEvent({.submission_id = s.id,
                              .from_state = t.from,
                              .to_state = t.to,
                              .event = t.event,
                              .actor = request.actor,
                              .reasons_json = json::serialize(ReasonsToJson(request.reasons)),
                              .at_ms = now_ms}));
  SubmissionTransitionOutcome out{std::move(s), std::nullopt};
  if (Reports(t.to) && t.from != t.to) {
    const std::string event_id = core::RandomId();
    store::ProviderEvent e;
    e.event_id = event_id;
    e.provider_id = out.submission.provider_id;
    e.submission_id = out.submission.id;
    e.type = t.to;
    e.body = json::serialize(ProviderEventBody(out.submission, event_id, now_ms, request.reasons));
    e.next_attempt_at_ms = now_ms;
    e.created_at_ms = now_ms;
    BEIAN_TRY(store::ProviderEventRepo(tx).Enqueue(e));
    out.provider_event_id = event_id;
  }
  return out;
}

}  // namespace beian::authority
