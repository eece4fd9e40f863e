// The hand-over and the authority's events on the agent (issue 10 items 3 and 6): the pure
// pieces (sms_persons in the contract's spelling, the submission payload, what an answer means)
// and, on both backends with a fake clock and a fake authority, the worker (retried while the
// authority fails, delivered → forward, refused → returned with the details flagged, a stale
// lease changes nothing) and the events' effects (under_review, approved with the SNs and a
// service code, a repeat, expired → sms_not_verified, the wrong state → invalid_transition).
#include "agent/handover.h"

#include <gtest/gtest.h>

#include "agent/applications_codec.h"
#include "agent/applications_service.h"
#include "agent/authority_events.h"
#include "blob/memory_blob_store.h"
#include "core/crypto.h"
#include "core/request_signing.h"
#include "domain/rules_test_support.h"
#include "store/applications.h"
#include "store/documents.h"
#include "store/handovers.h"
#include "store/inventory.h"
#include "store/review.h"
#include "store/testing/backends.h"
#include "store/users.h"

namespace beian::agent {
namespace {

namespace json = boost::json;
using core::ErrorCode;
using namespace std::chrono_literals;

domain::Application SampleApplication() {
  domain::Application app;
  app.id = "app-1";
  app.filing_type = "first_filing";
  app.province = "11";
  app.organizer.type = "enterprise";
  app.organizer.name = "北京示例科技有限公司";
  app.organizer.certificate = {"business_license", "91110108MA01ABCD5T"};
  app.organizer.person_in_charge.name = "张三";
  app.organizer.person_in_charge.id_type = "resident_id_card";
  app.organizer.person_in_charge.id_number = "110105199003071239";
  app.organizer.person_in_charge.mobile = "13800138000";
  domain::Website site;
  site.name = "示例站";
  site.domains = {"example.cn"};
  site.instance_id = "i-1";
  app.websites.push_back(site);
  return app;
}

TEST(HandoverPayloadTest, SmsPersonsInTheContractsSpelling) {
  EXPECT_EQ(ContractSmsPersons({"organizer.person_in_charge", "websites[0].person_in_charge",
                                "websites[12].person_in_charge", "websites[x].person_in_charge"}),
            (std::vector<std::string>{"organizer", "website:0", "website:12"}));
}

TEST(HandoverPayloadTest, CarriesTheApplicationInClearAndEveryDocument) {
  domain::Application app = SampleApplication();
  store::DocumentRow photo;
  photo.id = "d1";
  photo.application_id = "app-1";
  photo.kind = "verified_photo";
  photo.subject = "organizer";
  photo.size = 3;
  photo.content_type = "image/png";
  photo.sha256 = core::Sha256Hex("abc");
  photo.original_name = "photo.png";
  json::object p = BuildSubmissionPayload("app-1.2", app, {{photo, std::string("abc")}});
  EXPECT_EQ(p.at("submission_id"), json::value("app-1.2"));
  EXPECT_EQ(p.at("application_id"), json::value("app-1"));
  EXPECT_EQ(p.at("filing_type"), json::value("first_filing"));
  EXPECT_EQ(p.at("province"), json::value("11"));
  EXPECT_TRUE(p.at("beian_sn").is_null());
  EXPECT_EQ(p.at("organizer").at("person_in_charge").at("id_number"),
            json::value("110105199003071239"));
  EXPECT_EQ(p.at("websites").as_array().size(), 1u);
  EXPECT_EQ(p.at("sms_persons"), (json::array{"organizer"}));
  const json::object& d = p.at("documents").as_array().at(0).as_object();
  EXPECT_EQ(d.at("content_base64"), json::value("YWJj"));
  EXPECT_EQ(d.at("filename"), json::value("photo.png"));
  EXPECT_EQ(d.at("sha256"), json::value(core::Sha256Hex("abc")));
  EXPECT_EQ(d.at("size"), json::value(3));

  // new_isp: the subject SN travels and only the websites' persons verify.
  app.filing_type = "new_isp";
  app.beian.subject_sn = "京ICP备2026000001号";
  app.websites[0].person_in_charge = app.organizer.person_in_charge;
  app.websites[0].person_in_charge.id_number = "110105199003071247";
  json::object isp = BuildSubmissionPayload("app-1.1", app, {});
  EXPECT_EQ(isp.at("beian_sn"), json::value("京ICP备2026000001号"));
  EXPECT_EQ(isp.at("sms_persons"), (json::array{"website:0"}));
  EXPECT_TRUE(isp.at("documents").as_array().empty());
}

TEST(HandoverPayloadTest, AnswersAreDeliveredRefusedOrRetried) {
  auto delivered =
      JudgeReply({201, R"({"id":"s-1","submission_id":"a.1","state":"sms_verification"})"});
  EXPECT_EQ(delivered.kind, ReplyVerdict::Kind::kDelivered);
  EXPECT_EQ(delivered.authority_submission_id, "s-1");
  EXPECT_EQ(delivered.authority_state, "sms_verification");
  EXPECT_EQ(JudgeReply({200, R"({"id":"s-1"})"}).kind, ReplyVerdict::Kind::kDelivered);
  // A 2xx without the authority's id is not trusted: tried again.
  EXPECT_EQ(JudgeReply({201, "{}"}).kind, ReplyVerdict::Kind::kRetry);

  auto conflict = JudgeReply(
      {409, R"({"error":{"code":"submission_conflict","message":"open","details":[)"
            R"({"field":"websites[0].domains[0]","code":"submission_conflict","message":"m"}]}})"});
  EXPECT_EQ(conflict.kind, ReplyVerdict::Kind::kRefused);
  ASSERT_EQ(conflict.reasons.size(), 1u);
  EXPECT_EQ(conflict.reasons[0].field, "websites[0].domains[0]");
  EXPECT_EQ(conflict.reasons[0].code, "submission_conflict");
  EXPECT_NE(conflict.error.find("409 submission_conflict"), std::string::npos);
  auto mismatch = JudgeReply({422, "not json"});
  EXPECT_EQ(mismatch.kind, ReplyVerdict::Kind::kRefused);
  ASSERT_EQ(mismatch.reasons.size(), 1u);
  EXPECT_EQ(mismatch.reasons[0].code, "document_hash_mismatch");

  for (long status : {400L, 401L, 404L, 413L, 429L, 500L, 503L}) {
    auto v = JudgeReply({status, R"({"error":{"code":"x","message":"y","details":[]}})"});
    EXPECT_EQ(v.kind, ReplyVerdict::Kind::kRetry) << status;
    EXPECT_NE(v.error.find(std::to_string(status)), std::string::npos);
  }
}

class HandoverTest : public store::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    MigrateOrDie();
    applications_ = std::make_unique<ApplicationsService>(
        db(), clock_, pii_, domain::testing::EmbeddedRules(), ApplicationsOptions{});
    owner_ = AddUser("owner@example.com");
    store::InstanceRow instance;
    instance.id = "i-1";
    instance.owner_id = owner_;
    instance.product = "ecs";
    instance.region = "cn-beijing";
    instance.mainland = true;
    instance.billing = "subscription";
    instance.service_codes_total = 5;
    instance.created_at_ms = 1;
    auto s = db().Write(
        [&](store::Tx& tx) { return store::InventoryRepo(tx).CreateInstance(instance); });
    ASSERT_TRUE(s.ok()) << s.error().message;
    AddApplication("app-1", "photo_accepted");
    auto committed = [&]() -> core::Result<std::string> {
      BEIAN_ASSIGN_OR_RETURN(auto writer, blobs_.Begin());
      BEIAN_TRY(writer->Write("photo-bytes"));
      return writer->Commit();
    }();
    ASSERT_TRUE(committed.ok());
    store::DocumentRow row;
    row.id = "d1";
    row.application_id = "app-1";
    row.kind = "verified_photo";
    row.subject = "organizer";
    row.size = 11;
    row.content_type = "image/png";
    row.sha256 = *committed;
    row.original_name = "photo.png";
    row.uploader_id = owner_;
    row.created_at_ms = 1;
    auto doc = db().Write([&](store::Tx& tx) { return store::DocumentRepo(tx).Insert(row); });
    ASSERT_TRUE(doc.ok()) << doc.error().message;
    Enqueue("app-1");
    worker_ = std::make_unique<HandoverWorker>(
        db(), clock_, pii_, blobs_, applications_->transition_context(),
        [this](const std::string& body) -> core::Result<SubmissionReply> {
          bodies_.push_back(body);
          if (!reply_) return core::Error(ErrorCode::kUnavailable, "connection refused");
          return *reply_;
        },
        HandoverOptions{.retry_base = 1000ms, .lease = 60s});
    std::string key(32, 'p');
    events_ = std::make_unique<AuthorityEventsService>(
        db(), clock_, pii_, applications_->transition_context(), AuthorityLink{"p1", key});
  }

