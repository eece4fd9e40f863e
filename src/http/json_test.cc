// Tests of JSON body parsing (content type, malformed bodies) and JSON responses; the reader's
// own tests are in core/json_reader_test.cc.
#include "http/json.h"

#include <gtest/gtest.h>

#include <type_traits>

namespace beian::http {
namespace {

Request JsonRequest(std::string content_type, std::string body) {
  Request r;
  r.method = "POST";
  r.headers.emplace_back("Content-Type", std::move(content_type));
  r.body = std::move(body);
  return r;
}

TEST(JsonTest, ContentTypeMustBeJson) {
  auto r = ParseJsonObject(JsonRequest("text/plain", "{}"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, core::ErrorCode::kUnsupportedMediaType);
  Request none;
  none.body = "{}";
  EXPECT_EQ(ParseJsonObject(none).error().code, core::ErrorCode::kUnsupportedMediaType);
  EXPECT_TRUE(ParseJsonObject(JsonRequest("Application/JSON; charset=utf-8", "{}")).ok());
  EXPECT_FALSE(ParseJsonObject(JsonRequest("application/jsonx", "{}")).ok());
}

TEST(JsonTest, MalformedOrNonObjectIsInvalidJson) {
  for (const char* body : {"{", "", "[1]", "\"x\"", "{\"a\":1}x", "{'a':1}"}) {
    auto r = ParseJsonObject(JsonRequest("application/json", body));
    ASSERT_FALSE(r.ok()) << body;
    EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidJson) << body;
  }
}

TEST(JsonTest, ObjectReaderIsTheCoreReader) {
  // Routes written against the older name keep compiling and behave as core::JsonReader.
  static_assert(std::is_same_v<ObjectReader, core::JsonReader>);
  auto r = ParseJsonObject(JsonRequest("application/json", R"({"a":1})"));
  ASSERT_TRUE(r.ok());
  ObjectReader reader(*r);
  EXPECT_EQ(reader.RequiredInt("a"), 1);
  EXPECT_TRUE(reader.Finish().ok());
}

TEST(JsonTest, JsonResponseSerializes) {
  Response r = JsonResponse(boost::json::object{{"a", 1}}, 201);
  EXPECT_EQ(r.status, 201u);
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_EQ(r.body, R"({"a":1})");
}

}  // namespace
}  // namespace beian::http
