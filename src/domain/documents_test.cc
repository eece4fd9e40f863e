// Required documents: one test per document rule (condition) of the shipped requirements.
#include "domain/documents.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "domain/rules_test_support.h"

namespace beian::domain {
namespace {

const Rules& R() { return testing::EmbeddedRules(); }

Person P(std::string name, std::string id_type, std::string id) {
  return {std::move(name), std::move(id_type), std::move(id),
          "13800138000",   "a@example.com",    std::nullopt};
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

TEST(DocumentsTest, WebsitePersonNotLegalRepresentativeNeedsAuthorisation) {
  Application app = Enterprise();
  app.websites[0].person_in_charge.legal_representative = false;
  EXPECT_TRUE(Has(Of(app), "authorization_letter", "websites[0].person_in_charge"));
  app.websites[0].person_in_charge.legal_representative = true;
  EXPECT_FALSE(Has(Of(app), "authorization_letter", "websites[0].person_in_charge"));
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

TEST(DocumentsTest, AuthorizationLetterWhenNotTheLegalRepresentative) {
  Application app = Enterprise();
  EXPECT_FALSE(Has(Of(app), "authorization_letter", "organizer.person_in_charge"));
  app.organizer.person_in_charge.legal_representative = true;
  EXPECT_FALSE(Has(Of(app), "authorization_letter", "organizer.person_in_charge"));
  app.organizer.person_in_charge.legal_representative = false;
  EXPECT_TRUE(Has(Of(app), "authorization_letter", "organizer.person_in_charge"));
  app.organizer.type = "individual";
  EXPECT_FALSE(Has(Of(app), "authorization_letter", "organizer.person_in_charge"));
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
