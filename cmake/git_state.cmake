# Writes the source tree's git commit and whether it has uncommitted changes to OUTPUT, rewriting
# the file only when they changed (run at every build, so a results file names the exact code).
execute_process(COMMAND git -C "${SOURCE_DIR}" rev-parse --short=12 HEAD
                OUTPUT_VARIABLE commit OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE no_git)
if(no_git)
  set(commit "unknown")
  set(dirty 0)
else()
  execute_process(COMMAND git -C "${SOURCE_DIR}" status --porcelain --untracked-files=no
                  OUTPUT_VARIABLE changes OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(changes)
    set(dirty 1)
  else()
    set(dirty 0)
  endif()
endif()
set(text "// Generated at build time by cmake/git_state.cmake.\n#pragma once\n#define SDEGEN_GIT_COMMIT \"${commit}\"\n#define SDEGEN_GIT_DIRTY ${dirty}\n")
if(EXISTS "${OUTPUT}")
  file(READ "${OUTPUT}" old)
endif()
if(NOT old STREQUAL text)
  file(WRITE "${OUTPUT}" "${text}")
endif()
