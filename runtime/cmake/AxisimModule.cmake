# axisim_add_module(NAME SOURCES...) — a companion module libaxisim_NAME.so (target
# axisim_module_NAME): code whose libraries are costly to load, loaded by the runtime when first
# needed (runtime/src/io/companion_module.hpp says why and where it looks). Built into
# <build>/modules, installed into <libdir>/axisim/modules.
include(GNUInstallDirs)
set(AXISIM_BUILD_MODULE_DIR "${PROJECT_BINARY_DIR}/modules")
set(AXISIM_INSTALL_MODULE_DIR "${CMAKE_INSTALL_FULL_LIBDIR}/axisim/modules")
function(axisim_add_module name)
  add_library(axisim_module_${name} MODULE ${ARGN})
  set_target_properties(axisim_module_${name} PROPERTIES
    OUTPUT_NAME axisim_${name}
    LIBRARY_OUTPUT_DIRECTORY "${AXISIM_BUILD_MODULE_DIR}"
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  target_compile_options(axisim_module_${name} PRIVATE -Wall -Wextra)
  install(TARGETS axisim_module_${name} LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}/axisim/modules)
endfunction()
