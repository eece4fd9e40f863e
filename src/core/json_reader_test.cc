// Tests of the strict JSON reader: every kind of member, wrong types, missing and unknown
// members anywhere, the cap on collected problems, and the messages that name the first one.
#include "core/json_reader.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string>

namespace beian::core {
namespace {

boost::json::object Obj(std::string_view text) { return boost::json::parse(text).as_object(); }

TEST(JsonReaderTest, ParseJsonObjectText) {
  EXPECT_TRUE(ParseJsonObjectText("{}").ok());
  for (const char* body : {"{", "", "[1]", "\"x\"", "{\"a\":1}x", "{'a':1}"}) {
    auto r = ParseJsonObjectText(body);
    ASSERT_FALSE(r.ok()) << body;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidJson) << body;
  }
}

TEST(JsonReaderTest, ReadsAllKinds) {
  auto o = Obj(R"({"s":"x","i":-5,"u":7,"d":1.5,"b":true,"arr":["a","b"],
                 "o":{"n":"y"},"list":[{"k":1},{"k":2}],"nul":null})");
  JsonReader r(o);
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

TEST(JsonReaderTest, WrongTypeNamesTheField) {
  auto o = Obj(R"({"email":5,"org":{"age":"x"}})");
  JsonReader r(o);
  r.RequiredString("email");
  r.RequiredObject("org").OptionalInt("age");
  auto s = r.Finish();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kValidationFailed);
  ASSERT_EQ(s.error().details.size(), 2u);
  EXPECT_EQ(s.error().details[0].field, "email");
  EXPECT_EQ(s.error().details[0].code, "wrong_type");
  EXPECT_EQ(s.error().details[1].field, "org.age");
  EXPECT_EQ(s.error().details[1].code, "wrong_type");
}

TEST(JsonReaderTest, MissingRequiredField) {
  auto o = Obj(R"({"a":null})");
  JsonReader r(o);
  r.RequiredString("a");
  r.RequiredBool("b");
  JsonReader& missing = r.RequiredObject("c");
  missing.RequiredString("inner");  // no extra detail: the parent is missing
  auto s = r.Finish();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kValidationFailed);
  ASSERT_EQ(s.error().details.size(), 3u);
  EXPECT_EQ(s.error().details[0].field, "a");
  EXPECT_EQ(s.error().details[0].code, "required");
  EXPECT_EQ(s.error().details[1].field, "b");
  EXPECT_EQ(s.error().details[2].field, "c");
}

TEST(JsonReaderTest, UnknownFieldsAnywhere) {
  auto o = Obj(R"({"a":"x","extra":1,"o":{"k":1,"zz":2},"l":[{"k":1,"yy":3}]})");
  JsonReader r(o);
  r.RequiredString("a");
  r.RequiredObject("o").RequiredInt("k");
  for (JsonReader* e : r.RequiredObjectArray("l")) e->RequiredInt("k");
  auto s = r.Finish();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kUnknownField);
  ASSERT_EQ(s.error().details.size(), 3u);
  EXPECT_EQ(s.error().details[0].field, "extra");
  EXPECT_EQ(s.error().details[1].field, "o.zz");
  EXPECT_EQ(s.error().details[2].field, "l[0].yy");
  EXPECT_EQ(s.error().details[0].code, "unknown_field");
}

TEST(JsonReaderTest, ArrayElementOfWrongType) {
  auto o = Obj(R"({"tags":["a",1],"l":[1]})");
  JsonReader r(o);
  r.RequiredStringArray("tags");
  r.RequiredObjectArray("l");
  auto s = r.Finish();
  ASSERT_FALSE(s.ok());
  ASSERT_EQ(s.error().details.size(), 2u);
  EXPECT_EQ(s.error().details[0].field, "tags[1]");
  EXPECT_EQ(s.error().details[1].field, "l[0]");
}

TEST(JsonReaderTest, IntegersAreStrict) {
  auto o = Obj(R"({"a":1.5,"b":18446744073709551615,"c":"1"})");
  JsonReader r(o);
  r.OptionalInt("a");
  r.OptionalInt("b");
  r.OptionalInt("c");
  auto s = r.Finish();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().details.size(), 3u);
}

