#pragma once
// http::Result<T>: what a step at the HTTP edge (body parsing, a query parameter, a
// field reader, authentication, a rate check) hands its caller: the value, or the
// ApiError the handler answers with. It mirrors core::Result, with the client-facing
// ApiError in place of core::Error, so a handler passes a failure on in one line:
//
//   auto body = http::ParseJsonObject(req);
//   if (!body) return std::move(body).error();
//   ... *body, body->if_contains("name") ...
//
// Accessing the value of a failed result (or the error of a successful one) is a
// programmer error: it asserts in debug builds.

#include <cassert>
#include <type_traits>
#include <utility>
#include <variant>

#include "http/api_error.hpp"

namespace atrium::http {

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}         // NOLINT: implicit by design
  Result(ApiError error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  // Anything T is built from (a string literal for a std::string, std::nullopt for an
  // optional), so `return "x";` reads as it would for a plain T.
  template <class U>
  requires(std::is_constructible_v<T, U&&> && !std::is_same_v<std::remove_cvref_t<U>, T> &&
           !std::is_same_v<std::remove_cvref_t<U>, ApiError> &&
           !std::is_same_v<std::remove_cvref_t<U>, Result>) explicit(!std::is_convertible_v<U&&, T>)
      Result(U&& value)  // NOLINT: implicit when U converts implicitly
      : state_(std::in_place_index<0>, std::forward<U>(value)) {}

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(state_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(state_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(state_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }

  const ApiError& error() const& {
    assert(!ok());
    return std::get<1>(state_);
  }
  // `return std::move(result).error();` moves the error out instead of copying it.
  ApiError&& error() && {
    assert(!ok());
    return std::get<1>(std::move(state_));
  }

 private:
  std::variant<T, ApiError> state_;
};

}  // namespace atrium::http
