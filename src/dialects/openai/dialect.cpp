// openai as a dialect module (dialects/dialect.hpp).

#include "dialects/openai/openai.hpp"

namespace atrium::dialects::openai {

namespace {

class OpenaiDialect final : public Dialect {
 public:
  explicit OpenaiDialect(const Deps& deps) : deps_(deps) {}

  const DialectInfo& info() const override { return kInfo; }
  std::unique_ptr<http::ErrorRenderer> MakeErrorRenderer() const override { return openai::MakeErrorRenderer(); }
  void AddRoutes(std::size_t listener, http::Site& site) const override {
    (void)listener;  // one listener
    openai::AddRoutes(site, deps_);
  }

 private:
  const Deps deps_;  // the sites' handlers refer to it
};

}  // namespace

std::unique_ptr<Dialect> MakeDialect(const Deps& deps) { return std::make_unique<OpenaiDialect>(deps); }

}  // namespace atrium::dialects::openai
