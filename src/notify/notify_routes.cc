// Handlers of the mailbox and notification-history routes (see notify_routes.h).
#include "notify/notify_routes.h"

#include <boost/json.hpp>
#include <charconv>
#include <chrono>

#include "core/pii_cipher.h"
#include "core/time_text.h"
#include "http/json.h"
#include "store/notifications.h"

namespace beian::notify {
namespace {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;
using core::Result;

Result<int> LimitOf(const http::Request& req) {
  auto raw = req.Query("limit");
  if (!raw) return 20;
  int limit = 0;
  auto [ptr, ec] = std::from_chars(raw->data(), raw->data() + raw->size(), limit);
  if (ec != std::errc() || ptr != raw->data() + raw->size() || limit < 1 || limit > 100) {
    return Error(ErrorCode::kValidationFailed, "limit must be between 1 and 100",
                 {{"limit", "invalid", "limit must be between 1 and 100"}});
  }
  return limit;
}

// A mobile number of the history, masked ("139****0001"); "" when it cannot be opened.
std::string MaskedMobile(const AddressOpener& open, std::string_view stored) {
  if (!open) return core::MaskMobile(stored);
  auto opened = open(stored);
  return opened ? core::MaskMobile(*opened) : std::string();
}

http::Response NoStore(http::Response r) {
  r.SetHeader("Cache-Control", "no-store");
  return r;
}

int64_t MillisOf(const core::Clock& clock) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock.Now().time_since_epoch())
      .count();
}

json::value OptionalTime(const std::optional<int64_t>& ms) {
  return ms ? json::value(core::FormatRfc3339(*ms)) : json::value(nullptr);
}

// The operators' view of a row (mobile numbers masked, the last error in full).
json::object AdminJson(const store::Notification& n, const AddressOpener& open) {
  return json::object{{"id", n.id},
                      {"recipient_id", n.recipient_id},
                      {"channel", n.channel},
                      {"to", n.channel == "sms" ? MaskedMobile(open, n.address) : n.address},
                      {"template", n.template_id},
                      {"locale", n.locale},
                      {"state", n.state},
                      {"attempts", n.attempts},
                      {"last_error", n.last_error},
                      {"next_attempt_at", core::FormatRfc3339(n.next_attempt_at_ms)},
                      {"created_at", core::FormatRfc3339(n.created_at_ms)},
                      {"updated_at", core::FormatRfc3339(n.updated_at_ms)},
                      {"sent_at", OptionalTime(n.sent_at_ms)}};
}

// Messages that carry a one-time link or code (accounts): an account's own history leaves their
// text out, or a signed-in session could read the code meant for the mobile (or a reset link).
bool SecretTemplate(std::string_view id) {
  return id == "account_confirm_email" || id == "account_confirm_mobile" || id == "password_reset";
}

}  // namespace

