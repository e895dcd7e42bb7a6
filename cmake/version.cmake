# Regenerates version.h at every build with the commit the sources are at,
# so `tlfgen --version` never names an older commit than the one built.
# Inputs: SRC (source dir), IN (version.h.in), OUT (version.h), PROJECT_VERSION.
execute_process(COMMAND git rev-parse --short=12 HEAD
  WORKING_DIRECTORY ${SRC} OUTPUT_VARIABLE TLFGEN_GIT_COMMIT
  OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
execute_process(COMMAND git status --porcelain --untracked-files=no
  WORKING_DIRECTORY ${SRC} OUTPUT_VARIABLE TLFGEN_GIT_DIRTY
  OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(NOT TLFGEN_GIT_COMMIT)
  set(TLFGEN_GIT_COMMIT "unknown")
elseif(TLFGEN_GIT_DIRTY)
  set(TLFGEN_GIT_COMMIT "${TLFGEN_GIT_COMMIT}-dirty")
endif()
# configure_file rewrites OUT only when its content changes: no needless rebuilds.
configure_file(${IN} ${OUT} @ONLY)
