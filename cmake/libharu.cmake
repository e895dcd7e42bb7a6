# tlfgen_check_libharu(INCLUDE_DIR TESTED_IDS): fail the configure step
# unless libharu's header declares a HPDF_VERSION_ID in TESTED_IDS (a
# ;-list such as "20300"). pipeline/render/pdf.c reads libharu's private
# structures (a font's ToUnicode stream, the document's memory manager and
# PDF version; docs/packaging.md says why), whose layout is not a stable
# interface: a new version must be tested (ctest: qpdf --check, poppler
# with no warnings, text extraction) before it is added here.
function(tlfgen_check_libharu include_dir tested)
  set(header "")
  foreach(name hpdf_version.h hpdfver.h)
    if(EXISTS "${include_dir}/${name}")
      set(header "${include_dir}/${name}")
      break()
    endif()
  endforeach()
  if(NOT header)
    message(FATAL_ERROR "libharu: neither hpdf_version.h nor hpdfver.h in ${include_dir}; "
      "cannot tell which libharu this is (tlfgen is tested with libharu 2.3.0, Debian libhpdf-dev)")
  endif()
  file(STRINGS "${header}" line REGEX "^#define[ \t]+HPDF_VERSION_ID[ \t]+[0-9]+")
  string(REGEX REPLACE ".*HPDF_VERSION_ID[ \t]+([0-9]+).*" "\\1" id "${line}")
  file(STRINGS "${header}" tline REGEX "^#define[ \t]+HPDF_VERSION_TEXT")
  string(REGEX REPLACE ".*\"(.*)\".*" "\\1" text "${tline}")
  if(NOT id)
    message(FATAL_ERROR "libharu: no HPDF_VERSION_ID in ${header}")
  endif()
  if(NOT id IN_LIST tested)
    message(FATAL_ERROR "libharu ${text} (HPDF_VERSION_ID ${id}, ${header}) has not been tested "
      "with tlfgen, which is tested with HPDF_VERSION_ID ${tested}. pipeline/render/pdf.c "
      "rewrites each font's ToUnicode map through libharu's private structures "
      "(docs/packaging.md): check them against this version, run the whole test suite, then "
      "add ${id} to the list in CMakeLists.txt.")
  endif()
  message(STATUS "libharu ${text} (HPDF_VERSION_ID ${id}): tested")
endfunction()