TEST(JsonReaderTest, CallerProblems) {
  auto o = Obj(R"({"n":"123"})");
  JsonReader r(o);
  r.RequiredString("n");
  r.AddProblem("n", "checksum_mismatch", "bad check digit");
  auto s = r.Finish();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().details[0].code, "checksum_mismatch");
}

TEST(JsonReaderTest, MessageNamesTheFirstProblem) {
  auto o = Obj(R"({"subjects":[{"certificate_number":5}]})");
  JsonReader r(o);
  for (JsonReader* s : r.RequiredObjectArray("subjects")) s->OptionalString("certificate_number");
  auto s = r.Finish();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message, "subjects[0].certificate_number must be a string");

  auto u = Obj(R"({"websites":[{"phone":"1"}],"x":1})");
  JsonReader ru(u);
  for (JsonReader* w : ru.RequiredObjectArray("websites")) w->OptionalString("name");
  auto su = ru.Finish();
  ASSERT_FALSE(su.ok());
  EXPECT_EQ(su.error().message, "unknown field x (and 1 more unknown fields)");
  EXPECT_EQ(su.error().details_total, 2u);
}

TEST(JsonReaderTest, NonEmptyStrings) {
  auto o = Obj(R"({"a":"","b":"x","c":3})");
  JsonReader r(o);
  EXPECT_EQ(r.RequiredNonEmptyString("a"), "");
  EXPECT_EQ(r.RequiredNonEmptyString("b"), "x");
  EXPECT_EQ(r.RequiredNonEmptyString("c"), "");
  EXPECT_EQ(r.RequiredNonEmptyString("d"), "");
  auto s = r.Finish();
  ASSERT_FALSE(s.ok());
  ASSERT_EQ(s.error().details.size(), 3u);
  EXPECT_EQ(s.error().details[0].field, "a");
  EXPECT_EQ(s.error().details[0].code, "required");
  EXPECT_EQ(s.error().details[1].field, "c");
  EXPECT_EQ(s.error().details[1].code, "wrong_type");
  EXPECT_EQ(s.error().details[2].field, "d");
  EXPECT_EQ(s.error().details[2].code, "required");
}

TEST(JsonReaderTest, IntegerRange) {
  auto o = Obj(R"({"a":2147483647,"b":2147483648,"c":-1})");
  JsonReader r(o);
  EXPECT_EQ(r.OptionalInt("a", INT32_MIN, INT32_MAX), 2147483647);
  EXPECT_EQ(r.OptionalInt("b", INT32_MIN, INT32_MAX), std::nullopt);
  EXPECT_EQ(r.RequiredInt("c", 0, 10), 0);
  auto s = r.Finish();
  ASSERT_FALSE(s.ok());
  ASSERT_EQ(s.error().details.size(), 2u);
  EXPECT_EQ(s.error().details[0].field, "b");
  EXPECT_EQ(s.error().details[0].message, "must be an integer from -2147483648 to 2147483647");
  EXPECT_EQ(s.error().details[1].field, "c");
}

TEST(JsonReaderTest, StringMap) {
  auto o = Obj(R"({"sns":{"a.com":"x","b.com":null,"c.com":2},"bad":[]})");
  JsonReader r(o);
  EXPECT_EQ(r.OptionalStringMap("sns"), std::nullopt);
  EXPECT_EQ(r.OptionalStringMap("bad"), std::nullopt);
  EXPECT_EQ(r.OptionalStringMap("absent"), std::nullopt);
  auto s = r.Finish();
  ASSERT_FALSE(s.ok());
  ASSERT_EQ(s.error().details.size(), 2u);
  EXPECT_EQ(s.error().details[0].field, "sns.c.com");
  EXPECT_EQ(s.error().details[1].field, "bad");

  auto good = Obj(R"({"sns":{"a.com":"x","b.com":null}})");
  JsonReader rg(good);
  auto m = rg.OptionalStringMap("sns");
  ASSERT_TRUE(m.has_value());
  ASSERT_EQ(m->size(), 1u);
  EXPECT_EQ((*m)[0], (std::pair<std::string, std::string>{"a.com", "x"}));
  EXPECT_TRUE(rg.Finish().ok());
}

