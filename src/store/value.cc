// Row accessors: strict kind checks with one lenient case (bool read from an SQLite integer).
#include "store/value.h"

#include <string>

namespace beian::store {
namespace {

core::Error KindError(size_t i, const char* want) {
  return core::Error(core::ErrorCode::kDatabase, "column " + std::to_string(i) + " is not " + want);
}

core::Error MissingError(size_t i) {
  return core::Error(core::ErrorCode::kDatabase, "column " + std::to_string(i) + " is missing");
}

}  // namespace

bool Row::IsNull(size_t i) const {
  return i >= values_.size() || std::holds_alternative<std::monostate>(values_[i]);
}

core::Result<int64_t> Row::GetInt(size_t i) const {
  if (i >= values_.size()) return MissingError(i);
  if (const auto* v = std::get_if<int64_t>(&values_[i])) return *v;
  if (const auto* b = std::get_if<bool>(&values_[i])) return int64_t{*b ? 1 : 0};
  return KindError(i, "an integer");
}

core::Result<bool> Row::GetBool(size_t i) const {
  if (i >= values_.size()) return MissingError(i);
  if (const auto* b = std::get_if<bool>(&values_[i])) return *b;
  if (const auto* v = std::get_if<int64_t>(&values_[i])) return *v != 0;
  return KindError(i, "a boolean");
}

core::Result<std::string> Row::GetText(size_t i) const {
  if (i >= values_.size()) return MissingError(i);
  if (const auto* s = std::get_if<std::string>(&values_[i])) return *s;
  return KindError(i, "text");
}

core::Result<Bytes> Row::GetBytes(size_t i) const {
  if (i >= values_.size()) return MissingError(i);
  if (const auto* b = std::get_if<Bytes>(&values_[i])) return *b;
  return KindError(i, "bytes");
}

core::Result<std::optional<int64_t>> Row::GetOptionalInt(size_t i) const {
  if (i >= values_.size()) return MissingError(i);
  if (IsNull(i)) return std::optional<int64_t>();
  BEIAN_ASSIGN_OR_RETURN(int64_t v, GetInt(i));
  return std::optional<int64_t>(v);
}

core::Result<std::optional<std::string>> Row::GetOptionalText(size_t i) const {
  if (i >= values_.size()) return MissingError(i);
  if (IsNull(i)) return std::optional<std::string>();
  BEIAN_ASSIGN_OR_RETURN(std::string v, GetText(i));
  return std::optional<std::string>(std::move(v));
}

}  // namespace beian::store
