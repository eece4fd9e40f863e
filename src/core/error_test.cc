#include "core/error.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "core/result.h"

namespace beian::core {
namespace {

TEST(ErrorCodeTest, NamesAreUniqueSnakeCase) {
  std::set<std::string> seen;
  for (ErrorCode c : AllErrorCodes()) {
    std::string name(ErrorCodeName(c));
    EXPECT_TRUE(seen.insert(name).second) << name;
    for (char ch : name) EXPECT_TRUE((ch >= 'a' && ch <= 'z') || ch == '_') << name;
  }
}

Result<int> Half(int x) {
  if (x % 2) return Error(ErrorCode::kValidationFailed, "odd");
  return x / 2;
}

Result<int> Quarter(int x) {
  BEIAN_ASSIGN_OR_RETURN(int h, Half(x));
  return Half(h);
}

TEST(ResultTest, PropagatesErrors) {
  EXPECT_EQ(*Quarter(8), 2);
  auto r = Quarter(6);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kValidationFailed);
}

}  // namespace
}  // namespace beian::core
