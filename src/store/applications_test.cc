// Contract tests of ApplicationRepo, ApplicationEventRepo and IdempotencyRepo on both backends.
#include "store/applications.h"

#include <atomic>
#include <thread>

#include "store/idempotency.h"
#include "store/testing/backends.h"
#include "store/users.h"

namespace beian::store {
namespace {

using core::ErrorCode;

class ApplicationsTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    MigrateOrDie();
    alice_ = AddUser("alice@example.com");
    bob_ = AddUser("bob@example.com");
  }

  std::string AddUser(const std::string& email) {
    NewUser u;
    u.email = email;
    u.display_name = email;
    u.role = "applicant";
    u.password_hash = "x";
    u.created_at_ms = 1;
    auto r = db().Write([&](Tx& tx) { return UserRepo(tx).Create(u); });
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? r->id : "";
  }

  ApplicationRecord Record(const std::string& id, const std::string& owner, int64_t at_ms) {
    ApplicationRecord r;
    r.id = id;
    r.owner_id = owner;
    r.state = "draft";
    r.organizer_type = "enterprise";
    r.organizer_name = "示例科技";
    r.certificate_hash = "hash-" + id;
    r.body = "{\"id\":\"" + id + "\"}";
    r.created_at_ms = r.updated_at_ms = r.state_entered_at_ms = at_ms;
    return r;
  }

  core::Status Create(const ApplicationRecord& r, const std::vector<DomainKey>& domains = {}) {
    return db().Write([&](Tx& tx) -> core::Status {
      ApplicationRepo repo(tx);
      BEIAN_TRY(repo.Insert(r));
      return repo.ClaimKeys(r.id, r.owner_id, r.certificate_hash, domains);
    });
  }

  std::string alice_;
  std::string bob_;
};

TEST_P(ApplicationsTest, InsertThenFind) {
  auto r = Record("a1", alice_, 1000);
  r.sla_deadline_ms = 5000;
  ASSERT_TRUE(Create(r).ok());
  auto found = db().Read([&](Tx& tx) { return ApplicationRepo(tx).Find("a1"); });
  ASSERT_TRUE(found.ok()) << found.error().message;
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->owner_id, alice_);
  EXPECT_EQ((*found)->state, "draft");
  EXPECT_EQ((*found)->version, 1);
  EXPECT_EQ((*found)->organizer_name, "示例科技");
  EXPECT_EQ((*found)->body, r.body);
  EXPECT_EQ((*found)->sla_deadline_ms, 5000);
  auto missing = db().Read([&](Tx& tx) { return ApplicationRepo(tx).Find("nope"); });
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
}

TEST_P(ApplicationsTest, ListPagesNewestFirstPerOwnerAndFiltersByState) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(Create(Record("a" + std::to_string(i), alice_, 1000 + i)).ok());
  }
  ASSERT_TRUE(Create(Record("b0", bob_, 2000)).ok());
  ASSERT_TRUE(db().Write([&](Tx& tx) {
                    return ApplicationRepo(tx).SetState("a1", "draft", 1, "withdrawn", 3000,
                                                        std::nullopt);
                  })
                  .ok());
  std::vector<std::string> seen;
  std::string cursor;
  do {
    auto page = db().Read([&](Tx& tx) {
      return ApplicationRepo(tx).List({.owner_id = alice_, .state = ""}, 2, cursor);
    });
    ASSERT_TRUE(page.ok()) << page.error().message;
    for (const auto& r : page->items) seen.push_back(r.id);
    cursor = page->next_cursor;
  } while (!cursor.empty());
  EXPECT_EQ(seen, (std::vector<std::string>{"a4", "a3", "a2", "a1", "a0"}));

  auto drafts = db().Read([&](Tx& tx) {
    return ApplicationRepo(tx).List({.owner_id = alice_, .state = "withdrawn"}, 10, "");
  });
  ASSERT_TRUE(drafts.ok());
  ASSERT_EQ(drafts->items.size(), 1u);
  EXPECT_EQ(drafts->items[0].id, "a1");

  auto bad = db().Read(
      [&](Tx& tx) { return ApplicationRepo(tx).List({.owner_id = alice_, .state = ""}, 2, "x"); });
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kValidationFailed);
}

