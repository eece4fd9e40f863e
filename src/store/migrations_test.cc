// Contract tests of migrations on both backends, plus checks of the embedded migration files.
#include "store/migrations.h"

#include <algorithm>
#include <regex>
#include <thread>

#include "core/roles.h"
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
constexpr Statement kChecksums{"test.migrations.checksums",
                               "SELECT version, checksum FROM schema_migrations ORDER BY version"};
constexpr Statement kDropChecksum{"test.migrations.drop_checksum",
                                  "ALTER TABLE schema_migrations DROP COLUMN checksum"};
constexpr Statement kCreateScratch{"test.migrations.create_scratch",
                                   "CREATE TABLE scratch (id BIGINT PRIMARY KEY)"};
constexpr Statement kInsertUser{"test.migrations.insert_user",
                                "INSERT INTO users (id, email, display_name, role, password_hash,"
                                " created_at) VALUES ($1, $2, 'n', $3, 'h', 0)"};

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

TEST_P(MigrationsTest, RecordsTheChecksumOfEachStep) {
  MigrateOrDie();
  auto steps = LoadMigrations(db().dialect(), "agent");
  ASSERT_TRUE(steps.ok());
  auto rows = db().Read([&](Tx& tx) { return tx.Query(kChecksums); });
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  ASSERT_EQ(rows->size(), steps->size());
  for (size_t i = 0; i < rows->size(); ++i) {
    const std::string checksum = (*rows)[i].GetText(1).value();
    EXPECT_EQ(checksum, StepChecksum((*steps)[i]));
    EXPECT_TRUE(std::regex_match(checksum, std::regex("sha256:[0-9a-f]{64}"))) << checksum;
  }
}

// An applied step whose text was edited afterwards: Migrate and the start-up check refuse the
// database, naming the step, and the same database with the original step is fine.
TEST_P(MigrationsTest, AnEditedAppliedStepIsRefusedNamingIt) {
  const std::vector<Migration> steps = {
      {1, "scratch", "CREATE TABLE scratch (id BIGINT PRIMARY KEY);"},
      {2, "more", "CREATE TABLE more_scratch (id BIGINT PRIMARY KEY);"},
  };
  ASSERT_TRUE(ApplyMigrations(db(), steps).ok());
  ASSERT_TRUE(RequireCurrentSchema(db(), "test", steps).ok());

  std::vector<Migration> edited = steps;
  edited[0].sql = "CREATE TABLE scratch (id BIGINT PRIMARY KEY, note TEXT);";
  Status migrate = ApplyMigrations(db(), edited);
  ASSERT_FALSE(migrate.ok());
  EXPECT_EQ(migrate.error().code, ErrorCode::kSchemaOutdated);
  EXPECT_NE(migrate.error().message.find("migration 1_scratch was changed"), std::string::npos)
      << migrate.error().message;
  Status start = RequireCurrentSchema(db(), "test", edited);
  ASSERT_FALSE(start.ok());
  EXPECT_EQ(start.error().code, ErrorCode::kSchemaOutdated);
  EXPECT_NE(start.error().message.find("1_scratch"), std::string::npos) << start.error().message;

  // Renamed rather than edited: refused too.
  std::vector<Migration> renamed = steps;
  renamed[1].name = "other";
  Status r = RequireCurrentSchema(db(), "test", renamed);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("2_more"), std::string::npos) << r.error().message;

  // A new step after the untouched ones applies.
  std::vector<Migration> appended = steps;
  appended.push_back({3, "third", "CREATE TABLE third_scratch (id BIGINT PRIMARY KEY);"});
  EXPECT_TRUE(ApplyMigrations(db(), appended).ok());
  EXPECT_TRUE(RequireCurrentSchema(db(), "test", appended).ok());
}

// Databases migrated before checksums were recorded: accepted as they are, and the next
// Migrate adds the column and records the checksums, after which an edit is caught.
TEST_P(MigrationsTest, StepsRecordedBeforeChecksumsAreFilledInByMigrate) {
  std::vector<Migration> steps = {{1, "scratch", "CREATE TABLE scratch (id BIGINT PRIMARY KEY);"}};
  ASSERT_TRUE(ApplyMigrations(db(), steps).ok());
  ASSERT_TRUE(db().Write([&](Tx& tx) { return tx.Exec(kDropChecksum); }).ok());
  Status legacy = RequireCurrentSchema(db(), "test", steps);
  EXPECT_TRUE(legacy.ok()) << legacy.error().message;

  ASSERT_TRUE(ApplyMigrations(db(), steps).ok());
  auto rows = db().Read([&](Tx& tx) { return tx.Query(kChecksums); });
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].GetText(1).value(), StepChecksum(steps[0]));

  steps[0].sql = "CREATE TABLE scratch (id BIGINT);";
  EXPECT_FALSE(RequireCurrentSchema(db(), "test", steps).ok());
}

