// Tests of multipart/form-data parsing: browser-shaped bodies, binary data, quoting, and the
// malformed bodies a hostile client can send.
#include "http/multipart.h"

#include <gtest/gtest.h>

namespace beian::http {
namespace {

const std::string kType = "multipart/form-data; boundary=----WebKitFormBoundaryABC123";

std::string Body(const std::string& binary) {
  return "------WebKitFormBoundaryABC123\r\n"
         "Content-Disposition: form-data; name=\"kind\"\r\n\r\n"
         "business_license\r\n"
         "------WebKitFormBoundaryABC123\r\n"
         "Content-Disposition: form-data; name=\"file\"; filename=\"营业执照 (1).png\"\r\n"
         "Content-Type: image/png\r\n\r\n" +
         binary + "\r\n------WebKitFormBoundaryABC123--\r\n";
}

TEST(MultipartTest, BrowserShapedBody) {
  std::string binary("\x89PNG\r\n\x1a\n\0\0\r\n--not-a-boundary", 27);
  std::string body = Body(binary);
  auto parts = ParseMultipartBody(kType, body);
  ASSERT_TRUE(parts.ok()) << parts.error().message;
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].name, "kind");
  EXPECT_EQ((*parts)[0].data, "business_license");
  EXPECT_FALSE((*parts)[0].filename.has_value());
  EXPECT_EQ((*parts)[0].content_type, "text/plain");
  const MultipartPart* file = FindPart(*parts, "file");
  ASSERT_NE(file, nullptr);
  EXPECT_EQ(file->filename, "营业执照 (1).png");
  EXPECT_EQ(file->content_type, "image/png");
  EXPECT_EQ(file->data, binary);
  EXPECT_EQ(FindPart(*parts, "nope"), nullptr);
}

TEST(MultipartTest, ViaRequestAndQuotedBoundary) {
  Request r;
  r.headers.emplace_back("Content-Type", "multipart/form-data; boundary=\"a b\"");
  r.body =
      "preamble\r\n--a b\r\nContent-Disposition: form-data; name=\"x\\\"y\"\r\n\r\n1\r\n--a b--";
  auto parts = ParseMultipart(r);
  ASSERT_TRUE(parts.ok()) << parts.error().message;
  ASSERT_EQ(parts->size(), 1u);
  EXPECT_EQ((*parts)[0].name, "x\"y");
  EXPECT_EQ((*parts)[0].data, "1");
}

TEST(MultipartTest, EmptyFormAndEmptyPart) {
  auto none = ParseMultipartBody("multipart/form-data; boundary=b", "--b--\r\n");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  auto empty = ParseMultipartBody("multipart/form-data; boundary=b",
                                  "--b\r\nContent-Disposition: form-data; name=f\r\n\r\n\r\n--b--");
  ASSERT_TRUE(empty.ok()) << empty.error().message;
  EXPECT_EQ((*empty)[0].data, "");
}

TEST(MultipartTest, WrongContentTypeIs415) {
  for (const char* ct :
       {"application/json", "multipart/form-data", "multipart/mixed; boundary=b", ""}) {
    auto r = ParseMultipartBody(ct, "--b--");
    ASSERT_FALSE(r.ok()) << ct;
    EXPECT_EQ(r.error().code, core::ErrorCode::kUnsupportedMediaType) << ct;
  }
}

TEST(MultipartTest, MalformedBodiesAre400) {
  const std::string ct = "multipart/form-data; boundary=b";
  const char* bad[] = {
      "",
      "no boundary here",
      "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nunterminated",
      "--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--",            // no name
      "--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--",                  // no disposition
      "--b\r\nContent-Disposition: attachment; name=a\r\n\r\nx\r\n--b--",   // not form-data
      "--b\r\nContent-Disposition: form-data; name=\"a\r\n\r\nx\r\n--b--",  // open quote
      "--bXContent-Disposition: form-data; name=a\r\n\r\nx\r\n--b--",       // bad delimiter
      "--b\r\nbroken header line\r\n\r\nx\r\n--b--",
  };
  for (const char* body : bad) {
    auto r = ParseMultipartBody(ct, body);
    ASSERT_FALSE(r.ok()) << body;
    EXPECT_EQ(r.error().code, core::ErrorCode::kBadRequest) << body;
  }
}

TEST(MultipartTest, Limits) {
  std::string body;
  for (int i = 0; i < 5; ++i) body += "--b\r\nContent-Disposition: form-data; name=p\r\n\r\nx\r\n";
  body += "--b--";
  EXPECT_TRUE(ParseMultipartBody("multipart/form-data; boundary=b", body).ok());
  EXPECT_FALSE(ParseMultipartBody("multipart/form-data; boundary=b", body, {.max_parts = 4}).ok());
  std::string big =
      "--b\r\nContent-Disposition: form-data; name=p\r\nX-Pad: " + std::string(10000, 'x') +
      "\r\n\r\nx\r\n--b--";
  EXPECT_FALSE(ParseMultipartBody("multipart/form-data; boundary=b", big).ok());
}

}  // namespace
}  // namespace beian::http
