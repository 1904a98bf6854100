# Tier 1: GoogleTest units, mirroring src/. One executable per layer keeps link time
# low; ctest still runs every test on its own (gtest_discover_tests, PRE_TEST so the
# list is read when ctest runs, not at build time under the sanitizers).
#
#   ctest --preset debug -L unit          every unit test
#   ctest --preset debug -R '^http\.'     one layer

function(atrium_unit_tests layer)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "" "SOURCES;LIBRARIES;PROPERTIES")
  set(target atrium_${layer}_tests)
  add_executable(${target} ${ARG_SOURCES})
  target_include_directories(${target} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
  target_link_libraries(${target} PRIVATE ${ARG_LIBRARIES} GTest::gtest_main atrium_warnings)
  gtest_discover_tests(${target}
    DISCOVERY_MODE PRE_TEST
    TEST_PREFIX "${layer}."
    NO_PRETTY_VALUES  # parameterized tests are named by their generators, not by values
    PROPERTIES TIMEOUT 120 ${ARG_PROPERTIES})
  # gtest_discover_tests flattens list values (LABELS "unit;x" would become LABELS unit
  # plus a property named x), so the two labels are set by a script ctest includes after
  # the discovered tests, over the list of them the discovery leaves in ${target}_TESTS.
  set(labels_script ${CMAKE_CURRENT_BINARY_DIR}/${target}_labels.cmake)
  file(WRITE ${labels_script}
       "if(${target}_TESTS)\n  set_tests_properties(\${${target}_TESTS} PROPERTIES LABELS \"unit;${layer}\")\nendif()\n")
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES ${labels_script})
endfunction()

atrium_unit_tests(core
  SOURCES
    core/audio/audio_format_test.cpp
    core/audio/audio_quality_test.cpp
    core/documents/document_format_test.cpp
    core/documents/utf8_test.cpp
    core/documents/chunker_test.cpp
    core/documents/document_builder_test.cpp
    core/retrieval/rank_fusion_test.cpp
    core/speech/speech_slots_test.cpp
    core/result_test.cpp
    core/clock_test.cpp
    core/random_test.cpp
    core/worker_pool_test.cpp
    core/metrics/latency_histogram_test.cpp
    core/metrics/request_metrics_test.cpp
    core/health/health_service_test.cpp
    core/logs/client_log_service_test.cpp
    core/identity/crypto_test.cpp
    core/identity/display_name_test.cpp
    core/identity/password_policy_test.cpp
    core/identity/password_hasher_test.cpp
    core/identity/access_tokens_test.cpp
    core/identity/login_throttle_test.cpp
    core/identity/identity_login_test.cpp
    core/identity/identity_refresh_test.cpp
    core/identity/identity_sessions_test.cpp
    core/identity/api_keys_test.cpp
    core/admin/user_admin_test.cpp
    core/identity/session_revocation_test.cpp
    core/ratelimit/rate_limiter_test.cpp
    core/events/in_process_event_bus_test.cpp
    core/events/event_codec_test.cpp
    core/llm/upstream_probe_test.cpp
    core/llm/model_catalog_test.cpp
    core/assistants/assistant_config_test.cpp
    core/assistants/assistant_config_service_test.cpp
    core/prompts/prompt_template_test.cpp
    core/codec/base64_test.cpp
    core/images/input_image_test.cpp
    core/images/image_service_test.cpp
    core/arena/arena_service_test.cpp
    core/arena/arena_chat_test.cpp
    core/time/time_zone_test.cpp
    core/commands/command_parser_test.cpp
    core/messaging/whatsapp_test.cpp
    core/weather/open_meteo_test.cpp
    core/llm/sse_parser_test.cpp
    core/llm/upstream_protocol_test.cpp
    core/llm/gateway_test.cpp
    core/chat/conversation_store_test.cpp
    core/chat/chat_service_test.cpp
    core/chat/title_job_test.cpp
    core/chat/running_turns_test.cpp
    core/quota/token_quota_test.cpp
    core/assistants/prompt_enhancer_test.cpp
    core/analytics/usage_analytics_test.cpp
    core/jobs/job_runner_test.cpp
    core/memory/memory_ranking_test.cpp
    core/memory/fact_extraction_test.cpp
    core/memory/extraction_job_test.cpp
    core/text/stop_words_test.cpp
    core/media/media_service_test.cpp
    core/instances/instance_registry_test.cpp
    core/export/conversation_export_test.cpp
    core/export/markdown_blocks_test.cpp
    core/curricula/umcf_validation_test.cpp
  LIBRARIES atrium_core atrium_sqlite atrium_files Boost::json)
