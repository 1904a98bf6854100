# A real PostgreSQL for the tests that need one: ctest starts it before the first of them
# (fixture `postgres`) and stops it after the last. tests/support/pg_server.py runs initdb
# and pg_ctl in a temporary directory (as the `postgres` user when ctest runs as root);
# never a system service. The server's URL is written to ATRIUM_TEST_POSTGRES_URL_FILE,
# which the tests read (support/pg_test_database.hpp, blackbox/harness.py).
#
#   ctest --preset debug -R '^postgres\.'   the driver tests, with their server
#
# Without Debian's PostgreSQL binaries the fixture is not registered and those tests skip.
find_program(ATRIUM_PG_INITDB initdb PATHS /usr/lib/postgresql/15/bin /usr/lib/postgresql/16/bin NO_DEFAULT_PATH)
set(ATRIUM_PYTHON /usr/bin/python3 CACHE FILEPATH "Python with Debian's python3-requests")
# In /tmp: the server user must be able to reach the directory, which a build tree in a
# private home directory would not allow.
string(MD5 atrium_pg_key "${CMAKE_BINARY_DIR}")
string(SUBSTRING "${atrium_pg_key}" 0 12 atrium_pg_key)
set(ATRIUM_TEST_POSTGRES_DIR /tmp/atrium-pg-${atrium_pg_key})
set(ATRIUM_TEST_POSTGRES_URL_FILE ${CMAKE_BINARY_DIR}/postgres-test-server.url)
if(ATRIUM_PG_INITDB)
  get_filename_component(atrium_pg_bin ${ATRIUM_PG_INITDB} DIRECTORY)
  add_test(NAME postgres.server.start
           COMMAND ${ATRIUM_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/support/pg_server.py start
                   --dir ${ATRIUM_TEST_POSTGRES_DIR} --url-file ${ATRIUM_TEST_POSTGRES_URL_FILE})
  add_test(NAME postgres.server.stop
           COMMAND ${ATRIUM_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/support/pg_server.py stop
                   --dir ${ATRIUM_TEST_POSTGRES_DIR})
  set_tests_properties(postgres.server.start PROPERTIES FIXTURES_SETUP postgres LABELS postgres TIMEOUT 120
                       ENVIRONMENT "PG_BIN=${atrium_pg_bin}")
  set_tests_properties(postgres.server.stop PROPERTIES FIXTURES_CLEANUP postgres LABELS postgres TIMEOUT 60
                       ENVIRONMENT "PG_BIN=${atrium_pg_bin}")
else()
  message(STATUS "PostgreSQL binaries not found: the PostgreSQL tests will skip")
endif()
