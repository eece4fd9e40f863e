// The authority's submissions on both backends: the intake (first arrival, repeat, conflicts
// across providers, hash mismatch with nothing stored, malformed bodies, the SMS hook called once
// inside the transaction), TransitionSubmission (review clock, provider events, keys released on
// closing, invalid transitions), the review's decisions (approve numbers the subject and sends
// the ICP password sealed, reject needs catalogue reasons, the claim is required, concurrent
// decisions → one SN), and the reason catalogue's parser.
#include <sodium.h>

#include <atomic>
#include <set>
#include <thread>

#include "authority/providers.h"
#include "authority/review_service.h"
#include "authority/submission_intake.h"
#include "authority/submission_transitions.h"
#include "blob/memory_blob_store.h"
#include "core/crypto.h"
#include "core/request_signing.h"
#include "domain/rules_test_support.h"
#include "store/notifications.h"
#include "store/testing/backends.h"

namespace beian::authority {
namespace {

namespace json = boost::json;
using core::ErrorCode;

std::string Base64(std::string_view bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

class SubmissionsServiceTest : public store::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    MigrateOrDie("authority");
    ASSERT_TRUE(AddProvider(db(), clock_, pii_, {"p1", "Provider One", "http://127.0.0.1:1"}));
    ASSERT_TRUE(AddProvider(db(), clock_, pii_, {"p2", "Provider Two", "http://127.0.0.1:2"}));
    p1_ = Provider("p1");
    p2_ = Provider("p2");
    intake_ = std::make_unique<SubmissionIntake>(db(), clock_, pii_, rules(), blobs_);
    intake_->SetStartSmsHook([this](store::Tx& tx, const store::SubmissionRecord& s,
                                    const std::vector<SmsPerson>& persons, const core::PiiCipher&,
                                    int64_t) -> core::Status {
      hook_calls_.fetch_add(1);
      last_persons_ = persons;
      // Inside the transaction: the row is visible to it.
      BEIAN_ASSIGN_OR_RETURN(auto found, store::SubmissionRepo(tx).Find(s.id));
      if (!found) return core::Error(ErrorCode::kInternal, "not in the transaction");
      return core::Ok();
    });
    auto reasons = domain::AuthorityReasons::BuiltIn();
    ASSERT_TRUE(reasons) << reasons.error().message;
    registry_ = std::make_unique<RegistryService>(db(), clock_, pii_, rules());
    review_ =
        std::make_unique<AuthorityReviewService>(db(), clock_, pii_, rules(), *registry_, blobs_,
                                                 std::move(*reasons), core::PasswordCost::kMinimum);
  }

  store::Provider Provider(const std::string& id) {
    auto p = db().Read([&](store::Tx& tx) { return store::ProviderRepo(tx).Find(id); });
    EXPECT_TRUE(p && p->has_value());
    return p && p->has_value() ? **p : store::Provider{};
  }

  static const domain::Rules& rules() { return domain::testing::EmbeddedRules(); }

  json::object Body(const std::string& submission_id, const std::string& cert,
                    const std::string& domain, const std::string& content = "file bytes") {
    json::object person{{"name", "张三"},
                        {"id_type", "resident_id_card"},
                        {"id_number", "110105199003071239"},
                        {"mobile", "13800138000"},
                        {"email", "zs@example.com"}};
    return {{"submission_id", submission_id},
            {"application_id", "app-" + submission_id},
            {"filing_type", "first_filing"},
            {"province", "11"},
            {"beian_sn", nullptr},
            {"organizer",
             {{"type", "enterprise"},
              {"name", "北京示例科技有限公司"},
              {"certificate", {{"type", "business_license"}, {"number", cert}}},
              {"province", "11"},
              {"address", "北京市海淀区中关村大街1号"},
              {"person_in_charge", person}}},
            {"websites", json::array{json::object{{"name", "示例网"},
                                                  {"domains", json::array{json::value(domain)}}}}},
            {"sms_persons", json::array{"organizer", "website:0"}},
            {"documents", json::array{json::object{{"id", "d1"},
                                                   {"kind", "business_license"},
                                                   {"subject", "organizer"},
                                                   {"filename", "执照.png"},
                                                   {"content_type", "image/png"},
                                                   {"size", content.size()},
                                                   {"sha256", core::Sha256Hex(content)},
                                                   {"content_base64", Base64(content)}}}}};
  }

  core::Result<IntakeAnswer> Receive(const store::Provider& p, const json::object& body) {
    return intake_->Receive(p, json::serialize(body));
  }

