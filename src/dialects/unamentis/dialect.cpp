// unamentis as a dialect module (dialects/dialect.hpp).

#include "dialects/unamentis/unamentis.hpp"

namespace atrium::dialects::unamentis {

namespace {

class UnamentisDialect final : public Dialect {
 public:
  explicit UnamentisDialect(const Deps& deps) : deps_(deps) {}

  const DialectInfo& info() const override { return kInfo; }
  std::unique_ptr<http::ErrorRenderer> MakeErrorRenderer() const override { return unamentis::MakeErrorRenderer(); }
  void AddRoutes(std::size_t listener, http::Site& site) const override {
    (void)listener;  // one listener
    unamentis::AddRoutes(site, deps_);
  }

 private:
  const Deps deps_;  // the sites' handlers refer to it
};

}  // namespace

std::unique_ptr<Dialect> MakeDialect(const Deps& deps) { return std::make_unique<UnamentisDialect>(deps); }

}  // namespace atrium::dialects::unamentis
