// Contract tests of SubmissionRepo and ProviderEventRepo on both backends: the idempotency key
// (provider, provider_submission_id), versioned updates, the conditional claim (and many
// concurrent claims → one winner), the queue's filters and cursor, documents, the append-only
// timeline, the open keys as the cross-provider conflict check, and the provider_events outbox
// (enqueue once, lease, marks only by the lease holder, expired lease taken over, no double
// claim under concurrency).
#include "store/submissions.h"

#include <atomic>
#include <set>
#include <thread>

#include "store/providers.h"
#include "store/testing/backends.h"

namespace beian::store {
namespace {

using core::ErrorCode;

class SubmissionsStoreTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    MigrateOrDie("authority");
    for (const char* id : {"isp-a", "isp-b"}) {
      auto p = db().Write([&](Tx& tx) {
        return ProviderRepo(tx).Create({.id = id,
                                        .name = std::string("Provider ") + id,
                                        .callback_url = "http://127.0.0.1:1",
                                        .key_sealed = "sealed",
                                        .created_at_ms = 1});
      });
      ASSERT_TRUE(p.ok()) << p.error().message;
    }
  }

  SubmissionRecord Make(const std::string& id, const std::string& provider,
                        const std::string& provider_submission_id, int64_t received_ms,
                        const std::string& state = "sms_verification") {
    SubmissionRecord r;
    r.id = id;
    r.provider_id = provider;
    r.provider_submission_id = provider_submission_id;
    r.application_id = "app-" + id;
    r.state = state;
    r.filing_type = "first_filing";
    r.province = "11";
    r.organizer_type = "enterprise";
    r.organizer_name = "org " + id;
    r.certificate_type = "uscc";
    r.certificate_hash = "hash-" + id;
    r.payload_sealed = "sealed-payload";
    r.domains_json = R"(["example.cn"])";
    r.sms_deadline_ms = received_ms + 86400000;
    r.received_at_ms = received_ms;
    r.updated_at_ms = received_ms;
    return r;
  }

  void Insert(const SubmissionRecord& r) {
    auto s = db().Write([&](Tx& tx) { return SubmissionRepo(tx).Insert(r); });
    ASSERT_TRUE(s.ok()) << s.error().message;
  }

  std::optional<SubmissionRecord> Find(const std::string& id) {
    auto r = db().Read([&](Tx& tx) { return SubmissionRepo(tx).Find(id); });
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? *r : std::nullopt;
  }

  void ToReview(const std::string& id, int64_t started, int64_t deadline) {
    auto s = Find(id);
    ASSERT_TRUE(s);
    s->state = "under_review";
    s->review_started_at_ms = started;
    s->review_deadline_ms = deadline;
    auto ok = db().Write([&](Tx& tx) { return SubmissionRepo(tx).Update(*s, s->version); });
    ASSERT_TRUE(ok.ok() && *ok);
  }

  bool Claim(const std::string& id, const std::string& reviewer, int64_t now, int64_t until) {
    auto r = db().Write([&](Tx& tx) { return SubmissionRepo(tx).Claim(id, reviewer, now, until); });
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() && *r;
  }
};

TEST_P(SubmissionsStoreTest, InsertFindAndProviderKeyIsUnique) {
  Insert(Make("s1", "isp-a", "app1.1", 100));
  auto s = Find("s1");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->provider_name, "Provider isp-a");
  EXPECT_EQ(s->state, "sms_verification");
  EXPECT_EQ(s->sms_deadline_ms, 100 + 86400000);
  EXPECT_FALSE(s->beian_sn.has_value());
  EXPECT_EQ(s->version, 1);
  auto by = db().Read([&](Tx& tx) { return SubmissionRepo(tx).FindByProvider("isp-a", "app1.1"); });
  ASSERT_TRUE(by.ok() && by->has_value());
  EXPECT_EQ((*by)->id, "s1");
  auto none =
      db().Read([&](Tx& tx) { return SubmissionRepo(tx).FindByProvider("isp-b", "app1.1"); });
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());

  auto dup = db().Write(
      [&](Tx& tx) { return SubmissionRepo(tx).Insert(Make("s2", "isp-a", "app1.1", 200)); });
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, ErrorCode::kConflict);
  // SQLite names a multi-column constraint "t.a, t.b", PostgreSQL by its name "t.a, b".
  EXPECT_TRUE(ViolatedConstraint(dup.error()).starts_with("submissions.provider_id, "))
      << ViolatedConstraint(dup.error());
  // The same provider submission id from another provider is another submission.
  Insert(Make("s3", "isp-b", "app1.1", 300));
  // The state CHECK refuses an unknown state.
  auto bad = db().Write(
      [&](Tx& tx) { return SubmissionRepo(tx).Insert(Make("s4", "isp-a", "x.1", 1, "draft")); });
  EXPECT_FALSE(bad.ok());
}

