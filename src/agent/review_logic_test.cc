// Unit tests of the review's pure parts: the reason catalogue (the built-in file and malformed
// ones), reason validation per stage, field paths, flagged-field `changed`, the changes since a
// rejection, and the audit hash chain.
#include "agent/review_logic.h"

#include <gtest/gtest.h>

#include "core/crypto.h"

namespace beian::agent {
namespace {

namespace json = boost::json;
using core::ErrorCode;

const std::string kHeader = "code\tstages\tnote_required\tzh-CN\ten\n";

std::string RequiredRows() {
  std::string rows;
  for (std::string_view code : kRequiredReasonCodes) {
    rows += std::string(code) + "\tpreliminary,photo\t" + (code == "other" ? "yes" : "no") +
            "\t中文\tEnglish\n";
  }
  return rows;
}

TEST(ReasonCatalogueTest, BuiltInIsValidAndHasTheRequiredCodes) {
  auto c = ReasonCatalogue::BuiltIn();
  ASSERT_TRUE(c.ok()) << c.error().message;
  for (std::string_view code : kRequiredReasonCodes) EXPECT_NE(c->Find(code), nullptr) << code;
  EXPECT_TRUE(c->Find("other")->note_required);
  EXPECT_FALSE(c->Find("name_unrelated")->note_required);
  const json::object j = c->ToJson();
  const json::object& first = j.at("items").as_array().at(0).as_object();
  for (const char* key : {"code", "zh_CN", "en", "note_required", "stages"}) {
    EXPECT_TRUE(first.contains(key)) << key;
  }
}

TEST(ReasonCatalogueTest, MalformedFilesAreRefusedNamingTheLine) {
  EXPECT_TRUE(ReasonCatalogue::Parse("# comment\n" + kHeader + RequiredRows()).ok());
  const std::pair<std::string, std::string> cases[] = {
      {RequiredRows(), "header"},
      {kHeader + RequiredRows() + "x\tpreliminary\tno\ta\n", "5 tab-separated"},
      {kHeader + RequiredRows() + "x\tfinal\tno\ta\tb\n", "unknown stage"},
      {kHeader + RequiredRows() + "x\tphoto\tmaybe\ta\tb\n", "yes or no"},
      {kHeader + RequiredRows() + "x\tphoto\tno\t\tb\n", "text required"},
      {kHeader + RequiredRows() + "other\tphoto\tyes\ta\tb\n", "repeated"},
      {kHeader + RequiredRows() + "Bad-Code\tphoto\tno\ta\tb\n", "snake_case"},
      {kHeader + "other\tphoto\tyes\ta\tb\n", "lacks the required code"},
  };
  for (const auto& [text, expected] : cases) {
    auto c = ReasonCatalogue::Parse(text);
    ASSERT_FALSE(c.ok()) << expected;
    EXPECT_EQ(c.error().code, ErrorCode::kRulesInvalid);
    EXPECT_NE(c.error().message.find(expected), std::string::npos) << c.error().message;
  }
}

class ValidateReasonsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto c = ReasonCatalogue::BuiltIn();
    ASSERT_TRUE(c.ok());
    catalogue_ = *c;
  }
  core::Status Check(ReviewStage stage, bool rejecting, std::vector<Reason> reasons) {
    return ValidateReasons(catalogue_, stage, rejecting, reasons);
  }
  ReasonCatalogue catalogue_;
};

TEST_F(ValidateReasonsTest, RejectingNeedsAReasonApprovingDoesNot) {
  EXPECT_TRUE(Check(ReviewStage::kPreliminary, false, {}).ok());
  auto s = Check(ReviewStage::kPreliminary, true, {});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kValidationFailed);
  EXPECT_EQ(s.error().details[0].field, "reasons");
  EXPECT_TRUE(
      Check(ReviewStage::kPreliminary, true, {{"websites[0].name", "name_unrelated", ""}}).ok());
}

TEST_F(ValidateReasonsTest, CodesMustBelongToTheStage) {
  auto s = Check(ReviewStage::kPreliminary, true,
                 {{"organizer.name", "info_mismatch", ""}, {"photo", "photo_nonconforming", ""}});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kUnknownReason);
  EXPECT_EQ(s.error().details.size(), 1u);
  EXPECT_EQ(s.error().details[0].field, "reasons[1].code");
  EXPECT_TRUE(Check(ReviewStage::kPhoto, true, {{"photo", "photo_nonconforming", ""}}).ok());
  auto unknown = Check(ReviewStage::kPhoto, true, {{"photo", "ugly", ""}});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kUnknownReason);
  // An unknown code wins over a missing note (both are reported by the more specific code).
  auto both = Check(ReviewStage::kPhoto, true, {{"photo", "ugly", ""}, {"photo", "other", ""}});
  EXPECT_EQ(both.error().code, ErrorCode::kUnknownReason);
}

