// Result<T>: a value or an Error, never both; Status (Result<void>): success or an Error. The
// core's only ways to fail: nothing in core throws.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>

#include "sharetrack/error.hpp"

namespace sharetrack {

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}      // NOLINT: implicit by design, like expected<T>
  Result(Error error) : error_(std::move(error)) {}  // NOLINT

  bool ok() const { return value_.has_value(); }
  explicit operator bool() const { return ok(); }

  const T& value() const& {
    assert(ok());
    return *value_;
  }
  T& value() & {
    assert(ok());
    return *value_;
  }
  T&& value() && {
    assert(ok());
    return *std::move(value_);
  }
  const Error& error() const {
    assert(!ok());
    return *error_;
  }

 private:
  // Two optionals rather than a variant: exactly one is set, and the wasm module is smaller
  // without the variant's visitation tables for every T.
  std::optional<T> value_;
  std::optional<Error> error_;
};

// "May fail, no value": true when it succeeded, so checks read forwards:
//   if (auto valid = validateString(...); !valid) return valid.error();
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return !error_; }
  explicit operator bool() const { return ok(); }
  const Error& error() const {
    assert(!ok());
    return *error_;
  }

 private:
  std::optional<Error> error_;
};

using Status = Result<void>;

inline Error makeError(ErrorCode code, std::string message) { return Error{code, std::move(message)}; }

}  // namespace sharetrack

// Returns the error of a failed Status or Result expression from the calling function.
#define SHARETRACK_RETURN_IF_ERROR(expression)   \
  do {                                           \
    if (auto status_ = (expression); !status_) { \
      return status_.error();                    \
    }                                            \
  } while (false)

// Assigns the value of a Result expression to `target`, or returns its error from the caller.
#define SHARETRACK_ASSIGN_OR_RETURN(target, expression) \
  do {                                                  \
    auto result_ = (expression);                        \
    if (!result_) return result_.error();               \
    target = std::move(result_).value();                \
  } while (false)
