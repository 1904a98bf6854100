# Every external library comes from Debian's packages (see scripts/install-deps).
find_package(Threads REQUIRED)
find_package(Boost 1.81 REQUIRED COMPONENTS json)
find_package(SQLite3 REQUIRED)
find_package(spdlog REQUIRED)
find_package(CLI11 REQUIRED)
find_package(tomlplusplus REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(CURL REQUIRED)  # IMAP for the mail summaries
find_package(PkgConfig REQUIRED)
pkg_check_modules(ARGON2 REQUIRED IMPORTED_TARGET libargon2)
pkg_check_modules(LIBPQ REQUIRED IMPORTED_TARGET libpq)  # the PostgreSQL driver
pkg_check_modules(HIREDIS REQUIRED IMPORTED_TARGET hiredis)  # the Redis driver (shared state, bus)
pkg_check_modules(LIBARCHIVE REQUIRED IMPORTED_TARGET libarchive)  # backup archives (atrium backup / restore)
# The speech core's engines (src/engines): decoding and resampling, embedded STT and TTS.
pkg_check_modules(SNDFILE REQUIRED IMPORTED_TARGET sndfile>=1.1)  # MP3 and Opus need 1.1+
pkg_check_modules(SOXR REQUIRED IMPORTED_TARGET soxr)
# Debian's pocketsphinx.pc names /usr/include/sphinxbase, which its packages do not ship
# (the headers are under the multiarch directory): keep only the directories that exist.
pkg_check_modules(POCKETSPHINX REQUIRED pocketsphinx)
set(ATRIUM_POCKETSPHINX_INCLUDES "")
foreach(dir IN LISTS POCKETSPHINX_INCLUDE_DIRS)
  if(EXISTS ${dir})
    list(APPEND ATRIUM_POCKETSPHINX_INCLUDES ${dir})
  endif()
endforeach()
add_library(atrium_pocketsphinx INTERFACE)
target_include_directories(atrium_pocketsphinx SYSTEM INTERFACE ${ATRIUM_POCKETSPHINX_INCLUDES})
target_link_libraries(atrium_pocketsphinx INTERFACE ${POCKETSPHINX_LINK_LIBRARIES})
pkg_check_modules(ESPEAK_NG REQUIRED IMPORTED_TARGET espeak-ng)
# The PDF export (src/engines/export): Cairo's PDF surface, Pango's layout on it, and
# fontconfig, which the renderer initialises once per process. The static maps
# (src/engines/media) draw on Cairo's image (PNG) and SVG surfaces.
pkg_check_modules(CAIRO REQUIRED IMPORTED_TARGET cairo-pdf cairo-svg cairo-png)
pkg_check_modules(PANGOCAIRO REQUIRED IMPORTED_TARGET pangocairo>=1.44)  # 1.44: insert-hyphens
pkg_check_modules(RSVG REQUIRED IMPORTED_TARGET librsvg-2.0>=2.52)  # media: SVG to PNG (render_document, intrinsic size in px)
pkg_check_modules(FONTCONFIG REQUIRED IMPORTED_TARGET fontconfig)
# The knowledge core's documents (src/engines/documents): PDF text, DOCX's XML (unzipped
# with libarchive, above), language detection.
pkg_check_modules(POPPLER_CPP REQUIRED IMPORTED_TARGET poppler-cpp)
pkg_check_modules(EXPAT REQUIRED IMPORTED_TARGET expat>=2.4)
pkg_check_modules(EXTTEXTCAT REQUIRED IMPORTED_TARGET libexttextcat)
