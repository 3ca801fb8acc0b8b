# Installation and a Debian package (cpack -G DEB in the build folder; ctest -L package builds
# and checks it). The QualiCLIP weights are never packaged: users download them (qualiclip models
# download) under their CC BY-NC 4.0 licence.
include(GNUInstallDirs)

set(QCI_PACKAGE_MAINTAINER "QualiCLIP Inspector developers <qualiclip-inspector@example.org>"
    CACHE STRING "Maintainer field of the Debian package, as 'Name <address>': packagers set their own")
set(QCI_PROJECT_URL "https://github.com/qualiclip/qualiclip-inspector" CACHE STRING
    "Home page: the package's Homepage field and the AppStream URLs (screenshots are under raw/main/docs)")
if(NOT QCI_PACKAGE_MAINTAINER MATCHES "^[^<>]+ <[^<>@ ]+@[^<>@ ]+>$")
  message(FATAL_ERROR "QCI_PACKAGE_MAINTAINER must read 'Name <address>', not '${QCI_PACKAGE_MAINTAINER}'")
endif()

# Debian names the documentation folder after the package, not after the CMake project.
set(QCI_DOC_DIR ${CMAKE_INSTALL_DATADIR}/doc/qualiclip-inspector)
set(QCI_PACKAGING_DIR ${CMAKE_BINARY_DIR}/packaging)
set(QCI_APPSTREAM_ID io.github.qualiclip.Inspector)

# The top entry of packaging/changelog must be this version, or the package would lie about it.
file(STRINGS ${PROJECT_SOURCE_DIR}/packaging/changelog QCI_CHANGELOG_TOP LIMIT_COUNT 1)
if(NOT QCI_CHANGELOG_TOP MATCHES "^qualiclip-inspector \\(${PROJECT_VERSION}\\) ")
  message(FATAL_ERROR "packaging/changelog starts with '${QCI_CHANGELOG_TOP}': add an entry for ${PROJECT_VERSION}")
endif()
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/packaging/changelog)

install(TARGETS qualiclip RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
if(QCI_BUILD_GUI)
  install(TARGETS qualiclip-inspector RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  install(FILES ${PROJECT_SOURCE_DIR}/resources/qualiclip-inspector.desktop
          DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
  install(FILES ${PROJECT_SOURCE_DIR}/resources/icons/qualiclip-inspector.svg
          DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
  configure_file(${PROJECT_SOURCE_DIR}/resources/qualiclip-inspector.metainfo.xml.in
                 ${QCI_PACKAGING_DIR}/${QCI_APPSTREAM_ID}.metainfo.xml @ONLY)
  install(FILES ${QCI_PACKAGING_DIR}/${QCI_APPSTREAM_ID}.metainfo.xml DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
endif()

# Compressed as Debian policy wants: gzip -9, no name or time stamp (-n), so builds are reproducible.
function(qci_gzip_file source output)
  add_custom_command(OUTPUT ${output}
    COMMAND gzip -9nc ${source} > ${output}
    DEPENDS ${source} VERBATIM)
endfunction()

# Manual pages: docs/man/*.rst (also readable as documentation on any forge) rendered by
# docutils' rst2man (Debian's python3-docutils); warnings stop the build.
find_program(QCI_RST2MAN NAMES rst2man)
set(QCI_PACKAGE_FILES "")
if(QCI_RST2MAN)
  set(pages qualiclip)
  if(QCI_BUILD_GUI)
    list(APPEND pages qualiclip-inspector)
  endif()
  foreach(page IN LISTS pages)
    set(source ${PROJECT_SOURCE_DIR}/docs/man/${page}.1.rst)
    add_custom_command(OUTPUT ${QCI_PACKAGING_DIR}/${page}.1
      COMMAND ${QCI_RST2MAN} --halt=warning --no-generator --no-datestamp ${source} ${QCI_PACKAGING_DIR}/${page}.1
      DEPENDS ${source} COMMENT "Rendering the manual page ${page}(1)" VERBATIM)
    qci_gzip_file(${QCI_PACKAGING_DIR}/${page}.1 ${QCI_PACKAGING_DIR}/${page}.1.gz)
    list(APPEND QCI_PACKAGE_FILES ${QCI_PACKAGING_DIR}/${page}.1.gz)
    install(FILES ${QCI_PACKAGING_DIR}/${page}.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
  endforeach()
else()
  message(WARNING "rst2man not found (Debian: python3-docutils): no manual pages; the package checks will fail")
endif()
qci_gzip_file(${PROJECT_SOURCE_DIR}/packaging/changelog ${QCI_PACKAGING_DIR}/changelog.gz)
list(APPEND QCI_PACKAGE_FILES ${QCI_PACKAGING_DIR}/changelog.gz)
add_custom_target(qci_package_files ALL DEPENDS ${QCI_PACKAGE_FILES})

install(FILES ${QCI_PACKAGING_DIR}/changelog.gz ${PROJECT_SOURCE_DIR}/packaging/copyright
              ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${QCI_DOC_DIR})

set(CPACK_PACKAGE_NAME "qualiclip-inspector")
set(CPACK_PACKAGE_VENDOR "QualiCLIP Inspector developers")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "image quality with QualiCLIP, in a window and on the command line")
# The extended description: paragraphs separated by blank lines (CPack writes them as " ."),
# lines of at most 72 characters (lintian: extended-description-line-too-long).
set(CPACK_PACKAGE_DESCRIPTION
    "QualiCLIP Inspector rates how good photos look with QualiCLIP, a CLIP
ResNet-50 model trained to rank degraded images without human scores,
and gives the same numbers as the authors' reference code, on camera-
sized photos too.

qualiclip-inspector lists images by score, shows quality maps of where
the model finds them good or poor, helps cull a shoot (picks, rejects,
stars, XMP sidecars) and has a degradation lab and a window for
agreement with human opinion scores. The qualiclip command scores
folders to JSON Lines or CSV.

The QualiCLIP weights are not included: their authors publish them under
CC BY-NC 4.0; qualiclip models download fetches them.")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_CONTACT "${QCI_PACKAGE_MAINTAINER}")
set(CPACK_RESOURCE_FILE_LICENSE "${PROJECT_SOURCE_DIR}/LICENSE")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${QCI_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION "graphics")
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${QCI_PROJECT_URL}")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# Stripped: the Release build carries no debug information worth a -dbgsym package.
set(CPACK_STRIP_FILES ON)
# Depends from the libraries the binaries link (dpkg-shlibdeps).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "libopenblas0-pthread")
include(CPack)