TEST_P(ApplicationsTest, SecondOpenApplicationForACertificateIsASubjectConflictNamingTheFirst) {
  auto first = Record("a1", alice_, 1000);
  first.certificate_hash = "cert";
  ASSERT_TRUE(Create(first).ok());
  auto second = Record("a2", alice_, 1001);
  second.certificate_hash = "cert";
  auto s = Create(second);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kSubjectConflict);
  ASSERT_EQ(s.error().details.size(), 1u);
  EXPECT_EQ(s.error().details[0].field, "organizer.certificate.number");
  EXPECT_NE(s.error().message.find("a1"), std::string::npos);
  // Nothing of the refused application was written.
  auto found = db().Read([&](Tx& tx) { return ApplicationRepo(tx).Find("a2"); });
  ASSERT_TRUE(found.ok());
  EXPECT_FALSE(found->has_value());

  // Another account is told of a conflict, but not which application holds it.
  auto other = Record("b1", bob_, 1002);
  other.certificate_hash = "cert";
  auto s2 = Create(other);
  ASSERT_FALSE(s2.ok());
  EXPECT_EQ(s2.error().code, ErrorCode::kSubjectConflict);
  EXPECT_EQ(s2.error().message.find("a1"), std::string::npos);
}

TEST_P(ApplicationsTest, DomainConflictNamesTheField) {
  ASSERT_TRUE(Create(Record("a1", alice_, 1000), {{"example.com", "websites[0].domains[0]"}}).ok());
  auto s = Create(Record("a2", alice_, 1001), {{"other.com", "websites[0].domains[0]"},
                                               {"example.com", "websites[1].domains[0]"}});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kDomainConflict);
  ASSERT_EQ(s.error().details.size(), 1u);
  EXPECT_EQ(s.error().details[0].field, "websites[1].domains[0]");
  // The same domain twice in one application is one claim.
  EXPECT_TRUE(Create(Record("a3", alice_, 1002), {{"twice.com", "websites[0].domains[0]"},
                                                  {"twice.com", "websites[1].domains[0]"}})
                  .ok());
}

TEST_P(ApplicationsTest, ReleasedKeysMayBeClaimedAgain) {
  auto first = Record("a1", alice_, 1000);
  first.certificate_hash = "cert";
  ASSERT_TRUE(Create(first, {{"example.com", "websites[0].domains[0]"}}).ok());
  ASSERT_TRUE(db().Write([&](Tx& tx) { return ApplicationRepo(tx).ReleaseKeys("a1"); }).ok());
  auto second = Record("a2", alice_, 1001);
  second.certificate_hash = "cert";
  EXPECT_TRUE(Create(second, {{"example.com", "websites[0].domains[0]"}}).ok());
}

TEST_P(ApplicationsTest, ClaimingAgainReplacesTheApplicationsOwnKeys) {
  ASSERT_TRUE(Create(Record("a1", alice_, 1000), {{"old.com", "websites[0].domains[0]"}}).ok());
  ASSERT_TRUE(db().Write([&](Tx& tx) {
                    return ApplicationRepo(tx).ClaimKeys("a1", alice_, "hash-a1",
                                                         {{"new.com", "websites[0].domains[0]"}});
                  })
                  .ok());
  EXPECT_TRUE(Create(Record("a2", alice_, 1001), {{"old.com", "websites[0].domains[0]"}}).ok());
  auto s = Create(Record("a3", alice_, 1002), {{"new.com", "websites[0].domains[0]"}});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kDomainConflict);
}

