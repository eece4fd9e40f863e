# Embeds the project's data files (migrations/, data/rules/, data/review/, data/authority/,
# data/notify/) into the binary, so that the program never reads the source tree at run time.
# Generated at build time by cmake/embed_gen.cmake; core/embedded.h is the lookup interface.
file(GLOB_RECURSE BEIAN_EMBED_FILES CONFIGURE_DEPENDS
     ${CMAKE_SOURCE_DIR}/migrations/*.sql ${CMAKE_SOURCE_DIR}/data/rules/*
     ${CMAKE_SOURCE_DIR}/data/review/* ${CMAKE_SOURCE_DIR}/data/authority/*
     ${CMAKE_SOURCE_DIR}/data/notify/*)
set(BEIAN_EMBED_OUT ${CMAKE_BINARY_DIR}/generated/embedded_files.cc)
set(BEIAN_EMBED_LIST ${CMAKE_BINARY_DIR}/generated/embedded_files.list)
file(WRITE ${BEIAN_EMBED_LIST}.tmp "${BEIAN_EMBED_FILES}")
file(COPY_FILE ${BEIAN_EMBED_LIST}.tmp ${BEIAN_EMBED_LIST} ONLY_IF_DIFFERENT)
add_custom_command(
  OUTPUT ${BEIAN_EMBED_OUT}
  COMMAND ${CMAKE_COMMAND} -DROOT=${CMAKE_SOURCE_DIR} -DOUT=${BEIAN_EMBED_OUT}
          -DLIST=${BEIAN_EMBED_LIST} -P ${CMAKE_SOURCE_DIR}/cmake/embed_gen.cmake
  VERBATIM
  DEPENDS ${BEIAN_EMBED_FILES} ${BEIAN_EMBED_LIST} ${CMAKE_SOURCE_DIR}/cmake/embed_gen.cmake
  COMMENT "Embedding migrations and rules data")
add_library(beian_embedded STATIC ${BEIAN_EMBED_OUT})
target_include_directories(beian_embedded PUBLIC ${CMAKE_SOURCE_DIR}/src)