  std::string AddUser(const std::string& email) {
    store::NewUser u;
    u.email = email;
    u.display_name = "Owner";
    u.role = "applicant";
    u.password_hash = "x";
    u.created_at_ms = 1;
    auto r = db().Write([&](store::Tx& tx) { return store::UserRepo(tx).Create(u); });
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? r->id : "";
  }

  void AddApplication(const std::string& id, const std::string& state) {
    domain::Application app = SampleApplication();
    app.id.clear();
    app.filing_type.clear();
    store::ApplicationRecord r;
    r.id = id;
    r.owner_id = owner_;
    r.state = state;
    r.filing_type = "first_filing";
    r.province = "11";
    r.body = SealApplicationBody(app, "", pii_);
    r.created_at_ms = r.updated_at_ms = r.state_entered_at_ms = ToMillis(clock_.Now());
    auto s = db().Write([&](store::Tx& tx) { return store::ApplicationRepo(tx).Insert(r); });
    ASSERT_TRUE(s.ok()) << s.error().message;
  }

  void Enqueue(const std::string& id) {
    auto h =
        db().Write([&](store::Tx& tx) { return EnqueueHandover(tx, id, ToMillis(clock_.Now())); });
    ASSERT_TRUE(h.ok()) << h.error().message;
  }

  std::string State(const std::string& id) {
    auto r = db().Read([&](store::Tx& tx) { return store::ApplicationRepo(tx).Find(id); });
    return r.ok() && r->has_value() ? (*r)->state : "";
  }

