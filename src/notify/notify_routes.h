// The notification routes of a service (mounted by its module):
//   GET {prefix}/admin/mailbox        the development mailbox, newest first (admins; every
//                                     signed-in account when `mailbox_for_everyone`, i.e. in
//                                     demo mode, so a new user can read what was "sent")
//   GET {prefix}/me/notifications     the caller's own notifications and their delivery state
//   GET {prefix}/admin/notifications?state=failed|pending|sending|sent|cancelled
//                                     the outbox for operators, with each row's last error
//   POST {prefix}/admin/notifications/{id}/retry   failed/cancelled → pending, due now
//   POST {prefix}/admin/notifications/{id}/cancel  pending/failed → cancelled (never sent)
// Both page with ?limit=1…100 (default 20) and ?cursor=<next_cursor>. A service whose accounts
// receive nothing (the authority) leaves out /me/notifications; one whose messages all leave by
// SMTP and the SMS gateway leaves out the mailbox. No view shows a message's parameters, and a
// sent message's text keeps its secrets masked (outbox.h).
#pragma once

#include <string>

#include "core/clock.h"
#include "http/router.h"
#include "notify/transport.h"
#include "store/database.h"

namespace beian::notify {

struct NotifyRouteOptions {
  std::string prefix = "/api/v1";
  std::string admin_role = "admin";
  bool mailbox_for_everyone = false;
  bool mailbox = true;                 // GET {prefix}/admin/mailbox
  bool own_history = true;             // GET {prefix}/me/notifications
  const core::Clock* clock = nullptr;  // REQUIRED
  // Opens the sealed mobile numbers of the history (shown masked); nullptr: shown as stored.
  AddressOpener open_address = nullptr;
};

void RegisterNotifyRoutes(http::Router& router, store::Database& db,
                          const NotifyRouteOptions& options);

}  // namespace beian::notify
