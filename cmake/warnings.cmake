# Warnings every Atrium target is built with. Third-party headers come in as
# SYSTEM includes, so their warnings never reach us.
add_library(atrium_warnings INTERFACE)
target_compile_options(atrium_warnings INTERFACE -Wall -Wextra -Wpedantic -Wnon-virtual-dtor
                                                 -Wno-missing-field-initializers
                                                 $<$<CXX_COMPILER_ID:GNU>:-Wshadow=local>)
