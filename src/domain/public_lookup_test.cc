// Unit tests of PublicLookupKey: every form of a name reaches the key of its registrable domain.
#include "domain/public_lookup.h"

#include <gtest/gtest.h>

namespace beian::domain {
namespace {

std::string Key(std::string_view input) {
  auto k = PublicLookupKey(input);
  return k ? k->ascii : "error:" + k.error().details.at(0).code;
}

TEST(PublicLookupKey, SubdomainsAndWwwFindTheRegistrableDomain) {
  EXPECT_EQ(Key("example.com.cn"), "example.com.cn");
  EXPECT_EQ(Key("www.example.com.cn"), "example.com.cn");
  EXPECT_EQ(Key("a.b.c.example.com.cn"), "example.com.cn");
  EXPECT_EQ(Key(" WWW.Example.COM. "), "example.com");
  EXPECT_EQ(Key("www．example．cn"), "example.cn");  // full-width dots
}

TEST(PublicLookupKey, UnicodeAndPunycodeGiveOneKey) {
  EXPECT_EQ(Key("例子.中国"), "xn--fsqu00a.xn--fiqs8s");
  EXPECT_EQ(Key("www.例子.中国"), "xn--fsqu00a.xn--fiqs8s");
  EXPECT_EQ(Key("xn--fsqu00a.xn--fiqs8s"), "xn--fsqu00a.xn--fiqs8s");
  EXPECT_EQ(Key("WWW.XN--FSQU00A.XN--FIQS8S"), "xn--fsqu00a.xn--fiqs8s");
  auto k = PublicLookupKey("xn--fsqu00a.xn--fiqs8s");
  ASSERT_TRUE(k);
  EXPECT_EQ(k->unicode, "例子.中国");
}

TEST(PublicLookupKey, BadInputIsRefusedWithItsCode) {
  EXPECT_EQ(Key(""), "error:required");
  EXPECT_EQ(Key("   "), "error:required");
  EXPECT_EQ(Key("not a domain"), "error:domain_invalid");
  EXPECT_EQ(Key("192.168.1.1"), "error:domain_ip_address");
  EXPECT_EQ(Key("::1"), "error:domain_ip_address");
  EXPECT_EQ(Key("[2001:db8::1]"), "error:domain_ip_address");
  EXPECT_EQ(Key("http://example.com/"), "error:domain_invalid");
  EXPECT_EQ(Key(std::string(64, 'a') + ".com"), "error:domain_label_too_long");
  EXPECT_EQ(Key("www." + std::string(70, 'b') + ".example.cn"), "error:domain_label_too_long");
  EXPECT_EQ(Key("xn--zz-invalid.com"), "error:domain_punycode_invalid");
  EXPECT_EQ(Key("www.xn--.cn"), "error:domain_punycode_invalid");
  EXPECT_EQ(Key(std::string(300, 'a') + ".cn"), "error:domain_too_long");
  EXPECT_EQ(Key(std::string(2000, 'a')), "error:domain_too_long");
  EXPECT_EQ(Key("a..b.cn"), "error:domain_invalid");
  EXPECT_EQ(Key("com.cn"), "error:domain_is_public_suffix");
  // Mixed scripts in one label (a Cyrillic "а" in a Latin name; Greek with Latin), in Unicode
  // or punycode; Chinese with Latin and digits is a real name.
  EXPECT_EQ(Key("\xD0\xB0pple.com"), "error:domain_mixed_script");
  EXPECT_EQ(Key("xn--pple-43d.com"), "error:domain_mixed_script");
  EXPECT_EQ(Key("www.p\xCE\xB1ypal.cn"), "error:domain_mixed_script");
  EXPECT_EQ(Key("北京abc123.cn"), "xn--abc123-om8ir51a.cn");
  EXPECT_EQ(Key("例子.中国"), "xn--fsqu00a.xn--fiqs8s");
  EXPECT_EQ(Key("пример.рф"), "xn--e1afmkfd.xn--p1ai");
  EXPECT_EQ(Key("中国"), "error:domain_is_public_suffix");
  auto e = PublicLookupKey("bad domain", "domains[3]");
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().code, core::ErrorCode::kValidationFailed);
  EXPECT_EQ(e.error().details.at(0).field, "domains[3]");
}

}  // namespace
}  // namespace beian::domain
