// SmsCodeRepo: named statements for sms_codes (see sms_codes.h).
#include "store/sms_codes.h"

namespace beian::store {
namespace {

using core::Result;
using core::Status;

#define BEIAN_SMS_CODE_COLUMNS                                                               \
  "c.submission_id, c.person, c.mobile_hash, c.mobile_sealed, c.id_last6_hash, c.code_hash," \
  " c.attempts_wrong, c.resends, c.sent_at, c.expires_at, c.verified_at"

constexpr Statement kInsert{
    "sms_codes.insert",
    "INSERT INTO sms_codes (submission_id, person, mobile_hash, mobile_sealed, id_last6_hash,"
    " code_hash, attempts_wrong, resends, sent_at, expires_at, verified_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"};
constexpr Statement kFindByMobile{"sms_codes.by_mobile",
                                  "SELECT " BEIAN_SMS_CODE_COLUMNS
                                  ", s.state, s.organizer_name, s.sms_deadline"
                                  " FROM sms_codes c JOIN submissions s ON s.id = c.submission_id"
                                  " WHERE c.mobile_hash = $1 AND c.id_last6_hash = $2"
                                  " ORDER BY c.sent_at DESC, c.submission_id, c.person LIMIT $3"};
constexpr Statement kRecordWrong{
    "sms_codes.record_wrong",
    "UPDATE sms_codes SET attempts_wrong = attempts_wrong + 1"
    " WHERE submission_id = $1 AND person = $2 AND verified_at IS NULL RETURNING attempts_wrong"};
constexpr Statement kMarkVerified{
    "sms_codes.mark_verified",
    "UPDATE sms_codes SET verified_at = $3"
    " WHERE submission_id = $1 AND person = $2 AND verified_at IS NULL"};
constexpr Statement kReplaceCode{
    "sms_codes.replace_code",
    "UPDATE sms_codes SET code_hash = $3, resends = resends + 1, sent_at = $5"
    " WHERE submission_id = $1 AND person = $2 AND resends = $4 AND verified_at IS NULL"};
constexpr Statement kCountUnverified{
    "sms_codes.count_unverified",
    "SELECT COUNT(*) FROM sms_codes WHERE submission_id = $1 AND verified_at IS NULL"};
constexpr Statement kSetDeadline{
    "sms_codes.set_submission_deadline",
    "UPDATE submissions SET sms_deadline = $2 WHERE id = $1 AND state = 'sms_verification'"};

#undef BEIAN_SMS_CODE_COLUMNS

Result<SmsCodeRow> CodeFromRow(const Row& row) {
  SmsCodeRow c;
  BEIAN_ASSIGN_OR_RETURN(c.submission_id, row.GetText(0));
  BEIAN_ASSIGN_OR_RETURN(c.person, row.GetText(1));
  BEIAN_ASSIGN_OR_RETURN(c.mobile_hash, row.GetText(2));
  BEIAN_ASSIGN_OR_RETURN(c.mobile_sealed, row.GetText(3));
  BEIAN_ASSIGN_OR_RETURN(c.id_last6_hash, row.GetText(4));
  BEIAN_ASSIGN_OR_RETURN(c.code_hash, row.GetText(5));
  BEIAN_ASSIGN_OR_RETURN(c.attempts_wrong, row.GetInt(6));
  BEIAN_ASSIGN_OR_RETURN(c.resends, row.GetInt(7));
  BEIAN_ASSIGN_OR_RETURN(c.sent_at_ms, row.GetInt(8));
  BEIAN_ASSIGN_OR_RETURN(c.expires_at_ms, row.GetInt(9));
  BEIAN_ASSIGN_OR_RETURN(c.verified_at_ms, row.GetOptionalInt(10));
  return c;
}

}  // namespace

Status SmsCodeRepo::Insert(const SmsCodeRow& r) {
  std::optional<int64_t> verified = r.verified_at_ms;
  BEIAN_TRY(tx_.Exec(kInsert, {r.submission_id, r.person, r.mobile_hash, r.mobile_sealed,
                               r.id_last6_hash, r.code_hash, r.attempts_wrong, r.resends,
                               r.sent_at_ms, r.expires_at_ms, verified}));
  return core::Ok();
}

Result<std::vector<SmsCodeMatch>> SmsCodeRepo::FindByMobile(std::string_view mobile_hash,
                                                            std::string_view id_last6_hash,
                                                            int limit) {
  BEIAN_ASSIGN_OR_RETURN(auto rows,
                         tx_.Query(kFindByMobile, {mobile_hash, id_last6_hash, int64_t{limit}}));
  std::vector<SmsCodeMatch> out;
  for (const Row& row : rows) {
    SmsCodeMatch m;
    BEIAN_ASSIGN_OR_RETURN(m.code, CodeFromRow(row));
    BEIAN_ASSIGN_OR_RETURN(m.submission_state, row.GetText(11));
    BEIAN_ASSIGN_OR_RETURN(m.organizer_name, row.GetText(12));
    BEIAN_ASSIGN_OR_RETURN(m.sms_deadline_ms, row.GetInt(13));
    out.push_back(std::move(m));
  }
  return out;
}

Result<std::optional<int64_t>> SmsCodeRepo::RecordWrong(std::string_view submission_id,
                                                        std::string_view person) {
  BEIAN_ASSIGN_OR_RETURN(auto rows, tx_.Query(kRecordWrong, {submission_id, person}));
  if (rows.empty()) return std::optional<int64_t>();
  BEIAN_ASSIGN_OR_RETURN(int64_t n, rows[0].GetInt(0));
  return std::optional<int64_t>(n);
}

Result<bool> SmsCodeRepo::MarkVerified(std::string_view submission_id, std::string_view person,
                                       int64_t now_ms) {
  BEIAN_ASSIGN_OR_RETURN(int64_t n, tx_.Exec(kMarkVerified, {submission_id, person, now_ms}));
  return n == 1;
}

Result<bool> SmsCodeRepo::ReplaceCode(std::string_view submission_id, std::string_view person,
                                      std::string_view code_hash, int64_t expected_resends,
                                      int64_t now_ms) {
  BEIAN_ASSIGN_OR_RETURN(int64_t n, tx_.Exec(kReplaceCode, {submission_id, person, code_hash,
                                                            expected_resends, now_ms}));
  return n == 1;
}

Status SmsCodeRepo::SetDeadline(std::string_view submission_id, int64_t deadline_ms) {
  BEIAN_TRY(tx_.Exec(kSetDeadline, {submission_id, deadline_ms}));
  return core::Ok();
}

Result<int64_t> SmsCodeRepo::CountUnverified(std::string_view submission_id) {
  BEIAN_ASSIGN_OR_RETURN(auto rows, tx_.Query(kCountUnverified, {submission_id}));
  if (rows.empty()) return int64_t{0};
  return rows[0].GetInt(0);
}

}  // namespace beian::store
