// MailboxTransport (see mailbox_transport.h).
#include "notify/mailbox_transport.h"

#include "core/pii_cipher.h"
#include "store/notifications.h"

namespace beian::notify {

DeliveryResult MailboxTransport::Deliver(const OutgoingMessage& m) {
  const int64_t now =
      std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch())
          .count();
  store::MailboxMessage row{.id = "",
                            .notification_id = m.id,
                            .channel = m.channel,
                            .address = m.channel == "sms" ? core::MaskMobile(m.address) : m.address,
                            .subject = m.rendered.subject,
                            .body_text = m.rendered.text,
                            .body_html = m.rendered.html,
                            .template_id = m.template_id,
                            .locale = m.locale,
                            .created_at_ms = now};
  auto stored = db_.Write([&](store::Tx& tx) { return store::MailboxRepo(tx).Insert(row); });
  if (!stored) return DeliveryResult::Retry("mailbox: " + stored.error().message);
  return DeliveryResult::Delivered();
}

}  // namespace beian::notify
