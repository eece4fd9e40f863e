// Unit tests of PublicLookupKey: every form of a name reaches the key of its registrable domain.
#include "domain/public_lookup.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

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

// FastLookupKey answers what PublicLookupKey answers wherever it answers, and leaves the rest.
TEST(FastLookupKey, AgreesWithTheFullPathOrDefersToIt) {
  const std::vector<std::string> inputs{
      "example.com.cn",
      "www.example.com.cn",
      "a.b.c.example.com.cn",
      "WWW.Example.COM.",
      "example.cn",
      "sub.example.org.cn",
      "x.gov.cn",
      "foo.bar.baz.qux.co.uk",
      "a-b.cn",
      "123.cn",
      "a1.123",
      "1.2.3.4",
      "-a.cn",
      "a-.cn",
      "a..cn",
      ".a.cn",
      "a.cn..",
      "com.cn",
      "cn",
      "中国",
      "例子.中国",
      "xn--fsqu00a.xn--fiqs8s",
      "www.xn--fsqu00a.xn--fiqs8s",
      "XN--FSQU00A.XN--FIQS8S",
      "xn--zz-invalid.com",
      " example.cn",
      "example.cn ",
      "a b.cn",
      "http://example.cn",
      "example.cn/",
      "ex_ample.cn",
      "exa$mple.cn",
      "www．example．cn",
      std::string(63, 'a') + ".cn",
      std::string(64, 'a') + ".cn",
      std::string(60, 'a') + "." + std::string(60, 'b') + "." + std::string(60, 'c') + "." +
          std::string(60, 'd') + ".cn",
      std::string(63, 'a') + "." + std::string(63, 'b') + "." + std::string(63, 'c') + "." +
          std::string(63, 'd') + ".cn",
      "ab--cd.cn",
      "a.unknowntld",
      "example.com.unknowntld",
      "s3.amazonaws.com",
      "user.github.io",
      "nf-xn--fsqu00a.cn",
      "xn--.cn",
      "XN--abc.cn",
      "x.y"};
  int fast = 0;
  for (const std::string& in : inputs) {
    auto f = FastLookupKey(in);
    auto full = PublicLookupKey(in);
    if (!f) continue;
    ++fast;
    ASSERT_TRUE(full) << in << ": fast answered " << f->ascii << ", the full path "
                      << full.error().details.at(0).code;
    EXPECT_EQ(f->ascii, full->ascii) << in;
    EXPECT_EQ(f->unicode, full->unicode) << in;
  }
  EXPECT_GE(fast, 15);
  EXPECT_FALSE(FastLookupKey("例子.中国"));
  EXPECT_FALSE(FastLookupKey("xn--fsqu00a.xn--fiqs8s"));
  EXPECT_FALSE(FastLookupKey("com.cn"));
  EXPECT_FALSE(FastLookupKey("1.2.3.4"));
  EXPECT_EQ(FastLookupKey("WWW.Example.COM.")->ascii, "example.com");
  // Registrable A-labels on request: the key, without its Unicode form; A-labels below the
  // registrable domain still take the full path.
  auto a = FastLookupKey("WWW.XN--FSQU00A.XN--FIQS8S.", /*a_labels=*/true);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->ascii, "xn--fsqu00a.xn--fiqs8s");
  EXPECT_EQ(a->unicode, "");
  EXPECT_FALSE(FastLookupKey("xn--fsqu00a.example.cn", true));
  EXPECT_EQ(FastLookupKey("www.example.cn", true)->unicode, "example.cn");
  EXPECT_FALSE(FastLookupKey("xn--fiqs8s", true));  // a public suffix
}

}  // namespace
}  // namespace beian::domain
