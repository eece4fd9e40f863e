#include "core/pii_cipher.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "core/crypto.h"

namespace beian::core {
namespace {

TEST(PiiCipherTest, SealsPerColumn) {
  ASSERT_TRUE(InitCrypto());
  PiiCipher cipher(RandomBytes(kSecretKeyBytes));
  const std::string stored = cipher.Seal("13812345678", "users.phone");
  EXPECT_TRUE(stored.starts_with("enc1:"));
  EXPECT_EQ(stored.find("13812345678"), std::string::npos);
  EXPECT_NE(stored, cipher.Seal("13812345678", "users.phone"));  // random nonce
  EXPECT_EQ(*cipher.Open(stored, "users.phone"), "13812345678");
  EXPECT_FALSE(cipher.Open(stored, "persons.id_number"));
  EXPECT_FALSE(PiiCipher(RandomBytes(kSecretKeyBytes)).Open(stored, "users.phone"));
  EXPECT_FALSE(cipher.Open("13812345678", "users.phone"));
  EXPECT_EQ(cipher.Seal("", "users.phone"), "");
  EXPECT_EQ(*cipher.Open("", "users.phone"), "");
  EXPECT_EQ(cipher.LookupHash("a", "c"), cipher.LookupHash("a", "c"));
  EXPECT_NE(cipher.LookupHash("a", "c"), cipher.LookupHash("a", "d"));
}

TEST(PiiCipherTest, KeyFileIsCreatedOnceWithOwnerOnlyAccess) {
  ASSERT_TRUE(InitCrypto());
  auto dir = std::filesystem::temp_directory_path() / ("beian-key-" + RandomId());
  std::filesystem::create_directories(dir);
  const std::string file = (dir / "secret.key").string();
  auto first = LoadSecretKey("", file);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->size(), kSecretKeyBytes);
  struct stat st {};
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(*LoadSecretKey("", file), *first);
  const std::string hex(64, 'a');
  EXPECT_EQ(HexEncode(*LoadSecretKey(hex, file)), hex);
  EXPECT_FALSE(LoadSecretKey("abc", file));
  std::filesystem::remove_all(dir);
}

TEST(PiiCipherTest, MasksMobiles) {
  EXPECT_EQ(MaskMobile("13812345678"), "138****5678");
  EXPECT_EQ(MaskMobile("12345678"), "12****78");
  EXPECT_EQ(MaskMobile("12"), "**");
}

TEST(MaskIdentityNumberTest, KeepsFourAtEachEndOfLongNumbers) {
  EXPECT_EQ(MaskIdentityNumber("330106199001011234"), "3301**********1234");
  EXPECT_EQ(MaskIdentityNumber("44030419920115452X"), "4403**********452X");
  EXPECT_EQ(MaskIdentityNumber("E12345678"), "E1*****78");
  EXPECT_EQ(MaskIdentityNumber("AB1"), "***");
  EXPECT_EQ(MaskIdentityNumber(""), "");
}

}  // namespace
}  // namespace beian::core
