// TransitionApplication (see application_transitions.h).
#include "agent/application_transitions.h"

#include "agent/authority_events.h"
#include "agent/review_logic.h"
#include "domain/deadlines.h"
#include "notify/enqueue.h"

namespace beian::agent {
namespace {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;
using core::Result;

Error NotFound() { return Error(ErrorCode::kNotFound, "application not found"); }

// The reason catalogue's texts for the applicant's notifications (the built-in catalogue; a
// code it lacks is shown as the code).
const ReasonCatalogue* NoticeCatalogue() {
  static const std::optional<ReasonCatalogue> catalogue = [] {
    auto c = ReasonCatalogue::BuiltIn();
    return c ? std::optional<ReasonCatalogue>(std::move(*c)) : std::nullopt;
  }();
  return catalogue ? &*catalogue : nullptr;
}

}  // namespace

json::array ReasonsToJson(const std::vector<Reason>& reasons) {
  json::array out;
  for (const Reason& r : reasons) {
    out.push_back(json::object{{"field", r.field}, {"code", r.code}, {"message", r.message}});
  }
  return out;
}

std::vector<Reason> ReasonsFromJson(std::string_view text) {
  std::vector<Reason> out;
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_array()) return out;
  for (const json::value& item : v.get_array()) {
    const json::object* o = item.if_object();
    if (!o) continue;
    Reason r;
    auto text_of = [&](std::string_view key) -> std::string {
      const json::value* m = o->if_contains(key);
      return m && m->is_string() ? std::string(m->get_string()) : std::string();
    };
    r.field = text_of("field");
    r.code = text_of("code");
    r.message = text_of("message");
    out.push_back(std::move(r));
  }
  return out;
}

Result<TransitionOutcome> TransitionApplication(store::Tx& tx, const TransitionContext& ctx,
                                                const TransitionRequest& request) {
  store::ApplicationRepo repo(tx);
  BEIAN_ASSIGN_OR_RETURN(auto found, repo.Find(request.application_id));
  if (!found) return NotFound();
  store::ApplicationRecord app = std::move(*found);
  if (request.owner_id && app.owner_id != *request.owner_id) return NotFound();
  if (request.expected_version && app.version != *request.expected_version) {
    return Error(ErrorCode::kPreconditionFailed, "the application has changed (version " +
                                                     std::to_string(app.version) +
                                                     "); reload it and try again");
  }
  BEIAN_ASSIGN_OR_RETURN(domain::Transition t,
                         domain::Apply(domain::Machine::kApplication, app.state, request.event,
                                       request.role, request.facts));
  const core::TimePoint now = ctx.clock.Now();
  const int64_t now_ms = ToMillis(now);
  const auto deadline = domain::DeadlineForState(domain::Machine::kApplication, t.to, now,
                                                 ctx.rules.timing, ctx.calendar);
  std::optional<int64_t> deadline_ms;
  if (deadline) deadline_ms = ToMillis(deadline->due);
  BEIAN_ASSIGN_OR_RETURN(bool moved,
                         repo.SetState(app.id, t.from, app.version, t.to, now_ms, deadline_ms));
  if (!moved) {
    // The row changed between the read and the write of this transaction: only possible when
    // the isolation is weaker than the default; report it as a stale version.
    return Error(ErrorCode::kPreconditionFailed, "the application has changed; try again");
  }
  if (domain::IsTerminal(domain::Machine::kApplication, t.to)) {
    BEIAN_TRY(repo.ReleaseKeys(app.id));
  }
  store::ApplicationEvent e;
  e.application_id = app.id;
  e.event = t.event;
  e.actor_id = request.actor_id;
  e.role = t.role;
  e.from_state = t.from;
  e.to_state = t.to;
  e.reasons_json = json::serialize(ReasonsToJson(request.reasons));
  if (deadline) {
    e.sla = std::string(domain::SlaName(deadline->sla));
    e.sla_deadline_ms = deadline_ms;
  }
  e.created_at_ms = now_ms;
  BEIAN_ASSIGN_OR_RETURN(store::ApplicationEvent stored,
                         store::ApplicationEventRepo(tx).Append(std::move(e)));
  notify::ApplicationNotice notice{.application_id = app.id,
                                   .owner_id = app.owner_id,
                                   .event = t.event,
                                   .event_seq = stored.seq,
                                   .organizer_name = app.organizer_name,
                                   .reasons = {},
                                   .extra = request.notice_params,
                                   .now_ms = now_ms};
  for (const Reason& r : request.reasons) {
    notify::NoticeReason n{r.field, r.code, r.message};
    const ReasonEntry* entry = NoticeCatalogue() ? NoticeCatalogue()->Find(r.code) : nullptr;
    if (entry) {
      n.label_zh = entry->zh_cn;
      n.label_en = entry->en;
    } else if (auto label = AuthorityReasonLabel(r.code)) {
      n.label_zh = label->first;
      n.label_en = label->second;
    }
    notice.reasons.push_back(std::move(n));
  }
  BEIAN_TRY(notify::EnqueueForApplicationEvent(tx, notice));
  app.state = t.to;
  app.version += 1;
  app.updated_at_ms = now_ms;
  app.state_entered_at_ms = now_ms;
  app.sla_deadline_ms = deadline_ms;
  return TransitionOutcome{std::move(app), std::move(stored)};
}

Result<store::ApplicationEvent> RecordCreation(store::Tx& tx, const TransitionContext& ctx,
                                               const store::ApplicationRecord& application,
                                               const std::string& actor_id,
                                               const std::string& role) {
  store::ApplicationEvent e;
  e.application_id = application.id;
  e.event = "create";
  e.actor_id = actor_id;
  e.role = role;
  e.from_state = "";
  e.to_state = std::string(domain::InitialState(domain::Machine::kApplication));
  e.created_at_ms = ToMillis(ctx.clock.Now());
  return store::ApplicationEventRepo(tx).Append(std::move(e));
}

}  // namespace beian::agent
