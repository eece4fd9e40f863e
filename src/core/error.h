// Errors as values. `Error` carries one code from a closed set (ErrorCode), an English default
// message, and optional field-level details; the HTTP edge maps codes to statuses in exactly
// one place (http/error_status.cc) and renders DESIGN §6's JSON shape. Codes are stable API:
// add new ones at the end of the list and give each a status mapping.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace beian::core {

#define BEIAN_ERROR_CODES(X)                               \
  X(kInternal, "internal")                                 \
  X(kInvalidJson, "invalid_json")                          \
  X(kValidationFailed, "validation_failed")                \
  X(kUnknownField, "unknown_field")                        \
  X(kUnsupportedMediaType, "unsupported_media_type")       \
  X(kPayloadTooLarge, "payload_too_large")                 \
  X(kNotFound, "not_found")                                \
  X(kMethodNotAllowed, "method_not_allowed")               \
  X(kUnauthenticated, "unauthenticated")                   \
  X(kInvalidCredentials, "invalid_credentials")            \
  X(kForbidden, "forbidden")                               \
  X(kCsrfFailed, "csrf_failed")                            \
  X(kEmailTaken, "email_taken")                            \
  X(kConflict, "conflict")                                 \
  X(kVersionMismatch, "version_mismatch")                  \
  X(kTooManyRequests, "too_many_requests")                 \
  X(kAccountLocked, "account_locked")                      \
  X(kInvalidTransition, "invalid_transition")              \
  X(kUnavailable, "unavailable")                           \
  X(kTimeout, "timeout")                                   \
  X(kBadSignature, "bad_signature")                        \
  X(kReplayed, "replayed")                                 \
  X(kDatabase, "database_error")                           \
  X(kBusy, "busy")                                         \
  X(kSerializationFailure, "serialization_failure")        \
  X(kSchemaOutdated, "schema_outdated")                    \
  X(kRegistrySyncing, "registry_syncing")                  \
  X(kPublicLookupStale, "public_lookup_stale")             \
  X(kIo, "io_error")                                       \
  X(kRulesInvalid, "rules_invalid")                        \
  X(kBadRequest, "bad_request")                            \
  X(kHeaderTooLarge, "header_too_large")                   \
  X(kUnsupportedFileType, "unsupported_file_type")         \
  X(kPhotoMustBeImage, "photo_must_be_image")              \
  X(kImageTooLarge, "image_too_large")                     \
  X(kImageTooSmall, "image_too_small")                     \
  X(kMisdirectedRequest, "misdirected_request")            \
  X(kSubjectConflict, "subject_conflict")                  \
  X(kDomainConflict, "domain_conflict")                    \
  X(kPreconditionFailed, "precondition_failed")            \
  X(kPreconditionRequired, "precondition_required")        \
  X(kPrecheckFailed, "precheck_failed")                    \
  X(kLimitExceeded, "limit_exceeded")                      \
  X(kCredentialsRequired, "beian_credentials_required")    \
  X(kIdempotencyKeyReused, "idempotency_key_reused")       \
  X(kClaimedByOther, "claimed_by_other")                   \
  X(kClaimRequired, "claim_required")                      \
  X(kUnknownReason, "unknown_reason")                      \
  X(kTimestampSkew, "timestamp_skew")                      \
  X(kUnknownProvider, "unknown_provider")                  \
  X(kBeianCredentialsInvalid, "beian_credentials_invalid") \
  X(kAccountUnconfirmed, "account_unconfirmed")            \
  X(kTokenInvalid, "token_invalid")                        \
  X(kSmsCodeWrong, "sms_code_wrong")                       \
  X(kSmsCodeExpired, "sms_code_expired")                   \
  X(kSmsCodeNotFound, "sms_code_not_found")                \
  X(kSmsResendLimit, "sms_resend_limit")                   \
  X(kSubmissionConflict, "submission_conflict")            \
  X(kDocumentHashMismatch, "document_hash_mismatch")

enum class ErrorCode {
#define BEIAN_X(name, str) name,
  BEIAN_ERROR_CODES(BEIAN_X)
#undef BEIAN_X
};

// Every code, in declaration order (for tests that check that each code has a mapping).
const std::vector<ErrorCode>& AllErrorCodes();

// The stable snake_case word for `code`, e.g. "invalid_json".
std::string_view ErrorCodeName(ErrorCode code);

// One field-level problem: a path into the request JSON (e.g. "organizer.certificate.number"),
// a stable code (e.g. "checksum_mismatch") and an English default message.
struct ErrorDetail {
  std::string field;
  std::string code;
  std::string message;
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  std::vector<ErrorDetail> details;
  // How many problems were found in all, when that is more than `details` keeps (collectors
  // keep the first few: core::kMaxJsonProblems); 0 or details.size() otherwise.
  std::size_t details_total = 0;

  Error() = default;
  Error(ErrorCode c, std::string msg) : code(c), message(std::move(msg)) {}
  Error(ErrorCode c, std::string msg, std::vector<ErrorDetail> d)
      : code(c), message(std::move(msg)), details(std::move(d)) {}

  // True for errors worth retrying a transaction for (busy database, serialization failure).
  bool IsRetryable() const {
    return code == ErrorCode::kBusy || code == ErrorCode::kSerializationFailure;
  }
};

}  // namespace beian::core
