// Result<T>: a value or an Error, with the two small macros that propagate
// errors (GCC 12's std::expected has no and_then).
#pragma once

#include <expected>

#include "iamlocal/core/error.h"

namespace iamlocal {

template <typename T>
using Result = std::expected<T, Error>;

using Status = Result<void>;

inline std::unexpected<Error> fail(ErrorCode code, std::string message) {
  return std::unexpected<Error>(Error{code, std::move(message)});
}
inline std::unexpected<Error> fail(Error error) { return std::unexpected<Error>(std::move(error)); }

}  // namespace iamlocal

#define IAMLOCAL_CONCAT_INNER_(a, b) a##b
#define IAMLOCAL_CONCAT_(a, b) IAMLOCAL_CONCAT_INNER_(a, b)

// Returns the error of `expr` (a Result<void>) from the enclosing function.
#define IAMLOCAL_RETURN_IF_ERROR(expr)                                   \
  do {                                                                   \
    if (auto iamlocal_status_ = (expr); !iamlocal_status_)               \
      return ::std::unexpected(::std::move(iamlocal_status_.error()));   \
  } while (false)

// `IAMLOCAL_ASSIGN_OR_RETURN(auto x, f());` declares x from f()'s value or
// returns f()'s error.
#define IAMLOCAL_ASSIGN_OR_RETURN(lhs, expr) \
  IAMLOCAL_ASSIGN_OR_RETURN_IMPL_(IAMLOCAL_CONCAT_(iamlocal_result_, __LINE__), lhs, expr)
#define IAMLOCAL_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr)      \
  auto tmp = (expr);                                          \
  if (!tmp) return ::std::unexpected(::std::move(tmp.error())); \
  lhs = ::std::move(*tmp)
