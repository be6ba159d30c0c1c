# The translations: po/LANG.po compiled into share/locale/LANG/LC_MESSAGES/postured.mo, in the
# build tree as installed, where each program finds them beside itself (program_datadir); and
# the desktop entry merged with them.
find_program(MSGFMT msgfmt REQUIRED)
find_program(XGETTEXT xgettext REQUIRED)
find_program(MSGCAT msgcat REQUIRED)
find_program(MSGMERGE msgmerge REQUIRED)

set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/po/LINGUAS)
file(STRINGS ${CMAKE_CURRENT_SOURCE_DIR}/po/LINGUAS POSTURED_LANGUAGES REGEX "^[^#]")
set(LOCALE_DIR ${CMAKE_CURRENT_BINARY_DIR}/share/locale)
foreach(language IN LISTS POSTURED_LANGUAGES)
  set(po ${CMAKE_CURRENT_SOURCE_DIR}/po/${language}.po)
  set(mo ${LOCALE_DIR}/${language}/LC_MESSAGES/postured.mo)
  add_custom_command(OUTPUT ${mo}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${LOCALE_DIR}/${language}/LC_MESSAGES
    COMMAND ${MSGFMT} --check -o ${mo} ${po}
    DEPENDS ${po})
  list(APPEND MO_FILES ${mo})
  install(FILES ${mo} DESTINATION ${CMAKE_INSTALL_LOCALEDIR}/${language}/LC_MESSAGES)
endforeach()
set(DESKTOP_ENTRY ${CMAKE_CURRENT_BINARY_DIR}/share/applications/postured.desktop)
list(TRANSFORM POSTURED_LANGUAGES PREPEND ${CMAKE_CURRENT_SOURCE_DIR}/po/ OUTPUT_VARIABLE PO_FILES)
list(TRANSFORM PO_FILES APPEND .po)
add_custom_command(OUTPUT ${DESKTOP_ENTRY}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_CURRENT_BINARY_DIR}/share/applications
  COMMAND ${MSGFMT} --desktop --template ${CMAKE_CURRENT_SOURCE_DIR}/data/postured.desktop
          -d ${CMAKE_CURRENT_SOURCE_DIR}/po -o ${DESKTOP_ENTRY}
  DEPENDS data/postured.desktop ${PO_FILES} po/LINGUAS)
add_custom_target(translations ALL DEPENDS ${MO_FILES} ${DESKTOP_ENTRY})
install(FILES ${DESKTOP_ENTRY} DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)

# The template, from the sources, the desktop entry and the shipped catalog. `cmake --build B
# --target update-po` writes it to po/postured.pot and merges it into every language; the suite
# checks that the committed template is the fresh one and that every language covers it.
file(GLOB_RECURSE MESSAGE_SOURCES CONFIGURE_DEPENDS RELATIVE ${CMAKE_CURRENT_SOURCE_DIR}
     ${CMAKE_CURRENT_SOURCE_DIR}/daemon/*.cpp ${CMAKE_CURRENT_SOURCE_DIR}/daemon/*.hpp
     ${CMAKE_CURRENT_SOURCE_DIR}/cli/*.cpp ${CMAKE_CURRENT_SOURCE_DIR}/cli/*.hpp)
list(SORT MESSAGE_SOURCES)
add_executable(catalog_messages data/catalog_messages.cpp)
target_link_libraries(catalog_messages PRIVATE postured_core)
set(POT_DIR ${CMAKE_CURRENT_BINARY_DIR}/po)
set(FRESH_POT ${POT_DIR}/postured.pot)
add_custom_command(OUTPUT ${FRESH_POT}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${POT_DIR}
  COMMAND ${XGETTEXT} --language=C++ --from-code=UTF-8 --keyword=_ --keyword=N_ --keyword=tr
          --keyword=tr_n:1,2 --add-comments=TRANSLATORS: --add-location=file --sort-by-file
          --package-name=postured "--msgid-bugs-address=${POSTURED_MAINTAINER}" --output=${POT_DIR}/code.pot
          ${MESSAGE_SOURCES}
  COMMAND ${XGETTEXT} --language=Desktop -k -kGenericName -kComment --add-location=file "--msgid-bugs-address=${POSTURED_MAINTAINER}"
          --output=${POT_DIR}/desktop.pot data/postured.desktop
  COMMAND ${CMAKE_COMMAND} -E env ASAN_OPTIONS=detect_leaks=0 $<TARGET_FILE:catalog_messages>
          ${POT_DIR}/catalog.pot
  COMMAND ${MSGCAT} --use-first --output-file=${FRESH_POT} ${POT_DIR}/code.pot
          ${POT_DIR}/desktop.pot ${POT_DIR}/catalog.pot
  DEPENDS ${MESSAGE_SOURCES} data/postured.desktop catalog_messages
  WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR} VERBATIM)
if(BUILD_TESTING)
  add_custom_target(fresh-pot ALL DEPENDS ${FRESH_POT})
else()
  add_custom_target(fresh-pot DEPENDS ${FRESH_POT})
endif()
add_custom_target(update-po
  COMMAND ${CMAKE_COMMAND} -E copy ${FRESH_POT} ${CMAKE_CURRENT_SOURCE_DIR}/po/postured.pot
  DEPENDS ${FRESH_POT})
foreach(po IN LISTS PO_FILES)
  add_custom_command(TARGET update-po POST_BUILD
    COMMAND ${MSGMERGE} --quiet --update --backup=none --no-fuzzy-matching ${po}
            ${CMAKE_CURRENT_SOURCE_DIR}/po/postured.pot)
endforeach()
