#pragma once
// A dialect module: one assistant-backend API served over the shared core. Each dialect
// implements this in src/dialects/<name>/dialect.cpp and is built by app/ from its own
// narrow Deps (dialects/<name>/deps.hpp); app/dialect_list.hpp lists them all once.
//
// Lifetime: the routes a module adds keep references to its Deps, so a module must
// outlive every site it filled. Thread-safety: the module is used only while wiring.

#include <cstddef>
#include <memory>

#include "dialects/dialect_info.hpp"

namespace atrium::http {
class ErrorRenderer;
class Site;
}  // namespace atrium::http

namespace atrium::dialects {

class Dialect {
 public:
  virtual ~Dialect() = default;

  // Name, config section and listeners (ports).
  virtual const DialectInfo& info() const = 0;
  // The dialect's error body, for every site of this dialect.
  virtual std::unique_ptr<http::ErrorRenderer> MakeErrorRenderer() const = 0;
  // Adds the routes of info().listeners[listener] to `site`: HTTP routes and the
  // real-time endpoints served there (Socket.IO servers, WebSockets).
  virtual void AddRoutes(std::size_t listener, http::Site& site) const = 0;
};

}  // namespace atrium::dialects
