// Tests of the RFC 3339 text and Unix milliseconds (time_text.h).
#include "core/time_text.h"

#include <gtest/gtest.h>

namespace beian::core {
namespace {

TEST(TimeText, FormatsUtcWithMilliseconds) {
  EXPECT_EQ(FormatRfc3339(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatRfc3339(1796247600123), "2026-12-02T21:40:00.123Z");
  EXPECT_EQ(FormatRfc3339(951782399999), "2000-02-28T23:59:59.999Z");
  EXPECT_EQ(FormatRfc3339(951782400000), "2000-02-29T00:00:00.000Z");  // leap day
}

TEST(TimeText, BeforeTheEpoch) { EXPECT_EQ(FormatRfc3339(-1), "1969-12-31T23:59:59.999Z"); }

TEST(TimeText, MillisRoundTrip) {
  const TimePoint t = TimePoint(std::chrono::milliseconds(1796247600123));
  EXPECT_EQ(ToMillis(t), 1796247600123);
  EXPECT_EQ(FormatRfc3339(ToMillis(t)), "2026-12-02T21:40:00.123Z");
}

}  // namespace
}  // namespace beian::core
