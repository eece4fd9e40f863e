// Tests of JSON body parsing and the strict ObjectReader.
#include "http/json.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace beian::http {
namespace {

boost::json::object Obj(std::string_view text) { return boost::json::parse(text).as_object(); }

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

TEST(ObjectReaderTest, ReadsAllKinds) {
  auto o = Obj(R"({"s":"x","i":-5,"u":7,"d":1.5,"b":true,"arr":["a","b"],
                 "o":{"n":"y"},"list":[{"k":1},{"k":2}],"nul":null})");
  ObjectReader r(o);
  EXPECT_EQ(r.RequiredString("s"), "x");
  EXPECT_EQ(r.RequiredInt("i"), -5);
  EXPECT_EQ(r.OptionalInt("u"), 7);
  EXPECT_DOUBLE_EQ(r.RequiredNumber("d"), 1.5);
  EXPECT_TRUE(r.RequiredBool("b"));
  EXPECT_EQ(r.RequiredStringArray("arr"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(r.RequiredObject("o").RequiredString("n"), "y");
  auto list = r.RequiredObjectArray("list");
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[1]->RequiredInt("k"), 2);
  EXPECT_EQ(list[0]->RequiredInt("k"), 1);
  EXPECT_FALSE(r.OptionalString("nul").has_value());
  EXPECT_FALSE(r.OptionalString("absent").has_value());
  EXPECT_TRUE(r.Finish().ok());
}

TEST(ObjectReaderTest, WrongTypeNamesTheField) {
  auto o = Obj(R"({"email":5,"org":{"age":"x"}})");
  ObjectReader r(o);
  r.RequiredString("email");
  r.RequiredObject("org").OptionalInt("age");
  auto s = r.Finish();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, core::ErrorCode::kValidationFailed);
  ASSERT_EQ(s.error().details.size(), 2u);
  EXPECT_EQ(s.error().details[0].field, "email");
  EXPECT_EQ(s.error().details[0].code, "wrong_type");
  EXPECT_EQ(s.error().details[1].field, "org.age");
  EXPECT_EQ(s.error().details[1].code, "wrong_type");
}

TEST(ObjectReaderTest, MissingRequiredField) {
  auto o = Obj(R"({"a":null})");
  ObjectReader r(o);
  r.RequiredString("a");
  r.RequiredBool("b");
  ObjectReader& missing = r.RequiredObject("c");
  missing.RequiredString("inner");  // no extra detail: the parent is missing
  auto s = r.Finish();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, core::ErrorCode::kValidationFailed);
  ASSERT_EQ(s.error().details.size(), 3u);
  EXPECT_EQ(s.error().details[0].field, "a");
  EXPECT_EQ(s.error().details[0].code, "required");
  EXPECT_EQ(s.error().details[1].field, "b");
  EXPECT_EQ(s.error().details[2].field, "c");
}

TEST(ObjectReaderTest, UnknownFieldsAnywhere) {
  auto o = Obj(R"({"a":"x","extra":1,"o":{"k":1,"zz":2},"l":[{"k":1,"yy":3}]})");
  ObjectReader r(o);
  r.RequiredString("a");
  r.RequiredObject("o").RequiredInt("k");
  for (ObjectReader* e : r.RequiredObjectArray("l")) e->RequiredInt("k");
  auto s = r.Finish();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, core::ErrorCode::kUnknownField);
  ASSERT_EQ(s.error().details.size(), 3u);
  EXPECT_EQ(s.error().details[0].field, "extra");
  EXPECT_EQ(s.error().details[1].field, "o.zz");
  EXPECT_EQ(s.error().details[2].field, "l[0].yy");
  EXPECT_EQ(s.error().details[0].code, "unknown_field");
}

TEST(ObjectReaderTest, ArrayElementOfWrongType) {
  auto o = Obj(R"({"tags":["a",1],"l":[1]})");
  ObjectReader r(o);
  r.RequiredStringArray("tags");
  r.RequiredObjectArray("l");
  auto s = r.Finish();
  ASSERT_FALSE(s.ok());
  ASSERT_EQ(s.error().details.size(), 2u);
  EXPECT_EQ(s.error().details[0].field, "tags[1]");
  EXPECT_EQ(s.error().details[1].field, "l[0]");
}

TEST(ObjectReaderTest, IntegersAreStrict) {
  auto o = Obj(R"({"a":1.5,"b":18446744073709551615,"c":"1"})");
  ObjectReader r(o);
  r.OptionalInt("a");
  r.OptionalInt("b");
  r.OptionalInt("c");
  auto s = r.Finish();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().details.size(), 3u);
}

TEST(ObjectReaderTest, CallerProblems) {
  auto o = Obj(R"({"n":"123"})");
  ObjectReader r(o);
  r.RequiredString("n");
  r.AddProblem("n", "checksum_mismatch", "bad check digit");
  auto s = r.Finish();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().details[0].code, "checksum_mismatch");
}

TEST(JsonTest, JsonResponseSerializes) {
  Response r = JsonResponse(boost::json::object{{"a", 1}}, 201);
  EXPECT_EQ(r.status, 201u);
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_EQ(r.body, R"({"a":1})");
}

}  // namespace
}  // namespace beian::http
