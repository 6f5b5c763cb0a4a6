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

# mamori_embed_files(TARGET DIR GLOB VAR): compiles the files DIR/GLOB into TARGET as a C++ array
# VAR of {name, content} in generated/<module>/<VAR>.inc (see cmake/EmbedFiles.cmake), included by
# the module's source as "<module>/<name>.inc". Data shipped inside the binary: checklist forms,
# CVSS tables.
function(mamori_embed_files target dir glob var include_name)
  set(inc ${CMAKE_CURRENT_BINARY_DIR}/generated/${include_name})
  file(GLOB files CONFIGURE_DEPENDS ${dir}/${glob})
  add_custom_command(
    OUTPUT ${inc}
    COMMAND ${CMAKE_COMMAND} -DDIR=${dir} -DGLOB=${glob} -DVAR=${var} -DOUTPUT=${inc}
            -P ${PROJECT_SOURCE_DIR}/cmake/EmbedFiles.cmake
    DEPENDS ${files} ${PROJECT_SOURCE_DIR}/cmake/EmbedFiles.cmake
    COMMENT "Embedding ${dir}/${glob}")
  target_sources(${target} PRIVATE ${inc})
  target_include_directories(${target} PRIVATE ${CMAKE_CURRENT_BINARY_DIR}/generated)
endfunction()
