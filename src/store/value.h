// Values that cross the storage seam: statement parameters (Param) and result rows (Row).
// Both backends bind and return the same five kinds — null, int64, bool, text and bytes — so
// repositories never see a dialect. SQLite stores bool as 0/1; Row::GetBool accepts either.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "core/result.h"

namespace beian::store {

// Raw bytes (BLOB in SQLite, bytea in PostgreSQL), distinct from text so that binding and
// reading never guess.
struct Bytes {
  std::string data;
  friend bool operator==(const Bytes&, const Bytes&) = default;
};

// One stored value. Index order is stable: null, int64, bool, text, bytes.
using Value = std::variant<std::monostate, int64_t, bool, std::string, Bytes>;

// A statement parameter; implicitly constructible so call sites read like
// `tx.Query(kFindUser, {email, now_ms})`. std::nullopt binds NULL.
class Param {
 public:
  Param(std::nullptr_t) {}                           // NOLINT: implicit by design
  Param(std::nullopt_t) {}                           // NOLINT
  Param(int64_t v) : v_(v) {}                        // NOLINT
  Param(int v) : v_(int64_t{v}) {}                   // NOLINT
  Param(bool v) : v_(v) {}                           // NOLINT
  Param(std::string_view v) : v_(std::string(v)) {}  // NOLINT
  Param(const std::string& v) : v_(v) {}             // NOLINT
  Param(std::string&& v) : v_(std::move(v)) {}       // NOLINT
  Param(const char* v) : v_(std::string(v)) {}       // NOLINT
  Param(Bytes v) : v_(std::move(v)) {}               // NOLINT
  template <typename T>
  Param(const std::optional<T>& v) {  // NOLINT
    if (v) *this = Param(*v);
  }

  const Value& value() const { return v_; }

 private:
  Value v_;
};

// One result row. Getters return kDatabase when the column is missing or of another kind, so
// a schema mismatch surfaces as an error, not a crash.
class Row {
 public:
  Row() = default;
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}

  size_t size() const { return values_.size(); }
  const Value& at(size_t i) const { return values_.at(i); }
  bool IsNull(size_t i) const;

  core::Result<int64_t> GetInt(size_t i) const;
  core::Result<bool> GetBool(size_t i) const;
  core::Result<std::string> GetText(size_t i) const;
  core::Result<Bytes> GetBytes(size_t i) const;
  // NULL reads as nullopt; any other kind mismatch is an error.
  core::Result<std::optional<int64_t>> GetOptionalInt(size_t i) const;
  core::Result<std::optional<std::string>> GetOptionalText(size_t i) const;

 private:
  std::vector<Value> values_;
};

}  // namespace beian::store
