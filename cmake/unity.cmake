# KEYHOUND_UNITY: compile each folder's sources in batches of up to 8 files per translation unit.
# A build from nothing (CI, the README's two commands) then parses the headers every file shares
# (the standard library, fmt, nlohmann_json, GoogleTest) and emits their inline code once per
# batch instead of once per file: about 3x less compile time. Off for day-to-day builds, where
# ccache and one object per file keep the rebuild after an edit small.
# What it asks of the code: two files of one folder never define the same internal name (an
# anonymous-namespace helper or constant); a shared one belongs in a header of that folder.
option(KEYHOUND_UNITY "Compile sources in per-folder batches (one-shot builds: CI, setup.sh)" OFF)

function(keyhound_unity target)
  if(NOT KEYHOUND_UNITY)
    return()
  endif()
  get_target_property(sources ${target} SOURCES)
  foreach(source IN LISTS sources)
    get_source_file_property(generated ${source} GENERATED)
    if(generated OR NOT source MATCHES "\\.cpp$")
      continue()  # generated data (the embedded rules) stays a translation unit of its own
    endif()
    get_filename_component(folder ${source} DIRECTORY)
    string(MAKE_C_IDENTIFIER "${folder}" key)
    if(NOT DEFINED files_in_${key})
      set(files_in_${key} 0)
    endif()
    math(EXPR batch "${files_in_${key}} / 8")
    math(EXPR files_in_${key} "${files_in_${key}} + 1")
    set_source_files_properties(${source} PROPERTIES UNITY_GROUP "${key}_${batch}")
  endforeach()
  set_target_properties(${target} PROPERTIES UNITY_BUILD ON UNITY_BUILD_MODE GROUP)
endfunction()