TEST_P(SubmissionsStoreTest, UpdateIsVersioned) {
  Insert(Make("s1", "isp-a", "app1.1", 100));
  auto s = Find("s1");
  s->state = "approved";
  s->decided_at_ms = 500;
  s->decided_by = "u1";
  s->subject_sn = "京ICP备2026000001号";
  s->approval_json = R"({"subject_sn":"京ICP备2026000001号"})";
  s->updated_at_ms = 500;
  auto stale = db().Write([&](Tx& tx) { return SubmissionRepo(tx).Update(*s, 7); });
  ASSERT_TRUE(stale.ok());
  EXPECT_FALSE(*stale) << "another version: nothing written";
  auto ok = db().Write([&](Tx& tx) { return SubmissionRepo(tx).Update(*s, 1); });
  ASSERT_TRUE(ok.ok() && *ok);
  auto after = Find("s1");
  EXPECT_EQ(after->state, "approved");
  EXPECT_EQ(after->version, 2);
  EXPECT_EQ(after->decided_by, "u1");
  EXPECT_EQ(after->subject_sn, "京ICP备2026000001号");
  EXPECT_EQ(after->approval_json, R"({"subject_sn":"京ICP备2026000001号"})");
  EXPECT_EQ(after->payload_sealed, "sealed-payload") << "the payload is never rewritten";
}

TEST_P(SubmissionsStoreTest, ClaimIsConditional) {
  Insert(Make("s1", "isp-a", "a.1", 100));
  EXPECT_FALSE(Claim("s1", "r1", 1000, 2000)) << "not under review yet";
  ToReview("s1", 150, 9000);
  EXPECT_TRUE(Claim("s1", "r1", 1000, 2000));
  EXPECT_FALSE(Claim("s1", "r2", 1500, 2500)) << "another reviewer's live claim is kept";
  EXPECT_TRUE(Claim("s1", "r1", 1600, 2600)) << "the holder extends";
  EXPECT_FALSE(Claim("s1", "r2", 2599, 3000)) << "live until claim_until";
  EXPECT_TRUE(Claim("s1", "r2", 2600, 3600)) << "an expired claim is taken over";
  auto s = Find("s1");
  EXPECT_EQ(s->claimed_by, "r2");
  EXPECT_EQ(s->claim_until_ms, 3600);
}

