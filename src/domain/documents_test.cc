// Required documents: one test per document rule (condition) of the shipped requirements.
#include "domain/documents.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "domain/rules_test_support.h"

namespace beian::domain {
namespace {

const Rules& R() { return testing::EmbeddedRules(); }

Person P(std::string name, std::string id_type, std::string id) {
  return {std::move(name), std::move(id_type), std::move(id), "13800138000", "a@example.com"};
}

Application Enterprise() {
  Application app;
  app.organizer.type = "enterprise";
  app.organizer.person_in_charge = P("张三", "resident_id_card", "110105199003071239");
  Website w;
  w.domains = {"example.com"};
  w.service_content = "enterprise_portal";
  w.person_in_charge = P("李四", "resident_id_card", "44030419920115452X");
  app.websites = {w};
  return app;
}

using Docs = std::vector<RequiredDocument>;

Docs Of(const Application& app, const std::string& province = "46", const std::string& id = "",
        std::optional<FilingType> type = FilingType::kFirstFiling) {
  return RequiredDocuments(app, R(), province, id, type);
}

bool Has(const Docs& docs, std::string_view kind, std::string_view subject) {
  for (const RequiredDocument& d : docs) {
    if (d.kind == kind && d.subject == subject) return true;
  }
  return false;
}

TEST(DocumentsTest, AlwaysForEveryOrganization) {
  Docs d = Of(Enterprise());  // Hainan: no province extras
  EXPECT_TRUE(Has(d, "organizer_certificate", "organizer"));
  EXPECT_TRUE(Has(d, "id_front", "organizer.person_in_charge"));
  EXPECT_TRUE(Has(d, "id_front", "websites[0].person_in_charge"));
  EXPECT_TRUE(Has(d, "authenticity_checklist", "organizer"));
  // The website's person in charge is the one photographed (FACTS 1.3).
  EXPECT_TRUE(Has(d, "verified_photo", "websites[0].person_in_charge"));
  EXPECT_FALSE(Has(d, "verified_photo", "organizer.person_in_charge"));
  EXPECT_FALSE(Has(d, "domain_certificate", "websites[0]"));
  EXPECT_FALSE(Has(d, "commitment_letter", "organizer"));
  for (const RequiredDocument& doc : d) EXPECT_FALSE(doc.reason.empty());
}

TEST(DocumentsTest, WebsiteWithoutOwnPersonFallsBackToTheOrganizers) {
  Application app = Enterprise();
  app.websites[0].person_in_charge = Person{};
  Docs d = Of(app);
  EXPECT_TRUE(Has(d, "verified_photo", "organizer.person_in_charge"));
  EXPECT_EQ(std::count_if(d.begin(), d.end(),
                          [](const RequiredDocument& r) { return r.kind == "id_front"; }),
            1);
}

TEST(DocumentsTest, IndividualsHaveNoOrganizerCertificate) {
  Application app = Enterprise();
  app.organizer.type = "individual";
  EXPECT_FALSE(Has(Of(app), "organizer_certificate", "organizer"));
  EXPECT_TRUE(Has(Of(app), "id_front", "organizer.person_in_charge"));
}

TEST(DocumentsTest, BackOnlyForTwoSidedDocuments) {
  Application app = Enterprise();
  EXPECT_TRUE(Has(Of(app), "id_back", "organizer.person_in_charge"));
  app.organizer.person_in_charge = P("John Smith", "passport", "E12345678");
  EXPECT_FALSE(Has(Of(app), "id_back", "organizer.person_in_charge"));
  EXPECT_TRUE(Has(Of(app), "id_front", "organizer.person_in_charge"));
}

TEST(DocumentsTest, SamePersonAskedOnce) {
  Application app = Enterprise();
  app.websites[0].person_in_charge = app.organizer.person_in_charge;
  EXPECT_FALSE(Has(Of(app), "id_front", "websites[0].person_in_charge"));
  app.websites[0].person_in_charge = {};
  EXPECT_FALSE(Has(Of(app), "id_front", "websites[0].person_in_charge"));
}

TEST(DocumentsTest, ProvinceExtras) {
  Docs bj = Of(Enterprise(), "11");
  EXPECT_TRUE(Has(bj, "domain_certificate", "websites[0]"));
  EXPECT_TRUE(Has(bj, "commitment_letter", "organizer"));
  // A change keeps its filed domain: no new domain certificate.
  Docs modify = Of(Enterprise(), "11", "", FilingType::kModify);
  EXPECT_FALSE(Has(modify, "domain_certificate", "websites[0]"));
  EXPECT_TRUE(Has(modify, "commitment_letter", "organizer"));
  // Unknown province: no extras.
  EXPECT_FALSE(Has(Of(Enterprise(), ""), "commitment_letter", "organizer"));
}

TEST(DocumentsTest, ResidencePermitForCrossProvinceIndividuals) {
  Application app = Enterprise();
  app.organizer.type = "individual";
  EXPECT_TRUE(Has(Of(app, "31", "44"), "residence_permit", "organizer.person_in_charge"));
  EXPECT_FALSE(Has(Of(app, "31", "31"), "residence_permit", "organizer.person_in_charge"));
  EXPECT_FALSE(Has(Of(app, "11", "44"), "residence_permit", "organizer.person_in_charge"));
  // Organizations never need one.
  EXPECT_FALSE(Has(Of(Enterprise(), "31", "44"), "residence_permit", "organizer.person_in_charge"));
}

// RULES.md decision 10: organizer.legal_representative (absent → the organizer's person in
// charge); every person in charge of an organization who differs by (id_type, id_number) needs an
// authorization_letter with their path as subject, reason authorization_letter_required.
struct LetterCase {
  const char* name;
  std::string organizer_type;
  LegalRepresentative legal;  // empty = not given
  bool website_has_own_person;
  bool organizer_letter;
  bool website_letter;
};

class AuthorizationLetterTest : public ::testing::TestWithParam<LetterCase> {};

TEST_P(AuthorizationLetterTest, Decision10) {
  const LetterCase& c = GetParam();
  Application app = Enterprise();  // 张三 110105199003071239 / website 李四 44030419920115452X
  app.organizer.type = c.organizer_type;
  app.organizer.legal_representative = c.legal;
  if (!c.website_has_own_person) app.websites[0].person_in_charge = {};
  Docs d = Of(app);
  EXPECT_EQ(Has(d, "authorization_letter", "organizer.person_in_charge"), c.organizer_letter);
  EXPECT_EQ(Has(d, "authorization_letter", "websites[0].person_in_charge"), c.website_letter);
  for (const RequiredDocument& doc : d) {
    if (doc.kind == "authorization_letter") {
      EXPECT_EQ(doc.reason, "authorization_letter_required");
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, AuthorizationLetterTest,
    ::testing::Values(
        // Absent: the organizer's person is the representative; the website's other person
        // needs a letter.
        LetterCase{"absent", "enterprise", {}, true, false, true},
        LetterCase{"absent_same_person", "enterprise", {}, false, false, false},
        // Given and equal to the website's person: only the organizer's person needs one.
        LetterCase{"website_person_is_legal",
                   "enterprise",
                   {"李四", "resident_id_card", "44030419920115452X"},
                   true,
                   true,
                   false},
        // Given, a third person: both need one.
        LetterCase{"third_person",
                   "government",
                   {"王五", "resident_id_card", "11010519491231002X"},
                   true,
                   true,
                   true},
        // Same number under another document type is another document: a letter.
        LetterCase{"other_id_type",
                   "enterprise",
                   {"张三", "passport", "110105199003071239"},
                   false,
                   true,
                   false},
        LetterCase{"matches_organizer_person",
                   "enterprise",
                   {"张三", "resident_id_card", "110105199003071239"},
                   false,
                   false,
                   false},
        // Individuals never need one.
        LetterCase{"individual",
                   "individual",
                   {"王五", "resident_id_card", "11010519491231002X"},
                   true,
                   false,
                   false}),
    [](const auto& p) { return std::string(p.param.name); });

// RULES.md decision 7: a regulated word only in the name asks for the approval or a commitment
// letter; the letter is listed (subject the website) until the website holds the approval.
TEST(DocumentsTest, KeywordInNameAsksForACommitmentLetter) {
  Application app = Enterprise();
  app.websites[0].name = "示例新闻网";
  Docs d = Of(app);
  ASSERT_TRUE(Has(d, "commitment_letter", "websites[0]"));
  for (const RequiredDocument& doc : d) {
    if (doc.kind == "commitment_letter" && doc.subject == "websites[0]") {
      EXPECT_EQ(doc.reason, "pre_approval_keyword_in_name");
      EXPECT_EQ(doc.params.at("kind"), "news");
    }
  }
  app.websites[0].pre_approvals = {"news"};
  EXPECT_FALSE(Has(Of(app), "commitment_letter", "websites[0]"));
  EXPECT_TRUE(Has(Of(app), "pre_approval", "websites[0]"));
  app.websites[0].name = "示例科技官网";
  app.websites[0].pre_approvals = {};
  EXPECT_FALSE(Has(Of(app), "commitment_letter", "websites[0]"));
}

TEST(DocumentsTest, PreApprovalPerKindHeldOrNeeded) {
  Application app = Enterprise();
  app.websites[0].pre_approvals = {"news"};
  app.websites[0].service_content = "healthcare";
  Docs d = Of(app);
  int count = 0;
  for (const RequiredDocument& doc : d) {
    if (doc.kind != "pre_approval") continue;
    ++count;
    EXPECT_EQ(doc.subject, "websites[0]");
  }
  EXPECT_EQ(count, 2);
  EXPECT_FALSE(Has(Of(Enterprise()), "pre_approval", "websites[0]"));
}

}  // namespace
}  // namespace beian::domain
