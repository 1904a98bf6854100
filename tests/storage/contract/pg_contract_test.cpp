// The storage contract suite on PostgreSQL. Its own executable (atrium_postgres_tests),
// registered with the ctest fixture `postgres` so that it runs only with a server.

#include "storage/contract/document_contract_fixture.hpp"
#include "storage/contract/jobs_contract_fixture.hpp"
#include "storage/contract/memory_contract_fixture.hpp"
#include "storage/contract/pg_driver.hpp"

namespace atrium::storage::contract {

INSTANTIATE_TEST_SUITE_P(Postgres, StorageContract, ::testing::Values(Driver{"postgres", OpenPostgres}),
                         [](const ::testing::TestParamInfo<Driver>& param) { return param.param.name; });
INSTANTIATE_TEST_SUITE_P(Postgres, JobsContract, ::testing::Values(Driver{"postgres", OpenPostgres}),
                         [](const ::testing::TestParamInfo<Driver>& param) { return param.param.name; });
INSTANTIATE_TEST_SUITE_P(Postgres, MemoryContract, ::testing::Values(Driver{"postgres", OpenPostgres}),
                         [](const ::testing::TestParamInfo<Driver>& param) { return param.param.name; });

INSTANTIATE_TEST_SUITE_P(Postgres, DocumentContract, ::testing::Values(Driver{"postgres", OpenPostgres}),
                         [](const ::testing::TestParamInfo<Driver>& param) { return param.param.name; });

INSTANTIATE_TEST_SUITE_P(Postgres, EmbeddingContract, ::testing::Values(Driver{"postgres", OpenPostgres}),
                         [](const ::testing::TestParamInfo<Driver>& param) { return param.param.name; });

}  // namespace atrium::storage::contract