TEST_P(SubmissionsStoreTest, ConcurrentClaimsHaveExactlyOneWinner) {
  Insert(Make("race", "isp-a", "a.1", 100));
  ToReview("race", 150, 9000);
  std::atomic<int> won{0};
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      auto got = db().Write([&](Tx& tx) {
        return SubmissionRepo(tx).Claim("race", "r" + std::to_string(i), 1000, 5000);
      });
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

TEST_P(SubmissionsStoreTest, ListFiltersOrdersAndPages) {
  auto q3 = Make("q3", "isp-a", "c.1", 300);
  q3.province = "44";
  Insert(Make("q1", "isp-a", "a.1", 100));
  Insert(Make("q2", "isp-b", "b.1", 200));
  Insert(q3);
  Insert(Make("q4", "isp-a", "d.1", 50, "approved"));
  Insert(Make("q5", "isp-a", "e.1", 60, "expired"));
  ToReview("q1", 150, 1000);
  ToReview("q2", 250, 5000);
  auto list = [&](SubmissionQueueFilter f, int limit = 10, std::string cursor = "") {
    auto r = db().Read([&](Tx& tx) { return SubmissionRepo(tx).List(f, limit, cursor); });
    EXPECT_TRUE(r.ok()) << r.error().message;
    std::vector<std::string> ids;
    if (r.ok()) {
      for (const auto& i : r->items) ids.push_back(i.id);
    }
    return std::pair{ids, r.ok() ? r->next_cursor : std::string()};
  };
  EXPECT_EQ(list({.states = {"under_review"}}).first, (std::vector<std::string>{"q1", "q2"}));
  EXPECT_EQ(list({.states = {"sms_verification"}}).first, (std::vector<std::string>{"q3"}));
  EXPECT_EQ(list({.states = {"approved", "rejected", "expired"}}).first,
            (std::vector<std::string>{"q4", "q5"}));
  EXPECT_EQ(list({.states = {"sms_verification", "under_review"}, .province = "44"}).first,
            (std::vector<std::string>{"q3"}));
  EXPECT_EQ(list({.states = {"under_review"}, .overdue_only = true, .now_ms = 2000}).first,
            (std::vector<std::string>{"q1"}));
  EXPECT_EQ(list({.states = {"under_review"}, .overdue_only = true, .now_ms = 1000}).first,
            (std::vector<std::string>{}))
      << "overdue only after the deadline";
  auto first = list({.states = {"under_review", "sms_verification"}}, 2);
  EXPECT_EQ(first.first, (std::vector<std::string>{"q1", "q2"}));
  ASSERT_FALSE(first.second.empty());
  auto second = list({.states = {"under_review", "sms_verification"}}, 2, first.second);
  EXPECT_EQ(second.first, (std::vector<std::string>{"q3"}));
  EXPECT_TRUE(second.second.empty());
  for (const char* bad : {"x", "12", ".a", "-5.q1"}) {
    auto r = db().Read(
        [&](Tx& tx) { return SubmissionRepo(tx).List({.states = {"under_review"}}, 10, bad); });
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kValidationFailed);
  }
  auto overdue_sms =
      db().Read([&](Tx& tx) { return SubmissionRepo(tx).SmsOverdue(300 + 86400000 + 1, 10); });
  ASSERT_TRUE(overdue_sms.ok());
  EXPECT_EQ(*overdue_sms, (std::vector<std::string>{"q3"}));
}

TEST_P(SubmissionsStoreTest, DocumentsAndEvents) {
  Insert(Make("s1", "isp-a", "a.1", 100));
  for (const char* id : {"d2", "d1"}) {
    auto s = db().Write([&](Tx& tx) {
      return SubmissionRepo(tx).InsertDocument({.submission_id = "s1",
                                                .doc_id = id,
                                                .kind = "license",
                                                .subject = "organizer",
                                                .filename = "营业执照.pdf",
                                                .content_type = "application/pdf",
                                                .size = 3,
                                                .sha256 = "ab",
                                                .blob_key = std::string("k-") + id});
    });
    ASSERT_TRUE(s.ok()) << s.error().message;
  }
  auto docs = db().Read([&](Tx& tx) { return SubmissionRepo(tx).Documents("s1"); });
  ASSERT_TRUE(docs.ok());
  ASSERT_EQ(docs->size(), 2u);
  EXPECT_EQ((*docs)[0].doc_id, "d1");
  EXPECT_EQ((*docs)[0].filename, "营业执照.pdf");
  auto d = db().Read([&](Tx& tx) { return SubmissionRepo(tx).FindDocument("s1", "d2"); });
  ASSERT_TRUE(d.ok() && d->has_value());
  EXPECT_EQ((*d)->blob_key, "k-d2");
  auto missing = db().Read([&](Tx& tx) { return SubmissionRepo(tx).FindDocument("s1", "d3"); });
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());

  for (auto [from, to, ev] : {std::tuple{"", "sms_verification", "receive"},
                              std::tuple{"sms_verification", "under_review", "sms_verified"}}) {
    auto s = db().Write([&](Tx& tx) {
      return SubmissionRepo(tx).AppendEvent({.submission_id = "s1",
                                             .from_state = from,
                                             .to_state = to,
                                             .event = ev,
                                             .actor = "system",
                                             .at_ms = 100});
    });
    ASSERT_TRUE(s.ok()) << s.error().message;
  }
  auto events = db().Read([&](Tx& tx) { return SubmissionRepo(tx).Events("s1"); });
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 2u);
  EXPECT_LT((*events)[0].seq, (*events)[1].seq);
  EXPECT_EQ((*events)[1].event, "sms_verified");
  EXPECT_EQ((*events)[1].reasons_json, "[]");
  // Append-only: an UPDATE or DELETE is refused by the database.
  constexpr Statement kTamper{"test.tamper", "UPDATE submission_events SET actor = 'x'"};
  constexpr Statement kErase{"test.erase", "DELETE FROM submission_events"};
  EXPECT_FALSE(db().Write([&](Tx& tx) { return tx.Exec(kTamper, {}); }).ok());
  EXPECT_FALSE(db().Write([&](Tx& tx) { return tx.Exec(kErase, {}); }).ok());
}

