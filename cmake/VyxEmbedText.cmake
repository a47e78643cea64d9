# Text files compiled into a target, so a program needs nothing beside it
# (the backtest report inlines its chart library and page from these).
#
#   vyx_embed_text(<target> <function> <file> [NO_SCRIPT_END])
#
# Defines `std::string_view <function>()` (a qualified name, e.g.
# vyx::runtime::report_assets::chart_library) in a source generated at build
# time from <file>, so an edit of the file rebuilds it. NO_SCRIPT_END: the
# text is inlined into an HTML <script> or <style>, so it must not hold
# "</script", "</style" or "<!--"; the build fails if it does.
set(VYX_EMBED_TEXT_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/embed_text.cmake)

function(vyx_embed_text target function file)
  cmake_parse_arguments(PARSE_ARGV 3 arg "NO_SCRIPT_END" "" "")
  string(REPLACE "::" "_" stem "${function}")
  set(output ${CMAKE_CURRENT_BINARY_DIR}/embedded/${stem}.cpp)
  add_custom_command(
    OUTPUT ${output}
    COMMAND ${CMAKE_COMMAND} -DINPUT=${file} -DOUTPUT=${output} -DFUNCTION=${function}
            -DNO_SCRIPT_END=${arg_NO_SCRIPT_END} -P ${VYX_EMBED_TEXT_SCRIPT}
    DEPENDS ${file} ${VYX_EMBED_TEXT_SCRIPT}
    COMMENT "Embedding ${file}"
    VERBATIM)
  target_sources(${target} PRIVATE ${output})
  set_source_files_properties(${output} TARGET_DIRECTORY ${target} PROPERTIES SKIP_UNITY_BUILD_INCLUSION ON)
endfunction()