TEST_P(MigrationsTest, AnEmptyDatabaseGetsItsSchemaWithoutAsking) {
  auto empty = IsEmptyDatabase(db());
  ASSERT_TRUE(empty.ok()) << empty.error().message;
  EXPECT_TRUE(*empty);
  auto created = CreateSchemaIfEmpty(db(), "agent");
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_TRUE(*created);
  EXPECT_TRUE(RequireCurrentSchema(db(), "agent").ok());
  EXPECT_FALSE(IsEmptyDatabase(db()).value());
  auto again = CreateSchemaIfEmpty(db(), "agent");
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(*again);
}

// Anything in the database (here one table, as an older schema or another program would leave)
// means it is not new: its upgrade is the operator's `beian migrate`.
TEST_P(MigrationsTest, ADatabaseHoldingAnythingIsNotMigratedWithoutAsking) {
  ASSERT_TRUE(db().Write([&](Tx& tx) { return tx.Exec(kCreateScratch); }).ok());
  EXPECT_FALSE(IsEmptyDatabase(db()).value());
  auto created = CreateSchemaIfEmpty(db(), "agent");
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_FALSE(*created);
  Status s = RequireCurrentSchema(db(), "agent");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kSchemaOutdated);
}

// The users table's CHECK on role takes exactly core::kRoles, in each service's database.
void ExpectRoleCheckTakesEveryRoleAndNothingElse(Database& db) {
  int n = 0;
  for (std::string_view role : core::kRoles) {
    ++n;
    auto s = db.Write([&](Tx& tx) {
      return tx.Exec(kInsertUser, {"u" + std::to_string(n), std::to_string(n) + "@example.cn",
                                   std::string(role)});
    });
    EXPECT_TRUE(s.ok()) << role << ": " << s.error().message;
  }
  for (const char* bad : {"root", "Admin", "", "applicant ", "authority"}) {
    auto s = db.Write([&](Tx& tx) {
      return tx.Exec(kInsertUser,
                     {std::string("bad-") + bad, std::string("bad@example.cn"), std::string(bad)});
    });
    EXPECT_FALSE(s.ok()) << "the database took role '" << bad << "'";
  }
}

TEST_P(MigrationsTest, AgentRoleCheckTakesEveryRoleAndNothingElse) {
  MigrateOrDie("agent");
  ExpectRoleCheckTakesEveryRoleAndNothingElse(db());
}

TEST_P(MigrationsTest, AuthorityRoleCheckTakesEveryRoleAndNothingElse) {
  MigrateOrDie("authority");
  ExpectRoleCheckTakesEveryRoleAndNothingElse(db());
}

BEIAN_INSTANTIATE_STORE_SUITE(MigrationsTest);

// The role CHECK in the newest step that has one, in each dialect and service, lists
// core::kRoles (same words, same order), so a role added in one place only fails here.
TEST(EmbeddedMigrationsTest, RoleChecksListTheRoles) {
  const std::regex check(R"(role\s+IN\s*\(([^)]*)\))", std::regex::icase);
  const std::vector<std::string> expected(core::kRoles.begin(), core::kRoles.end());
  for (Dialect dialect : {Dialect::kSqlite, Dialect::kPostgres}) {
    for (const char* service : {"agent", "authority"}) {
      auto steps = LoadMigrations(dialect, service);
      ASSERT_TRUE(steps.ok()) << steps.error().message;
      std::vector<std::string> listed;
      for (const Migration& m : *steps) {
        std::string sql(m.sql);
        std::smatch match;
        if (!std::regex_search(sql, match, check)) continue;
        listed.clear();
        const std::string inside = match[1];
        const std::regex word("'([^']*)'");
        for (auto it = std::sregex_iterator(inside.begin(), inside.end(), word);
             it != std::sregex_iterator(); ++it) {
          listed.push_back((*it)[1]);
        }
      }
      EXPECT_EQ(listed, expected) << DialectName(dialect) << " " << service;
    }
  }
}

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