# The UMCF tests read tests/data/umcf/sample.umcf, shared with the black-box tests.
target_compile_definitions(atrium_core_tests PRIVATE ATRIUM_TEST_DATA_DIR="${PROJECT_SOURCE_DIR}/tests/data")

atrium_unit_tests(storage
  SOURCES
    storage/value_test.cpp
    storage/sqlite/sqlite_database_test.cpp
    storage/sqlite/group_commit_test.cpp
    storage/migration_test.cpp
    storage/files/file_blob_store_test.cpp
    storage/sqlite/sqlite_conversation_search_test.cpp
    storage/sqlite/sqlite_upgrade_test.cpp
    storage/contract/sqlite_driver.cpp
    storage/contract/storage_contract_test.cpp
    storage/contract/identity_contract_test.cpp
    storage/contract/unit_of_work_contract_test.cpp
    storage/contract/conversation_contract_test.cpp
    storage/contract/aggregates_contract_test.cpp
    storage/contract/concurrency_contract_test.cpp
    storage/contract/jobs_contract_test.cpp
    storage/contract/memory_contract_test.cpp
    storage/contract/document_contract_test.cpp
    storage/contract/embedding_contract_test.cpp
    storage/postgres/placeholders_test.cpp
    storage/postgres/sql_state_test.cpp
    storage/postgres/pg_value_test.cpp
  LIBRARIES atrium_sqlite atrium_postgres atrium_files atrium_storage atrium_core)

# The PostgreSQL driver and the storage contract suite on it, against a real server: the
# `postgres` fixture (tests/postgres.cmake).
atrium_unit_tests(postgres
  SOURCES
    storage/postgres/pg_database_test.cpp
    storage/postgres/pg_schema_parity_test.cpp
    storage/contract/pg_driver.cpp
    storage/contract/pg_contract_test.cpp
    storage/contract/identity_contract_test.cpp
    storage/contract/unit_of_work_contract_test.cpp
    storage/contract/conversation_contract_test.cpp
    storage/contract/aggregates_contract_test.cpp
    storage/contract/concurrency_contract_test.cpp
    storage/contract/jobs_contract_test.cpp
    storage/contract/memory_contract_test.cpp
    storage/contract/document_contract_test.cpp
    storage/contract/embedding_contract_test.cpp
  LIBRARIES atrium_postgres atrium_sqlite atrium_sql atrium_storage atrium_core
  PROPERTIES FIXTURES_REQUIRED postgres ENVIRONMENT "ATRIUM_TEST_POSTGRES_URL_FILE=${ATRIUM_TEST_POSTGRES_URL_FILE}")

atrium_unit_tests(http
  SOURCES
    http/router_test.cpp
    http/request_test.cpp
    http/headers_test.cpp
    http/request_id_test.cpp
    http/cors_policy_test.cpp
    http/json_body_test.cpp
    http/multipart_body_test.cpp
    http/multipart_file_test.cpp
    http/result_test.cpp
    http/api_error_test.cpp
    http/method_test.cpp
    http/site_test.cpp
    http/stream_test.cpp
    http/openapi_test.cpp
    http/request_head_test.cpp
    http/target_redaction_test.cpp
    http/socketio/engineio_packet_test.cpp
    http/socketio/socketio_packet_test.cpp
    http/socketio/server_test.cpp
  LIBRARIES atrium_http)