TEST_F(ValidateReasonsTest, OtherNeedsANoteAndFieldsAreChecked) {
  auto s = Check(ReviewStage::kPreliminary, true, {{"organizer.address", "other", "  "}});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kValidationFailed);
  EXPECT_EQ(s.error().details[0].field, "reasons[0].message");
  EXPECT_EQ(s.error().details[0].code, "note_required");
  EXPECT_TRUE(
      Check(ReviewStage::kPreliminary, true, {{"organizer.address", "other", "no street"}}).ok());
  auto no_field = Check(ReviewStage::kPreliminary, true, {{"", "info_mismatch", ""}});
  ASSERT_FALSE(no_field.ok());
  EXPECT_EQ(no_field.error().details[0].field, "reasons[0].field");
  auto long_note =
      Check(ReviewStage::kPreliminary, true, {{"x", "info_mismatch", std::string(1001, 'a')}});
  ASSERT_FALSE(long_note.ok());
  EXPECT_EQ(long_note.error().details[0].code, "too_long");
}

json::value App() {
  return json::parse(R"({"organizer":{"name":"甲","person_in_charge":{"id_number":"1"}},
    "websites":[{"name":"站","domains":["a.cn","b.cn"]}]})");
}

TEST(FieldPathTest, ResolvesMembersAndIndexes) {
  const json::value app = App();
  EXPECT_EQ(*ValueAtPath(app, "organizer.name"), "甲");
  EXPECT_EQ(*ValueAtPath(app, "organizer.person_in_charge.id_number"), "1");
  EXPECT_EQ(*ValueAtPath(app, "websites[0].domains[1]"), "b.cn");
  EXPECT_EQ(ValueAtPath(app, "websites[1].name"), nullptr);
  EXPECT_EQ(ValueAtPath(app, "websites[x].name"), nullptr);
  EXPECT_EQ(ValueAtPath(app, "websites[].name"), nullptr);
  EXPECT_EQ(ValueAtPath(app, "organizer..name"), nullptr);
  EXPECT_EQ(ValueAtPath(app, "nothing"), nullptr);
  EXPECT_TRUE(ValueAtPath(app, "websites[0]")->is_object());
}

TEST(FieldPathTest, ReasonFieldsMustNameSomethingOfTheApplication) {
  const json::value app = App();
  EXPECT_TRUE(ReasonFieldKnown("photo", app));
  EXPECT_TRUE(ReasonFieldKnown("documents.id_front:organizer.person_in_charge", app));
  EXPECT_TRUE(ReasonFieldKnown("websites[0].name", app));
  EXPECT_TRUE(ReasonFieldKnown("organizer.person_in_charge", app));
  EXPECT_FALSE(ReasonFieldKnown("documents.id_front", app));
  EXPECT_FALSE(ReasonFieldKnown("documents.:organizer", app));
  EXPECT_FALSE(ReasonFieldKnown("websites[3].name", app));
  EXPECT_FALSE(ReasonFieldKnown("colour", app));
  auto s =
      CheckReasonFields({{"organizer.name", "info_mismatch", ""}, {"colour", "other", "x"}}, app);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kValidationFailed);
  ASSERT_EQ(s.error().details.size(), 1u);
  EXPECT_EQ(s.error().details[0].field, "reasons[1].field");
  EXPECT_EQ(s.error().details[0].code, "unknown_field_path");
}

