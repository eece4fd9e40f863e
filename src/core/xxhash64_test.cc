// XXH64 against the reference implementation's published values.
#include "core/xxhash64.h"

#include <gtest/gtest.h>

#include <string>

namespace beian::core {
namespace {

TEST(Xxh64, MatchesReferenceVectors) {
  EXPECT_EQ(Xxh64(""), 0xEF46DB3751D8E999ULL);
  EXPECT_EQ(Xxh64("a"), 0xD24EC4F1A98C6E5BULL);
  EXPECT_EQ(Xxh64("abc"), 0x44BC2CF5AD770999ULL);
  // Over 32 bytes: the four-lane loop.
  EXPECT_EQ(Xxh64("Nobody inspects the spammish repetition"), 0xFBCEA83C8A378BF1ULL);
}

TEST(Xxh64, SeedAndEveryTailLengthChangeTheHash) {
  const std::string text(100, 'x');
  EXPECT_NE(Xxh64(text, 0), Xxh64(text, 1));
  for (size_t n = 1; n < text.size(); ++n) {
    EXPECT_NE(Xxh64(text.data(), n), Xxh64(text.data(), n - 1)) << n;
  }
}

}  // namespace
}  // namespace beian::core