TEST_P(SubmissionsStoreTest, OpenKeysConflictAcrossProvidersUntilReleased) {
  Insert(Make("s1", "isp-a", "a.1", 100));
  Insert(Make("s2", "isp-b", "b.1", 200));
  auto put = [&](const std::string& key, const std::string& sub) {
    return db().Write([&](Tx& tx) { return SubmissionRepo(tx).InsertOpenKey(key, sub); });
  };
  ASSERT_TRUE(put("cert:uscc:h1", "s1").ok());
  ASSERT_TRUE(put("domain:example.cn", "s1").ok());
  auto clash = put("domain:example.cn", "s2");
  ASSERT_FALSE(clash.ok());
  EXPECT_EQ(clash.error().code, ErrorCode::kConflict);
  EXPECT_EQ(ViolatedConstraint(clash.error()), "submission_open_keys.key");
  auto holder =
      db().Read([&](Tx& tx) { return SubmissionRepo(tx).OpenKeyHolderOf("domain:example.cn"); });
  ASSERT_TRUE(holder.ok() && holder->has_value());
  EXPECT_EQ((*holder)->submission_id, "s1");
  EXPECT_EQ((*holder)->provider_id, "isp-a");
  ASSERT_TRUE(db().Write([&](Tx& tx) { return SubmissionRepo(tx).ReleaseOpenKeys("s1"); }).ok());
  EXPECT_TRUE(put("domain:example.cn", "s2").ok()) << "free once the holder left the open states";
  EXPECT_TRUE(put("cert:uscc:h1", "s2").ok());
}

TEST_P(SubmissionsStoreTest, SmsCodesAreReadBack) {
  Insert(Make("s1", "isp-a", "a.1", 100));
  constexpr Statement kPut{
      "test.sms_put",
      "INSERT INTO sms_codes (submission_id, person, mobile_hash, mobile_sealed, id_last6_hash,"
      " code_hash, attempts_wrong, resends, sent_at, expires_at, verified_at)"
      " VALUES ($1, $2, 'mh', 'ms', 'ih', 'ch', $3, 0, 100, 200, $4)"};
  ASSERT_TRUE(db().Write([&](Tx& tx) {
                    return tx.Exec(kPut, {"s1", "website:0", int64_t{2}, std::nullopt});
                  })
                  .ok());
  ASSERT_TRUE(db().Write([&](Tx& tx) {
                    return tx.Exec(kPut, {"s1", "organizer", int64_t{0}, int64_t{150}});
                  })
                  .ok());
  auto codes = db().Read([&](Tx& tx) { return SubmissionRepo(tx).SmsCodes("s1"); });
  ASSERT_TRUE(codes.ok()) << codes.error().message;
  ASSERT_EQ(codes->size(), 2u);
  EXPECT_EQ((*codes)[0].person, "organizer");
  EXPECT_EQ((*codes)[0].verified_at_ms, 150);
  EXPECT_EQ((*codes)[1].attempts_wrong, 2);
  EXPECT_FALSE((*codes)[1].verified_at_ms.has_value());
}

class ProviderEventsStoreTest : public SubmissionsStoreTest {
 protected:
  bool Enqueue(const std::string& id, int64_t at) {
    auto r = db().Write([&](Tx& tx) {
      return ProviderEventRepo(tx).Enqueue({.event_id = id,
                                            .provider_id = "isp-a",
                                            .submission_id = "s1",
                                            .type = "approved",
                                            .body = R"({"event_id":")" + id + R"("})",
                                            .created_at_ms = at});
    });
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() && *r;
  }
  std::vector<ProviderEvent> Claim(const std::string& owner, int64_t now, int64_t until,
                                   int limit = 10) {
    auto r =
        db().Write([&](Tx& tx) { return ProviderEventRepo(tx).Claim(owner, now, until, limit); },
                   {.isolation = Isolation::kReadCommitted});
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? *r : std::vector<ProviderEvent>{};
  }
};

