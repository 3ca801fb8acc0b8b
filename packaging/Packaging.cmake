# Installation and a Debian package (cpack -G DEB in the build folder). The QualiCLIP weights are
# never packaged: users download them (qualiclip models download) under their CC BY-NC 4.0 licence.
include(GNUInstallDirs)
install(TARGETS qualiclip RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
if(QCI_BUILD_GUI)
  install(TARGETS qualiclip-inspector RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  install(FILES ${PROJECT_SOURCE_DIR}/resources/qualiclip-inspector.desktop
          DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
endif()
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/LICENSE
        DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CPACK_PACKAGE_NAME "qualiclip-inspector")
set(CPACK_PACKAGE_VENDOR "QualiCLIP Inspector developers")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_RESOURCE_FILE_LICENSE "${PROJECT_SOURCE_DIR}/LICENSE")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "QualiCLIP Inspector developers")
set(CPACK_DEBIAN_PACKAGE_SECTION "graphics")
# The same Debian packages scripts/install-deps.sh installs for building, as run-time libraries.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "libopenblas0-pthread")
include(CPack)
