// ReviewService on both backends with a fake clock: claims expire after the configured time (the
// holder's decision then needs a new claim, another reviewer may take it), decisions check the
// reasons, the state machine and the claim in that order, a rejection keeps what it judged
// (flagged_fields), the claim goes with the decision, and reveal chains audit rows that
// VerifyAuditLog accepts.
#include "agent/review_service.h"

#include <gtest/gtest.h>

#include "agent/applications_codec.h"
#include "agent/audit.h"
#include "core/time_text.h"
#include "domain/rules_test_support.h"
#include "store/applications.h"
#include "store/review.h"
#include "store/testing/backends.h"
#include "store/users.h"

namespace beian::agent {
namespace {

using core::ErrorCode;
using namespace std::chrono_literals;

class ReviewServiceTest : public store::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    MigrateOrDie();
    auto reasons = ReasonCatalogue::BuiltIn();
    ASSERT_TRUE(reasons.ok());
    reasons_ = *reasons;
    applications_ = std::make_unique<ApplicationsService>(
        db(), clock_, pii_, domain::testing::EmbeddedRules(), ApplicationsOptions{});
    review_ = std::make_unique<ReviewService>(db(), clock_, pii_, domain::testing::EmbeddedRules(),
                                              *applications_, reasons_,
                                              ReviewOptions{.claim_duration = 30min});
    owner_ = {AddUser("owner@example.com", "applicant"), "applicant"};
    alice_ = {AddUser("alice@example.com", "reviewer"), "reviewer"};
    bob_ = {AddUser("bob@example.com", "reviewer"), "reviewer"};
    AddApplication("app-1", "preliminary_review");
  }

  std::string AddUser(const std::string& email, const std::string& role) {
    store::NewUser u;
    u.email = email;
    u.display_name = email;
    u.role = role;
    u.password_hash = "x";
    u.created_at_ms = 1;
    auto r = db().Write([&](store::Tx& tx) { return store::UserRepo(tx).Create(u); });
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? r->id : "";
  }

  void AddApplication(const std::string& id, const std::string& state) {
    domain::Application app;
    app.organizer.type = "enterprise";
    app.organizer.name = "北京示例科技有限公司";
    app.organizer.person_in_charge.name = "张三";
    app.organizer.person_in_charge.id_number = "110105199003071239";
    app.organizer.person_in_charge.mobile = "13800138000";
    domain::Website site;
    site.name = "示例站";
    site.domains = {"example.cn"};
    app.websites.push_back(site);
    store::ApplicationRecord r;
    r.id = id;
    r.owner_id = owner_.user_id;
    r.state = state;
    r.body = SealApplicationBody(app, "", pii_);
    r.created_at_ms = r.updated_at_ms = r.state_entered_at_ms = ToMillis(clock_.Now());
    auto s = db().Write([&](store::Tx& tx) { return store::ApplicationRepo(tx).Insert(r); });
    ASSERT_TRUE(s.ok()) << s.error().message;
  }

  std::string State(const std::string& id) {
    auto r = db().Read([&](store::Tx& tx) { return store::ApplicationRepo(tx).Find(id); });
    return r.ok() && r->has_value() ? (*r)->state : "";
  }

  core::ManualClock clock_{core::TimePoint(std::chrono::sys_days(std::chrono::year_month_day(
      std::chrono::year(2026), std::chrono::month(12), std::chrono::day(7))))};
  core::PiiCipher pii_{std::string(32, 'k')};
  ReasonCatalogue reasons_;
  std::unique_ptr<ApplicationsService> applications_;
  std::unique_ptr<ReviewService> review_;
  Actor owner_, alice_, bob_;
};

TEST_P(ReviewServiceTest, ClaimsExpireAfterTheConfiguredTime) {
  auto a = review_->Claim(alice_, "app-1");
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->expires_at_ms, ToMillis(clock_.Now() + 30min));
  clock_.Advance(29min);
  auto b = review_->Claim(bob_, "app-1");
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.error().code, ErrorCode::kClaimedByOther);
  EXPECT_EQ(b.error().details[0].message, alice_.user_id);
  EXPECT_EQ(b.error().details[2].message, core::FormatRfc3339(a->expires_at_ms));
  clock_.Advance(1min);  // exactly at expiry: no longer live
  auto taken = review_->Claim(bob_, "app-1");
  ASSERT_TRUE(taken.ok()) << taken.error().message;
  auto late = review_->Decide(alice_, "app-1", ReviewStage::kPreliminary, true, {});
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, ErrorCode::kClaimRequired);
  // Bob's claim lapses too while he hesitates.
  clock_.Advance(31min);
  auto lapsed = review_->Decide(bob_, "app-1", ReviewStage::kPreliminary, true, {});
  ASSERT_FALSE(lapsed.ok());
  EXPECT_EQ(lapsed.error().code, ErrorCode::kClaimRequired);
  EXPECT_EQ(State("app-1"), "preliminary_review");
}