  // What the SMS step does once every code is entered.
  void ToReview(const std::string& id) {
    auto moved = db().Write([&](store::Tx& tx) {
      return TransitionSubmission(tx, {clock_, rules(), calendar_},
                                  {.submission_id = id,
                                   .event = "sms_verified",
                                   .actor = "system",
                                   .role = "system",
                                   .facts = {.all_sms_verified = true}});
    });
    ASSERT_TRUE(moved) << moved.error().message;
  }

  std::string Received(const std::string& sid, const std::string& cert, const std::string& d) {
    auto r = Receive(p1_, Body(sid, cert, d));
    EXPECT_TRUE(r) << r.error().message;
    return r ? std::string(r->body.at("id").as_string()) : "";
  }

  http::Principal Reviewer(const std::string& id) {
    http::Principal p;
    p.user_id = id;
    p.role = "authority_reviewer";
    return p;
  }

  // 2026-06-01 12:00 UTC (a Monday).
  core::ManualClock clock_{core::TimePoint(std::chrono::seconds(1780315200))};
  core::PiiCipher pii_{std::string(32, 'k')};
  domain::BusinessCalendar calendar_{rules()};
  blob::MemoryBlobStore blobs_;
  store::Provider p1_, p2_;
  std::unique_ptr<SubmissionIntake> intake_;
  std::unique_ptr<RegistryService> registry_;
  std::unique_ptr<AuthorityReviewService> review_;
  std::atomic<int> hook_calls_{0};
  std::vector<SmsPerson> last_persons_;
};

constexpr const char* kCertA = "91110108MA01AAAA1A";
constexpr const char* kCertB = "91110108MA01BBBB2B";

TEST_P(SubmissionsServiceTest, ArrivalThenRepeat) {
  auto first = Receive(p1_, Body("a.1", kCertA, "example-a.cn"));
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_TRUE(first->created);
  EXPECT_EQ(first->body.at("state").as_string(), "sms_verification");
  EXPECT_EQ(first->body.at("sms_deadline").as_string(), "2026-06-02T12:00:00.000Z");
  EXPECT_EQ(hook_calls_.load(), 1);
  ASSERT_EQ(last_persons_.size(), 2u);
  EXPECT_EQ(last_persons_[1].person, "website:0");
  EXPECT_EQ(last_persons_[1].mobile, "13800138000")
      << "a website without its own person: the organizer's";
  auto again = Receive(p1_, Body("a.1", kCertA, "example-a.cn", "other bytes"));
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->body, first->body);
  EXPECT_EQ(hook_calls_.load(), 1) << "a repeat sends no codes";
  const std::string id(first->body.at("id").as_string());
  auto s = db().Read([&](store::Tx& tx) { return store::SubmissionRepo(tx).Find(id); });
  ASSERT_TRUE(s && s->has_value());
  EXPECT_EQ((*s)->domains_json, R"(["example-a.cn"])");
  auto payload = pii_.Open((*s)->payload_sealed, kPayloadColumn);
  ASSERT_TRUE(payload);
  EXPECT_EQ(payload->find("content_base64"), std::string::npos)
      << "documents are not in the payload";
  EXPECT_TRUE(blobs_.Exists(core::Sha256Hex("file bytes")).value_or(false));
}

TEST_P(SubmissionsServiceTest, ConflictsAcrossProvidersUntilClosed) {
  const std::string id = Received("a.1", kCertA, "example-a.cn");
  auto domain_clash = Receive(p2_, Body("b.1", kCertB, "www.example-a.cn"));
  ASSERT_FALSE(domain_clash);
  EXPECT_EQ(domain_clash.error().code, ErrorCode::kSubmissionConflict);
  ASSERT_EQ(domain_clash.error().details.size(), 1u);
  EXPECT_EQ(domain_clash.error().details[0].field, "websites[0].domains[0]");
  auto cert_clash = Receive(p2_, Body("b.2", kCertA, "example-b.cn"));
  ASSERT_FALSE(cert_clash);
  EXPECT_EQ(cert_clash.error().details[0].field, "organizer.certificate.number");
  EXPECT_EQ(hook_calls_.load(), 1);
  // Closed (the SMS deadline passed): the keys are free.
  auto expired = db().Write([&](store::Tx& tx) {
    return TransitionSubmission(
        tx, {clock_, rules(), calendar_},
        {.submission_id = id, .event = "sms_timeout", .actor = "system", .role = "system"});
  });
  ASSERT_TRUE(expired) << expired.error().message;
  EXPECT_TRUE(Receive(p2_, Body("b.3", kCertA, "example-a.cn")));
}

TEST_P(SubmissionsServiceTest, HashMismatchStoresNothing) {
  json::object body = Body("a.1", kCertA, "example-a.cn");
  body["documents"].as_array()[0].as_object()["sha256"] = core::Sha256Hex("something else");
  auto r = Receive(p1_, body);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kDocumentHashMismatch);
  EXPECT_EQ(r.error().details[0].field, "documents[0]");
  EXPECT_FALSE(blobs_.Exists(core::Sha256Hex("file bytes")).value_or(true));
  auto none = db().Read(
      [&](store::Tx& tx) { return store::SubmissionRepo(tx).FindByProvider("p1", "a.1"); });
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->has_value());
  EXPECT_EQ(hook_calls_.load(), 0);
}

