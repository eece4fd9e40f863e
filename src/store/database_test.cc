// Contract tests of Database/Tx on both backends: parameter kinds, commit and rollback,
// retries under contention, error mapping, pool statistics, reconnection.
#include "store/database.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

#include "store/testing/backends.h"

namespace beian::store {
namespace {

using core::Error;
using core::ErrorCode;
using core::Result;
using core::Status;
using namespace std::chrono_literals;

constexpr Statement kInsert{"test.items.insert",
                            "INSERT INTO items (id, name, flag, data, note)"
                            " VALUES ($1, $2, $3, $4, $5)"};
constexpr Statement kGet{"test.items.get",
                         "SELECT id, name, flag, data, note FROM items WHERE id = $1"};
constexpr Statement kCount{"test.items.count", "SELECT count(*) FROM items"};
constexpr Statement kBump{"test.items.bump",
                          "UPDATE items SET id = id + 0, note = $2"
                          " WHERE id = $1"};
constexpr Statement kCounterGet{"test.counter.get", "SELECT n FROM counter WHERE id = 1"};
constexpr Statement kCounterSet{"test.counter.set", "UPDATE counter SET n = $1 WHERE id = 1"};

class DatabaseTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    const char* ddl = postgres()
                          ? "CREATE TABLE items (id BIGINT CONSTRAINT \"items.id\" PRIMARY KEY,"
                            " name TEXT NOT NULL CONSTRAINT \"items.name\" UNIQUE, flag BOOLEAN,"
                            " data BYTEA, note TEXT);"
                            "CREATE TABLE counter (id BIGINT PRIMARY KEY, n BIGINT NOT NULL);"
                            "INSERT INTO counter VALUES (1, 0);"
                          : "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
                            " flag INTEGER, data BLOB, note TEXT);"
                            "CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL);"
                            "INSERT INTO counter VALUES (1, 0);";
    Status s = db().Write([&](Tx& tx) { return tx.ExecScript(ddl); });
    ASSERT_TRUE(s.ok()) << s.error().message;
  }

  Result<int64_t> CountItems(Database& d) {
    return d.Read([&](Tx& tx) -> Result<int64_t> {
      BEIAN_ASSIGN_OR_RETURN(auto row, tx.QueryOne(kCount));
      return row->GetInt(0);
    });
  }

  Result<int64_t> Counter(Database& d) {
    return d.Read([&](Tx& tx) -> Result<int64_t> {
      BEIAN_ASSIGN_OR_RETURN(auto row, tx.QueryOne(kCounterGet));
      return row->GetInt(0);
    });
  }
};

TEST_P(DatabaseTest, RoundTripsEveryParameterKind) {
  const std::string bytes("\x00\x01\xff\x80 end", 8);
  const int64_t big = int64_t{1} << 62;
  Status s = db().Write([&](Tx& tx) -> Status {
    BEIAN_TRY(tx.Exec(kInsert, {big, "名字 'quoted' \"x\"", true, Bytes{bytes}, nullptr}));
    BEIAN_TRY(tx.Exec(kInsert, {int64_t{-5}, "second", false, std::nullopt, "note"}));
    return core::Ok();
  });
  ASSERT_TRUE(s.ok()) << s.error().message;

  auto row = db().Read([&](Tx& tx) { return tx.QueryOne(kGet, {big}); });
  ASSERT_TRUE(row.ok()) << row.error().message;
  ASSERT_TRUE(row->has_value());
  const Row& r = **row;
  EXPECT_EQ(r.GetInt(0).value(), big);
  EXPECT_EQ(r.GetText(1).value(), "名字 'quoted' \"x\"");
  EXPECT_TRUE(r.GetBool(2).value());
  EXPECT_EQ(r.GetBytes(3).value().data, bytes);
  EXPECT_TRUE(r.IsNull(4));
  EXPECT_FALSE(r.GetOptionalText(4).value().has_value());
  EXPECT_FALSE(r.GetText(3).ok());  // bytes are not text: kinds are not coerced

  auto second = db().Read([&](Tx& tx) { return tx.QueryOne(kGet, {int64_t{-5}}); });
  ASSERT_TRUE(second.ok());
  ASSERT_TRUE(second->has_value());
  EXPECT_FALSE((*second)->GetBool(2).value());
  EXPECT_TRUE((*second)->IsNull(3));
  EXPECT_EQ((*second)->GetOptionalText(4).value(), std::optional<std::string>("note"));
}

