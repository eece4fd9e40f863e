// Contract tests of ReviewClaimRepo, BackdropRepo, RejectionRepo, ReviewQueueRepo and AuditRepo on
// both backends: the conditional claim (own extension, expiry take-over, a live claim kept, and
// concurrent claims from many threads → exactly one winner), backdrop paging and shipping, the
// latest rejection, the queue's filters and cursor, and the audit log's seq uniqueness and
// append-only triggers.
#include "store/review.h"

#include <atomic>
#include <thread>

#include "store/applications.h"
#include "store/testing/backends.h"
#include "store/users.h"

namespace beian::store {
namespace {

using core::ErrorCode;

class ReviewStoreTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    MigrateOrDie();
    owner_ = AddUser("owner@example.com", "applicant");
    rv1_ = AddUser("rv1@example.com", "reviewer");
    rv2_ = AddUser("rv2@example.com", "reviewer");
  }

  std::string AddUser(const std::string& email, const std::string& role) {
    NewUser u;
    u.email = email;
    u.display_name = "name of " + email;
    u.role = role;
    u.password_hash = "x";
    u.created_at_ms = 1;
    auto r = db().Write([&](Tx& tx) { return UserRepo(tx).Create(u); });
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? r->id : "";
  }

  void AddApplication(const std::string& id, const std::string& state, int64_t entered_ms,
                      const std::string& province = "11",
                      std::optional<int64_t> deadline = std::nullopt) {
    ApplicationRecord r;
    r.id = id;
    r.owner_id = owner_;
    r.state = state;
    r.province = province;
    r.organizer_type = "enterprise";
    r.organizer_name = "org " + id;
    r.body = "{}";
    r.created_at_ms = r.updated_at_ms = r.state_entered_at_ms = entered_ms;
    r.sla_deadline_ms = deadline;
    auto s = db().Write([&](Tx& tx) { return ApplicationRepo(tx).Insert(r); });
    ASSERT_TRUE(s.ok()) << s.error().message;
  }

  bool Take(const std::string& app, const std::string& reviewer, int64_t now, int64_t until) {
    auto r =
        db().Write([&](Tx& tx) { return ReviewClaimRepo(tx).Take(app, reviewer, now, until); });
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() && *r;
  }

  std::string owner_, rv1_, rv2_;
};

TEST_P(ReviewStoreTest, ClaimIsConditional) {
  AddApplication("a1", "preliminary_review", 100);
  EXPECT_TRUE(Take("a1", rv1_, 1000, 2000));
  EXPECT_FALSE(Take("a1", rv2_, 1500, 2500)) << "another reviewer's live claim is kept";
  EXPECT_TRUE(Take("a1", rv1_, 1600, 2600)) << "the holder extends";
  auto c = db().Read([&](Tx& tx) { return ReviewClaimRepo(tx).Find("a1"); });
  ASSERT_TRUE(c.ok() && c->has_value());
  EXPECT_EQ((*c)->reviewer_id, rv1_);
  EXPECT_EQ((*c)->reviewer_name, "name of rv1@example.com");
  EXPECT_EQ((*c)->expires_at_ms, 2600);
  EXPECT_FALSE(Take("a1", rv2_, 2599, 3000)) << "live until expires_at";
  EXPECT_TRUE(Take("a1", rv2_, 2600, 3600)) << "an expired claim is taken over";
  auto released = db().Write([&](Tx& tx) { return ReviewClaimRepo(tx).Release("a1", rv1_); });
  ASSERT_TRUE(released.ok());
  EXPECT_FALSE(*released) << "only the holder releases";
  released = db().Write([&](Tx& tx) { return ReviewClaimRepo(tx).Release("a1", rv2_); });
  EXPECT_TRUE(*released);
  EXPECT_TRUE(Take("a1", rv1_, 2700, 3700));
}

