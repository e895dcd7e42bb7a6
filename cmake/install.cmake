# install.cmake - `cmake --install` and `cpack -G DEB` (tools/package.sh).
#
# Layout under the prefix (GNUInstallDirs):
#   bin/tlfgen
#   share/tlfgen/{templates,fonts,config}   the data folder: the program
#                                           finds it as ../share/tlfgen from
#                                           its own path (core/datadir.h),
#                                           so a prefix can be moved
#   share/man/man1/tlfgen.1.gz
#   share/doc/tlfgen/                       README, docs/*.md, copyright
#   lib/systemd/system/tlfgen-nightly.*     only with TLFGEN_INSTALL_SYSTEMD_UNITS
# config/ is installed whole (every profile, the study configuration, the
# cron and systemd samples), so a file added there is installed too.
option(TLFGEN_INSTALL_SYSTEMD_UNITS
  "Install the nightly systemd service and timer into lib/systemd/system (the Debian package does)" OFF)

set(TLFGEN_DATADIR ${CMAKE_INSTALL_DATADIR}/tlfgen)
install(TARGETS tlfgen RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${CMAKE_SOURCE_DIR}/templates ${CMAKE_SOURCE_DIR}/fonts ${CMAKE_SOURCE_DIR}/config
  DESTINATION ${TLFGEN_DATADIR})
# Manual page compressed as Debian policy asks: gzip -9n (no name or time
# stamp in the header, so the same page gives the same bytes).
add_custom_command(OUTPUT ${CMAKE_BINARY_DIR}/tlfgen.1.gz
  COMMAND sh -c "gzip -9nc '${CMAKE_SOURCE_DIR}/packaging/tlfgen.1' > '${CMAKE_BINARY_DIR}/tlfgen.1.gz'"
  DEPENDS ${CMAKE_SOURCE_DIR}/packaging/tlfgen.1 VERBATIM)
add_custom_target(tlfgen_man ALL DEPENDS ${CMAKE_BINARY_DIR}/tlfgen.1.gz)
install(FILES ${CMAKE_BINARY_DIR}/tlfgen.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
file(GLOB TLFGEN_DOC_MD CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/docs/*.md)
install(FILES ${CMAKE_SOURCE_DIR}/README.md ${TLFGEN_DOC_MD} ${CMAKE_SOURCE_DIR}/packaging/copyright
  DESTINATION ${CMAKE_INSTALL_DOCDIR})
if(TLFGEN_INSTALL_SYSTEMD_UNITS)
  install(FILES ${CMAKE_SOURCE_DIR}/config/systemd/tlfgen-nightly.service
    ${CMAKE_SOURCE_DIR}/config/systemd/tlfgen-nightly.timer
    DESTINATION lib/systemd/system)
endif()

# --- Debian package (cpack -G DEB from a build configured with prefix /usr) ---
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME tlfgen)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "tlfgen maintainers <tlfgen@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "clinical trial tables, listings and figures (PDF) and ARD from an SDTM SQLite database")
set(CPACK_PACKAGE_DESCRIPTION
  "tlfgen turns a clinical trial's locked SDTM database (SQLite) into the analysis results data (ard.csv) and regulatory-style PDF tables, listings and figures. A batch program for cron or the shipped systemd timer.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Debian 12 (bookworm) package names of the shared libraries the program links.
set(CPACK_DEBIAN_PACKAGE_DEPENDS
  "libc6 (>= 2.34), libhpdf-2.3.0, libgsl27 (>= 2.7), libgslcblas0 (>= 2.7), libjansson4 (>= 2.14), libsqlite3-0 (>= 3.40), libssl3 (>= 3.0), libfreetype6 (>= 2.12), libpng16-16 (>= 1.6), libdeflate0 (>= 1.14), passwd")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${CMAKE_SOURCE_DIR}/packaging/postinst)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