TEST_P(DatabaseTest, WriteReturnsTheBodyValueAndCommits) {
  Result<std::string> r = db().Write([&](Tx& tx) -> Result<std::string> {
    BEIAN_TRY(tx.Exec(kInsert, {1, "a", true, nullptr, nullptr}));
    return std::string("done");
  });
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "done");
  // Seen from an independent connection set: it was committed.
  auto other = Open();
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(CountItems(**other).value(), 1);
}

TEST_P(DatabaseTest, ErrorInBodyRollsBackEverything) {
  Result<int> r = db().Write([&](Tx& tx) -> Result<int> {
    BEIAN_TRY(tx.Exec(kInsert, {1, "a", true, nullptr, nullptr}));
    BEIAN_TRY(tx.Exec(kInsert, {2, "b", true, nullptr, nullptr}));
    return Error(ErrorCode::kValidationFailed, "changed my mind");
  });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kValidationFailed);
  EXPECT_EQ(r.error().message, "changed my mind");
  EXPECT_EQ(CountItems(db()).value(), 0);
}

TEST_P(DatabaseTest, FailedStatementRollsBackEarlierWrites) {
  ASSERT_TRUE(db().Write([&](Tx& tx) -> Status {
                    BEIAN_TRY(tx.Exec(kInsert, {1, "taken", true, nullptr, nullptr}));
                    return core::Ok();
                  })
                  .ok());
  Status s = db().Write([&](Tx& tx) -> Status {
    BEIAN_TRY(tx.Exec(kInsert, {2, "fresh", true, nullptr, nullptr}));
    BEIAN_TRY(tx.Exec(kInsert, {3, "taken", true, nullptr, nullptr}));
    return core::Ok();
  });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(CountItems(db()).value(), 1);
}

TEST_P(DatabaseTest, UniqueViolationIsConflictNamingTheConstraint) {
  ASSERT_TRUE(db().Write([&](Tx& tx) {
                    return tx.Exec(kInsert, {1, "x", true, nullptr, nullptr});
                  })
                  .ok());
  auto by_name = db().Write([&](Tx& tx) {
    return tx.Exec(kInsert, {2, "x", true, nullptr, nullptr});
  });
  ASSERT_FALSE(by_name.ok());
  EXPECT_EQ(by_name.error().code, ErrorCode::kConflict);
  EXPECT_EQ(ViolatedConstraint(by_name.error()), "items.name");
  auto by_id = db().Write([&](Tx& tx) {
    return tx.Exec(kInsert, {1, "y", true, nullptr, nullptr});
  });
  ASSERT_FALSE(by_id.ok());
  EXPECT_EQ(by_id.error().code, ErrorCode::kConflict);
  EXPECT_EQ(ViolatedConstraint(by_id.error()), "items.id");
  EXPECT_EQ(ViolatedConstraint(Error(ErrorCode::kDatabase, "x")), "");
}

TEST_P(DatabaseTest, QueryOneAndExecReportRowsAndChanges) {
  auto none = db().Read([&](Tx& tx) { return tx.QueryOne(kGet, {99}); });
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  ASSERT_TRUE(db().Write([&](Tx& tx) -> Status {
                    BEIAN_TRY(tx.Exec(kInsert, {1, "a", true, nullptr, nullptr}));
                    BEIAN_TRY(tx.Exec(kInsert, {2, "b", true, nullptr, nullptr}));
                    return core::Ok();
                  })
                  .ok());
  auto changed = db().Write([&](Tx& tx) { return tx.Exec(kBump, {1, "n"}); });
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(*changed, 1);
  auto unchanged = db().Write([&](Tx& tx) { return tx.Exec(kBump, {42, "n"}); });
  ASSERT_TRUE(unchanged.ok());
  EXPECT_EQ(*unchanged, 0);
}

TEST_P(DatabaseTest, ReadTransactionsCannotWrite) {
  auto r = db().Read([&](Tx& tx) { return tx.Exec(kInsert, {1, "a", true, nullptr, nullptr}); });
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(CountItems(db()).value(), 0);
}

