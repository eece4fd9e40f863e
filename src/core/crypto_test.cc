#include "core/crypto.h"

#include <gtest/gtest.h>

#include <set>

namespace beian::core {
namespace {

class CryptoTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(InitCrypto()); }
};

TEST_F(CryptoTest, TokensAreLongAndDistinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    std::string t = RandomToken();
    EXPECT_EQ(t.size(), 43u);
    EXPECT_TRUE(seen.insert(t).second);
  }
  EXPECT_EQ(RandomId().size(), 32u);
}

TEST_F(CryptoTest, HexRoundTrip) {
  std::string raw = RandomBytes(20);
  auto back = HexDecode(HexEncode(raw));
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, raw);
  EXPECT_FALSE(HexDecode("abc"));
  EXPECT_FALSE(HexDecode("zz"));
}

TEST_F(CryptoTest, PasswordHashVerifies) {
  auto h = HashPassword("correct horse battery", PasswordCost::kMinimum);
  ASSERT_TRUE(h);
  EXPECT_TRUE(h->starts_with("$argon2id$"));
  EXPECT_TRUE(VerifyPassword(*h, "correct horse battery"));
  EXPECT_FALSE(VerifyPassword(*h, "correct horse batterx"));
  EXPECT_FALSE(VerifyPassword("not a hash", "x"));
}

TEST_F(CryptoTest, HashTokenIsStable) {
  EXPECT_EQ(HashToken("abc"), HashToken("abc"));
  EXPECT_NE(HashToken("abc"), HashToken("abd"));
  EXPECT_EQ(HashToken("abc").size(), 64u);
}

TEST_F(CryptoTest, HmacMatchesRfc4231Case2) {
  EXPECT_EQ(HexEncode(HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST_F(CryptoTest, SealOpenRoundTripAndTamper) {
  std::string key = RandomBytes(kSecretKeyBytes);
  auto sealed = Seal(key, "110101199003074514", "users.id_number");
  ASSERT_TRUE(sealed);
  auto opened = Open(key, *sealed, "users.id_number");
  ASSERT_TRUE(opened);
  EXPECT_EQ(*opened, "110101199003074514");
  EXPECT_FALSE(Open(key, *sealed, "users.mobile"));
  std::string tampered = *sealed;
  tampered.back() ^= 1;
  EXPECT_FALSE(Open(key, tampered, "users.id_number"));
  EXPECT_NE(KeyedHash(key, "a"), KeyedHash(RandomBytes(32), "a"));
}

TEST_F(CryptoTest, ConstantTimeEquals) {
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "ab"));
  EXPECT_TRUE(ConstantTimeEquals("", ""));
}

}  // namespace
}  // namespace beian::core
