// Contract tests of migrations on both backends, plus checks of the embedded migration files.
#include "store/migrations.h"

#include <thread>

#include "store/testing/backends.h"

namespace beian::store {
namespace {

using core::ErrorCode;
using core::Result;
using core::Status;

constexpr Statement kApplied{"test.migrations.applied",
                             "SELECT version, name, applied_at FROM schema_migrations"
                             " ORDER BY version"};
constexpr Statement kUsersCount{"test.migrations.users", "SELECT count(*) FROM users"};
constexpr Statement kMarkNewer{"test.migrations.newer",
                               "INSERT INTO schema_migrations (version, name, applied_at)"
                               " VALUES ($1, 'from_the_future', 0)"};
constexpr Statement kScratchCount{"test.migrations.scratch", "SELECT count(*) FROM scratch"};

class MigrationsTest : public testing::StoreTest {
 protected:
  Result<std::vector<Row>> Applied() {
    return db().Read([&](Tx& tx) { return tx.Query(kApplied); });
  }
  int64_t Latest(const char* service = "agent") {
    auto steps = LoadMigrations(db().dialect(), service);
    return steps.ok() ? steps->back().version : -1;
  }
};

TEST_P(MigrationsTest, FreshDatabaseIsStale) {
  auto s = CheckSchema(db(), "agent");
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->current, 0);
  EXPECT_EQ(s->latest, Latest());
  EXPECT_FALSE(s->up_to_date());
  Status r = RequireCurrentSchema(db(), "agent");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kSchemaOutdated);
}

TEST_P(MigrationsTest, MigrateBringsSchemaCurrentAndIsIdempotent) {
  MigrateOrDie();
  MigrateOrDie();
  auto s = CheckSchema(db(), "agent");
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->up_to_date());
  EXPECT_GE(s->current, 1);
  EXPECT_TRUE(RequireCurrentSchema(db(), "agent").ok());
  auto rows = Applied();
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  ASSERT_EQ(static_cast<int64_t>(rows->size()), Latest());
  EXPECT_EQ((*rows)[0].GetInt(0).value(), 1);
  EXPECT_EQ((*rows)[0].GetText(1).value(), "accounts");
  EXPECT_GT((*rows)[0].GetInt(2).value(), 1'600'000'000'000);  // unix milliseconds
  auto users = db().Read([&](Tx& tx) { return tx.QueryOne(kUsersCount); });
  ASSERT_TRUE(users.ok()) << users.error().message;
}

TEST_P(MigrationsTest, BothServicesHaveTheirSchema) {
  MigrateOrDie("authority");
  EXPECT_TRUE(RequireCurrentSchema(db(), "authority").ok());
  auto unknown = Migrate(db(), "nonexistent");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
}

TEST_P(MigrationsTest, ConcurrentMigratorsApplyEachStepOnce) {
  constexpr int kProcesses = 4;
  std::vector<std::unique_ptr<Database>> dbs;
  for (int i = 0; i < kProcesses; ++i) {
    DatabaseOptions o;
    o.pool_size = 1;
    auto d = Open(o);
    ASSERT_TRUE(d.ok());
    dbs.push_back(std::move(*d));
  }
  std::vector<Status> results(kProcesses);
  std::vector<std::thread> threads;
  for (int i = 0; i < kProcesses; ++i) {
    threads.emplace_back([&, i] { results[static_cast<size_t>(i)] = Migrate(*dbs[i], "agent"); });
  }
  for (auto& t : threads) t.join();
  for (const auto& r : results) EXPECT_TRUE(r.ok()) << r.error().message;
  auto rows = Applied();
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(static_cast<int64_t>(rows->size()), Latest());
}

TEST_P(MigrationsTest, DatabaseNewerThanProgramIsRefused) {
  MigrateOrDie();
  ASSERT_TRUE(db().Write([&](Tx& tx) { return tx.Exec(kMarkNewer, {Latest() + 1}); }).ok());
  auto s = CheckSchema(db(), "agent");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->current, Latest() + 1);
  EXPECT_FALSE(s->up_to_date());
  EXPECT_EQ(RequireCurrentSchema(db(), "agent").error().code, ErrorCode::kSchemaOutdated);
  EXPECT_EQ(Migrate(db(), "agent").error().code, ErrorCode::kSchemaOutdated);
}

// A failing step leaves no trace: its DDL and its schema_migrations row roll back together,
// and the steps before it stay applied.
TEST_P(MigrationsTest, FailedStepRollsBackAsAWhole) {
  std::vector<Migration> steps = {
      {1, "scratch",
       "CREATE TABLE scratch (id BIGINT PRIMARY KEY); INSERT INTO scratch VALUES (1);"},
      {2, "broken", "CREATE TABLE half (id BIGINT); INSERT INTO scratch VALUES (2); NOT SQL;"},
  };
  Status s = ApplyMigrations(db(), steps);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("2_broken"), std::string::npos) << s.error().message;
  auto rows = Applied();
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  auto scratch = db().Read([&](Tx& tx) -> Result<int64_t> {
    BEIAN_ASSIGN_OR_RETURN(auto row, tx.QueryOne(kScratchCount));
    return row->GetInt(0);
  });
  ASSERT_TRUE(scratch.ok());
  EXPECT_EQ(*scratch, 1);

  // Fixed, the step applies; step 1 is not run again.
  steps[1].sql = "CREATE TABLE half (id BIGINT); INSERT INTO scratch VALUES (2);";
  ASSERT_TRUE(ApplyMigrations(db(), steps).ok());
  auto after = Applied();
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->size(), 2u);
}

BEIAN_INSTANTIATE_STORE_SUITE(MigrationsTest);

// The two dialects must stay in step: same numbers, same names, for every service.
TEST(EmbeddedMigrationsTest, DialectsHaveTheSameSteps) {
  for (const char* service : {"agent", "authority"}) {
    auto sqlite = LoadMigrations(Dialect::kSqlite, service);
    auto pg = LoadMigrations(Dialect::kPostgres, service);
    ASSERT_TRUE(sqlite.ok()) << sqlite.error().message;
    ASSERT_TRUE(pg.ok()) << pg.error().message;
    ASSERT_EQ(sqlite->size(), pg->size()) << service;
    for (size_t i = 0; i < sqlite->size(); ++i) {
      EXPECT_EQ((*sqlite)[i].version, static_cast<int64_t>(i) + 1);
      EXPECT_EQ((*sqlite)[i].name, (*pg)[i].name) << service << " step " << i + 1;
      EXPECT_FALSE((*sqlite)[i].sql.empty());
    }
  }
}

}  // namespace
}  // namespace beian::store
