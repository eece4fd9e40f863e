// Tests of the MIME builder: encoded words, parts, headers.
#include "notify/mime.h"

#include <gtest/gtest.h>

#include "core/crypto.h"

namespace beian::notify {
namespace {

TEST(MimeTest, AsciiHeadersStayPlainAndUtf8IsEncodedInWordsOfAtMost75) {
  ASSERT_TRUE(core::InitCrypto());
  EXPECT_EQ(EncodeHeaderWord("Hello"), "Hello");
  EXPECT_EQ(EncodeHeaderWord("备案"), "=?UTF-8?B?5aSH5qGI?=");
  const std::string long_subject(40, 'a');
  std::string zh;
  for (int i = 0; i < 30; ++i) zh += "备";
  const std::string words = EncodeHeaderWord(long_subject + zh);
  size_t start = 0;
  int count = 0;
  while (start < words.size()) {
    size_t end = words.find("\r\n ", start);
    if (end == std::string::npos) end = words.size();
    const std::string w = words.substr(start, end - start);
    EXPECT_LE(w.size(), 75u) << w;
    EXPECT_TRUE(w.starts_with("=?UTF-8?B?") && w.ends_with("?=")) << w;
    ++count;
    start = end + 3;
  }
  EXPECT_GT(count, 1);
}

TEST(MimeTest, BuildsMultipartAlternativeWithHeaders) {
  ASSERT_TRUE(core::InitCrypto());
  const std::string m = BuildMimeMessage({.from = "备案服务 <noreply@beian.test>",
                                          .to = "a@example.com",
                                          .subject = "初审通过",
                                          .text = "第一行\n第二行",
                                          .html = "<p>hi</p>",
                                          .message_id = "abc@beian.test",
                                          .date_unix_ms = 1'796'574'600'000,
                                          .boundary = "BOUNDARY"});
  EXPECT_NE(m.find("From: =?UTF-8?B?"), std::string::npos);
  EXPECT_NE(m.find(" <noreply@beian.test>\r\n"), std::string::npos);
  EXPECT_NE(m.find("To: a@example.com\r\n"), std::string::npos);
  EXPECT_NE(m.find("Subject: =?UTF-8?B?5Yid5a6h6YCa6L+H?=\r\n"), std::string::npos);
  EXPECT_NE(m.find("Message-ID: <abc@beian.test>\r\n"), std::string::npos);
  EXPECT_NE(m.find("Date: Sun, 06 Dec 2026 16:30:00 +0000\r\n"), std::string::npos);
  EXPECT_NE(m.find("Content-Type: multipart/alternative; boundary=\"BOUNDARY\""),
            std::string::npos);
  EXPECT_NE(m.find("--BOUNDARY\r\nContent-Type: text/plain; charset=UTF-8"), std::string::npos);
  EXPECT_NE(m.find("--BOUNDARY\r\nContent-Type: text/html; charset=UTF-8"), std::string::npos);
  EXPECT_NE(m.find(Base64("第一行\r\n第二行")), std::string::npos);
  EXPECT_NE(m.find(Base64("<p>hi</p>")), std::string::npos);
  EXPECT_TRUE(m.ends_with("--BOUNDARY--\r\n"));
  EXPECT_EQ(m.find("\n\n"), std::string::npos);  // every line end is CRLF
}

TEST(MimeTest, Addresses) {
  EXPECT_EQ(DomainOf("Name <a@b.cn>"), "b.cn");
  EXPECT_EQ(DomainOf("a@c.cn"), "c.cn");
  EXPECT_EQ(DomainOf("nobody"), "localhost");
  EXPECT_EQ(BareAddress("Name <a@b.cn>"), "a@b.cn");
}

}  // namespace
}  // namespace beian::notify
