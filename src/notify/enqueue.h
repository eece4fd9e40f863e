// Writing notifications into the outbox, inside the transaction of the event that causes them
// (issue 9 item 1): a rolled-back transition sends nothing, a retried one enqueues once (the
// dedupe key is the application's event sequence number and the channel).
//
// EnqueueForApplicationEvent is called by agent::TransitionApplication for every transition;
// events that concern the applicant (ApplicationTemplateFor) become an e-mail to the owner's
// address and an SMS to the owner's mobile (when the account has one), in the account's
// language. Other events write nothing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "notify/templates.h"
#include "store/database.h"

namespace beian::notify {

struct NoticeReason {
  std::string field;
  std::string code;
  std::string message;        // the reviewer's note ("" when none)
  std::string label_zh = {};  // the code's text in the reason catalogue, per language
  std::string label_en = {};
};

struct ApplicationNotice {
  std::string application_id;
  std::string owner_id;
  std::string event;  // the state machine's event ("submit", "reject", …)
  int64_t event_seq;  // the event row's seq (the dedupe key)
  std::string organizer_name;
  std::vector<NoticeReason> reasons = {};
  // Template parameters the event brings (ship_backdrop: carrier, tracking_number).
  Params extra = {};
  int64_t now_ms = 0;
};

// The template of an application event, or "" when the event notifies no one.
std::string_view ApplicationTemplateFor(std::string_view event);

// The reasons as the e-mails list them, one per line: "1. <label, else code>: <note> (field)".
std::string FormatReasons(const std::vector<NoticeReason>& reasons, std::string_view locale);

// Enqueues the notice's messages; returns how many rows were written (0 for an event that
// notifies no one, or a repeat of the same event).
core::Result<int> EnqueueForApplicationEvent(store::Tx& tx, const ApplicationNotice& notice);

}  // namespace beian::notify
