// EnqueueForApplicationEvent (see enqueue.h).
#include "notify/enqueue.h"

#include <boost/json.hpp>

#include "store/notifications.h"
#include "store/users.h"

namespace beian::notify {
namespace {

using core::Result;

struct EventTemplate {
  std::string_view event;
  std::string_view template_id;
};

constexpr EventTemplate kApplicationEvents[] = {
    {"submit", "application_submitted"},
    {"resubmit", "application_submitted"},
    {"approve", "preliminary_approved"},
    {"reject", "preliminary_rejected"},
    {"ship_backdrop", "backdrop_shipped"},
    {"accept_photo", "photo_accepted"},
    {"reject_photo", "photo_rejected"},
    {"withdraw", "application_withdrawn"},
    // The authority's outcome (issue 10 item 6) and a hand-over it refused.
    {"authority_approve", "application_approved"},
    {"authority_reject", "application_authority_returned"},
    {"sms_failed", "application_authority_returned"},
    {"handover_refused", "application_authority_returned"},
};

}  // namespace

std::string_view ApplicationTemplateFor(std::string_view event) {
  for (const EventTemplate& e : kApplicationEvents) {
    if (e.event == event) return e.template_id;
  }
  return {};
}

std::string FormatReasons(const std::vector<NoticeReason>& reasons, std::string_view locale) {
  std::string out;
  int i = 0;
  for (const NoticeReason& r : reasons) {
    if (!out.empty()) out += "\n";
    const bool en = locale == "en";
    const std::string& label = en ? r.label_en : r.label_zh;
    out += std::to_string(++i) + ". ";
    out += label.empty() ? r.code : label;
    if (!r.message.empty()) out += (en ? ": " : "：") + r.message;
    if (!r.field.empty()) out += (en ? " (field: " : "（字段：") + r.field + (en ? ")" : "）");
  }
  return out;
}

Result<int> EnqueueForApplicationEvent(store::Tx& tx, const ApplicationNotice& notice) {
  const std::string_view template_id = ApplicationTemplateFor(notice.event);
  if (template_id.empty()) return 0;
  BEIAN_ASSIGN_OR_RETURN(auto owner, store::UserRepo(tx).FindById(notice.owner_id));
  if (!owner) return 0;  // the account is gone: no one to tell
  boost::json::object params;
  params["application_id"] = notice.application_id;
  params["application_ref"] = notice.application_id.substr(0, 8);
  params["organizer_name"] = notice.organizer_name;
  params["display_name"] = owner->display_name;
  if (!notice.reasons.empty() || template_id.ends_with("_rejected") ||
      template_id.ends_with("_returned")) {
    params["reasons"] = FormatReasons(notice.reasons, owner->locale);
    params["reason_count"] = std::to_string(notice.reasons.size());
  }
  for (const auto& [k, v] : notice.extra) params[k] = v;
  const std::string params_json = boost::json::serialize(params);
  int written = 0;
  struct Target {
    std::string_view channel;
    std::string address;
  };
  const Target targets[] = {{"email", owner->email}, {"sms", owner->phone}};
  for (const Target& t : targets) {
    if (t.address.empty()) continue;
    store::NewNotification n{.dedupe_key = "application:" + notice.application_id + ":" +
                                           std::to_string(notice.event_seq) + ":" +
                                           std::string(t.channel),
                             .recipient_id = owner->id,
                             .channel = std::string(t.channel),
                             .address = t.address,
                             .template_id = std::string(template_id),
                             .params_json = params_json,
                             .locale = owner->locale,
                             .created_at_ms = notice.now_ms};
    BEIAN_ASSIGN_OR_RETURN(auto stored, store::NotificationRepo(tx).Enqueue(n));
    if (stored) ++written;
  }
  return written;
}

}  // namespace beian::notify
