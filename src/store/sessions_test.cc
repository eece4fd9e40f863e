// Contract tests of SessionRepo on both backends.
#include "store/sessions.h"

#include "core/crypto.h"
#include "store/testing/backends.h"

namespace beian::store {
namespace {

using core::ErrorCode;
using core::Result;
using core::Status;

constexpr int64_t kNow = 1'700'000'000'000;
constexpr int64_t kHour = 3'600'000;
constexpr Statement kDeleteUser{"test.sessions.delete_user", "DELETE FROM users WHERE id = $1"};

class SessionsTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    MigrateOrDie();
    alice_ = MakeUser("alice@example.com");
    bob_ = MakeUser("bob@example.com");
  }

  std::string MakeUser(const std::string& email) {
    NewUser n;
    n.email = email;
    n.display_name = email;
    n.role = "reviewer";
    n.password_hash = "h";
    n.created_at_ms = kNow;
    auto u = db().Write([&](Tx& tx) { return UserRepo(tx).Create(n); });
    EXPECT_TRUE(u.ok());
    return u.ok() ? u->id : "";
  }

  Result<Session> Create(const std::string& user_id, const std::string& token,
                         int64_t expires_at_ms = kNow + kHour) {
    NewSession n;
    n.token_hash = core::HashToken(token);
    n.user_id = user_id;
    n.csrf_token = "csrf-" + token;
    n.created_at_ms = kNow;
    n.expires_at_ms = expires_at_ms;
    n.client_address = "127.0.0.1";
    return db().Write([&](Tx& tx) { return SessionRepo(tx).Create(n); });
  }

  Result<std::optional<SessionWithUser>> Find(const std::string& token, int64_t now_ms) {
    return db().Read([&](Tx& tx) {
      return SessionRepo(tx).FindValidByTokenHash(core::HashToken(token), now_ms);
    });
  }

  std::string alice_;
  std::string bob_;
};

TEST_P(SessionsTest, CreateThenFindValidWithItsUser) {
  auto s = Create(alice_, "token-a");
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->id.size(), 32u);
  EXPECT_EQ(s->last_seen_at_ms, kNow);

  auto found = Find("token-a", kNow + 1);
  ASSERT_TRUE(found.ok()) << found.error().message;
  ASSERT_TRUE(found->has_value());
  const SessionWithUser& f = **found;
  EXPECT_EQ(f.session.id, s->id);
  EXPECT_EQ(f.session.token_hash, core::HashToken("token-a"));
  EXPECT_EQ(f.session.csrf_token, "csrf-token-a");
  EXPECT_EQ(f.session.created_at_ms, kNow);
  EXPECT_EQ(f.session.expires_at_ms, kNow + kHour);
  EXPECT_EQ(f.session.client_address, "127.0.0.1");
  EXPECT_EQ(f.user.id, alice_);
  EXPECT_EQ(f.user.email, "alice@example.com");
  EXPECT_EQ(f.user.role, "reviewer");
}

TEST_P(SessionsTest, ExpiredOrUnknownTokenFindsNothing) {
  ASSERT_TRUE(Create(alice_, "token-a").ok());
  auto at_expiry = Find("token-a", kNow + kHour);
  ASSERT_TRUE(at_expiry.ok());
  EXPECT_FALSE(at_expiry->has_value());
  auto unknown = Find("other", kNow);
  ASSERT_TRUE(unknown.ok());
  EXPECT_FALSE(unknown->has_value());
}

TEST_P(SessionsTest, DuplicateTokenHashIsConflict) {
  ASSERT_TRUE(Create(alice_, "same").ok());
  auto dup = Create(bob_, "same");
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, ErrorCode::kConflict);
  EXPECT_EQ(ViolatedConstraint(dup.error()), "sessions.token_hash");
}

TEST_P(SessionsTest, SessionOfUnknownUserIsRefused) {
  auto s = Create("no-such-user", "t");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kDatabase);
}

TEST_P(SessionsTest, TouchMovesLastSeenForwardOnly) {
  auto s = Create(alice_, "t");
  ASSERT_TRUE(s.ok());
  auto touch = [&](const std::string& id, int64_t at) {
    return db().Write([&](Tx& tx) { return SessionRepo(tx).Touch(id, at); });
  };
  EXPECT_TRUE(touch(s->id, kNow + 5000).value());
  EXPECT_FALSE(touch(s->id, kNow + 1000).value());  // older: ignored
  EXPECT_FALSE(touch("missing", kNow + 9000).value());
  auto found = Find("t", kNow);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->session.last_seen_at_ms, kNow + 5000);
}