TEST_P(SubmissionsServiceTest, MalformedBodies) {
  auto expect = [&](json::object body, ErrorCode code, const std::string& field) {
    auto r = Receive(p1_, body);
    ASSERT_FALSE(r) << field;
    EXPECT_EQ(r.error().code, code) << field << ": " << r.error().message;
    bool named = false;
    for (const auto& d : r.error().details) named = named || d.field == field;
    EXPECT_TRUE(named) << field << ": " << r.error().message;
  };
  json::object b = Body("a.1", kCertA, "example-a.cn");
  b["sms_persons"] = json::array{};
  expect(b, ErrorCode::kValidationFailed, "sms_persons");
  b = Body("a.1", kCertA, "example-a.cn");
  b["sms_persons"] = json::array{"website:1"};
  expect(b, ErrorCode::kValidationFailed, "sms_persons[0]");
  b = Body("a.1", kCertA, "example-a.cn");
  b["filing_type"] = "new_subject";
  expect(b, ErrorCode::kValidationFailed, "filing_type");
  b = Body("a.1", kCertA, "example-a.cn");
  b["province"] = "99";
  expect(b, ErrorCode::kValidationFailed, "province");
  b = Body("a.1", kCertA, "example-a.cn");
  b["organizer"].as_object()["phone"] = "1";
  expect(b, ErrorCode::kUnknownField, "organizer.phone");
  b = Body("a.1", kCertA, "exa mple.cn");
  expect(b, ErrorCode::kValidationFailed, "websites[0].domains[0]");
  b = Body("a.1", kCertA, "example-a.cn");
  b["documents"].as_array()[0].as_object()["size"] = 3;
  expect(b, ErrorCode::kValidationFailed, "documents[0].size");
  b = Body("a b", kCertA, "example-a.cn");
  expect(b, ErrorCode::kValidationFailed, "submission_id");
}

TEST_P(SubmissionsServiceTest, TransitionsKeepTheClockAndTellTheProvider) {
  const std::string id = Received("a.1", kCertA, "example-a.cn");
  ToReview(id);
  auto s = db().Read([&](store::Tx& tx) { return store::SubmissionRepo(tx).Find(id); });
  ASSERT_TRUE(s && s->has_value());
  EXPECT_EQ((*s)->state, "under_review");
  EXPECT_EQ((*s)->version, 2);
  // 20 working days from Monday 2026-06-01: the end (China time) of a day in late June.
  ASSERT_TRUE((*s)->review_deadline_ms.has_value());
  EXPECT_GT(*(*s)->review_deadline_ms, (*s)->received_at_ms + int64_t{26} * 86400000);
  auto events =
      db().Read([&](store::Tx& tx) { return store::ProviderEventRepo(tx).ForSubmission(id); });
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].type, "under_review");
  json::value body = json::parse((*events)[0].body);
  EXPECT_EQ(body.at("submission_id").as_string(), "a.1");
  EXPECT_EQ(body.at("authority_submission_id").as_string(), id);
  EXPECT_EQ(body.at("event_id").as_string(), (*events)[0].event_id);
  // Not allowed: SMS events once under review; approve by the system.
  for (auto [event, role] : {std::pair{"sms_timeout", "system"}, std::pair{"approve", "system"}}) {
    auto bad = db().Write([&](store::Tx& tx) {
      return TransitionSubmission(
          tx, {clock_, rules(), calendar_},
          {.submission_id = id, .event = event, .actor = "system", .role = role});
    });
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, ErrorCode::kInvalidTransition) << event;
  }
}