  store::Handover Row(const std::string& submission_id) {
    auto r = db().Read([&](store::Tx& tx) { return store::HandoverRepo(tx).Find(submission_id); });
    EXPECT_TRUE(r.ok() && r->has_value());
    return r.ok() && r->has_value() ? **r : store::Handover{};
  }

  int Events(const std::string& id, const std::string& event) {
    auto r = db().Read([&](store::Tx& tx) { return store::ApplicationEventRepo(tx).List(id); });
    int n = 0;
    if (r.ok()) {
      for (const auto& e : *r) n += e.event == event ? 1 : 0;
    }
    return n;
  }

  core::Result<json::object> Event(const std::string& type, json::object extra = {}) {
    json::object e{{"event_id", "ev-" + type + "-" + std::to_string(++serial_)},
                   {"type", type},
                   {"submission_id", "app-1.1"},
                   {"application_id", "app-1"}};
    for (auto& [k, v] : extra) e[k] = v;
    return events_->Apply(e, json::serialize(e));
  }

  core::ManualClock clock_{core::TimePoint(std::chrono::sys_days(std::chrono::year_month_day(
      std::chrono::year(2026), std::chrono::month(12), std::chrono::day(7))))};
  core::PiiCipher pii_{std::string(32, 'k')};
  blob::MemoryBlobStore blobs_;
  std::unique_ptr<ApplicationsService> applications_;
  std::unique_ptr<HandoverWorker> worker_;
  std::unique_ptr<AuthorityEventsService> events_;
  std::optional<SubmissionReply> reply_;
  std::vector<std::string> bodies_;
  std::string owner_;
  int serial_ = 0;
};

