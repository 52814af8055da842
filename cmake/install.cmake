# Install rules and the Debian package (CPack): the binary, its man page and shell completions
# (both written by the binary from its own CLI definitions), and the docs.
#   cmake --install build [--prefix DIR]       cd build && cpack -G DEB
include(GNUInstallDirs)

set(KEYHOUND_EXTRAS_DIR ${CMAKE_BINARY_DIR}/extras)
set(KEYHOUND_EXTRAS
    ${KEYHOUND_EXTRAS_DIR}/keyhound.1 ${KEYHOUND_EXTRAS_DIR}/keyhound.bash
    ${KEYHOUND_EXTRAS_DIR}/_keyhound ${KEYHOUND_EXTRAS_DIR}/keyhound.fish)
add_custom_command(
  OUTPUT ${KEYHOUND_EXTRAS}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${KEYHOUND_EXTRAS_DIR}
  COMMAND keyhound manpage > ${KEYHOUND_EXTRAS_DIR}/keyhound.1
  COMMAND keyhound completion bash > ${KEYHOUND_EXTRAS_DIR}/keyhound.bash
  COMMAND keyhound completion zsh > ${KEYHOUND_EXTRAS_DIR}/_keyhound
  COMMAND keyhound completion fish > ${KEYHOUND_EXTRAS_DIR}/keyhound.fish
  DEPENDS keyhound
  COMMENT "Writing the man page and shell completions")
add_custom_target(keyhound_extras ALL DEPENDS ${KEYHOUND_EXTRAS})

# The run command builds only `keyhound`; installing writes the extras first if they are missing.
install(CODE "execute_process(COMMAND \"${CMAKE_COMMAND}\" --build \"${CMAKE_BINARY_DIR}\" --target keyhound_extras
                              RESULT_VARIABLE failed)
              if(failed)
                message(FATAL_ERROR \"could not write the man page and completions\")
              endif()")
install(TARGETS keyhound RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${KEYHOUND_EXTRAS_DIR}/keyhound.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${KEYHOUND_EXTRAS_DIR}/keyhound.bash DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
        RENAME keyhound)
install(FILES ${KEYHOUND_EXTRAS_DIR}/_keyhound DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
install(FILES ${KEYHOUND_EXTRAS_DIR}/keyhound.fish DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d)
install(FILES ${CMAKE_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY ${CMAKE_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR} FILES_MATCHING PATTERN "*.md")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME keyhound)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "keyhound maintainers <keyhound@users.noreply.github.com>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "find hardcoded credentials in files and git history, and vault them")
set(CPACK_PACKAGE_DESCRIPTION
    "keyhound scans directory trees, standard input, whole git histories and staged changes for\nhardcoded credentials (Hyperscan and RE2), reports them without their values (text, JSON,\nSARIF), keeps a triage baseline and moves confirmed secrets into AWS Secrets Manager.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE https://github.com/keyhound/keyhound)
# dpkg-shlibdeps lists the libraries the binary links (Hyperscan, libgit2, RE2, yaml-cpp...).
# libcurl is loaded only when `keyhound vault` runs (dlopen), so it is named here.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libcurl4 (>= 7.16.2)")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "git")
set(CPACK_STRIP_FILES ON)
include(CPack)
