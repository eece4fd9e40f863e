// The writes and look-ups of the authority's SMS verification codes (authority migration 0003,
// table sms_codes; the rows are store::SmsCodeRow of submissions.h). One row per distinct mobile
// of a submission's sms_persons; only keyed hashes of the mobile, the ID's last 6 and the code
// are kept (the mobile itself sealed, to resend). The rules live in src/authority/sms_rules.h;
// this layer counts and marks with conditional UPDATEs, so two concurrent entries of one code
// never lose a wrong attempt or verify twice.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "store/database.h"
#include "store/submissions.h"

namespace beian::store {

// A code row with what the entry needs of its submission.
struct SmsCodeMatch {
  SmsCodeRow code;
  std::string submission_state;
  std::string organizer_name;
  int64_t sms_deadline_ms = 0;
};

class SmsCodeRepo {
 public:
  explicit SmsCodeRepo(Tx& tx) : tx_(tx) {}

  // kConflict when the submission already has a row for the person.
  core::Status Insert(const SmsCodeRow& row);
  // The rows for a mobile and ID tail (keyed hashes), newest first, at most `limit`.
  core::Result<std::vector<SmsCodeMatch>> FindByMobile(std::string_view mobile_hash,
                                                       std::string_view id_last6_hash, int limit);
  // Counts one wrong entry of a row not yet verified; the count after it, or nullopt when the
  // row is gone or verified.
  core::Result<std::optional<int64_t>> RecordWrong(std::string_view submission_id,
                                                   std::string_view person);
  // Marks a row verified at `now_ms`; false when it was verified already (or is gone).
  core::Result<bool> MarkVerified(std::string_view submission_id, std::string_view person,
                                  int64_t now_ms);
  // A resend: the new code's hash replaces the old, resends + 1, sent_at = now, when the row is
  // unverified and still at `expected_resends`; false otherwise (a concurrent resend won).
  core::Result<bool> ReplaceCode(std::string_view submission_id, std::string_view person,
                                 std::string_view code_hash, int64_t expected_resends,
                                 int64_t now_ms);
  // Test-only (serve --sms-code-validity): the submission's SMS deadline moved to `deadline_ms`
  // while it is still verifying.
  core::Status SetDeadline(std::string_view submission_id, int64_t deadline_ms);
  // Rows of the submission not yet verified.
  core::Result<int64_t> CountUnverified(std::string_view submission_id);

 private:
  Tx& tx_;
};

}  // namespace beian::store
