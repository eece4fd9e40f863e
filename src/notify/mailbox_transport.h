// The development mailbox: with neither --smtp-url nor --sms-gateway-url (the `make run`
// default) every message is "delivered" into the mailbox table of the service's own database,
// where the console's Mailbox page shows it (mobile numbers masked: the mailbox is not sealed).
// Storing is idempotent per notification, so a message redelivered after a lost lease appears once.
#pragma once

#include "core/clock.h"
#include "notify/transport.h"
#include "store/database.h"

namespace beian::notify {

class MailboxTransport : public Transport {
 public:
  MailboxTransport(store::Database& db, const core::Clock& clock) : db_(db), clock_(clock) {}
  DeliveryResult Deliver(const OutgoingMessage& message) override;
  std::string Describe() const override { return "mailbox"; }

 private:
  store::Database& db_;
  const core::Clock& clock_;
};

}  // namespace beian::notify
