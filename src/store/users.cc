// UserRepo: named statements for the users table.
#include "store/users.h"

#include <algorithm>
#include <charconv>

#include "core/crypto.h"

namespace beian::store {
namespace {

using core::Error;
using core::ErrorCode;
using core::Result;

#define BEIAN_USER_COLUMNS "id, email, phone, display_name, role, password_hash, locale, created_at"

constexpr Statement kInsert{"users.insert", "INSERT INTO users (" BEIAN_USER_COLUMNS
                                            ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"};
constexpr Statement kByEmail{"users.by_email",
                             "SELECT " BEIAN_USER_COLUMNS " FROM users WHERE email = $1"};
constexpr Statement kById{"users.by_id", "SELECT " BEIAN_USER_COLUMNS " FROM users WHERE id = $1"};
constexpr Statement kFirstPage{"users.first_page", "SELECT " BEIAN_USER_COLUMNS
                                                   " FROM users ORDER BY created_at, id LIMIT $1"};
constexpr Statement kNextPage{"users.next_page",
                              "SELECT " BEIAN_USER_COLUMNS
                              " FROM users WHERE created_at > $2 OR (created_at = $2 AND id > $3)"
                              " ORDER BY created_at, id LIMIT $1"};
constexpr Statement kSetPassword{"users.set_password",
                                 "UPDATE users SET password_hash = $2 WHERE id = $1"};
constexpr Statement kCount{"users.count", "SELECT count(*) FROM users"};

#undef BEIAN_USER_COLUMNS

bool OneOf(std::string_view v, std::span<const std::string_view> set) {
  return std::find(set.begin(), set.end(), v) != set.end();
}

Error Invalid(std::string field, std::string message) {
  return Error(ErrorCode::kValidationFailed, message, {{std::move(field), "invalid", message}});
}

// Cursor: "<created_at_ms>.<id>" of the last user of the previous page.
std::string MakeCursor(const User& u) { return std::to_string(u.created_at_ms) + "." + u.id; }

}  // namespace

std::string NormalizeEmail(std::string_view email) {
  std::string out(email);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

Result<User> UserRepo::FromRow(const Row& row, size_t i) {
  User u;
  BEIAN_ASSIGN_OR_RETURN(u.id, row.GetText(i));
  BEIAN_ASSIGN_OR_RETURN(u.email, row.GetText(i + 1));
  BEIAN_ASSIGN_OR_RETURN(u.phone, row.GetText(i + 2));
  BEIAN_ASSIGN_OR_RETURN(u.display_name, row.GetText(i + 3));
  BEIAN_ASSIGN_OR_RETURN(u.role, row.GetText(i + 4));
  BEIAN_ASSIGN_OR_RETURN(u.password_hash, row.GetText(i + 5));
  BEIAN_ASSIGN_OR_RETURN(u.locale, row.GetText(i + 6));
  BEIAN_ASSIGN_OR_RETURN(u.created_at_ms, row.GetInt(i + 7));
  return u;
}

Result<User> UserRepo::Create(const NewUser& n) {
  if (!OneOf(n.role, core::kRoles)) return Invalid("role", "unknown role: " + n.role);
  if (!OneOf(n.locale, kLocales)) return Invalid("locale", "unknown locale: " + n.locale);
  User u{n.id.empty() ? core::RandomId() : n.id,
         NormalizeEmail(n.email),
         n.phone,
         n.display_name,
         n.role,
         n.password_hash,
         n.locale,
         n.created_at_ms};
  auto r = tx_.Exec(kInsert, {u.id, u.email, u.phone, u.display_name, u.role, u.password_hash,
                              u.locale, u.created_at_ms});
  if (!r) {
    if (ViolatedConstraint(r.error()) == "users.email") {
      return Error(ErrorCode::kEmailTaken, "e-mail address already registered",
                   {{"email", "email_taken", "e-mail address already registered"}});
    }
    return std::move(r).error();
  }
  return u;
}

Result<std::optional<User>> UserRepo::FindByEmail(std::string_view email) {
  BEIAN_ASSIGN_OR_RETURN(auto row, tx_.QueryOne(kByEmail, {NormalizeEmail(email)}));
  if (!row) return std::optional<User>();
  BEIAN_ASSIGN_OR_RETURN(User u, FromRow(*row, 0));
  return std::optional<User>(std::move(u));
}

Result<std::optional<User>> UserRepo::FindById(std::string_view id) {
  BEIAN_ASSIGN_OR_RETURN(auto row, tx_.QueryOne(kById, {id}));
  if (!row) return std::optional<User>();
  BEIAN_ASSIGN_OR_RETURN(User u, FromRow(*row, 0));
  return std::optional<User>(std::move(u));
}

Result<UserPage> UserRepo::List(int limit, std::string_view cursor) {
  if (limit < 1 || limit > 1000) return Invalid("limit", "limit must be between 1 and 1000");
  std::vector<Row> rows;
  // One extra row tells whether another page follows.
  const int64_t fetch = int64_t{limit} + 1;
  if (cursor.empty()) {
    BEIAN_ASSIGN_OR_RETURN(rows, tx_.Query(kFirstPage, {fetch}));
  } else {
    const auto dot = cursor.find('.');
    int64_t after_ms = 0;
    bool ok = dot != std::string_view::npos && dot > 0;
    if (ok) {
      auto [ptr, ec] = std::from_chars(cursor.data(), cursor.data() + dot, after_ms);
      ok = ec == std::errc() && ptr == cursor.data() + dot;
    }
    if (!ok) return Invalid("cursor", "malformed cursor");
    BEIAN_ASSIGN_OR_RETURN(rows, tx_.Query(kNextPage, {fetch, after_ms, cursor.substr(dot + 1)}));
  }
  UserPage page;
  for (const Row& row : rows) {
    if (page.users.size() == static_cast<size_t>(limit)) {
      page.next_cursor = MakeCursor(page.users.back());
      break;
    }
    BEIAN_ASSIGN_OR_RETURN(User u, FromRow(row, 0));
    page.users.push_back(std::move(u));
  }
  return page;
}

Result<int64_t> UserRepo::Count() {
  BEIAN_ASSIGN_OR_RETURN(auto row, tx_.QueryOne(kCount));
  return row->GetInt(0);
}

core::Status UserRepo::SetPasswordHash(std::string_view id, std::string_view password_hash) {
  BEIAN_ASSIGN_OR_RETURN(int64_t n, tx_.Exec(kSetPassword, {id, password_hash}));
  if (n != 1) return Error(ErrorCode::kNotFound, "no such user");
  return core::Ok();
}

}  // namespace beian::store