atrium_unit_tests(dialects
  SOURCES
    dialects/dialect_harness.cpp
    dialects/dialects_test.cpp
    dialects/common/fields_test.cpp
    dialects/common/rate_limit_test.cpp
    dialects/common/guards_test.cpp
    dialects/common/turn_stream_test.cpp
    dialects/reason_mapping_test.cpp
    dialects/unamentis/unamentis_test.cpp
    dialects/unichat/unichat_test.cpp
    dialects/unichat/conversation_export_test.cpp
    dialects/secondbrain/secondbrain_test.cpp
    dialects/pisovereign/pisovereign_test.cpp
    dialects/pisovereign/prometheus_text_test.cpp
    dialects/pisovereign/openapi_test.cpp
    dialects/mira/mira_test.cpp
    dialects/mira/network_socket_test.cpp
    dialects/openai/chat_request_test.cpp
  LIBRARIES atrium_dialect_factory atrium_dialects atrium_sqlite atrium_files atrium_engines)

atrium_unit_tests(app
  SOURCES
    app/config_test.cpp
    app/llm_config_test.cpp
  LIBRARIES atrium_config)

atrium_unit_tests(transport
  SOURCES
    transport/mail/imap_response_test.cpp
    transport/engineio/ws_frames_test.cpp
  LIBRARIES atrium_transport)

# The Redis driver (bus, rate limits, lockout, turn registry) against a real server:
# the `redis` fixture (tests/redis.cmake); the recovery tests start their own.
atrium_unit_tests(redis
  SOURCES
    storage/redis/redis_endpoint_test.cpp
    storage/redis/redis_client_test.cpp
    storage/redis/redis_event_bus_test.cpp
    storage/redis/redis_rate_limiter_test.cpp
    storage/redis/redis_login_throttle_test.cpp
    storage/redis/redis_turn_registry_test.cpp
  LIBRARIES atrium_redis atrium_core
  PROPERTIES FIXTURES_REQUIRED redis
             ENVIRONMENT "ATRIUM_TEST_REDIS_URL_FILE=${ATRIUM_TEST_REDIS_URL_FILE}")
# The script the recovery tests start (and restart) their own servers with.
target_compile_definitions(atrium_redis_tests PRIVATE ATRIUM_TEST_REDIS_SCRIPT="${ATRIUM_TEST_REDIS_SCRIPT}"
                           ATRIUM_TEST_PYTHON="${ATRIUM_PYTHON}")

# The engines on Debian's libraries: speech, with files made by sox, lame and opusenc; the
# PDF export, read back with poppler's pdfinfo and pdftotext; the document extractors, with
# files made by pandoc (and PDFs written by the test); the media worker (tools/media-worker:
# Mermaid in Debian's chromium, MathJax in node), SVGs read back with expat.
atrium_unit_tests(engines
  SOURCES
    engines/sndfile_decoder_test.cpp
    engines/speech_round_trip_test.cpp
    engines/http_speech_test.cpp
    engines/cairo_pdf_renderer_test.cpp
    engines/cairo_map_renderer_test.cpp
    engines/documents_test.cpp
    engines/document_service_test.cpp
    engines/semantic_index_test.cpp
    engines/media_worker_test.cpp
    engines/sandboxed_run_test.cpp
  LIBRARIES atrium_engines atrium_transport atrium_sqlite atrium_files atrium_storage atrium_core
            PkgConfig::CAIRO PkgConfig::EXPAT  # the map tests decode PNGs; the media tests parse SVGs
  PROPERTIES TIMEOUT 300)
target_compile_definitions(atrium_engines_tests PRIVATE
  ATRIUM_FAKE_UPSTREAM="${PROJECT_SOURCE_DIR}/tests/upstream/fake_openai.py"
  ATRIUM_MAP_DATA_DIR="${PROJECT_SOURCE_DIR}/tools/map-data/node_modules/world-atlas"
  ATRIUM_MEDIA_WORKER_DIR="${PROJECT_SOURCE_DIR}/tools/media-worker")