TEST(JsonReaderTest, ProblemAtTheReadersOwnPath) {
  auto o = Obj(R"({"open_orders":[{}]})");
  JsonReader r(o);
  for (JsonReader* e : r.RequiredObjectArray("open_orders")) {
    e->AddProblem("", "invalid_value", "must name exactly one of a and b");
  }
  auto s = r.Finish();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().details[0].field, "open_orders[0]");
  EXPECT_EQ(s.error().message, "open_orders[0] must name exactly one of a and b");
}

// Issue 6 item 2: a body of many distinct unknown keys answered with every key, twice.
TEST(JsonReaderTest, UnknownFieldsAreCappedAndCounted) {
  const std::size_t kKeys = 100000;
  boost::json::object o;
  o.reserve(kKeys + 1);
  o["email"] = "a@b.c";
  for (std::size_t i = 0; i < kKeys; ++i) o["k" + std::to_string(i)] = 1;
  JsonReader r(o);
  r.RequiredString("email");
  auto s = r.Finish();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kUnknownField);
  EXPECT_EQ(s.error().details.size(), kMaxJsonProblems);
  EXPECT_EQ(s.error().details_total, kKeys);
  EXPECT_EQ(s.error().details.front().field, "k0");
  EXPECT_EQ(s.error().details.back().field, "k19");
  EXPECT_LT(s.error().message.size(), 100u);
  EXPECT_NE(s.error().message.find("99999 more"), std::string::npos);
}

TEST(JsonReaderTest, UnknownFieldsCapCountsNestedReaders) {
  boost::json::object o;
  boost::json::object inner;
  for (int i = 0; i < 15; ++i) o["t" + std::to_string(i)] = 1;
  for (int i = 0; i < 15; ++i) inner["n" + std::to_string(i)] = 1;
  o["org"] = inner;
  JsonReader r(o);
  r.OptionalObject("org");
  auto s = r.Finish();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().details.size(), kMaxJsonProblems);
  EXPECT_EQ(s.error().details_total, 30u);
  EXPECT_EQ(s.error().details[15].field, "org.n0");
}

TEST(JsonReaderTest, InvalidValuesAreCappedAndCounted) {
  boost::json::object o;
  boost::json::array list;
  for (int i = 0; i < 50; ++i) list.emplace_back(i);
  o["items"] = list;
  JsonReader r(o);
  auto items = r.RequiredObjectArray("items");
  EXPECT_EQ(items.size(), 50u);
  for (int i = 0; i < 5; ++i) r.AddProblem("x", "mine", "is mine");
  auto s = r.Finish();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kValidationFailed);
  EXPECT_EQ(s.error().details.size(), kMaxJsonProblems);
  EXPECT_EQ(s.error().details_total, 55u);
  EXPECT_EQ(s.error().details.back().field, "items[19]");
  EXPECT_EQ(s.error().message, "items[0] must be an object (and 54 more problems)");
}

TEST(JsonReaderTest, UnderTheCapTotalEqualsDetails) {
  auto o = Obj(R"({"a":1,"b":2})");
  JsonReader r(o);
  auto s = r.Finish();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().details.size(), 2u);
  EXPECT_EQ(s.error().details_total, 2u);
}

// A long unknown key is quoted cut short (at a character boundary), not echoed whole.
TEST(JsonReaderTest, LongUnknownKeyIsQuotedShort) {
  boost::json::object o;
  std::string key = "a";
  for (int i = 0; i < 100000; ++i) key += "\xE5\xA4\x87";  // 备
  o[key] = 1;
  JsonReader r(o);
  auto s = r.Finish();
  ASSERT_FALSE(s.ok());
  const std::string& field = s.error().details[0].field;
  EXPECT_LE(field.size(), 128u + 3u);
  EXPECT_EQ(field.substr(field.size() - 3), "\xE2\x80\xA6");
  EXPECT_EQ(field.substr(0, 4), "a\xE5\xA4\x87");
  EXPECT_EQ((field.size() - 1 - 3) % 3, 0u);  // whole characters only
  EXPECT_LT(s.error().message.size(), 200u);
}

TEST(JsonReaderTest, FinishTwiceGivesTheSameAnswer) {
  auto o = Obj(R"({"a":1})");
  JsonReader r(o);
  auto first = r.Finish();
  auto second = r.Finish();
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().details.size(), 1u);
  EXPECT_EQ(second.error().details_total, 1u);
}

}  // namespace
}  // namespace beian::core
