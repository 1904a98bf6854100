// pisovereign as a dialect module (dialects/dialect.hpp).

#include "dialects/pisovereign/pisovereign.hpp"

namespace atrium::dialects::pisovereign {

namespace {

class PisovereignDialect final : public Dialect {
 public:
  explicit PisovereignDialect(const Deps& deps) : deps_(deps) {}

  const DialectInfo& info() const override { return kInfo; }
  std::unique_ptr<http::ErrorRenderer> MakeErrorRenderer() const override { return pisovereign::MakeErrorRenderer(); }
  void AddRoutes(std::size_t listener, http::Site& site) const override {
    (void)listener;  // one listener
    pisovereign::AddRoutes(site, deps_);
  }

 private:
  const Deps deps_;  // the sites' handlers refer to it
};

}  // namespace

std::unique_ptr<Dialect> MakeDialect(const Deps& deps) { return std::make_unique<PisovereignDialect>(deps); }

}  // namespace atrium::dialects::pisovereign