TEST_P(ApplicationsTest, ConcurrentClaimsOfOneDomainLetExactlyOneWin) {
  constexpr int kThreads = 6;
  std::atomic<int> won{0};
  std::atomic<int> conflicts{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      auto s = Create(Record("c" + std::to_string(i), alice_, 1000 + i),
                      {{"race.com", "websites[0].domains[0]"}});
      if (s.ok()) {
        ++won;
      } else if (s.error().code == ErrorCode::kDomainConflict) {
        ++conflicts;
      } else {
        ADD_FAILURE() << s.error().message;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(won.load(), 1);
  EXPECT_EQ(conflicts.load(), kThreads - 1);
}

TEST_P(ApplicationsTest, SetStateAndUpdateBodyCheckTheVersion) {
  ASSERT_TRUE(Create(Record("a1", alice_, 1000)).ok());
  auto r = Record("a1", alice_, 1000);
  r.body = "{\"changed\":true}";
  auto stale = db().Write([&](Tx& tx) { return ApplicationRepo(tx).UpdateBody(r, 7, 2000); });
  ASSERT_TRUE(stale.ok());
  EXPECT_FALSE(*stale);
  auto fresh = db().Write([&](Tx& tx) { return ApplicationRepo(tx).UpdateBody(r, 1, 2000); });
  ASSERT_TRUE(fresh.ok());
  EXPECT_TRUE(*fresh);
  auto wrong_state = db().Write([&](Tx& tx) {
    return ApplicationRepo(tx).SetState("a1", "returned", 2, "preliminary_review", 3000, 9000);
  });
  ASSERT_TRUE(wrong_state.ok());
  EXPECT_FALSE(*wrong_state);
  auto moved = db().Write([&](Tx& tx) {
    return ApplicationRepo(tx).SetState("a1", "draft", 2, "preliminary_review", 3000, 9000);
  });
  ASSERT_TRUE(moved.ok());
  EXPECT_TRUE(*moved);
  auto found = db().Read([&](Tx& tx) { return ApplicationRepo(tx).Find("a1"); });
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->state, "preliminary_review");
  EXPECT_EQ((*found)->version, 3);
  EXPECT_EQ((*found)->body, "{\"changed\":true}");
  EXPECT_EQ((*found)->state_entered_at_ms, 3000);
  EXPECT_EQ((*found)->sla_deadline_ms, 9000);
}

TEST_P(ApplicationsTest, EventsAreNumberedAndCannotBeChangedOrDeleted) {
  ASSERT_TRUE(Create(Record("a1", alice_, 1000)).ok());
  for (const char* to : {"draft", "preliminary_review"}) {
    auto e = db().Write([&](Tx& tx) {
      ApplicationEvent ev;
      ev.application_id = "a1";
      ev.event = "submit";
      ev.actor_id = alice_;
      ev.role = "applicant";
      ev.to_state = to;
      ev.created_at_ms = 1000;
      return ApplicationEventRepo(tx).Append(ev);
    });
    ASSERT_TRUE(e.ok()) << e.error().message;
  }
  auto list = db().Read([&](Tx& tx) { return ApplicationEventRepo(tx).List("a1"); });
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].seq, 1);
  EXPECT_EQ((*list)[1].seq, 2);
  EXPECT_EQ((*list)[1].to_state, "preliminary_review");

  auto update = db().Write(
      [&](Tx& tx) { return tx.ExecScript("UPDATE application_events SET to_state = 'approved'"); });
  EXPECT_FALSE(update.ok());
  auto del = db().Write([&](Tx& tx) { return tx.ExecScript("DELETE FROM application_events"); });
  EXPECT_FALSE(del.ok());
  auto after = db().Read([&](Tx& tx) { return ApplicationEventRepo(tx).List("a1"); });
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->size(), 2u);
}

TEST_P(ApplicationsTest, IdempotentAnswersAreKeptPerAccount) {
  IdempotentAnswer a{alice_, "k1", "h1", 201, "sealed", 1000};
  ASSERT_TRUE(db().Write([&](Tx& tx) { return IdempotencyRepo(tx).Insert(a); }).ok());
  auto dup = db().Write([&](Tx& tx) { return IdempotencyRepo(tx).Insert(a); });
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, ErrorCode::kConflict);
  IdempotentAnswer b{bob_, "k1", "h2", 201, "other", 1000};
  ASSERT_TRUE(db().Write([&](Tx& tx) { return IdempotencyRepo(tx).Insert(b); }).ok());
  auto found = db().Read([&](Tx& tx) { return IdempotencyRepo(tx).Find(alice_, "k1"); });
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->request_hash, "h1");
  EXPECT_EQ((*found)->status, 201);
  EXPECT_EQ((*found)->response, "sealed");
  auto purged = db().Write([&](Tx& tx) { return IdempotencyRepo(tx).PurgeBefore(2000); });
  ASSERT_TRUE(purged.ok());
  EXPECT_EQ(*purged, 2);
}

BEIAN_INSTANTIATE_STORE_SUITE(ApplicationsTest);

}  // namespace
}  // namespace beian::store