TEST_P(ProviderEventsStoreTest, LeaseRetryAndDeliverOnce) {
  Insert(Make("s1", "isp-a", "a.1", 100));
  EXPECT_TRUE(Enqueue("e1", 100));
  EXPECT_FALSE(Enqueue("e1", 200)) << "the same event id is enqueued once";
  EXPECT_TRUE(Claim("w1", 99, 1000).empty()) << "not due before created_at";
  auto got = Claim("w1", 100, 1000);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].state, "sending");
  EXPECT_EQ(got[0].attempts, 1);
  EXPECT_EQ(got[0].lease_owner, "w1");
  EXPECT_TRUE(Claim("w2", 500, 1500).empty()) << "leased";
  // Retry: only the lease holder marks.
  auto r =
      db().Write([&](Tx& tx) { return ProviderEventRepo(tx).MarkRetry("e1", "w2", 600, "x"); });
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(*r);
  r = db().Write([&](Tx& tx) {
    return ProviderEventRepo(tx).MarkRetry("e1", "w1", 600, "connection refused");
  });
  ASSERT_TRUE(r.ok() && *r);
  EXPECT_TRUE(Claim("w2", 599, 1500).empty()) << "backing off";
  // A worker dies holding the lease: after it runs out another worker takes the row.
  ASSERT_EQ(Claim("w2", 600, 700).size(), 1u);
  auto taken = Claim("w3", 700, 2000);
  ASSERT_EQ(taken.size(), 1u);
  EXPECT_EQ(taken[0].attempts, 3);
  EXPECT_EQ(taken[0].last_error, "connection refused");
  auto late =
      db().Write([&](Tx& tx) { return ProviderEventRepo(tx).MarkDelivered("e1", "w2", 800, ""); });
  ASSERT_TRUE(late.ok());
  EXPECT_FALSE(*late) << "the dead worker's lease is gone";
  auto done = db().Write([&](Tx& tx) {
    return ProviderEventRepo(tx).MarkDelivered("e1", "w3", 800, "409 invalid_transition");
  });
  ASSERT_TRUE(done.ok() && *done);
  EXPECT_TRUE(Claim("w4", 1000000, 2000000).empty()) << "delivered is never claimed again";
  auto e = db().Read([&](Tx& tx) { return ProviderEventRepo(tx).Find("e1"); });
  ASSERT_TRUE(e.ok() && e->has_value());
  EXPECT_EQ((*e)->state, "delivered");
  EXPECT_EQ((*e)->delivered_at_ms, 800);
  EXPECT_EQ((*e)->last_error, "409 invalid_transition");
  auto stats = db().Read([&](Tx& tx) { return ProviderEventRepo(tx).Stats(); });
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->pending, 0);
}

TEST_P(ProviderEventsStoreTest, ReleaseDoesNotCountTheAttempt) {
  Insert(Make("s1", "isp-a", "a.1", 100));
  EXPECT_TRUE(Enqueue("e1", 100));
  ASSERT_EQ(Claim("w1", 100, 1000).size(), 1u);
  auto r = db().Write([&](Tx& tx) { return ProviderEventRepo(tx).Release("e1", "w1"); });
  ASSERT_TRUE(r.ok() && *r);
  auto again = Claim("w2", 100, 1000);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].attempts, 1);
  auto list = db().Read([&](Tx& tx) { return ProviderEventRepo(tx).ForSubmission("s1"); });
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->size(), 1u);
}

TEST_P(ProviderEventsStoreTest, ConcurrentWorkersNeverClaimTheSameEvent) {
  Insert(Make("s1", "isp-a", "a.1", 100));
  for (int i = 0; i < 40; ++i) EXPECT_TRUE(Enqueue("e" + std::to_string(i), 100 + i));
  std::mutex mu;
  std::multiset<std::string> seen;
  std::vector<std::thread> threads;
  for (int w = 0; w < 4; ++w) {
    threads.emplace_back([&, w] {
      for (int round = 0; round < 10; ++round) {
        auto r = db().Write(
            [&](Tx& tx) {
              return ProviderEventRepo(tx).Claim("w" + std::to_string(w), 1000, 100000, 3);
            },
            {.isolation = Isolation::kReadCommitted});
        if (!r.ok()) continue;
        std::lock_guard lock(mu);
        for (const auto& e : *r) seen.insert(e.event_id);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(seen.size(), 40u);
  std::set<std::string> distinct(seen.begin(), seen.end());
  EXPECT_EQ(distinct.size(), seen.size()) << "an event was claimed twice";
}

BEIAN_INSTANTIATE_STORE_SUITE(SubmissionsStoreTest);
BEIAN_INSTANTIATE_STORE_SUITE(ProviderEventsStoreTest);

}  // namespace
}  // namespace beian::store
