# Warnings every Atrium target is built with. Third-party headers come in as
# SYSTEM includes, so their warnings never reach us. -Werror=switch: a switch over an
# enum without `default:` must name every enumerator (so a new core::Reason stops the
# build until every dialect maps it).
add_library(atrium_warnings INTERFACE)
target_compile_options(atrium_warnings INTERFACE -Wall -Wextra -Wpedantic -Wnon-virtual-dtor
                                                 -Wno-missing-field-initializers -Werror=switch
                                                 $<$<CXX_COMPILER_ID:GNU>:-Wshadow=local>)
