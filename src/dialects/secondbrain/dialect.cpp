// secondbrain as a dialect module (dialects/dialect.hpp).

#include "dialects/secondbrain/secondbrain.hpp"

namespace atrium::dialects::secondbrain {

namespace {

class SecondbrainDialect final : public Dialect {
 public:
  explicit SecondbrainDialect(const Deps& deps) : deps_(deps) {}

  const DialectInfo& info() const override { return kInfo; }
  std::unique_ptr<http::ErrorRenderer> MakeErrorRenderer() const override {
    return secondbrain::MakeErrorRenderer(deps_.clock);
  }
  void AddRoutes(std::size_t listener, http::Site& site) const override {
    if (listener == 0) {
      secondbrain::AddRoutes(site, deps_);
    } else {
      AddSocketRoutes(site, deps_);
    }
  }

 private:
  const Deps deps_;  // the sites' handlers refer to it
};

}  // namespace

std::unique_ptr<Dialect> MakeDialect(const Deps& deps) { return std::make_unique<SecondbrainDialect>(deps); }

}  // namespace atrium::dialects::secondbrain
