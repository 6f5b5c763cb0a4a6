# mamori_add_library(NAME SOURCES... DEPS ...): one static library per module, as mamori_<name>.
function(mamori_add_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(mamori_${name} STATIC ${ARG_SOURCES})
  target_include_directories(mamori_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(mamori_${name} PUBLIC ${ARG_DEPS})
endfunction()

# mamori_add_test(NAME SOURCES... DEPS ... [LABELS ...]): a GoogleTest binary registered with CTest
# (one CTest entry per binary, so the CTest summary counts suites; gtest prints the cases).
function(mamori_add_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main)
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES
    ENVIRONMENT "MAMORI_SOURCE_DIR=${PROJECT_SOURCE_DIR};MAMORI_SHARED_DIR=${PROJECT_SOURCE_DIR}/../shared"
    LABELS "${ARG_LABELS}" TIMEOUT 300)
endfunction()
