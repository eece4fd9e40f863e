// Unit tests of PublicLookupKey: every form of a name reaches the key of its registrable domain.
#include "domain/public_lookup.h"

#include <gtest/gtest.h>
#include <idn2.h>
#include <libpsl.h>

#include <fstream>
#include <string>
#include <vector>

#include "domain/domain_name.h"

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

// PublicSuffixView answers PublicSuffixOf (libpsl) for names under every rule of the list —
// ICANN and private, wildcards ("*.kawasaki.jp") and their exceptions ("!city.kawasaki.jp"),
// multi-label suffixes (.com.cn, .gov.cn), IDN TLDs (政务, 中国) — at every depth.
TEST(PublicSuffixView, AgreesWithLibpslUnderEveryRule) {
  ASSERT_TRUE(PublicSuffixTableInUse()) << psl_builtin_filename();
  std::ifstream in(psl_builtin_filename());
  ASSERT_TRUE(in);
  std::vector<std::string> names{"example.com.cn",   "www.example.gov.cn",
                                 "a.b.c.d.cn",       "x.unknowntld",
                                 "a.b.unknowntld",   "cn",
                                 "com.cn",           "www.ck",
                                 "a.www.ck",         "x.y.ck",
                                 "city.kawasaki.jp", "www.city.kawasaki.jp",
                                 "a.b.kawasaki.jp",  "s3.amazonaws.com",
                                 "user.github.io"};
  std::string line;
  int rules = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line.starts_with("//")) continue;
    std::string rule = line.substr(0, line.find_first_of(" \t\r"));
    if (rule.starts_with("!")) rule.erase(0, 1);
    if (rule.starts_with("*.")) rule.replace(0, 1, "zz9");
    char* ascii = nullptr;
    if (idn2_to_ascii_8z(rule.c_str(), &ascii, IDN2_NONTRANSITIONAL) != IDN2_OK) continue;
    const std::string r = ascii;
    idn2_free(ascii);
    ++rules;
    for (const char* prefix : {"", "a.", "b-2.a.", "www.b-2.a."}) names.push_back(prefix + r);
  }
  EXPECT_GT(rules, 5000);
  for (const std::string& name : names) {
    ASSERT_EQ(PublicSuffixView(name), PublicSuffixOf(name)) << name;
  }
  EXPECT_EQ(PublicSuffixView("www.example.com.cn"), "com.cn");
  EXPECT_EQ(PublicSuffixView("a.xn--fiqs8s"), "xn--fiqs8s");        // 中国
  EXPECT_EQ(PublicSuffixView("www.a.xn--zfr164b"), "xn--zfr164b");  // 政务
  EXPECT_EQ(PublicSuffixView("www.a.gov.cn"), "gov.cn");
  EXPECT_EQ(PublicSuffixView("www.city.kawasaki.jp"), "kawasaki.jp");
  EXPECT_EQ(PublicSuffixView("www.x.kawasaki.jp"), "x.kawasaki.jp");
}

// Names under an IDN suffix, plain below it (the not-filed twins of filed IDN names): the
// per-suffix Unicode form gives PublicLookupKey's key, for every IDN rule of the list.
TEST(SuffixIdnKey, AgreesWithPublicLookupKey) {
  std::ifstream in(psl_builtin_filename());
  ASSERT_TRUE(in);
  std::vector<std::string> suffixes{"xn--fiqs8s",  "xn--fiq64b",     "xn--io0a7i.cn",
                                    "xn--zfr164b", "xn--zz-invalid", "xn--p1ai"};
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line.starts_with("//")) continue;
    std::string rule = line.substr(0, line.find_first_of(" \t\r"));
    if (rule.starts_with("!") || rule.starts_with("*.")) continue;
    char* ascii = nullptr;
    if (idn2_to_ascii_8z(rule.c_str(), &ascii, IDN2_NONTRANSITIONAL) != IDN2_OK) continue;
    const std::string r = ascii;
    idn2_free(ascii);
    if (r.find("xn--") != std::string::npos) suffixes.push_back(r);
  }
  EXPECT_GT(suffixes.size(), 300u);
  int shortcut = 0;
  for (const std::string& suffix : suffixes) {
    for (const char* label : {"nf-shop", "abc", "1abc", "a1", "ab--cd", "x"}) {
      for (const char* sub : {"", "www.", "1.", "WWW.Sub-2."}) {
        const std::string name = std::string(sub) + label + "." + suffix;
        char buf[kFastKeyBuffer];
        auto view = FastLookupKeyView(name, buf, /*a_labels=*/true);
        if (!view) continue;
        auto full = PublicLookupKey(name);
        auto fast = SuffixIdnKey(*view);
        if (!fast) continue;
        ++shortcut;
        ASSERT_TRUE(full) << name << ": " << full.error().details.at(0).code;
        EXPECT_EQ(fast->ascii, full->ascii) << name;
        EXPECT_EQ(fast->unicode, full->unicode) << name;
      }
    }
  }
  EXPECT_GT(shortcut, 1000);
  auto idn = [](std::string_view name) {
    char b[kFastKeyBuffer];
    auto view = FastLookupKeyView(name, b, /*a_labels=*/true);
    return view ? SuffixIdnKey(*view) : std::nullopt;
  };
  EXPECT_FALSE(idn("xn--fsqu00a.xn--fiqs8s"));  // an A-label first: the full path
  EXPECT_FALSE(idn("abc.xn--zz-invalid"));      // IDNA refuses the suffix
  EXPECT_FALSE(idn("ab--cd.x.xn--fiqs8s"));     // a reserved label
  EXPECT_EQ(idn("www.NF-abc.xn--fiqs8s")->unicode, "nf-abc.中国");
}

// The view form answers what FastLookupKey answers (which the test above holds to the full path).
TEST(FastLookupKeyView, AgreesWithFastLookupKey) {
  for (const char* in :
       {"WWW.Example.COM.CN.", "a.b.c.example.gov.cn", "x.y", "www.xn--fsqu00a.xn--fiqs8s",
        "xn--fsqu00a.example.cn", "com.cn", "1.2.3.4", "a..cn", "-a.cn", "exa$mple.cn",
        "nf-example.cn", "sub.x.kawasaki.jp"}) {
    for (bool a_labels : {false, true}) {
      char buf[kFastKeyBuffer];
      auto view = FastLookupKeyView(in, buf, a_labels);
      auto key = FastLookupKey(in, a_labels);
      ASSERT_EQ(view.has_value(), key.has_value()) << in;
      if (!view) continue;
      EXPECT_EQ(view->ascii, key->ascii) << in;
      EXPECT_EQ(view->a_labels, key->unicode.empty()) << in;
    }
  }
  char buf[kFastKeyBuffer];
  EXPECT_FALSE(FastLookupKeyView(std::string(254, 'a'), buf));
}

}  // namespace
}  // namespace beian::domain
