# A real Redis for the tests that need one: ctest starts it before the first of them
# (fixture `redis`) and stops it after the last. tests/support/redis_server.py runs
# Debian's redis-server in a temporary directory on a free loopback port, without
# persistence; never a system service. The server's URL is written to
# ATRIUM_TEST_REDIS_URL_FILE, which the tests read (support/redis_test_server.hpp,
# blackbox/harness.py). Tests that stop or restart Redis start their own server with
# the same script (ATRIUM_TEST_REDIS_SCRIPT).
#
#   ctest --preset debug -R '^redis\.'   the driver tests, with their server
#
# Without redis-server the fixture is not registered and those tests skip.
find_program(ATRIUM_REDIS_SERVER redis-server PATHS /usr/bin /usr/sbin)
string(MD5 atrium_redis_key "${CMAKE_BINARY_DIR}")
string(SUBSTRING "${atrium_redis_key}" 0 12 atrium_redis_key)
set(ATRIUM_TEST_REDIS_DIR /tmp/atrium-redis-${atrium_redis_key})
set(ATRIUM_TEST_REDIS_URL_FILE ${CMAKE_BINARY_DIR}/redis-test-server.url)
set(ATRIUM_TEST_REDIS_SCRIPT ${CMAKE_CURRENT_SOURCE_DIR}/support/redis_server.py)
if(ATRIUM_REDIS_SERVER)
  add_test(NAME redis.server.start
           COMMAND ${ATRIUM_PYTHON} ${ATRIUM_TEST_REDIS_SCRIPT} start
                   --dir ${ATRIUM_TEST_REDIS_DIR} --url-file ${ATRIUM_TEST_REDIS_URL_FILE})
  add_test(NAME redis.server.stop
           COMMAND ${ATRIUM_PYTHON} ${ATRIUM_TEST_REDIS_SCRIPT} stop --dir ${ATRIUM_TEST_REDIS_DIR})
  set_tests_properties(redis.server.start PROPERTIES FIXTURES_SETUP redis LABELS redis TIMEOUT 60
                       ENVIRONMENT "REDIS_SERVER=${ATRIUM_REDIS_SERVER}")
  set_tests_properties(redis.server.stop PROPERTIES FIXTURES_CLEANUP redis LABELS redis TIMEOUT 60)
else()
  message(STATUS "redis-server not found: the Redis tests will skip")
endif()