void RegisterNotifyRoutes(http::Router& router, store::Database& db,
                          const NotifyRouteOptions& options) {
  http::RouteOptions mailbox_access{.auth = http::Auth::kSession};
  if (!options.mailbox_for_everyone) mailbox_access.roles = {options.admin_role};

  if (options.mailbox) {
    router.Add(
        "GET", options.prefix + "/admin/mailbox",
        [&db](http::Request& req) -> Result<http::Response> {
          BEIAN_ASSIGN_OR_RETURN(int limit, LimitOf(req));
          const std::string cursor(req.Query("cursor").value_or(""));
          BEIAN_ASSIGN_OR_RETURN(store::MailboxPage page, db.Read([&](store::Tx& tx) {
            return store::MailboxRepo(tx).List(limit, cursor);
          }));
          json::array items;
          for (const store::MailboxMessage& m : page.items) {
            items.push_back(json::object{{"id", m.id},
                                         {"notification_id", m.notification_id},
                                         {"channel", m.channel},
                                         {"to", m.address},
                                         {"subject", m.subject},
                                         {"text", m.body_text},
                                         {"html", m.body_html},
                                         {"template", m.template_id},
                                         {"locale", m.locale},
                                         {"created_at", core::FormatRfc3339(m.created_at_ms)}});
          }
          return NoStore(http::JsonResponse(json::object{
              {"items", std::move(items)},
              {"next_cursor",
               page.next_cursor.empty() ? json::value(nullptr) : json::value(page.next_cursor)}}));
        },
        mailbox_access);
  }

  if (options.own_history) {
    router.Add("GET", options.prefix + "/me/notifications",
               [&db, open = options.open_address](http::Request& req) -> Result<http::Response> {
                 BEIAN_ASSIGN_OR_RETURN(int limit, LimitOf(req));
                 const std::string cursor(req.Query("cursor").value_or(""));
                 const std::string me = req.principal->user_id;
                 BEIAN_ASSIGN_OR_RETURN(store::NotificationPage page, db.Read([&](store::Tx& tx) {
                   return store::NotificationRepo(tx).ListForRecipient(me, limit, cursor);
                 }));
                 json::array items;
                 for (const store::Notification& n : page.items) {
                   items.push_back(json::object{
                       {"id", n.id},
                       {"channel", n.channel},
                       {"to", n.channel == "sms" ? MaskedMobile(open, n.address) : n.address},
                       {"template", n.template_id},
                       {"locale", n.locale},
                       {"state", n.state},
                       {"attempts", n.attempts},
                       {"subject", n.subject},
                       {"text", SecretTemplate(n.template_id) ? std::string() : n.body_text},
                       {"created_at", core::FormatRfc3339(n.created_at_ms)},
                       {"sent_at", n.sent_at_ms ? json::value(core::FormatRfc3339(*n.sent_at_ms))
                                                : json::value(nullptr)}});
                 }
                 return NoStore(http::JsonResponse(json::object{
                     {"items", std::move(items)},
                     {"next_cursor", page.next_cursor.empty() ? json::value(nullptr)
                                                              : json::value(page.next_cursor)}}));
               },
               {.auth = http::Auth::kSession});
  }

  const http::RouteOptions admin{.auth = http::Auth::kSession, .roles = {options.admin_role}};
  const AddressOpener open = options.open_address;
  const core::Clock& clock = *options.clock;
  router.Add(
      "GET", options.prefix + "/admin/notifications",
      [&db, open](http::Request& req) -> Result<http::Response> {
        BEIAN_ASSIGN_OR_RETURN(int limit, LimitOf(req));
        const std::string cursor(req.Query("cursor").value_or(""));
        const std::string state(req.Query("state").value_or(""));
        BEIAN_ASSIGN_OR_RETURN(store::NotificationPage page, db.Read([&](store::Tx& tx) {
          return store::NotificationRepo(tx).ListByState(state, limit, cursor);
        }));
        json::array items;
        for (const store::Notification& n : page.items) items.push_back(AdminJson(n, open));
        return NoStore(http::JsonResponse(json::object{
            {"items", std::move(items)},
            {"next_cursor",
             page.next_cursor.empty() ? json::value(nullptr) : json::value(page.next_cursor)}}));
      },
      admin);

  // retry / cancel: the row as it is after the change; 404 unknown id, 409 invalid_transition
  // when its state does not allow the action.
  for (std::string action : {"retry", "cancel"}) {
    router.Add(
        "POST", options.prefix + "/admin/notifications/{id}/" + action,
        [&db, &clock, open, action](http::Request& req) -> Result<http::Response> {
          const std::string id(req.PathParam("id"));
          const int64_t now = MillisOf(clock);
          BEIAN_ASSIGN_OR_RETURN(
              store::Notification n, db.Write([&](store::Tx& tx) -> Result<store::Notification> {
                store::NotificationRepo repo(tx);
                BEIAN_ASSIGN_OR_RETURN(auto found, repo.Find(id));
                if (!found) {
                  return Error(ErrorCode::kNotFound, "notification not found");
                }
                BEIAN_ASSIGN_OR_RETURN(bool changed, action == "retry" ? repo.RetryNow(id, now)
                                                                       : repo.Cancel(id, now));
                if (!changed) {
                  const std::string msg = "a " + found->state + " notification cannot be " +
                                          (action == "retry" ? "retried" : "cancelled");
                  return Error(ErrorCode::kInvalidTransition, msg,
                               {{"state", "invalid_transition", msg}});
                }
                BEIAN_ASSIGN_OR_RETURN(auto after, repo.Find(id));
                return std::move(*after);
              }));
          return NoStore(http::JsonResponse(AdminJson(n, open)));
        },
        admin);
  }
}

}  // namespace beian::notify