TEST_P(ReviewStoreTest, ConcurrentClaimsHaveExactlyOneWinner) {
  AddApplication("race", "preliminary_review", 100);
  std::vector<std::string> reviewers;
  for (int i = 0; i < 8; ++i) {
    reviewers.push_back(AddUser("race" + std::to_string(i) + "@example.com", "reviewer"));
  }
  std::atomic<int> won{0};
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (const std::string& r : reviewers) {
    threads.emplace_back([&, r] {
      auto got =
          db().Write([&](Tx& tx) { return ReviewClaimRepo(tx).Take("race", r, 1000, 5000); });
      if (!got.ok()) {
        failed.fetch_add(1);
      } else if (*got) {
        won.fetch_add(1);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(won.load(), 1);
  EXPECT_EQ(failed.load(), 0);
}

TEST_P(ReviewStoreTest, BackdropsPageAndShip) {
  AddApplication("b1", "backdrop_requested", 100);
  AddApplication("b2", "backdrop_requested", 100);
  AddApplication("b3", "withdrawn", 100);
  for (auto [id, at] : {std::pair{"b1", 10}, std::pair{"b2", 20}, std::pair{"b3", 5}}) {
    auto s = db().Write([&](Tx& tx) {
      return BackdropRepo(tx).Upsert({.application_id = id,
                                      .recipient = "张三",
                                      .mobile_sealed = "sealed",
                                      .mobile_masked = "139****0001",
                                      .address = "北京市海淀区中关村大街1号",
                                      .requested_at_ms = at});
    });
    ASSERT_TRUE(s.ok()) << s.error().message;
  }
  auto p1 = db().Read([&](Tx& tx) { return BackdropRepo(tx).List(false, 1, ""); });
  ASSERT_TRUE(p1.ok()) << p1.error().message;
  ASSERT_EQ(p1->items.size(), 1u);
  EXPECT_EQ(p1->items[0].application_id, "b1") << "oldest first; a withdrawn one is not listed";
  EXPECT_EQ(p1->items[0].organizer_name, "org b1");
  auto p2 = db().Read([&](Tx& tx) { return BackdropRepo(tx).List(false, 1, p1->next_cursor); });
  ASSERT_TRUE(p2.ok());
  ASSERT_EQ(p2->items.size(), 1u);
  EXPECT_EQ(p2->items[0].application_id, "b2");
  EXPECT_TRUE(p2->next_cursor.empty());
  auto shipped =
      db().Write([&](Tx& tx) { return BackdropRepo(tx).MarkShipped("b1", "顺丰", "SF1234", 30); });
  ASSERT_TRUE(shipped.ok() && *shipped);
  auto s = db().Read([&](Tx& tx) { return BackdropRepo(tx).List(true, 10, ""); });
  ASSERT_EQ(s->items.size(), 1u);
  EXPECT_EQ(s->items[0].carrier, "顺丰");
  EXPECT_EQ(s->items[0].shipped_at_ms, 30);
  auto bad = db().Read([&](Tx& tx) { return BackdropRepo(tx).List(false, 10, "x"); });
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kValidationFailed);
  // A new request replaces the old one and clears the shipping.
  auto again = db().Write([&](Tx& tx) {
    return BackdropRepo(tx).Upsert({.application_id = "b1",
                                    .recipient = "李四",
                                    .mobile_sealed = "sealed2",
                                    .mobile_masked = "138****0002",
                                    .address = "上海市浦东新区世纪大道100号",
                                    .requested_at_ms = 40});
  });
  ASSERT_TRUE(again.ok());
  auto b1 = db().Read([&](Tx& tx) { return BackdropRepo(tx).Find("b1"); });
  ASSERT_TRUE(b1.ok() && b1->has_value());
  EXPECT_EQ((*b1)->recipient, "李四");
  EXPECT_FALSE((*b1)->shipped_at_ms.has_value());
}

TEST_P(ReviewStoreTest, QueueFiltersOrdersAndShowsLiveClaims) {
  AddApplication("q1", "preliminary_review", 300, "11", 1000);
  AddApplication("q2", "preliminary_review", 100, "44", 5000);
  AddApplication("q3", "preliminary_review", 200, "11", std::nullopt);
  AddApplication("q4", "photo_uploaded", 50, "11", std::nullopt);
  EXPECT_TRUE(Take("q3", rv1_, 10, 2000));
  auto list = [&](QueueFilter f, int limit = 10, std::string cursor = "") {
    auto r = db().Read([&](Tx& tx) { return ReviewQueueRepo(tx).List(f, limit, cursor); });
    EXPECT_TRUE(r.ok()) << r.error().message;
    std::vector<std::string> ids;
    if (r.ok()) {
      for (const auto& i : r->items) ids.push_back(i.application.id);
    }
    return std::pair{ids, r.ok() ? *r : QueuePage{}};
  };
  auto [all, page] = list({.state = "preliminary_review", .now_ms = 1500});
  EXPECT_EQ(all, (std::vector<std::string>{"q2", "q3", "q1"}));
  ASSERT_EQ(page.items.size(), 3u);
  ASSERT_TRUE(page.items[1].claim.has_value());
  EXPECT_EQ(page.items[1].claim->reviewer_id, rv1_);
  EXPECT_FALSE(page.items[0].claim.has_value());
  // An expired claim is not shown.
  auto later = list({.state = "preliminary_review", .now_ms = 2000}).second;
  EXPECT_FALSE(later.items[1].claim.has_value());
  EXPECT_EQ(list({.state = "preliminary_review", .province = "11", .now_ms = 1}).first,
            (std::vector<std::string>{"q3", "q1"}));
  EXPECT_EQ(list({.state = "preliminary_review", .overdue_only = true, .now_ms = 1500}).first,
            (std::vector<std::string>{"q1"}));
  EXPECT_EQ(list({.state = "photo_uploaded", .now_ms = 1}).first, (std::vector<std::string>{"q4"}));
  auto first = list({.state = "preliminary_review", .now_ms = 1}, 2);
  EXPECT_EQ(first.first, (std::vector<std::string>{"q2", "q3"}));
  EXPECT_EQ(list({.state = "preliminary_review", .now_ms = 1}, 2, first.second.next_cursor).first,
            (std::vector<std::string>{"q1"}));
}

TEST_P(ReviewStoreTest, LatestRejectionAndFacts) {
  AddApplication("r1", "returned", 100);
  for (int64_t seq : {3, 7}) {
    auto s = db().Write([&](Tx& tx) {
      return RejectionRepo(tx).Insert({.application_id = "r1",
                                       .event_seq = seq,
                                       .event = "reject",
                                       .reasons_json = "[]",
                                       .body = "body" + std::to_string(seq),
                                       .documents_json = "{}",
                                       .created_at_ms = seq});
    });
    ASSERT_TRUE(s.ok()) << s.error().message;
  }
  auto latest = db().Read([&](Tx& tx) { return RejectionRepo(tx).Latest("r1"); });
  ASSERT_TRUE(latest.ok() && latest->has_value());
  EXPECT_EQ((*latest)->event_seq, 7);
  EXPECT_EQ((*latest)->body, "body7");
  auto none = db().Read([&](Tx& tx) { return RejectionRepo(tx).Latest("nope"); });
  EXPECT_FALSE(none->has_value());
  // A preliminary rejection makes a resubmission of the preliminary review, not of the photo's.
  AddApplication("r2", "photo_uploaded", 100);
  auto photo_rejection = db().Write([&](Tx& tx) -> core::Status {
    BEIAN_TRY(RejectionRepo(tx).Insert({.application_id = "r2",
                                        .event_seq = 2,
                                        .event = "reject",
                                        .reasons_json = "[]",
                                        .body = "b",
                                        .documents_json = "{}",
                                        .created_at_ms = 2}));
    return core::Ok();
  });
  ASSERT_TRUE(photo_rejection.ok()) << photo_rejection.error().message;
  auto photo_queue = db().Read([&](Tx& tx) {
    return ReviewQueueRepo(tx).List({.state = "photo_uploaded", .now_ms = 1}, 10, "");
  });
  ASSERT_TRUE(photo_queue.ok()) << photo_queue.error().message;
  ASSERT_EQ(photo_queue->items.size(), 1u);
  EXPECT_FALSE(photo_queue->items[0].resubmission);
  auto added = db().Write([&](Tx& tx) {
    return RejectionRepo(tx).Insert({.application_id = "r2",
                                     .event_seq = 5,
                                     .event = "reject_photo",
                                     .reasons_json = "[]",
                                     .body = "b",
                                     .documents_json = "{}",
                                     .created_at_ms = 5});
  });
  ASSERT_TRUE(added.ok());
  photo_queue = db().Read([&](Tx& tx) {
    return ReviewQueueRepo(tx).List({.state = "photo_uploaded", .now_ms = 1}, 10, "");
  });
  EXPECT_TRUE(photo_queue->items[0].resubmission);
  auto facts = db().Read([&](Tx& tx) { return ReviewQueueRepo(tx).Facts("r1"); });
  ASSERT_TRUE(facts.ok()) << facts.error().message;
  EXPECT_FALSE(facts->submitted_at_ms.has_value());
  EXPECT_EQ(facts->last_acceptance_seq, 0);
}

TEST_P(ReviewStoreTest, AuditLogSeqIsUniqueAndRowsAreAppendOnly) {
  AuditRow row{.seq = 1,
               .at_ms = 5,
               .actor_id = rv1_,
               .action = "reveal",
               .application_id = "a",
               .detail = "{}",
               .prev_hash = "p",
               .hash = "h"};
  ASSERT_TRUE(db().Write([&](Tx& tx) { return AuditRepo(tx).Insert(row); }).ok());
  auto dup = db().Write([&](Tx& tx) { return AuditRepo(tx).Insert(row); });
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, ErrorCode::kSerializationFailure) << dup.error().message;
  auto last = db().Read([&](Tx& tx) { return AuditRepo(tx).Last(); });
  ASSERT_TRUE(last.ok() && last->has_value());
  EXPECT_EQ((*last)->hash, "h");
  auto changed = db().Write(
      [&](Tx& tx) { return tx.ExecScript("UPDATE audit_log SET actor_id = 'x' WHERE seq = 1"); });
  EXPECT_FALSE(changed.ok());
  auto deleted =
      db().Write([&](Tx& tx) { return tx.ExecScript("DELETE FROM audit_log WHERE seq = 1"); });
  EXPECT_FALSE(deleted.ok());
  auto after = db().Read([&](Tx& tx) { return AuditRepo(tx).After(0, 10); });
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->size(), 1u);
  EXPECT_EQ((*after)[0].actor_id, rv1_);
}

BEIAN_INSTANTIATE_STORE_SUITE(ReviewStoreTest);

}  // namespace
}  // namespace beian::store
