# The .deb: cpack -G DEB in a build directory. The package installs under /usr however the build
# was configured: CPack installs into its staging directory as DESTDIR, with the prefix /usr.
# What Debian's policy asks of a package that dh would otherwise do: a copyright file, a
# changelog, compressed man pages, stripped binaries, and the config in /etc as a conffile.
set(POSTURED_MAINTAINER "postured maintainers <maintainers@users.noreply.h-seed-7a9194be.example>")
set(package_dir ${CMAKE_CURRENT_BINARY_DIR}/packaging)

configure_file(${CMAKE_CURRENT_LIST_DIR}/changelog.in ${package_dir}/changelog @ONLY)
add_custom_command(OUTPUT ${package_dir}/changelog.gz
  COMMAND gzip -9nkf ${package_dir}/changelog
  DEPENDS ${package_dir}/changelog)
add_custom_target(package_changelog ALL DEPENDS ${package_dir}/changelog.gz)
install(FILES ${package_dir}/changelog.gz ${CMAKE_CURRENT_LIST_DIR}/copyright
        DESTINATION ${CMAKE_INSTALL_DOCDIR})

# dpkg keeps an edited conffile across upgrades and removes it only on purge.
file(WRITE ${package_dir}/conffiles "/etc/xdg/postured/config.toml\n")

set(CPACK_GENERATOR DEB)
set(CPACK_SET_DESTDIR ON)
set(CPACK_INSTALL_PREFIX /usr)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_NAME postured)
set(CPACK_PACKAGE_VERSION ${POSTURED_VERSION})
set(CPACK_PACKAGE_CONTACT ${POSTURED_MAINTAINER})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "posture-break reminder for the Linux desktop")
set(CPACK_PACKAGE_DESCRIPTION "postured counts your active work time and, after every hour of it,
suggests one quick seated stretch for a stiff mid and upper back in a desktop
notification. It runs as a systemd user service; posturectl snoozes, skips or
triggers breaks.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "dbus-user-session")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${package_dir}/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_STRIP_FILES ON)
include(CPack)
