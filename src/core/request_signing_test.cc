// Request signing: fixed vectors (computed independently with Python's hmac/hashlib) and the
// checks the authority's middleware relies on.
#include "core/request_signing.h"

#include <gtest/gtest.h>

#include "core/crypto.h"

namespace beian::core {
namespace {

class RequestSigningTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(InitCrypto()); }
  static std::string Key() {
    std::string key;
    for (int i = 0; i < 32; ++i) key.push_back(static_cast<char>(i));
    return key;
  }
};

TEST_F(RequestSigningTest, Sha256OfEmpty) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_F(RequestSigningTest, CanonicalRequestLayout) {
  EXPECT_EQ(CanonicalRequest("get", "/a?b=1", "1700000000", "abcdefghijklmnop", ""),
            "BEIAN-HMAC-SHA256\nGET\n/a?b=1\n1700000000\nabcdefghijklmnop\n"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_F(RequestSigningTest, Vectors) {
  EXPECT_EQ(SignRequest(Key(), "POST", "/authority/v1/submissions?x=1", "1700000000",
                        "abcdefghijklmnop", R"({"a":1})"),
            "5cdce38539dcb267f179a5cf79b56c4209872f67289ecf785ef830b709d87967");
  EXPECT_EQ(SignRequest(Key(), "GET", "/authority/v1/registry/lookup?domain=example.com",
                        "1700000000", "abcdefghijklmnop", ""),
            "7965e1c88220b3c0477969adbee11beb2d39718cb444814801564c28183f4f7a");
}

ReceivedSignature FromHeaders(const std::vector<std::pair<std::string, std::string>>& headers) {
  ReceivedSignature sig;
  for (const auto& [name, value] : headers) {
    if (name == kProviderHeader) sig.provider = value;
    if (name == kTimestampHeader) sig.timestamp = value;
    if (name == kNonceHeader) sig.nonce = value;
    if (name == kSignatureHeader) sig.signature = value;
  }
  return sig;
}

TEST_F(RequestSigningTest, SignedHeadersVerify) {
  const std::string key = Key();
  auto sig = FromHeaders(SignedHeaders("p1", key, "POST", "/x?y=2", "body", 1700000000));
  EXPECT_EQ(sig.provider, "p1");
  EXPECT_EQ(sig.timestamp, "1700000000");
  ASSERT_TRUE(CheckSignatureShape(sig));
  EXPECT_TRUE(CheckTimestamp(sig, 1700000000 + 300));
  EXPECT_TRUE(CheckSignature(sig, key, "POST", "/x?y=2", "body"));
  // Every signed part matters.
  EXPECT_EQ(CheckSignature(sig, key, "PUT", "/x?y=2", "body").error().code,
            ErrorCode::kBadSignature);
  EXPECT_FALSE(CheckSignature(sig, key, "POST", "/x?y=3", "body"));
  EXPECT_FALSE(CheckSignature(sig, key, "POST", "/x?y=2", "bodY"));
  std::string other = key;
  other[0] = 'x';
  EXPECT_FALSE(CheckSignature(sig, other, "POST", "/x?y=2", "body"));
  ReceivedSignature changed = sig;
  changed.nonce = "zzzzzzzzzzzzzzzz";
  EXPECT_FALSE(CheckSignature(changed, key, "POST", "/x?y=2", "body"));
}

TEST_F(RequestSigningTest, TimestampWindow) {
  ReceivedSignature sig{"p", "1000", "abcdefghijklmnop", std::string(64, 'a')};
  EXPECT_TRUE(CheckTimestamp(sig, 1300));
  EXPECT_TRUE(CheckTimestamp(sig, 700));
  EXPECT_EQ(CheckTimestamp(sig, 1301).error().code, ErrorCode::kTimestampSkew);
  EXPECT_EQ(CheckTimestamp(sig, 699).error().code, ErrorCode::kTimestampSkew);
}

TEST_F(RequestSigningTest, ShapeChecks) {
  const ReceivedSignature good{"p", "1000", "abcdefghijklmnop", std::string(64, 'a')};
  ASSERT_TRUE(CheckSignatureShape(good));
  auto bad = [&](auto mutate) {
    ReceivedSignature s = good;
    mutate(s);
    auto st = CheckSignatureShape(s);
    return !st && st.error().code == ErrorCode::kBadSignature;
  };
  EXPECT_TRUE(bad([](ReceivedSignature& s) { s.provider.clear(); }));
  EXPECT_TRUE(bad([](ReceivedSignature& s) { s.timestamp = "12a"; }));
  EXPECT_TRUE(bad([](ReceivedSignature& s) { s.timestamp.clear(); }));
  EXPECT_TRUE(bad([](ReceivedSignature& s) { s.nonce = "short"; }));
  EXPECT_TRUE(bad([](ReceivedSignature& s) { s.nonce = "abcdefghijklmno!"; }));
  EXPECT_TRUE(bad([](ReceivedSignature& s) { s.signature = std::string(64, 'A'); }));
  EXPECT_TRUE(bad([](ReceivedSignature& s) { s.signature = std::string(63, 'a'); }));
}

TEST_F(RequestSigningTest, ProviderKeys) {
  const std::string text = NewProviderKeyText();
  EXPECT_EQ(text.size(), 64u);
  auto raw = ParseProviderKey(text);
  ASSERT_TRUE(raw);
  EXPECT_EQ(raw->size(), kProviderKeyBytes);
  EXPECT_FALSE(ParseProviderKey("abcd"));
  EXPECT_FALSE(ParseProviderKey(std::string(64, 'g')));
  EXPECT_NE(NewNonce(), NewNonce());
  EXPECT_EQ(NewNonce().size(), 22u);
}

}  // namespace
}  // namespace beian::core