TEST_P(SubmissionsServiceTest, ApproveNumbersAndSealsThePassword) {
  const std::string id = Received("a.1", kCertA, "example-a.cn");
  ToReview(id);
  auto no_claim = review_->Decide(id, Reviewer("r1"), "approve", {});
  ASSERT_FALSE(no_claim);
  EXPECT_EQ(no_claim.error().code, ErrorCode::kClaimRequired);
  ASSERT_TRUE(review_->Claim(id, Reviewer("r1")));
  auto other = review_->Claim(id, Reviewer("r2"));
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, ErrorCode::kClaimedByOther);
  auto done = review_->Decide(id, Reviewer("r1"), "approve", {});
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_EQ(done->at("state").as_string(), "approved");
  EXPECT_EQ(done->at("subject_sn").as_string(), "京ICP备2026000001号");
  EXPECT_EQ(done->at("website_sns").at("示例网").as_string(), "京ICP备2026000001号-1");
  EXPECT_EQ(done->at("organizer").at("person_in_charge").at("mobile").as_string(), "138****8000");
  auto notes = db().Read(
      [&](store::Tx& tx) { return store::NotificationRepo(tx).ListByState("", 100, ""); });
  ASSERT_TRUE(notes);
  int passwords = 0;
  for (const auto& n : notes->items) {
    if (n.template_id != "authority_icp_password") continue;
    ++passwords;
    json::value params = json::parse(n.params_json);
    const std::string sealed(params.at("icp_password").as_string());
    auto clear = pii_.Open(sealed, "notifications.icp_password");
    ASSERT_TRUE(clear) << "sealed for its column";
    EXPECT_EQ(clear->size(), 16u);
    EXPECT_EQ(clear->find_first_of("0O1lI"), std::string::npos);
    if (n.channel == "sms") {
      EXPECT_NE(n.address, "13800138000") << "the mobile sealed too";
    }
  }
  EXPECT_EQ(passwords, 2);
  // Closed: the keys are free, and the provider is told once more (approved).
  auto events =
      db().Read([&](store::Tx& tx) { return store::ProviderEventRepo(tx).ForSubmission(id); });
  ASSERT_EQ(events->size(), 2u);
  // Both at the same (manual) millisecond: found by type, not by order.
  const auto& e = (*events)[0].type == "approved" ? (*events)[0] : (*events)[1];
  EXPECT_EQ(e.type, "approved");
  json::value approved = json::parse(e.body);
  EXPECT_EQ(approved.at("approval").at("new_subject").as_bool(), true);
  EXPECT_EQ(approved.at("approval").at("websites").at(0).at("website_sn").as_string(),
            "京ICP备2026000001号-1");
  auto again = review_->Decide(id, Reviewer("r1"), "approve", {});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kInvalidTransition);
}

TEST_P(SubmissionsServiceTest, ConcurrentApprovalsIssueOneSn) {
  const std::string id = Received("a.1", kCertA, "example-a.cn");
  ToReview(id);
  ASSERT_TRUE(review_->Claim(id, Reviewer("r1")));
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      if (review_->Decide(id, Reviewer("r1"), "approve", {})) ok.fetch_add(1);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
  constexpr store::Statement kCount{"test.subjects", "SELECT COUNT(*) FROM registry_subjects"};
  auto n = db().Read([&](store::Tx& tx) { return tx.QueryOne(kCount, {}); });
  ASSERT_TRUE(n && n->has_value());
  EXPECT_EQ((*n)->GetInt(0).value_or(-1), 1);
}

TEST_P(SubmissionsServiceTest, RejectNeedsCatalogueReasons) {
  const std::string id = Received("a.1", kCertA, "example-a.cn");
  ToReview(id);
  ASSERT_TRUE(review_->Claim(id, Reviewer("r1")));
  auto none = review_->Decide(id, Reviewer("r1"), "reject", {});
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, ErrorCode::kValidationFailed);
  auto unknown = review_->Decide(id, Reviewer("r1"), "reject", {{"organizer", "nope", ""}});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kUnknownReason);
  auto no_note = review_->Decide(id, Reviewer("r1"), "reject", {{"", "other", ""}});
  ASSERT_FALSE(no_note);
  EXPECT_EQ(no_note.error().code, ErrorCode::kValidationFailed);
  auto done = review_->Decide(id, Reviewer("r1"), "reject",
                              {{"websites[0].name", "website_name_noncompliant", "过长"}});
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_EQ(done->at("state").as_string(), "rejected");
  auto events =
      db().Read([&](store::Tx& tx) { return store::ProviderEventRepo(tx).ForSubmission(id); });
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 2u);
  const auto& e = (*events)[0].type == "rejected" ? (*events)[0] : (*events)[1];
  json::value rejected = json::parse(e.body);
  EXPECT_EQ(rejected.at("type").as_string(), "rejected");
  EXPECT_EQ(rejected.at("reasons").at(0).at("code").as_string(), "website_name_noncompliant");
  // Keys released: the same filing may come again.
  EXPECT_TRUE(Receive(p2_, Body("b.1", kCertA, "example-a.cn")));
}

TEST(IcpPasswordTest, SixteenCharactersWithoutLookAlikes) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    const std::string p = NewIcpPassword();
    ASSERT_EQ(p.size(), 16u);
    EXPECT_EQ(p.find_first_of("0O1lIo"), std::string::npos) << p;
    seen.insert(p);
  }
  EXPECT_EQ(seen.size(), 200u);
}

BEIAN_INSTANTIATE_STORE_SUITE(SubmissionsServiceTest);

}  // namespace
}  // namespace beian::authority