TEST_P(HandoverTest, RetriedWhileTheAuthorityFailsThenForwardedOnce) {
  auto first = worker_->RunOnce("w1");
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(*first, 1);
  store::Handover h = Row("app-1.1");
  EXPECT_EQ(h.state, "pending");
  EXPECT_EQ(h.attempts, 1);
  EXPECT_GT(h.next_attempt_at_ms, ToMillis(clock_.Now()));
  EXPECT_NE(h.last_error.find("connection refused"), std::string::npos);
  EXPECT_EQ(*worker_->RunOnce("w1"), 0) << "not due yet";
  reply_ = SubmissionReply{503, "{}"};
  clock_.Advance(2s);
  EXPECT_EQ(*worker_->RunOnce("w1"), 1);
  EXPECT_EQ(Row("app-1.1").attempts, 2);
  EXPECT_EQ(State("app-1"), "photo_accepted");

  reply_ = SubmissionReply{201, R"({"id":"s-9","state":"sms_verification"})"};
  clock_.Advance(10min);
  EXPECT_EQ(*worker_->RunOnce("w1"), 1);
  h = Row("app-1.1");
  EXPECT_EQ(h.state, "delivered");
  EXPECT_EQ(h.authority_submission_id, "s-9");
  EXPECT_EQ(h.authority_state, "sms_verification");
  EXPECT_EQ(State("app-1"), "authority_review");
  EXPECT_EQ(Events("app-1", "forward"), 1);
  clock_.Advance(1h);
  EXPECT_EQ(*worker_->RunOnce("w1"), 0);
  ASSERT_EQ(bodies_.size(), 3u);
  // Every attempt carried the same submission with the photo's bytes.
  auto body = json::parse(bodies_.back()).as_object();
  EXPECT_EQ(body.at("submission_id"), json::value("app-1.1"));
  EXPECT_EQ(body.at("documents").as_array().at(0).at("content_base64"),
            json::value("cGhvdG8tYnl0ZXM="));
  EXPECT_EQ(bodies_.front(), bodies_.back());
}

TEST_P(HandoverTest, RefusedForGoodReturnsTheApplicationWithTheFieldFlagged) {
  reply_ = SubmissionReply{409, R"({"error":{"code":"submission_conflict","message":"open",)"
                                R"("details":[{"field":"organizer.certificate.number",)"
                                R"("code":"submission_conflict","message":"taken"}]}})"};
  EXPECT_EQ(*worker_->RunOnce("w1"), 1);
  EXPECT_EQ(Row("app-1.1").state, "refused");
  EXPECT_EQ(Row("app-1.1").authority_state, "refused");
  EXPECT_EQ(State("app-1"), "returned");
  EXPECT_EQ(Events("app-1", "handover_refused"), 1);
  auto rejection =
      db().Read([&](store::Tx& tx) { return store::RejectionRepo(tx).Latest("app-1"); });
  ASSERT_TRUE(rejection.ok() && rejection->has_value());
  EXPECT_EQ((*rejection)->event, "handover_refused");
  EXPECT_NE((*rejection)->reasons_json.find("organizer.certificate.number"), std::string::npos);
  clock_.Advance(1h);
  EXPECT_EQ(*worker_->RunOnce("w1"), 0) << "a refusal is not retried";
  // A resubmission's next hand-over is a new submission.
  auto next = db().Write(
      [&](store::Tx& tx) { return EnqueueHandover(tx, "app-1", ToMillis(clock_.Now())); });
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->submission_id, "app-1.2");
}

TEST_P(HandoverTest, AnExpiredLeaseIsTakenOverAndTheOldHolderChangesNothing) {
  // w1 claims and "dies" (never answers): after the lease, w2 takes the row and delivers it.
  auto claimed = db().Write([&](store::Tx& tx) {
    return store::HandoverRepo(tx).Claim("w1", ToMillis(clock_.Now()), 60000, 4);
  });
  ASSERT_TRUE(claimed.ok());
  ASSERT_EQ(claimed->size(), 1u);
  reply_ = SubmissionReply{200, R"({"id":"s-1"})"};
  EXPECT_EQ(*worker_->RunOnce("w2"), 0) << "leased";
  clock_.Advance(61s);
  EXPECT_EQ(*worker_->RunOnce("w2"), 1);
  EXPECT_EQ(State("app-1"), "authority_review");
  auto stale = db().Write([&](store::Tx& tx) {
    return store::HandoverRepo(tx).MarkRetry("app-1.1", "w1", ToMillis(clock_.Now()), 0, "late");
  });
  ASSERT_TRUE(stale.ok());
  EXPECT_FALSE(*stale);
  EXPECT_EQ(Row("app-1.1").state, "delivered");
  EXPECT_EQ(Events("app-1", "forward"), 1);
}