TEST_P(SessionsTest, DeleteOneAndAllOfAUser) {
  auto a1 = Create(alice_, "a1");
  ASSERT_TRUE(a1.ok());
  ASSERT_TRUE(Create(alice_, "a2").ok());
  ASSERT_TRUE(Create(bob_, "b1").ok());

  auto deleted = db().Write([&](Tx& tx) { return SessionRepo(tx).Delete(a1->id); });
  ASSERT_TRUE(deleted.ok());
  EXPECT_TRUE(*deleted);
  EXPECT_FALSE(db().Write([&](Tx& tx) { return SessionRepo(tx).Delete(a1->id); }).value());
  EXPECT_FALSE(Find("a1", kNow).value().has_value());

  auto n = db().Write([&](Tx& tx) { return SessionRepo(tx).DeleteForUser(alice_); });
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 1);
  EXPECT_FALSE(Find("a2", kNow).value().has_value());
  EXPECT_TRUE(Find("b1", kNow).value().has_value());
}

TEST_P(SessionsTest, DeleteOldestBeyondKeepsTheNewest) {
  for (int i = 0; i < 4; ++i) {
    NewSession n;
    n.token_hash = core::HashToken("s" + std::to_string(i));
    n.user_id = alice_;
    n.csrf_token = "c";
    n.created_at_ms = kNow + i;
    n.expires_at_ms = kNow + kHour;
    ASSERT_TRUE(db().Write([&](Tx& tx) { return SessionRepo(tx).Create(n); }).ok());
  }
  ASSERT_TRUE(Create(bob_, "b1").ok());
  auto n = db().Write([&](Tx& tx) { return SessionRepo(tx).DeleteOldestBeyond(alice_, 2); });
  ASSERT_TRUE(n.ok()) << n.error().message;
  EXPECT_EQ(*n, 2);
  EXPECT_FALSE(Find("s0", kNow).value().has_value());
  EXPECT_FALSE(Find("s1", kNow).value().has_value());
  EXPECT_TRUE(Find("s2", kNow).value().has_value());
  EXPECT_TRUE(Find("s3", kNow).value().has_value());
  EXPECT_TRUE(Find("b1", kNow).value().has_value());
  EXPECT_EQ(
      db().Write([&](Tx& tx) { return SessionRepo(tx).DeleteOldestBeyond(alice_, 2); }).value(), 0);
}

TEST_P(SessionsTest, DeleteExpiredRemovesOnlyExpired) {
  ASSERT_TRUE(Create(alice_, "old", kNow + 10).ok());
  ASSERT_TRUE(Create(alice_, "edge", kNow + 20).ok());
  ASSERT_TRUE(Create(bob_, "fresh", kNow + kHour).ok());
  auto n = db().Write([&](Tx& tx) { return SessionRepo(tx).DeleteExpired(kNow + 20); });
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 2);
  EXPECT_TRUE(Find("fresh", kNow).value().has_value());
}

TEST_P(SessionsTest, SessionsDieWithTheirUser) {
  ASSERT_TRUE(Create(alice_, "a").ok());
  ASSERT_TRUE(db().Write([&](Tx& tx) { return tx.Exec(kDeleteUser, {alice_}); }).ok());
  EXPECT_FALSE(Find("a", kNow).value().has_value());
  // The session row itself is gone, not only hidden by the join.
  EXPECT_EQ(db().Write([&](Tx& tx) { return SessionRepo(tx).DeleteExpired(kNow * 2); }).value(), 0);
}

// A user and the first session commit together or not at all.
TEST_P(SessionsTest, UserAndSessionInOneTransaction) {
  Status s = db().Write([&](Tx& tx) -> Status {
    NewUser n;
    n.email = "carol@example.com";
    n.display_name = "Carol";
    n.role = "applicant";
    n.password_hash = "h";
    n.created_at_ms = kNow;
    BEIAN_ASSIGN_OR_RETURN(User u, UserRepo(tx).Create(n));
    NewSession ns;
    ns.token_hash = core::HashToken("a1");  // …then clash with an existing session
    ns.user_id = u.id;
    ns.created_at_ms = kNow;
    ns.expires_at_ms = kNow + kHour;
    BEIAN_TRY(SessionRepo(tx).Create(ns));
    return core::Ok();
  });
  ASSERT_TRUE(s.ok()) << s.error().message;
  Status clash = db().Write([&](Tx& tx) -> Status {
    NewUser n;
    n.email = "dave@example.com";
    n.display_name = "Dave";
    n.role = "applicant";
    n.password_hash = "h";
    BEIAN_ASSIGN_OR_RETURN(User u, UserRepo(tx).Create(n));
    NewSession ns;
    ns.token_hash = core::HashToken("a1");
    ns.user_id = u.id;
    BEIAN_TRY(SessionRepo(tx).Create(ns));
    return core::Ok();
  });
  ASSERT_FALSE(clash.ok());
  auto dave = db().Read([&](Tx& tx) { return UserRepo(tx).FindByEmail("dave@example.com"); });
  ASSERT_TRUE(dave.ok());
  EXPECT_FALSE(dave->has_value());
}

BEIAN_INSTANTIATE_STORE_SUITE(SessionsTest);

}  // namespace
}  // namespace beian::store