TEST_P(DatabaseTest, MistakesInStatementsAreErrorsNotCrashes) {
  constexpr Statement kReused{"test.items.count", "SELECT 2"};  // same name as kCount
  auto first = db().Read([&](Tx& tx) { return tx.Query(kCount); });
  ASSERT_TRUE(first.ok());
  auto reused = db().Read([&](Tx& tx) { return tx.Query(kReused); });
  ASSERT_FALSE(reused.ok());
  EXPECT_EQ(reused.error().code, ErrorCode::kInternal);

  auto missing = db().Read([&](Tx& tx) { return tx.Query(kGet, {}); });
  EXPECT_FALSE(missing.ok());

  constexpr Statement kBad{"test.bad", "SELEC nothing"};
  auto bad = db().Read([&](Tx& tx) { return tx.Query(kBad); });
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kDatabase);

  Row row;
  EXPECT_FALSE(row.GetInt(0).ok());
}

// Two independent Databases (as two processes) increment one counter at the same moment: the
// loser meets a busy database (SQLite) or a serialization failure (PostgreSQL), is retried,
// and no increment is lost.
TEST_P(DatabaseTest, RetriesWhenTwoConnectionsContend) {
  DatabaseOptions o;
  o.busy_timeout = 10ms;
  o.max_attempts = 30;
  auto a = Open(o);
  auto b = Open(o);
  ASSERT_TRUE(a.ok() && b.ok());
  std::atomic<int> arrived{0};
  auto increment = [&](Database& d) -> Status {
    bool first = true;
    return d.Write([&](Tx& tx) -> Status {
      BEIAN_ASSIGN_OR_RETURN(auto row, tx.QueryOne(kCounterGet));
      BEIAN_ASSIGN_OR_RETURN(int64_t n, row->GetInt(0));
      if (first) {
        // Rendezvous so that both read before either writes (where the backend allows it).
        first = false;
        arrived.fetch_add(1);
        auto deadline = std::chrono::steady_clock::now() + 300ms;
        while (arrived.load() < 2 && std::chrono::steady_clock::now() < deadline) {
          std::this_thread::sleep_for(1ms);
        }
      }
      BEIAN_TRY(tx.Exec(kCounterSet, {n + 1}));
      return core::Ok();
    });
  };
  Status sa, sb;
  std::thread ta([&] { sa = increment(**a); });
  std::thread tb([&] { sb = increment(**b); });
  ta.join();
  tb.join();
  ASSERT_TRUE(sa.ok()) << sa.error().message;
  ASSERT_TRUE(sb.ok()) << sb.error().message;
  EXPECT_EQ(Counter(db()).value(), 2);
  EXPECT_GE((*a)->Stats().retries + (*b)->Stats().retries, 1);
}

// With a single attempt allowed, the loser's retryable error comes back to the caller.
TEST_P(DatabaseTest, GivesUpAfterMaxAttemptsWithARetryableError) {
  DatabaseOptions o;
  o.busy_timeout = 5ms;
  o.max_attempts = 1;
  auto a = Open(o);
  auto b = Open(o);
  ASSERT_TRUE(a.ok() && b.ok());
  std::atomic<bool> a_wrote{false};
  std::thread ta([&] {
    Status s = (*a)->Write([&](Tx& tx) -> Status {
      BEIAN_TRY(tx.Exec(kCounterSet, {100}));
      a_wrote = true;
      std::this_thread::sleep_for(300ms);
      return core::Ok();
    });
    EXPECT_TRUE(s.ok());
  });
  while (!a_wrote) std::this_thread::sleep_for(1ms);
  Status sb = (*b)->Write([&](Tx& tx) -> Status {
    BEIAN_ASSIGN_OR_RETURN(auto row, tx.QueryOne(kCounterGet));  // snapshot before A commits
    BEIAN_TRY(tx.Exec(kCounterSet, {row->GetInt(0).value() + 1}));
    return core::Ok();
  });
  ta.join();
  ASSERT_FALSE(sb.ok());
  EXPECT_TRUE(sb.error().IsRetryable()) << sb.error().message;
  EXPECT_EQ((*b)->Stats().retries, 0);
  EXPECT_EQ(Counter(db()).value(), 100);
}

TEST_P(DatabaseTest, PingAndPoolStatistics) {
  ASSERT_TRUE(db().Ping().ok());
  PoolStats before = db().Stats();
  EXPECT_GE(before.size, 1);
  EXPECT_EQ(before.in_use, 0);
  int in_use_inside = -1;
  ASSERT_TRUE(db().Read([&](Tx&) -> Status {
                    in_use_inside = db().Stats().in_use;
                    return core::Ok();
                  })
                  .ok());
  EXPECT_EQ(in_use_inside, 1);
  EXPECT_EQ(db().Stats().in_use, 0);
  EXPECT_GT(db().Stats().transactions, before.transactions);
}