TEST_P(HandoverTest, EventsUnderReviewThenApprovedOnceWithTheSns) {
  reply_ = SubmissionReply{201, R"({"id":"s-1"})"};
  ASSERT_EQ(*worker_->RunOnce("w1"), 1);
  ASSERT_EQ(State("app-1"), "authority_review");

  auto review = Event("under_review");
  ASSERT_TRUE(review.ok()) << review.error().message;
  EXPECT_EQ(review->at("applied"), true);
  EXPECT_EQ(Row("app-1.1").authority_state, "under_review");
  EXPECT_EQ(State("app-1"), "authority_review");

  auto missing = Event("approved");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kValidationFailed);

  json::object approval{
      {"subject_sn", "京ICP备2026000007号"},
      {"new_subject", true},
      {"websites", json::array{json::object{{"name", "示例站"},
                                            {"domains", json::array{"example.cn"}},
                                            {"website_sn", "京ICP备2026000007号-1"}}}}};
  json::object extra{{"approval", approval}, {"event_id", "ev-approved"}};
  auto approved = Event("approved", extra);
  ASSERT_TRUE(approved.ok()) << approved.error().message;
  EXPECT_EQ(approved->at("applied"), true);
  EXPECT_EQ(State("app-1"), "approved");
  auto record = db().Read([&](store::Tx& tx) { return store::ApplicationRepo(tx).Find("app-1"); });
  ASSERT_TRUE(record.ok() && record->has_value());
  auto opened = OpenApplicationBody(**record, pii_);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(opened->application.beian.subject_sn, "京ICP备2026000007号");
  EXPECT_EQ(opened->application.beian.website_sns.at("示例站"), "京ICP备2026000007号-1");
  EXPECT_EQ(opened->application.beian.website_sns.at("example.cn"), "京ICP备2026000007号-1");
  EXPECT_EQ(opened->application.organizer.person_in_charge.id_number, "110105199003071239");
  auto codes = db().Read(
      [&](store::Tx& tx) { return store::InventoryRepo(tx).FindInstance(owner_, "i-1"); });
  ASSERT_TRUE(codes.ok() && codes->has_value());
  EXPECT_EQ((*codes)->service_codes_used, 1);

  auto again = Event("approved", extra);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again->at("applied"), false);
  codes = db().Read(
      [&](store::Tx& tx) { return store::InventoryRepo(tx).FindInstance(owner_, "i-1"); });
  EXPECT_EQ((*codes)->service_codes_used, 1);

  auto late = Event("rejected");
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, ErrorCode::kInvalidTransition);
}

TEST_P(HandoverTest, ExpiredReturnsWithSmsNotVerified) {
  // Not yet forwarded: an event is refused.
  auto early = Event("expired");
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error().code, ErrorCode::kInvalidTransition);
  reply_ = SubmissionReply{201, R"({"id":"s-1"})"};
  ASSERT_EQ(*worker_->RunOnce("w1"), 1);
  auto expired = Event("expired");
  ASSERT_TRUE(expired.ok()) << expired.error().message;
  EXPECT_EQ(State("app-1"), "returned");
  EXPECT_EQ(Events("app-1", "sms_failed"), 1);
  EXPECT_EQ(Row("app-1.1").authority_state, "expired");
  auto rejection =
      db().Read([&](store::Tx& tx) { return store::RejectionRepo(tx).Latest("app-1"); });
  ASSERT_TRUE(rejection.ok() && rejection->has_value());
  auto reasons = ReasonsFromJson((*rejection)->reasons_json);
  ASSERT_EQ(reasons.size(), 1u);
  EXPECT_EQ(reasons[0].code, "sms_not_verified");
  EXPECT_EQ(reasons[0].field, "");
  // An unknown submission is refused the same way.
  json::object e{{"event_id", "ev-x"}, {"type", "rejected"}, {"submission_id", "nope.1"}};
  auto unknown = events_->Apply(e, json::serialize(e));
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kInvalidTransition);
}

BEIAN_INSTANTIATE_STORE_SUITE(HandoverTest);

}  // namespace
}  // namespace beian::agent
