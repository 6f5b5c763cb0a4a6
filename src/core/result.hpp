// Result<T>: mamori's one error model. Expected failures (bad input, not found, conflict, I/O) are
// values; exceptions are for bugs only (see docs/architecture.md, "Errors").
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "core/i18n.hpp"

namespace mamori {

enum class ErrorCode {
  kInvalidArgument,  // bad input: names the field, file, row
  kNotFound,
  kConflict,          // unique key taken, stale update
  kUnauthenticated,   // no or bad credentials
  kPermissionDenied,  // authenticated, not allowed
  kTooManyRequests,   // lockout
  kTooLarge,
  kUnavailable,  // database cannot be opened, peer down
  kIo,
  kCorruption,
  kInternal,
};

const char* ErrorCodeName(ErrorCode code);

// An error names what went wrong with a message-catalogue key (translated at the edge, in the
// user's language), its arguments, and where: a field, or file:line.
struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string key;
  std::vector<std::string> args;
  std::string field;
  std::string detail;  // technical detail that is not translated (a driver's message)

  [[nodiscard]] std::string Message(Lang lang) const;
};

inline Error MakeError(ErrorCode code, std::string key, std::vector<std::string> args = {},
                       std::string field = {}) {
  return Error{code, std::move(key), std::move(args), std::move(field), {}};
}

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  [[nodiscard]] bool ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &std::get<T>(v_); }
  const T* operator->() const { return &std::get<T>(v_); }
  T& operator*() & { return std::get<T>(v_); }
  const T& operator*() const& { return std::get<T>(v_); }

  const Error& error() const& { return std::get<Error>(v_); }
  Error&& error() && { return std::get<Error>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

// Success holds no Error: an Ok() is made and dropped for every step of a parser's walk
// (constructing and destroying an empty Error's strings was a few per cent of the NVD reader).
template <>
class [[nodiscard]] Result<void> {
 public:
  // Provided, not defaulted: `return {};` (Ok()) would otherwise value-initialise the whole
  // object, zero-filling the Error's storage (~140 bytes, a `rep stos` at every step of a
  // parser's walk: an eighth of the NVD feed reader's own time, session 23).
  Result() noexcept {}                               // NOLINT(modernize-use-equals-default)
  Result(Error error) : error_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  [[nodiscard]] bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  // Of a success: an empty Error, as before.
  const Error& error() const& {
    static const Error kNone;
    return error_.has_value() ? *error_ : kNone;
  }
  Error&& error() && {
    if (!error_.has_value()) error_.emplace();
    return std::move(*error_);
  }

 private:
  std::optional<Error> error_;
};

using Status = Result<void>;
inline Status Ok() {
  return {};
}

}  // namespace mamori

#define MAMORI_CONCAT_INNER(a, b) a##b
#define MAMORI_CONCAT(a, b) MAMORI_CONCAT_INNER(a, b)

#define MAMORI_RETURN_IF_ERROR(expr)                                    \
  do {                                                                  \
    auto mamori_status_ = (expr);                                       \
    if (!mamori_status_.ok()) return std::move(mamori_status_).error(); \
  } while (0)

#define MAMORI_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                 \
  if (!tmp.ok()) return std::move(tmp).error();      \
  lhs = std::move(tmp).value()

#define MAMORI_ASSIGN_OR_RETURN(lhs, expr) \
  MAMORI_ASSIGN_OR_RETURN_IMPL(MAMORI_CONCAT(mamori_result_, __LINE__), lhs, expr)
