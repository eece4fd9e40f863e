// Tests of the public look-up's readiness (pure): an empty or half-synced copy is 503
// registry_syncing, an index that does not serve is 503 unavailable, a copy once current is
// ready with the stated age whether or not the authority answers, and past the staleness limit
// without catching up it is 503 public_lookup_stale.
#include "agent/public_readiness.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "core/time_text.h"

namespace beian::agent {
namespace {

namespace json = boost::json;

constexpr int64_t kNow = 1'796'000'000'000;  // 2026-11-28T…Z

RegistryFreshness CaughtUp() {
  return {.cursor_known = true,
          .cursor = 120,
          .head = 120,
          .caught_up = true,
          .current_at_ms = kNow - 1500,
          .current_seq = 120,
          .failing_since_ms = 0};
}

PublicReadinessInput Input(RegistryFreshness sync) {
  return {.sync = sync,
          .index_serving = true,
          .index_reason = "",
          .served_seq = sync.cursor,
          .now_ms = kNow,
          .max_staleness_ms = 0};
}

json::object Body(const core::Result<std::string>& r) {
  EXPECT_TRUE(r) << r.error().message;
  if (!r) return {};
  return json::parse("{\"status\":\"ready\"," + *r + "}")
      .as_object()
      .at("public_lookup")
      .as_object();
}

TEST(PublicReadiness, ACaughtUpCopyIsReadyAndSaysSo) {
  const json::object b = Body(PublicReadiness(Input(CaughtUp())));
  EXPECT_EQ(b.at("as_of_seq").as_int64(), 120);
  EXPECT_EQ(b.at("as_of").as_string(), core::FormatRfc3339(kNow - 1500));
  EXPECT_EQ(b.at("caught_up").as_bool(), true);
  EXPECT_EQ(b.at("behind").as_int64(), 0);
  EXPECT_EQ(b.at("authority").as_string(), "reachable");
  EXPECT_DOUBLE_EQ(PublicLookupAgeSeconds(CaughtUp(), kNow), 1.5);
}

TEST(PublicReadiness, ACopyNeverCurrentIsSyncing) {
  // Before the first run read the cursor.
  RegistryFreshness s;
  auto r = PublicReadiness(Input(s));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::kRegistrySyncing);
  EXPECT_NE(r.error().message.find("not been reached"), std::string::npos);
  // An empty copy, the authority unreachable (even with a snapshot served: it is not a state the
  // registry was known to be in).
  s = {.cursor_known = true, .cursor = 0, .head = -1, .failing_since_ms = kNow - 10'000};
  r = PublicReadiness(Input(s));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::kRegistrySyncing);
  EXPECT_NE(r.error().message.find("unreachable since"), std::string::npos) << r.error().message;
  // Half-way through a first catch-up.
  s = {.cursor_known = true, .cursor = 30, .head = 50};
  r = PublicReadiness(Input(s));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::kRegistrySyncing);
  EXPECT_NE(r.error().message.find("at change 30 of 50 (20 behind)"), std::string::npos)
      << r.error().message;
  EXPECT_DOUBLE_EQ(PublicLookupAgeSeconds(s, kNow), -1);
}

TEST(PublicReadiness, AnOlderCopyWithTheAuthorityDownIsReadyAndStatesItsAge) {
  // Restarted while the authority is down: current an hour ago (per the mark), change 120.
  RegistryFreshness s = {.cursor_known = true,
                         .cursor = 120,
                         .head = -1,
                         .caught_up = false,
                         .current_at_ms = kNow - 3'600'000,
                         .current_seq = 120,
                         .failing_since_ms = kNow - 2'000};
  const json::object b = Body(PublicReadiness(Input(s)));
  EXPECT_EQ(b.at("as_of_seq").as_int64(), 120);
  EXPECT_EQ(b.at("as_of").as_string(), core::FormatRfc3339(kNow - 3'600'000));
  EXPECT_EQ(b.at("caught_up").as_bool(), false);
  EXPECT_TRUE(b.at("behind").is_null());
  EXPECT_EQ(b.at("authority").as_string(),
            "unreachable since " + core::FormatRfc3339(kNow - 2'000));
  EXPECT_DOUBLE_EQ(PublicLookupAgeSeconds(s, kNow), 3600);
  // Catching up after the outage, the authority back: behind is known.
  s.head = 500;
  s.cursor = 300;
  s.failing_since_ms = 0;
  PublicReadinessInput in = Input(s);
  in.served_seq = 300;
  const json::object c = Body(PublicReadiness(in));
  EXPECT_EQ(c.at("as_of_seq").as_int64(), 300);
  EXPECT_EQ(c.at("behind").as_int64(), 200);
  EXPECT_EQ(c.at("authority").as_string(), "reachable");
}

TEST(PublicReadiness, PastTheStalenessLimitWithoutCatchingUpIsStale) {
  RegistryFreshness s = {.cursor_known = true,
                         .cursor = 120,
                         .head = 120,
                         .caught_up = false,
                         .current_at_ms = kNow - 61'000,
                         .current_seq = 120,
                         .failing_since_ms = kNow - 61'000};
  PublicReadinessInput in = Input(s);
  in.max_staleness_ms = 60'000;
  auto r = PublicReadiness(in);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::kPublicLookupStale);
  EXPECT_NE(r.error().message.find("61 s old"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("limit of 60 s"), std::string::npos) << r.error().message;
  // Within the limit: ready.
  in.max_staleness_ms = 62'000;
  EXPECT_TRUE(PublicReadiness(in));
  // No limit: ready however old.
  in.max_staleness_ms = 0;
  in.sync.current_at_ms = kNow - 86'400'000LL * 30;
  EXPECT_TRUE(PublicReadiness(in));
  // Caught up: the limit does not apply (the last run reached the head).
  in = Input(CaughtUp());
  in.max_staleness_ms = 1;
  EXPECT_TRUE(PublicReadiness(in));
}

TEST(PublicReadiness, AnIndexThatDoesNotServeIsUnavailable) {
  PublicReadinessInput in = Input(CaughtUp());
  in.index_serving = false;
  in.index_reason = "no snapshot yet: building one";
  auto r = PublicReadiness(in);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::kUnavailable);
  EXPECT_NE(r.error().message.find("building one"), std::string::npos);
}

}  // namespace
}  // namespace beian::agent
