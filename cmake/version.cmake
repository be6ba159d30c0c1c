# POSTURED_VERSION: the project's version and, in a git checkout, the number and id of its commit
# (0.1.0+git61.gabc1234), so that a package built from a later commit upgrades the installed one.
# POSTURED_DATE is the commit's date (else the build's), for the package's changelog.
set(POSTURED_VERSION ${PROJECT_VERSION})
set(POSTURED_COMMIT "(none: not built from git)")
string(TIMESTAMP POSTURED_DATE "%a, %d %b %Y %H:%M:%S +0000" UTC)

find_package(Git QUIET)
if(GIT_FOUND)
  function(git_output variable)
    execute_process(COMMAND ${GIT_EXECUTABLE} -C ${PROJECT_SOURCE_DIR} ${ARGN}
                    OUTPUT_VARIABLE output RESULT_VARIABLE failed
                    OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    if(failed)
      set(output "")
    endif()
    set(${variable} "${output}" PARENT_SCOPE)
  endfunction()
  # Only the project's own repository counts, not one that a source tarball was unpacked into.
  git_output(toplevel rev-parse --show-toplevel)
  file(REAL_PATH ${PROJECT_SOURCE_DIR} source_dir)
  if(toplevel AND toplevel STREQUAL source_dir)
    git_output(count rev-list --count HEAD)
    git_output(hash rev-parse --short=7 HEAD)
    git_output(date log -1 --format=%cD)
    git_output(head_log rev-parse --path-format=absolute --git-path logs/HEAD)
    if(count AND hash AND date)
      set(POSTURED_VERSION ${PROJECT_VERSION}+git${count}.g${hash})
      set(POSTURED_COMMIT ${hash})
      set(POSTURED_DATE ${date})
    endif()
    # A commit or a checkout writes this log: configure again, and the version follows.
    if(EXISTS "${head_log}")
      set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${head_log})
    endif()
  endif()
endif()
