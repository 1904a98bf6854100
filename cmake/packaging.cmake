# The Debian package (CPack's DEB generator): /usr/bin/atrium, the systemd unit, the
# conffile /etc/atrium/atrium.toml and the docs; the maintainer scripts in
# deploy/debian create the `atrium` system user and /var/lib/atrium. Built by
# scripts/package from the release preset; tests/package checks one from any build.
set(ATRIUM_DEBIAN_DIR ${PROJECT_SOURCE_DIR}/deploy/debian)

install(FILES ${ATRIUM_DEBIAN_DIR}/atrium.toml DESTINATION /etc/atrium PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ)
install(FILES ${ATRIUM_DEBIAN_DIR}/atrium.service DESTINATION /lib/systemd/system)
install(FILES README.md docs/configuration.md docs/deployment.md docs/dialects.md
        DESTINATION share/doc/atrium)
install(FILES deploy/nginx/atrium.conf DESTINATION share/doc/atrium/examples RENAME nginx-atrium.conf)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME atrium)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_CONTACT "Atrium maintainers <atrium@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "one server for five assistant APIs")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "one server for five assistant APIs
 Atrium serves the unichat, pisovereign, secondbrain, unamentis and mira APIs, and an
 OpenAI-compatible front door, over one shared core: one account, one conversation
 store, one memory, one LLM gateway. SQLite and local files by default; PostgreSQL and
 Redis for several instances behind a load balancer.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Shared libraries found by dpkg-shlibdeps; the rest named here.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser, tzdata")
# The PDF export's fonts (TrueType: DejaVu, Droid Sans Fallback for CJK, Nanum for Korean)
# and the language detector's n-gram data come with these.
# The media core's renderers: each optional, reported by /api/media/capabilities.
string(CONCAT CPACK_DEBIAN_PACKAGE_RECOMMENDS "python3-flasgger, postgresql-client, pocketsphinx-en-us, "
       "fonts-dejavu-core, fonts-droid-fallback, fonts-nanum, libexttextcat-data, "
       "nodejs, chromium, graphviz, plantuml")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "postgresql, redis-server, nginx")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${ATRIUM_DEBIAN_DIR}/conffiles ${ATRIUM_DEBIAN_DIR}/postinst ${ATRIUM_DEBIAN_DIR}/prerm ${ATRIUM_DEBIAN_DIR}/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
