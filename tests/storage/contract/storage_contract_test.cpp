// The storage contract suite, once per driver. Adding a driver is one more line here
// (see storage_driver.hpp).

#include "storage/contract/document_contract_fixture.hpp"
#include "storage/contract/jobs_contract_fixture.hpp"
#include "storage/contract/memory_contract_fixture.hpp"
#include "storage/contract/sqlite_driver.hpp"

namespace atrium::storage::contract {

INSTANTIATE_TEST_SUITE_P(Sqlite, StorageContract, ::testing::Values(Driver{"sqlite", OpenSqlite}),
                         [](const ::testing::TestParamInfo<Driver>& param) { return param.param.name; });
INSTANTIATE_TEST_SUITE_P(Sqlite, JobsContract, ::testing::Values(Driver{"sqlite", OpenSqlite}),
                         [](const ::testing::TestParamInfo<Driver>& param) { return param.param.name; });
INSTANTIATE_TEST_SUITE_P(Sqlite, MemoryContract, ::testing::Values(Driver{"sqlite", OpenSqlite}),
                         [](const ::testing::TestParamInfo<Driver>& param) { return param.param.name; });

INSTANTIATE_TEST_SUITE_P(Sqlite, DocumentContract, ::testing::Values(Driver{"sqlite", OpenSqlite}),
                         [](const ::testing::TestParamInfo<Driver>& param) { return param.param.name; });

INSTANTIATE_TEST_SUITE_P(Sqlite, EmbeddingContract, ::testing::Values(Driver{"sqlite", OpenSqlite}),
                         [](const ::testing::TestParamInfo<Driver>& param) { return param.param.name; });

}  // namespace atrium::storage::contract