TEST_P(ReviewServiceTest, DecisionChecksReasonsThenStateThenClaim) {
  const std::vector<Reason> bad = {{"organizer.name", "nonsense", ""}};
  // Reasons first: no claim needed to learn the code is unknown.
  auto unknown = review_->Decide(alice_, "app-1", ReviewStage::kPreliminary, false, bad);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kUnknownReason);
  // The state machine before the claim.
  auto photo = review_->Decide(alice_, "app-1", ReviewStage::kPhoto, true, {});
  ASSERT_FALSE(photo.ok());
  EXPECT_EQ(photo.error().code, ErrorCode::kInvalidTransition);
  auto unclaimed = review_->Decide(alice_, "app-1", ReviewStage::kPreliminary, true, {});
  ASSERT_FALSE(unclaimed.ok());
  EXPECT_EQ(unclaimed.error().code, ErrorCode::kClaimRequired);
  auto missing = review_->Decide(alice_, "nope", ReviewStage::kPreliminary, true, {});
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

TEST_P(ReviewServiceTest, RejectionKeepsWhatItJudgedAndReleasesTheClaim) {
  ASSERT_TRUE(review_->Claim(alice_, "app-1").ok());
  const std::vector<Reason> reasons = {{"websites[0].name", "name_unrelated", ""},
                                       {"organizer.name", "other", "spelling"}};
  auto rejected = review_->Decide(alice_, "app-1", ReviewStage::kPreliminary, false, reasons);
  ASSERT_TRUE(rejected.ok()) << rejected.error().message;
  EXPECT_EQ(rejected->at("state"), "returned");
  const auto& flagged = rejected->at("flagged_fields").as_array();
  ASSERT_EQ(flagged.size(), 2u);
  EXPECT_EQ(flagged[0].at("field"), "websites[0].name");
  EXPECT_EQ(flagged[0].at("changed"), false);
  EXPECT_EQ(flagged[1].at("message"), "spelling");
  // The reviewer's answer is masked.
  EXPECT_EQ(rejected->at("organizer").at("person_in_charge").at("id_number"), "1101**********1239");
  // The claim went with the decision; the application is no longer reviewable.
  auto claim = db().Read([&](store::Tx& tx) { return store::ReviewClaimRepo(tx).Find("app-1"); });
  ASSERT_TRUE(claim.ok());
  EXPECT_FALSE(claim->has_value());
  auto again = review_->Claim(bob_, "app-1");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kInvalidTransition);
  auto detail = review_->Detail(alice_, "app-1");
  ASSERT_TRUE(detail.ok()) << detail.error().message;
  EXPECT_EQ(detail->at("last_rejection").at("reasons").as_array().size(), 2u);
  EXPECT_TRUE(detail->at("changes_since_rejection").as_array().empty());
}

TEST_P(ReviewServiceTest, RevealChainsAuditRows) {
  for (int i = 0; i < 3; ++i) {
    auto r = review_->Reveal(i % 2 ? alice_ : bob_, "app-1");
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->at("values").at("organizer.person_in_charge.id_number"), "110105199003071239");
    EXPECT_EQ(r->at("values").at("organizer.person_in_charge.mobile"), "13800138000");
    clock_.Advance(1s);
  }
  auto v = VerifyAuditLog(db());
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_EQ(v->rows, 3);
  EXPECT_FALSE(v->broken_seq.has_value());
  auto rows = db().Read([&](store::Tx& tx) { return store::AuditRepo(tx).After(0, 10); });
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[0].prev_hash, kAuditGenesis);
  EXPECT_EQ((*rows)[1].prev_hash, (*rows)[0].hash);
  EXPECT_EQ((*rows)[1].actor_id, alice_.user_id);
  EXPECT_NE((*rows)[0].detail.find("organizer.person_in_charge.id_number"), std::string::npos);
}

TEST_P(ReviewServiceTest, BackdropAndShippingAreValidated) {
  EXPECT_TRUE(ValidateBackdrop({"张三", "13800138000", "北京市海淀区中关村大街1号"}).ok());
  auto bad = ValidateBackdrop({"张", "12800138000", "北京"});
  ASSERT_FALSE(bad.ok());
  ASSERT_EQ(bad.error().details.size(), 3u);
  EXPECT_EQ(bad.error().details[0].field, "recipient");
  EXPECT_EQ(bad.error().details[1].field, "mobile");
  EXPECT_EQ(bad.error().details[2].field, "address");
  EXPECT_TRUE(ValidateShipping("顺丰速运", "SF-1234567").ok());
  EXPECT_FALSE(ValidateShipping("S", "SF1").ok());
  EXPECT_FALSE(ValidateShipping("顺丰", "SF 123").ok());
  // A backdrop for an application that is not in verification is an invalid transition.
  auto early = review_->RequestBackdrop(owner_, "app-1",
                                        {"张三", "13800138000", "北京市海淀区中关村大街1号"});
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error().code, ErrorCode::kInvalidTransition);
  auto other = review_->RequestBackdrop(alice_, "app-1",
                                        {"张三", "13800138000", "北京市海淀区中关村大街1号"});
  EXPECT_EQ(other.error().code, ErrorCode::kNotFound);
}

BEIAN_INSTANTIATE_STORE_SUITE(ReviewServiceTest);

}  // namespace
}  // namespace beian::agent