TEST_P(DatabaseTest, ManyThreadsShareOnePool) {
  DatabaseOptions o;
  o.pool_size = 2;
  auto d = Open(o);
  ASSERT_TRUE(d.ok());
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        const int id = t * 100 + i;
        Status s = (*d)->Write([&](Tx& tx) -> Status {
          BEIAN_TRY(tx.Exec(kInsert, {id, "n" + std::to_string(id), true, nullptr, nullptr}));
          return core::Ok();
        });
        if (!s.ok()) failures++;
        if (!CountItems(**d).ok()) failures++;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(CountItems(db()).value(), 60);
  EXPECT_LE((*d)->Stats().size, postgres() ? 2 : 3);  // SQLite: readers + the writer
}

// PostgreSQL only: a server-side disconnect (restart, failover) costs one retry, not an error.
TEST_P(DatabaseTest, ReconnectsAfterTheServerDropsTheConnection) {
  if (!postgres()) GTEST_SKIP() << "SQLite has no server connection to lose";
  DatabaseOptions o;
  o.pool_size = 1;
  auto d = Open(o);
  ASSERT_TRUE(d.ok());
  constexpr Statement kPid{"test.pid", "SELECT pg_backend_pid()"};
  auto pid = (*d)->Read([&](Tx& tx) -> Result<int64_t> {
    BEIAN_ASSIGN_OR_RETURN(auto row, tx.QueryOne(kPid));
    return row->GetInt(0);
  });
  ASSERT_TRUE(pid.ok());
  ASSERT_EQ(testing::PgAdmin(url_, "SELECT pg_terminate_backend(" + std::to_string(*pid) + ")"),
            "");
  std::this_thread::sleep_for(50ms);
  auto count = CountItems(**d);
  ASSERT_TRUE(count.ok()) << count.error().message;
  EXPECT_GE((*d)->Stats().retries, 1);
  EXPECT_TRUE((*d)->Ping().ok());
}

BEIAN_INSTANTIATE_STORE_SUITE(DatabaseTest);

TEST(OpenDatabaseTest, RejectsUnknownSchemes) {
  for (const char* url : {"mysql://x", "sqlite://", "sqlite:///", "", "file.db"}) {
    auto r = OpenDatabase(url);
    ASSERT_FALSE(r.ok()) << url;
    EXPECT_EQ(r.error().code, ErrorCode::kBadRequest) << url;
  }
}

TEST(OpenDatabaseTest, InMemorySqliteWorks) {
  auto d = OpenDatabase("sqlite::memory:");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ((*d)->dialect(), Dialect::kSqlite);
  EXPECT_TRUE((*d)->Ping().ok());
}

TEST(OpenDatabaseTest, InMemoryReadsAreReadOnlyToo) {
  auto d = OpenDatabase("sqlite::memory:");
  ASSERT_TRUE(d.ok());
  ASSERT_TRUE((*d)->Write([](Tx& tx) { return tx.ExecScript("CREATE TABLE t (x INTEGER)"); }).ok());
  constexpr Statement kPut{"test.memory.put", "INSERT INTO t VALUES ($1)"};
  EXPECT_FALSE((*d)->Read([&](Tx& tx) { return tx.Exec(kPut, {1}); }).ok());
  auto wrote = (*d)->Write([&](Tx& tx) { return tx.Exec(kPut, {2}); });
  ASSERT_TRUE(wrote.ok()) << wrote.error().message;
  EXPECT_EQ(*wrote, 1);
}

TEST(OpenDatabaseTest, RelativeSqlitePathIsRelativeToWorkingDirectory) {
  std::string tmpl = (std::filesystem::temp_directory_path() / "beian-rel-XXXXXX").string();
  ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
  const auto cwd = std::filesystem::current_path();
  std::filesystem::current_path(tmpl);
  {
    auto d = OpenDatabase("sqlite://sub.db");
    ASSERT_TRUE(d.ok()) << d.error().message;
  }
  std::filesystem::current_path(cwd);
  EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(tmpl) / "sub.db"));
  std::filesystem::remove_all(tmpl);
}

TEST(OpenDatabaseTest, UnreachablePostgresIsUnavailable) {
  DatabaseOptions o;
  o.connect_timeout_seconds = 2;
  auto r = OpenDatabase("postgresql://postgres@127.0.0.1:1/postgres", o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
}

TEST(OpenDatabaseTest, MissingSqliteFolderIsUnavailable) {
  auto r = OpenDatabase("sqlite:///nonexistent-beian-dir/x/y.db");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace beian::store
