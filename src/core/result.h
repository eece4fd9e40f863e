// Result<T>: a value or an Error (an `expected`-like type, since C++20 has no std::expected).
// Functions below the HTTP edge return Result instead of throwing.
//   Result<int> r = Parse(s);
//   if (!r) return r.error();      // propagate
//   Use(*r);
// Result<void> is spelled Status.
#pragma once

#include <cassert>
#include <type_traits>
#include <utility>
#include <variant>

#include "core/error.h"

namespace beian::core {

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(v_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& {
    assert(!ok());
    return std::get<1>(v_);
  }
  Error&& error() && {
    assert(!ok());
    return std::get<1>(std::move(v_));
  }

  template <typename U>
  T value_or(U&& fallback) const& {
    return ok() ? value() : static_cast<T>(std::forward<U>(fallback));
  }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT: implicit by design

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const& {
    assert(!ok_);
    return error_;
  }
  Error&& error() && {
    assert(!ok_);
    return std::move(error_);
  }

 private:
  Error error_;
  bool ok_ = true;
};

using Status = Result<void>;

inline Status Ok() { return Status(); }

}  // namespace beian::core

// Evaluates `expr` (a Result); on error returns the error from the enclosing function.
#define BEIAN_TRY(expr) BEIAN_TRY_IMPL_(BEIAN_CONCAT_(beian_try_, __COUNTER__), expr)
#define BEIAN_TRY_IMPL_(tmp, expr)           \
  do {                                       \
    auto tmp = (expr);                       \
    if (!tmp) return std::move(tmp).error(); \
  } while (0)

// Declares `lhs` from the value of `expr` (a Result), or returns its error.
#define BEIAN_ASSIGN_OR_RETURN(lhs, expr) \
  BEIAN_ASSIGN_OR_RETURN_IMPL_(BEIAN_CONCAT_(beian_r_, __COUNTER__), lhs, expr)
#define BEIAN_CONCAT_INNER_(a, b) a##b
#define BEIAN_CONCAT_(a, b) BEIAN_CONCAT_INNER_(a, b)
#define BEIAN_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                 \
  if (!tmp) return std::move(tmp).error();           \
  lhs = std::move(*tmp)
