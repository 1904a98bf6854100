// unichat as a dialect module (dialects/dialect.hpp).

#include "dialects/unichat/unichat.hpp"

namespace atrium::dialects::unichat {

namespace {

class UnichatDialect final : public Dialect {
 public:
  explicit UnichatDialect(const Deps& deps) : deps_(deps) {}

  const DialectInfo& info() const override { return kInfo; }
  std::unique_ptr<http::ErrorRenderer> MakeErrorRenderer() const override { return unichat::MakeErrorRenderer(); }
  void AddRoutes(std::size_t listener, http::Site& site) const override {
    (void)listener;  // one listener
    unichat::AddRoutes(site, deps_);
  }

 private:
  const Deps deps_;  // the sites' handlers refer to it
};

}  // namespace

std::unique_ptr<Dialect> MakeDialect(const Deps& deps) { return std::make_unique<UnichatDialect>(deps); }

}  // namespace atrium::dialects::unichat
