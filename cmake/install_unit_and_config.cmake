# Run at install time (install(SCRIPT)), when CMAKE_INSTALL_PREFIX is the prefix of this install;
# file(INSTALL) adds DESTDIR and records the files in the install manifest.
set(prefix "${CMAKE_INSTALL_PREFIX}")
set(CMAKE_INSTALL_FULL_BINDIR "${prefix}/${POSTURED_BINDIR}")
set(CMAKE_INSTALL_FULL_DOCDIR "${prefix}/${POSTURED_DOCDIR}")
configure_file("${POSTURED_SOURCE_DIR}/systemd/postured.service.in"
               "${POSTURED_STAGE_DIR}/postured.service" @ONLY)
file(INSTALL "${POSTURED_STAGE_DIR}/postured.service" DESTINATION "${prefix}/lib/systemd/user")

if(prefix STREQUAL "/usr")
  set(sysconfdir "/etc")
else()
  set(sysconfdir "${prefix}/etc")
endif()
file(INSTALL "${POSTURED_SOURCE_DIR}/config/postured.toml" DESTINATION "${sysconfdir}/xdg/postured"
     RENAME config.toml)
