// The review members of the application JSON (see review_view.h).
#include "agent/review_view.h"

#include "agent/applications_codec.h"
#include "core/time_text.h"
#include "domain/application_json.h"
#include "store/documents.h"

namespace beian::agent {
namespace {

namespace json = boost::json;
using core::Result;

json::value TimeOrNull(const std::optional<int64_t>& ms) {
  return ms ? json::value(core::FormatRfc3339(*ms)) : json::value(nullptr);
}

json::value TextOrNull(const std::optional<std::string>& s) {
  return s ? json::value(*s) : json::value(nullptr);
}

}  // namespace

Result<DocumentSnapshot> SnapshotDocuments(store::Tx& tx, const std::string& application_id) {
  BEIAN_ASSIGN_OR_RETURN(auto rows, store::DocumentRepo(tx).List(application_id));
  DocumentSnapshot out;
  for (const store::DocumentRow& d : rows) {
    out[d.kind + ":" + d.subject].push_back({d.sha256, d.original_name});
  }
  return out;
}

core::Status RecordRejection(store::Tx& tx, const store::ApplicationRecord& before,
                             const store::ApplicationEvent& event,
                             const std::vector<Reason>& reasons) {
  BEIAN_ASSIGN_OR_RETURN(DocumentSnapshot documents, SnapshotDocuments(tx, before.id));
  return store::RejectionRepo(tx).Insert(
      {.application_id = before.id,
       .event_seq = event.seq,
       .event = event.event,
       .reasons_json = json::serialize(ReasonsToJson(reasons)),
       .body = before.body,
       .documents_json = json::serialize(DocumentSnapshotToJson(documents)),
       .created_at_ms = event.created_at_ms});
}

json::value ContentJson(const domain::Application& app) {
  json::value v = domain::ToJson(app);
  if (json::object* o = v.if_object()) {
    for (std::string_view owned : {"id", "version", "state", "filing_type"}) o->erase(owned);
  }
  return v;
}

Result<json::value> ContentJson(const store::ApplicationRecord& record, const std::string& body,
                                const core::PiiCipher& pii) {
  store::ApplicationRecord copy = record;
  copy.body = body;
  BEIAN_ASSIGN_OR_RETURN(OpenedBody opened, OpenApplicationBody(copy, pii));
  return ContentJson(opened.application);
}

Result<ReviewExtras> LoadReviewExtras(store::Tx& tx, const store::ApplicationRecord& record,
                                      const domain::Application& app, const core::PiiCipher& pii) {
  ReviewExtras out;
  BEIAN_ASSIGN_OR_RETURN(store::ReviewFacts facts, store::ReviewQueueRepo(tx).Facts(record.id));
  out.submitted_at_ms = facts.submitted_at_ms;
  BEIAN_ASSIGN_OR_RETURN(out.backdrop, store::BackdropRepo(tx).Find(record.id));
  BEIAN_ASSIGN_OR_RETURN(out.handover, store::HandoverRepo(tx).Latest(record.id));
  if (out.backdrop) {
    BEIAN_ASSIGN_OR_RETURN(out.backdrop_mobile,
                           pii.Open(out.backdrop->mobile_sealed, kBackdropMobileColumn));
  }
  BEIAN_ASSIGN_OR_RETURN(out.last_rejection, store::RejectionRepo(tx).Latest(record.id));
  if (!out.last_rejection || facts.last_acceptance_seq > out.last_rejection->event_seq) {
    return out;
  }
  // The rejection still stands: its reasons are the flagged fields, each `changed` once the
  // value it points at differs from the value the reviewer saw.
  out.rejection_current = true;
  ReviewSubject then;
  BEIAN_ASSIGN_OR_RETURN(then.application, ContentJson(record, out.last_rejection->body, pii));
  then.documents = DocumentSnapshotFromJson(out.last_rejection->documents_json);
  ReviewSubject now{ContentJson(app), {}};
  BEIAN_ASSIGN_OR_RETURN(now.documents, SnapshotDocuments(tx, record.id));
  for (const Reason& r : ReasonsFromJson(out.last_rejection->reasons_json)) {
    out.flagged_fields.push_back(json::object{{"field", r.field},
                                              {"code", r.code},
                                              {"message", r.message},
                                              {"changed", FieldChanged(r.field, then, now)}});
  }
  return out;
}

json::object BackdropJson(const store::BackdropRow& b, const std::string& mobile) {
  return json::object{{"recipient", b.recipient},
                      {"mobile", mobile},
                      {"address", b.address},
                      {"requested_at", core::FormatRfc3339(b.requested_at_ms)},
                      {"carrier", TextOrNull(b.carrier)},
                      {"tracking_number", TextOrNull(b.tracking_number)},
                      {"shipped_at", TimeOrNull(b.shipped_at_ms)}};
}

void AddReviewFields(json::object& view, const ReviewExtras& extras, bool mask_mobile) {
  view["submitted_at"] = TimeOrNull(extras.submitted_at_ms);
  if (extras.backdrop) {
    view["backdrop"] = BackdropJson(
        *extras.backdrop, mask_mobile ? extras.backdrop->mobile_masked : extras.backdrop_mobile);
  } else {
    view["backdrop"] = nullptr;
  }
  view["flagged_fields"] = extras.flagged_fields;
  if (extras.handover) {
    const store::Handover& h = *extras.handover;
    view["authority"] =
        json::object{{"submission_id", h.submission_id},
                     {"authority_submission_id", h.authority_submission_id
                                                     ? json::value(*h.authority_submission_id)
                                                     : json::value(nullptr)},
                     {"state", h.authority_state},
                     {"updated_at", core::FormatRfc3339(h.updated_at_ms)}};
  } else {
    view["authority"] = nullptr;
  }
}

}  // namespace beian::agent
