# One static library per stage of src/, linked only to the stages before it (docs/ARCHITECTURE.md).
#
#   keyhound_stage(NAME DEPENDS <stages...> LIBRARIES <third-party targets...> [SOURCES <extra>])
#
# Every src/NAME/*.cpp is compiled into keyhound_NAME, found by a glob that CMake re-checks at
# build time: a new .cpp in a stage folder needs no edit here. A stage that calls into a stage it
# does not depend on fails to link (static libraries are searched in dependency order), and
# including its header fails the `layering` test.
include(${CMAKE_CURRENT_LIST_DIR}/unity.cmake)

function(keyhound_stage name)
  cmake_parse_arguments(STAGE "" "" "DEPENDS;LIBRARIES;SOURCES" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/src/${name}/*.cpp)
  add_library(keyhound_${name} STATIC ${sources} ${STAGE_SOURCES})
  target_include_directories(keyhound_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  list(TRANSFORM STAGE_DEPENDS PREPEND keyhound_ OUTPUT_VARIABLE stage_targets)
  target_link_libraries(keyhound_${name} PUBLIC ${stage_targets} ${STAGE_LIBRARIES})
  keyhound_unity(keyhound_${name})
  set_property(GLOBAL APPEND PROPERTY KEYHOUND_STAGES ${name})
  list(JOIN STAGE_DEPENDS " " deps)
  set_property(GLOBAL APPEND PROPERTY KEYHOUND_LAYERING "${name}:${deps}")
endfunction()

# Writes the declared stage graph for the layering test (cmake/check_layering.cmake).
function(keyhound_write_layering file)
  get_property(lines GLOBAL PROPERTY KEYHOUND_LAYERING)
  list(JOIN lines "\n" text)
  file(WRITE ${file} "${text}\n")
endfunction()
