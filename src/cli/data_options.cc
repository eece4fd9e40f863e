// Resolution of the data options (see data_options.h).
#include "cli/data_options.h"

#include <filesystem>
#include <regex>

#include "core/pii_cipher.h"

namespace beian::cli {
namespace fs = std::filesystem;

void DataOptions::AddTo(CLI::App& command) {
  command.add_option("--data-dir", data_dir, "Directory of the embedded databases and files")
      ->envname("BEIAN_DATA_DIR")
      ->capture_default_str();
  command
      .add_option("--database", database,
                  "Agent database URL: sqlite:///path.db or postgresql://user@host/db "
                  "(default: sqlite in --data-dir)")
      ->envname("BEIAN_DATABASE");
  command
      .add_option("--authority-database", authority_database,
                  "Authority database URL (default: sqlite in --data-dir)")
      ->envname("BEIAN_AUTHORITY_DATABASE");
  command
      .add_option("--secret-key", secret_key,
                  "Key sealing personal data at rest, 64 hex digits (prefer the variable; "
                  "default: <data-dir>/secret.key, created on first use)")
      ->envname("BEIAN_SECRET_KEY");
}

core::Result<std::string> DataOptions::SecretKey() const {
  return core::LoadSecretKey(secret_key, (fs::path(data_dir) / "secret.key").string());
}

core::Status DataOptions::Prepare() const {
  if (!database.empty() && !authority_database.empty() && !secret_key.empty()) return core::Ok();
  std::error_code ec;
  fs::create_directories(data_dir, ec);
  if (ec) {
    return core::Error(core::ErrorCode::kIo,
                       "cannot create data directory " + data_dir + ": " + ec.message());
  }
  fs::permissions(data_dir, fs::perms::owner_all, fs::perm_options::replace, ec);
  return core::Ok();
}

static std::string SqliteIn(const std::string& dir, const char* file) {
  std::error_code ec;
  fs::path abs = fs::absolute(fs::path(dir) / file, ec);
  return "sqlite://" + abs.lexically_normal().string();
}

std::string DataOptions::AgentUrl() const {
  return database.empty() ? SqliteIn(data_dir, "agent.db") : database;
}

std::string DataOptions::AuthorityUrl() const {
  return authority_database.empty() ? SqliteIn(data_dir, "authority.db") : authority_database;
}

core::Result<std::unique_ptr<store::Database>> OpenServiceDatabase(const DataOptions& data,
                                                                   std::string_view service,
                                                                   int pool_size) {
  const std::string url = service == "authority" ? data.AuthorityUrl() : data.AgentUrl();
  store::DatabaseOptions options;
  options.pool_size = pool_size;
  auto db = store::OpenDatabase(url, options);
  if (!db) {
    return core::Error(db.error().code, "cannot open the " + std::string(service) + " database " +
                                            RedactUrl(url) + ": " + db.error().message);
  }
  return db;
}

std::string RedactUrl(std::string_view url) {
  static const std::regex kPassword(R"(^(\w+://[^:/@]+):[^@]*@)");
  return std::regex_replace(std::string(url), kPassword, "$1:***@");
}

}  // namespace beian::cli
