// Errors as values across stages: Result<T> holds a T or an Error that names what is at fault.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace keyhound {

struct Error {
  std::string message;  // complete sentence naming the file, rule, option or object at fault
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}
  Result(Error error) : state_(std::move(error)) {}

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const { return std::get<1>(state_); }

 private:
  std::variant<T, Error> state_;
};

// For functions that succeed with no value.
struct Ok {};
using Status = Result<Ok>;

inline Error make_error(std::string message) {
  return Error{std::move(message)};
}

}  // namespace keyhound

// Propagates an error from an expression returning Result/Status.
#define KH_TRY(expr)                                    \
  do {                                                  \
    auto kh_try_result_ = (expr);                       \
    if (!kh_try_result_) return kh_try_result_.error(); \
  } while (0)

// Declares `declaration` from the value of an expression returning Result<T>, or propagates its
// error: `KH_TRY_ASSIGN(auto rules, load_rules(options));` then `rules` is the T itself.
#define KH_TRY_ASSIGN_NAME_(line) kh_try_assign_##line##_
#define KH_TRY_ASSIGN_TEMP_(line) KH_TRY_ASSIGN_NAME_(line)
#define KH_TRY_ASSIGN(declaration, ...)                                             \
  auto KH_TRY_ASSIGN_TEMP_(__LINE__) = (__VA_ARGS__);                               \
  if (!KH_TRY_ASSIGN_TEMP_(__LINE__)) return KH_TRY_ASSIGN_TEMP_(__LINE__).error(); \
  declaration = std::move(*KH_TRY_ASSIGN_TEMP_(__LINE__))
