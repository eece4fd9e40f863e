// Test support for the store contract suite: one fixture, parameterised by dialect, that gives
// each test a fresh database — a temporary SQLite file, or a new PostgreSQL database created on
// the server named by BEIAN_TEST_POSTGRES_URL and dropped afterwards. Without that variable the
// PostgreSQL instances FAIL — a run that skipped half the contract must not report "100% passed"
// — unless BEIAN_ALLOW_NO_POSTGRES=1 says explicitly that skipping them is wanted.
//   class UsersTest : public StoreTest {};
//   TEST_P(UsersTest, …) { … db() … }
//   BEIAN_INSTANTIATE_STORE_SUITE(UsersTest);
#pragma once

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>

#include "core/crypto.h"
#include "store/database.h"
#include "store/migrations.h"

namespace beian::store::testing {

inline std::string EnvOr(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}

// `url` with its database (path) replaced by `db`.
inline std::string WithDatabase(const std::string& url, const std::string& db) {
  const auto scheme = url.find("://");
  const auto start = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  const auto query = url.find('?');
  if (start == std::string::npos || (query != std::string::npos && start > query)) {
    const auto at = query == std::string::npos ? url.size() : query;
    return url.substr(0, at) + "/" + db + url.substr(at);
  }
  const auto end = query == std::string::npos ? url.size() : query;
  return url.substr(0, start) + "/" + db + url.substr(end);
}

// Runs one statement on a short-lived libpq connection (CREATE/DROP DATABASE cannot run in a
// transaction, so not through Database). Returns "" or the error text.
inline std::string PgAdmin(const std::string& url, const std::string& sql) {
  PGconn* c = PQconnectdb(url.c_str());
  std::string err;
  if (PQstatus(c) != CONNECTION_OK) {
    err = PQerrorMessage(c);
  } else {
    PGresult* r = PQexec(c, sql.c_str());
    if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK) {
      err = PQresultErrorMessage(r);
    }
    PQclear(r);
  }
  PQfinish(c);
  return err;
}

class StoreTest : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    ASSERT_TRUE(core::InitCrypto());
    if (GetParam() == Dialect::kSqlite) {
      std::string tmpl = (std::filesystem::temp_directory_path() / "beian-store-XXXXXX").string();
      ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
      dir_ = tmpl;
      url_ = "sqlite://" + dir_ + "/test.db";  // dir_ is absolute: sqlite:///tmp/…
    } else {
      server_url_ = EnvOr("BEIAN_TEST_POSTGRES_URL", "");
      if (server_url_.empty()) {
        if (EnvOr("BEIAN_ALLOW_NO_POSTGRES", "0") == "1") {
          GTEST_SKIP() << "BEIAN_TEST_POSTGRES_URL not set (BEIAN_ALLOW_NO_POSTGRES=1)";
        }
        FAIL() << "BEIAN_TEST_POSTGRES_URL is not set: start a server (scripts/pg-temp.sh) and "
                  "set it, or set BEIAN_ALLOW_NO_POSTGRES=1 to skip the PostgreSQL instances";
      }
      static std::atomic<int> counter{0};
      pg_db_ = "beian_test_" + std::to_string(getpid()) + "_" + std::to_string(++counter) + "_" +
               std::to_string(std::random_device{}() % 100000);
      const std::string err = PgAdmin(server_url_, "CREATE DATABASE " + pg_db_);
      ASSERT_EQ(err, "") << "cannot create test database";
      url_ = WithDatabase(server_url_, pg_db_);
    }
    auto db = Open();
    ASSERT_TRUE(db.ok()) << db.error().message;
    db_ = std::move(*db);
  }

  void TearDown() override {
    db_.reset();
    if (!pg_db_.empty()) {
      EXPECT_EQ(PgAdmin(server_url_, "DROP DATABASE IF EXISTS " + pg_db_ + " WITH (FORCE)"), "");
    }
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  // Another, independent Database on the same database (as a second process would have).
  core::Result<std::unique_ptr<Database>> Open(DatabaseOptions options = {}) {
    options.pool_size = options.pool_size > 4 ? 4 : options.pool_size;
    return OpenDatabase(url_, options);
  }

  Database& db() { return *db_; }
  bool postgres() const { return GetParam() == Dialect::kPostgres; }

  void MigrateOrDie(const char* service = "agent") {
    auto s = Migrate(*db_, service);
    ASSERT_TRUE(s.ok()) << s.error().message;
  }

  std::string url_;
  std::unique_ptr<Database> db_;

 private:
  std::string dir_;
  std::string server_url_;
  std::string pg_db_;
};

inline std::string BackendName(const ::testing::TestParamInfo<Dialect>& info) {
  return std::string(DialectName(info.param));
}

}  // namespace beian::store::testing

#define BEIAN_INSTANTIATE_STORE_SUITE(fixture)                                                 \
  INSTANTIATE_TEST_SUITE_P(                                                                    \
      Backends, fixture,                                                                       \
      ::testing::Values(::beian::store::Dialect::kSqlite, ::beian::store::Dialect::kPostgres), \
      ::beian::store::testing::BackendName)
