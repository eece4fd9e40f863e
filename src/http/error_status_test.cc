// Tests of the ErrorCode → HTTP status mapping and the JSON error body.
#include "http/error_status.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace beian::http {
namespace {

using core::ErrorCode;

TEST(ErrorStatusTest, EveryCodeHasAMapping) {
  for (ErrorCode code : core::AllErrorCodes()) {
    unsigned status = HttpStatusFor(code);
    EXPECT_GE(status, 400u) << core::ErrorCodeName(code);
    EXPECT_LE(status, 599u) << core::ErrorCodeName(code);
  }
}

TEST(ErrorStatusTest, MappingMatchesTheContract) {
  const std::pair<ErrorCode, unsigned> kExpected[] = {
      {ErrorCode::kInvalidJson, 400},
      {ErrorCode::kValidationFailed, 400},
      {ErrorCode::kUnknownField, 400},
      {ErrorCode::kUnsupportedMediaType, 415},
      {ErrorCode::kPayloadTooLarge, 413},
      {ErrorCode::kNotFound, 404},
      {ErrorCode::kMethodNotAllowed, 405},
      {ErrorCode::kUnauthenticated, 401},
      {ErrorCode::kInvalidCredentials, 401},
      {ErrorCode::kForbidden, 403},
      {ErrorCode::kCsrfFailed, 403},
      {ErrorCode::kEmailTaken, 409},
      {ErrorCode::kConflict, 409},
      {ErrorCode::kVersionMismatch, 412},
      {ErrorCode::kTooManyRequests, 429},
      {ErrorCode::kAccountLocked, 429},
      {ErrorCode::kInvalidTransition, 409},
      {ErrorCode::kUnavailable, 503},
      {ErrorCode::kTimeout, 408},
      {ErrorCode::kBadSignature, 401},
      {ErrorCode::kReplayed, 401},
      {ErrorCode::kTimestampSkew, 401},
      {ErrorCode::kUnknownProvider, 401},
      {ErrorCode::kBeianCredentialsInvalid, 422},
      {ErrorCode::kDatabase, 500},
      {ErrorCode::kBusy, 503},
      {ErrorCode::kSerializationFailure, 503},
      {ErrorCode::kSchemaOutdated, 503},
      {ErrorCode::kRegistrySyncing, 503},
      {ErrorCode::kPublicLookupStale, 503},
      {ErrorCode::kIo, 500},
      {ErrorCode::kRulesInvalid, 500},
      {ErrorCode::kBadRequest, 400},
      {ErrorCode::kHeaderTooLarge, 431},
      {ErrorCode::kUnsupportedFileType, 422},
      {ErrorCode::kPhotoMustBeImage, 422},
      {ErrorCode::kImageTooLarge, 422},
      {ErrorCode::kImageTooSmall, 422},
      {ErrorCode::kMisdirectedRequest, 421},
      {ErrorCode::kInternal, 500},
      {ErrorCode::kSubjectConflict, 409},
      {ErrorCode::kDomainConflict, 409},
      {ErrorCode::kPreconditionFailed, 412},
      {ErrorCode::kPreconditionRequired, 428},
      {ErrorCode::kPrecheckFailed, 422},
      {ErrorCode::kLimitExceeded, 422},
      {ErrorCode::kCredentialsRequired, 422},
      {ErrorCode::kIdempotencyKeyReused, 422},
  };
  for (const auto& [code, status] : kExpected) {
    EXPECT_EQ(HttpStatusFor(code), status) << core::ErrorCodeName(code);
  }
}

TEST(ErrorStatusTest, BodyHasTheContractShape) {
  core::Error e(ErrorCode::kValidationFailed, "bad \"input\"\n",
                {{"organizer.certificate.number", "checksum_mismatch", "wrong check digit"}});
  Response r = ErrorResponse(e);
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(r.content_type, "application/json");
  auto v = boost::json::parse(r.body);
  const auto& err = v.at("error");
  EXPECT_EQ(err.at("code").as_string(), "validation_failed");
  EXPECT_EQ(err.at("message").as_string(), "bad \"input\"\n");
  ASSERT_EQ(err.at("details").as_array().size(), 1u);
  const auto& d = err.at("details").as_array()[0];
  EXPECT_EQ(d.at("field").as_string(), "organizer.certificate.number");
  EXPECT_EQ(d.at("code").as_string(), "checksum_mismatch");
  EXPECT_EQ(d.at("message").as_string(), "wrong check digit");
}

TEST(ErrorStatusTest, ServerFailuresDoNotLeakTheirCause) {
  Response db = ErrorResponse(
      core::Error(ErrorCode::kDatabase, "relation \"users\" does not exist at db.internal:5432"));
  EXPECT_EQ(db.status, 500u);
  EXPECT_EQ(db.body.find("db.internal"), std::string::npos);
  EXPECT_EQ(boost::json::parse(db.body).at("error").at("code").as_string(), "database_error");
  Response busy = ErrorResponse(core::Error(ErrorCode::kBusy, "sqlite: database is locked"));
  EXPECT_EQ(busy.status, 503u);
  EXPECT_EQ(busy.body.find("sqlite"), std::string::npos);
  // Client errors keep their message: it tells the caller what to fix.
  Response bad = ErrorResponse(core::Error(ErrorCode::kBadRequest, "limit must be 1..100"));
  EXPECT_NE(bad.body.find("limit must be 1..100"), std::string::npos);
  // A stale schema tells the operator what to run.
  Response stale = ErrorResponse(
      core::Error(ErrorCode::kSchemaOutdated, "schema version 0 of 1: run `beian migrate`"));
  EXPECT_EQ(stale.status, 503u);
  EXPECT_NE(stale.body.find("beian migrate"), std::string::npos);
}

// A body with 930,000 unknown keys once answered with every key listed (73 MB): the answer
// keeps the first kMaxErrorDetails and says how many there were.
TEST(ErrorStatusTest, ManyDetailsAreCappedWithTheirTotal) {
  core::Error e(ErrorCode::kUnknownField, "unknown fields");
  for (int i = 0; i < 100'000; ++i) {
    e.details.push_back({"key" + std::to_string(i), "unknown_field", "unknown field"});
  }
  std::string body = ErrorBody(e);
  EXPECT_LT(body.size(), 4096u);
  auto v = boost::json::parse(body).at("error");
  const auto& details = v.at("details").as_array();
  ASSERT_EQ(details.size(), kMaxErrorDetails);
  EXPECT_EQ(details.front().at("field").as_string(), "key0");
  EXPECT_EQ(details.back().at("field").as_string(), "key19");
  EXPECT_EQ(v.at("details_total").as_int64(), 100'000);
}

TEST(ErrorStatusTest, UpToTheCapNoTotalAndLongTextIsCut) {
  core::Error e(ErrorCode::kValidationFailed, "invalid");
  for (size_t i = 0; i < kMaxErrorDetails; ++i) e.details.push_back({"f", "required", "m"});
  auto v = boost::json::parse(ErrorBody(e)).at("error").as_object();
  EXPECT_EQ(v.at("details").as_array().size(), kMaxErrorDetails);
  EXPECT_FALSE(v.contains("details_total"));

  // A 1 MB field name is cut at 256 bytes, on a UTF-8 boundary ("é" is two bytes).
  std::string huge = "a";
  for (int i = 0; i < 500'000; ++i) huge += "\xC3\xA9";
  core::Error big(ErrorCode::kUnknownField, "unknown: " + huge, {{huge, "unknown_field", huge}});
  std::string body = ErrorBody(big);
  EXPECT_LT(body.size(), 2048u);
  auto field =
      std::string(boost::json::parse(body).at("error").at("details").at(0).at("field").as_string());
  EXPECT_EQ(field.size(), 255u + 3u);  // "a", 127 whole "é", then "…" (3 bytes)
  EXPECT_TRUE(field.ends_with("\xC3\xA9\xE2\x80\xA6")) << field;
}

// Capped details (core::kMaxJsonProblems) say how many there were; uncapped ones say nothing more.
TEST(ErrorStatusTest, CappedDetailsCarryTheirTotal) {
  core::Error e(ErrorCode::kUnknownField, "unknown field a (and 41 more unknown fields)",
                {{"a", "unknown_field", "is not a known field"}});
  e.details_total = 42;
  auto v = boost::json::parse(ErrorBody(e));
  EXPECT_EQ(v.at("error").at("details").as_array().size(), 1u);
  EXPECT_EQ(v.at("error").at("details_total").as_int64(), 42);
  e.details_total = 1;
  EXPECT_FALSE(boost::json::parse(ErrorBody(e)).at("error").as_object().contains("details_total"));
}

TEST(ErrorStatusTest, EmptyDetailsIsAnEmptyArray) {
  EXPECT_EQ(ErrorBody(core::Error(ErrorCode::kNotFound, "no")),
            R"({"error":{"code":"not_found","message":"no","details":[]}})");
}

}  // namespace
}  // namespace beian::http
