// mira as a dialect module (dialects/dialect.hpp).

#include "dialects/mira/mira.hpp"

namespace atrium::dialects::mira {

namespace {

class MiraDialect final : public Dialect {
 public:
  explicit MiraDialect(const Deps& deps) : deps_(deps) {}

  const DialectInfo& info() const override { return kInfo; }
  std::unique_ptr<http::ErrorRenderer> MakeErrorRenderer() const override {
    return mira::MakeErrorRenderer(deps_.clock);
  }
  void AddRoutes(std::size_t listener, http::Site& site) const override {
    (void)listener;  // one listener
    mira::AddRoutes(site, deps_);
  }

 private:
  const Deps deps_;  // the sites' handlers refer to it
};

}  // namespace

std::unique_ptr<Dialect> MakeDialect(const Deps& deps) { return std::make_unique<MiraDialect>(deps); }

}  // namespace atrium::dialects::mira
