#pragma once
// The memory part of the storage contract suite (memory_contract_test.cpp): the
// StorageContract fixture with two users and a MemoryService over the driver's
// repository. Instantiated beside StorageContract.

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "core/events/in_process_event_bus.hpp"
#include "core/memory/memory_repository.hpp"
#include "core/memory/memory_service.hpp"
#include "storage/contract/contract_fixture.hpp"

namespace atrium::storage::contract {

class MemoryContract : public StorageContract {
 protected:
  void SetUp() override {
    StorageContract::SetUp();
    if (IsSkipped()) return;
    AddUser("ann", "ann@example.com");
    AddUser("bob", "bob@example.com");
    service_ = std::make_unique<core::memory::MemoryService>(repos().memories, bus_, clock_, random_);
  }

  core::memory::Memory Save(const std::string& user, const std::string& content, core::memory::MemoryType type = core::memory::MemoryType::kFact,
                            double importance = 0.5, std::vector<std::string> tags = {}) {
    core::memory::NewMemory m;
    m.content = content;
    m.type = type;
    m.importance = importance;
    m.tags = std::move(tags);
    auto saved = service_->Save(user, m);
    EXPECT_TRUE(saved.ok()) << saved.error().internal_message();
    clock_.Advance(std::chrono::seconds(1));
    return saved.ok() ? *saved : core::memory::Memory{};
  }

  core::events::InProcessEventBus bus_;
  std::unique_ptr<core::memory::MemoryService> service_;
};

}  // namespace atrium::storage::contract
