# axisim_add_plugin(NAME SOURCES... [INSTALL_DIR dir])
#
# Builds an axisim tissue plugin: a shared library named axisim-plugin-<NAME>.so, built against
# the plugin SDK (<axisim/plugin_sdk.h>, <axisim/plugin.hpp>) with only its entry point exported.
# `axisim --plugin NAME` finds it on the plugin path; `--plugin PATH` loads it from anywhere.
# The target is called axisim_plugin_<NAME> (with '-' turned into '_').
function(axisim_add_plugin name)
  cmake_parse_arguments(ARG "" "INSTALL_DIR" "SOURCES" ${ARGN})
  if(NOT ARG_SOURCES)
    set(ARG_SOURCES ${ARG_UNPARSED_ARGUMENTS})
  endif()
  string(REPLACE "-" "_" target "axisim_plugin_${name}")
  add_library(${target} MODULE ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE axisim::plugin_sdk)
  target_compile_features(${target} PRIVATE cxx_std_17)
  set_target_properties(${target} PROPERTIES
    PREFIX "" OUTPUT_NAME "axisim-plugin-${name}" SUFFIX ".so"
    CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON)
  if(ARG_INSTALL_DIR)
    install(TARGETS ${target} LIBRARY DESTINATION "${ARG_INSTALL_DIR}")
  endif()
endfunction()
