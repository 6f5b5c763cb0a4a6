# Writes OUTPUT: a C++ array VAR of {file name, content} from the files matching GLOB in DIR, in
# name order (run at build time; used for the bundled checklist definitions). The including file
# declares `struct EmbeddedFile { const char* name; const char* content; };`.
file(GLOB files "${DIR}/${GLOB}")
list(SORT files)
set(body "// Generated from ${GLOB} by cmake/EmbedFiles.cmake. Do not edit.\n")
string(APPEND body "static const EmbeddedFile ${VAR}[] = {\n")
foreach(f ${files})
  get_filename_component(name "${f}" NAME)
  file(READ "${f}" content)
  string(APPEND body "  {\"${name}\", R\"mamori_embed(${content})mamori_embed\"},\n")
endforeach()
string(APPEND body "};\n")
file(WRITE "${OUTPUT}.tmp" "${body}")
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different "${OUTPUT}.tmp" "${OUTPUT}")
