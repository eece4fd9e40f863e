// The users aggregate: accounts of every role, one table in each service's database.
// Repositories work inside a caller's transaction so that several writes (e.g. create a user
// and its first session) commit together:
//   db.Write([&](Tx& tx) { return UserRepo(tx).Create(new_user); });
// After a repository call fails inside a transaction, return the error: on PostgreSQL the
// transaction is aborted and takes no further statements.
// Timestamps are unix milliseconds (UTC).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/roles.h"
#include "store/database.h"

namespace beian::store {

// Roles (core::kRoles) and locales are the words of the API; the database refuses any other value.
inline constexpr std::string_view kLocales[] = {"zh-CN", "en"};

struct NewUser {
  std::string id;     // empty: a random 128-bit hex id is assigned
  std::string email;  // stored lower-cased (ASCII letters)
  std::string phone;
  std::string display_name;
  std::string role;
  std::string password_hash;
  std::string locale = "zh-CN";
  int64_t created_at_ms = 0;
};

struct User {
  std::string id;
  std::string email;
  std::string phone;
  std::string display_name;
  std::string role;
  std::string password_hash;
  std::string locale;
  int64_t created_at_ms = 0;
};

struct UserPage {
  std::vector<User> users;
  std::string next_cursor;  // empty on the last page
};

// E-mail addresses compare lower-cased (ASCII); the stored form.
std::string NormalizeEmail(std::string_view email);

class UserRepo {
 public:
  explicit UserRepo(Tx& tx) : tx_(tx) {}

  // kEmailTaken when the e-mail exists, kConflict when the id exists, kValidationFailed
  // (field "role" or "locale") for a value outside core::kRoles/kLocales.
  core::Result<User> Create(const NewUser& u);
  core::Result<std::optional<User>> FindByEmail(std::string_view email);
  core::Result<std::optional<User>> FindById(std::string_view id);
  // Users in creation order, `limit` (1…1000) per page, starting after `cursor` (a
  // next_cursor from an earlier page, or "" for the first). kValidationFailed for a bad
  // cursor or limit.
  core::Result<UserPage> List(int limit, std::string_view cursor);
  core::Result<int64_t> Count();
  // Replaces the password hash (password reset); kNotFound when there is no such user.
  core::Status SetPasswordHash(std::string_view id, std::string_view password_hash);

  // Decodes the eight user columns (id, email, phone, display_name, role, password_hash,
  // locale, created_at) starting at `first_column`; shared with the sessions join.
  static core::Result<User> FromRow(const Row& row, size_t first_column);

 private:
  Tx& tx_;
};

}  // namespace beian::store
