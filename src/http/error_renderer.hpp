#pragma once
// Each dialect gives errors its own wire shape. The renderer is the dialect's edge:
// everything before it speaks ApiError.

#include "http/api_error.hpp"
#include "http/request.hpp"
#include "http/response.hpp"

namespace atrium::http {

class ErrorRenderer {
 public:
  virtual ~ErrorRenderer() = default;
  // `request` is what was read so far (at least the request id is set). Must not throw.
  virtual Response Render(const ApiError& error, const Request& request) const = 0;
};

}  // namespace atrium::http
