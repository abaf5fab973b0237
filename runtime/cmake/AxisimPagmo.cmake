# axisim::pagmo — pagmo2 (libpagmo-dev) as the runtime links it: from its static archive.
#
# Why not libpagmo.so: its constructors build the CEC 2013 and 2014 benchmark tables in every
# process that loads it, about 60 ms before main() — more than a whole SBML Test Suite case takes
# to simulate, and paid by every `axisim` command and every `import axisim`. The archive
# contributes only the objects pagmo_search.cpp uses (the four algorithms, population, problem),
# whose constructors cost nothing measurable. docs/performance.md, "Start-up".
#
# Used by the build (CMakeLists.txt) and by the installed package (axisimConfig.cmake), so that a
# program linking axisim::runtime links the same archive and its dependencies.
if(TARGET axisim::pagmo)
  return()
endif()
# Pagmo's package defines Boost::serialization and Threads::Threads; TBB is the archive's own
# dependency (the shared library hides it).
find_package(Pagmo 2.18 REQUIRED CONFIG)
find_package(TBB REQUIRED CONFIG)
find_library(AXISIM_PAGMO_ARCHIVE NAMES libpagmo.a
  HINTS "${Pagmo_DIR}/../.." DOC "pagmo2's static archive (libpagmo-dev)")
add_library(axisim::pagmo INTERFACE IMPORTED)
if(AXISIM_PAGMO_ARCHIVE)
  set_target_properties(axisim::pagmo PROPERTIES
    INTERFACE_LINK_LIBRARIES "${AXISIM_PAGMO_ARCHIVE};TBB::tbb;Boost::serialization;Threads::Threads")
else()
  message(STATUS "axisim: pagmo2's static archive was not found; linking libpagmo.so (every process "
                 "then pays its start-up, docs/performance.md)")
  set_target_properties(axisim::pagmo PROPERTIES INTERFACE_LINK_LIBRARIES Pagmo::pagmo)
endif()