TEST(FlaggedTest, ChangedComparesTheValueAtTheField) {
  ReviewSubject then{App(),
                     {{"id_front:organizer", {{"aaa", "a.png"}}},
                      {"verified_photo:organizer", {{"p1", "p.jpg"}}}}};
  ReviewSubject now = then;
  EXPECT_FALSE(FieldChanged("websites[0].name", then, now));
  EXPECT_FALSE(FieldChanged("documents.id_front:organizer", then, now));
  EXPECT_FALSE(FieldChanged("photo", then, now));
  EXPECT_FALSE(FieldChanged("no.such.field", then, now));
  now.application.as_object()["websites"].as_array()[0].as_object()["name"] = "新站";
  EXPECT_TRUE(FieldChanged("websites[0].name", then, now));
  EXPECT_FALSE(FieldChanged("organizer.name", then, now));
  now.documents["id_front:organizer"] = {{"bbb", "b.png"}};
  EXPECT_TRUE(FieldChanged("documents.id_front:organizer", then, now));
  EXPECT_FALSE(FieldChanged("documents.id_back:organizer", then, now));
  now.documents["verified_photo:organizer"] = {{"p2", "p.jpg"}};
  EXPECT_TRUE(FieldChanged("photo", then, now));
  // A website removed: the field is gone, which is a change.
  now.application.as_object()["websites"].as_array().clear();
  EXPECT_TRUE(FieldChanged("websites[0].domains[0]", then, now));
}

TEST(ChangesTest, ListsEveryChangedLeafAndDocumentGroup) {
  ReviewSubject then{App(), {{"id_front:organizer", {{"aaa", "a.png"}}}}};
  ReviewSubject now = then;
  EXPECT_TRUE(Changes(then, now).empty());
  auto& site = now.application.as_object()["websites"].as_array()[0].as_object();
  site["name"] = "新站";
  site["domains"].as_array().pop_back();
  now.documents["id_front:organizer"] = {{"bbb", "b.png"}};
  now.documents["id_back:organizer"] = {{"ccc", "c.png"}};
  const auto changes = Changes(then, now);
  ASSERT_EQ(changes.size(), 4u);
  EXPECT_EQ(changes[0].field, "websites[0].domains[1]");
  EXPECT_EQ(changes[0].before, "b.cn");
  EXPECT_TRUE(changes[0].after.is_null());
  EXPECT_EQ(changes[1].field, "websites[0].name");
  EXPECT_EQ(changes[1].after, "新站");
  EXPECT_EQ(changes[2].field, "documents.id_back:organizer");
  EXPECT_TRUE(changes[2].before.is_null());
  EXPECT_EQ(changes[2].after, "c.png");
  EXPECT_EQ(changes[3].field, "documents.id_front:organizer");
  EXPECT_EQ(changes[3].before, "a.png");
}

TEST(DocumentSnapshotTest, RoundTripsAndToleratesGarbage) {
  DocumentSnapshot s{{"id_front:organizer", {{"aaa", "a.png"}, {"bbb", ""}}}};
  EXPECT_EQ(DocumentSnapshotFromJson(json::serialize(DocumentSnapshotToJson(s)))
                .at("id_front:organizer")[1]
                .sha256,
            "bbb");
  EXPECT_TRUE(DocumentSnapshotFromJson("not json").empty());
  EXPECT_TRUE(DocumentSnapshotFromJson("[1]").empty());
}

TEST(AuditHashTest, ChainsAndDependsOnEveryField) {
  ASSERT_TRUE(core::InitCrypto());
  const std::string h1 = AuditHash(kAuditGenesis, 1, 1000, "rv", "reveal", "app", "{}");
  EXPECT_EQ(h1.size(), 64u);
  EXPECT_EQ(h1, AuditHash(kAuditGenesis, 1, 1000, "rv", "reveal", "app", "{}"));
  EXPECT_NE(h1, AuditHash(kAuditGenesis, 2, 1000, "rv", "reveal", "app", "{}"));
  EXPECT_NE(h1, AuditHash(kAuditGenesis, 1, 1001, "rv", "reveal", "app", "{}"));
  EXPECT_NE(h1, AuditHash(kAuditGenesis, 1, 1000, "rw", "reveal", "app", "{}"));
  EXPECT_NE(h1, AuditHash(kAuditGenesis, 1, 1000, "rv", "reveal", "app", "{ }"));
  EXPECT_NE(h1, AuditHash(h1, 1, 1000, "rv", "reveal", "app", "{}"));
  // Field boundaries are part of the content: "rv"+"reveal" is not "rvr"+"eveal".
  EXPECT_NE(h1, AuditHash(kAuditGenesis, 1, 1000, "rvr", "eveal", "app", "{}"));
}

TEST(ClaimTest, LiveUntilExpiry) {
  EXPECT_TRUE(ClaimLive(1000, 999));
  EXPECT_FALSE(ClaimLive(1000, 1000));
  EXPECT_FALSE(ClaimLive(1000, 2000));
}

}  // namespace
}  // namespace beian::agent
