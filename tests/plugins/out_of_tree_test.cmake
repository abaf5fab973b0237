# out_of_tree_test.cmake — the plugin template built outside axisim's tree, against an
# installed axisim, and run by the installed executable. Run by ctest as
#
#   cmake -DAXISIM_BINARY_DIR=<axisim build> -DAXISIM_SOURCE_DIR=<axisim source>
#         -DWORK_DIR=<scratch base> -DGENERATOR=<generator> [-DMAKE_PROGRAM=<ninja/make>]
#         [-DCXX_COMPILER=<c++>]
#         -P out_of_tree_test.cmake
#
# Steps: install axisim into <tmp>/prefix (no rebuild); copy the installed template
# (<prefix>/share/axisim/plugin-template) to <tmp>/src; configure it with
# CMAKE_PREFIX_PATH=<tmp>/prefix, build it, install it; run <prefix>/bin/axisim with it (by path,
# by --plugin-dir, by AXISIM_PLUGIN_PATH) and check its columns against the analytic solution;
# check `plugins list` finds the installed plugins; build and run docs/writing-plugins.md's C++
# embedding example and its plugin-testing program against the install. <tmp> is removed at the end, pass or fail.
cmake_minimum_required(VERSION 3.20)

foreach(var AXISIM_BINARY_DIR AXISIM_SOURCE_DIR WORK_DIR GENERATOR)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "out_of_tree_test.cmake: -D${var}=... is required")
  endif()
endforeach()

string(RANDOM LENGTH 8 ALPHABET "abcdefghijklmnopqrstuvwxyz0123456789" suffix)
set(tmp "${WORK_DIR}-${suffix}")
set(prefix "${tmp}/prefix")
set(axisim "${prefix}/bin/axisim")
set(model "${AXISIM_SOURCE_DIR}/tests/plugins/data/tissue_inputs.xml")
file(REMOVE_RECURSE "${tmp}")
file(MAKE_DIRECTORY "${tmp}")
# The prefix, escaped for use inside a regular expression.
string(REGEX REPLACE "([][+.*()^$?|\\])" "\\\\\\1" prefix_re "${prefix}")

macro(fail msg)
  file(REMOVE_RECURSE "${tmp}")
  message(FATAL_ERROR "out-of-tree plugin test: ${msg}")
endmacro()

# run(<name> <out-var> COMMAND ...): runs the command; fails the test unless it exits 0.
# Stdout goes to <out-var>.
function(run name out_var)
  execute_process(${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    file(REMOVE_RECURSE "${tmp}")
    message(FATAL_ERROR "out-of-tree plugin test: ${name} failed (${rc})\n--- stdout ---\n${out}\n--- stderr ---\n${err}")
  endif()
  message(STATUS "${name}: ok")
  set(${out_var} "${out}" PARENT_SCOPE)
endfunction()

# expect(<text> <regex> <what>): fails unless <text> matches <regex>.
function(expect text regex what)
  if(NOT "${text}" MATCHES "${regex}")
    file(REMOVE_RECURSE "${tmp}")
    message(FATAL_ERROR "out-of-tree plugin test: ${what}: expected to match '${regex}', got:\n${text}")
  endif()
endfunction()

# 1. Install axisim (the build must be complete: ctest does not build).
run("install axisim" out COMMAND "${CMAKE_COMMAND}" --install "${AXISIM_BINARY_DIR}" --prefix "${prefix}")
foreach(f bin/axisim include/axisim/plugin_sdk.h include/axisim/plugin.hpp lib/cmake/axisim/axisimConfig.cmake
          lib/cmake/axisim/AxisimPlugin.cmake lib/axisim/plugins/axisim-plugin-bone.so
          share/axisim/plugin-template/CMakeLists.txt share/axisim/plugin-template/my_tissue.cpp
          share/axisim/plugin-template/README.md)
  if(NOT EXISTS "${prefix}/${f}")
    fail("the install has no ${f}")
  endif()
endforeach()
# Test-only plugins are not installed.
file(GLOB stray "${prefix}/lib/axisim/plugins/axisim-plugin-fault-*" "${prefix}/lib/axisim/plugins/axisim-plugin-test-*")
if(stray)
  fail("test plugins were installed: ${stray}")
endif()

# 2. Copy the installed template, as a user would, and build it against the installed package.
file(COPY "${prefix}/share/axisim/plugin-template/" DESTINATION "${tmp}/src")
set(configure_args -S "${tmp}/src" -B "${tmp}/build" -G "${GENERATOR}" "-DCMAKE_PREFIX_PATH=${prefix}"
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF)
if(CXX_COMPILER)
  list(APPEND configure_args "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}")
endif()
if(MAKE_PROGRAM)
  list(APPEND configure_args "-DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}")
endif()
run("configure the template" out COMMAND "${CMAKE_COMMAND}" ${configure_args})
file(STRINGS "${tmp}/build/CMakeCache.txt" axisim_dir REGEX "^axisim_DIR:")
expect("${axisim_dir}" "^axisim_DIR:PATH=${prefix_re}/lib/cmake/axisim$" "find_package(axisim) found the installed package")
run("build the template" out COMMAND "${CMAKE_COMMAND}" --build "${tmp}/build")
set(plugin "${tmp}/build/axisim-plugin-my-tissue.so")
if(NOT EXISTS "${plugin}")
  fail("the build made no ${plugin}")
endif()

# 3. Run it with the installed axisim, by path. With IGF_f = 0.3 and k_t = 0.1:
# L(t) = 0.3 - 0.15 exp(-0.1 t); equilibration_pct = 100 L / 0.3: 50 at t = 0, 81.60603 at
# t = 10, 99.99773 at t = 100.
run("simulate with the plugin by path" csv
    COMMAND "${axisim}" simulate "${model}" --plugin "${plugin}" --set IGF_f=0.3 --end 100 --steps 10
            --select my-tissue.equilibration_pct,my-tissue.L)
string(STRIP "${csv}" csv)
string(REPLACE "\n" ";" lines "${csv}")
list(LENGTH lines n)
if(NOT n EQUAL 12)
  fail("expected a header and 11 rows, got ${n} lines:\n${csv}")
endif()
list(GET lines 0 header)
expect("${header}" "^time,my-tissue.equilibration_pct,my-tissue.L$" "the header")
list(GET lines 1 row0)
expect("${row0}" "^0,50(\\.0*)?,0\\.15(0*)?$" "the row at t = 0")
list(GET lines 2 row1)
expect("${row1}" "^10,81\\.6060[0-9]*,0\\.24481[0-9]*$" "the row at t = 10")
list(GET lines 11 row10)
expect("${row10}" "^100,99\\.9977[0-9]*,0\\.29999[0-9]*$" "the row at t = 100")

# By name from --plugin-dir, with a parameter: k_t = 0.2 gives 100 (1 - 0.5 exp(-2)) = 93.2332 at t = 10.
run("simulate with the plugin by name (--plugin-dir)" csv
    COMMAND "${axisim}" simulate "${model}" --plugin-dir "${tmp}/build" --plugin my-tissue
            --plugin-param my-tissue.k_t=0.2 --set IGF_f=0.3 --end 10 --steps 1 --select my-tissue.equilibration_pct)
expect("${csv}" "\n10,93\\.233[0-9]*\n?$" "k_t = 0.2 at t = 10")

# By name from AXISIM_PLUGIN_PATH, next to a shipped plugin from the installed prefix.
run("simulate with the plugin by name (AXISIM_PLUGIN_PATH)" csv
    COMMAND "${CMAKE_COMMAND}" -E env "AXISIM_PLUGIN_PATH=${tmp}/build:${prefix}/lib/axisim/plugins"
            "${axisim}" simulate "${model}" --plugin my-tissue --plugin muscle --set IGF_f=0.3 --end 10 --steps 1)
expect("${csv}" "^time,Bu_col,my-tissue.equilibration_pct,muscle.FSR,muscle.mass_change_pct\n" "the default columns")

# plugins info on the out-of-tree plugin.
run("plugins info my-tissue" info COMMAND "${axisim}" plugins info my-tissue --plugin-dir "${tmp}/build")
expect("${info}" "my-tissue 0\\.1\\.0 \\(plugin ABI 2\\)" "plugins info: name and ABI")
expect("${info}" "L = 0\\.15 \\[nM\\] in \\[0, INF\\]" "plugins info: the state's declared range")
expect("${info}" "k_t = 0\\.1 \\[1/h\\]" "plugins info: the parameter")
expect("${info}" "IGF_f" "plugins info: the input")

# 3b. The C++ embedding example of docs/writing-plugins.md, taken from the page's text (the code
#     blocks after "<!-- embedding-example: FILE -->"), built against the installed package and run
#     with the template plugin: 100 (1 - 0.5 exp(-1)) = 81.606 at t = 10.
file(READ "${AXISIM_SOURCE_DIR}/docs/writing-plugins.md" doc)
foreach(name CMakeLists.txt embed.cpp)
  string(FIND "${doc}" "<!-- embedding-example: ${name} -->" at)
  if(at EQUAL -1)
    fail("docs/writing-plugins.md has no embedding example ${name}")
  endif()
  string(SUBSTRING "${doc}" ${at} -1 rest)
  string(FIND "${rest}" "```" open)
  string(SUBSTRING "${rest}" ${open} -1 rest)
  string(FIND "${rest}" "\n" eol)        # past the opening fence's line
  math(EXPR eol "${eol} + 1")
  string(SUBSTRING "${rest}" ${eol} -1 rest)
  string(FIND "${rest}" "```" close)
  string(SUBSTRING "${rest}" 0 ${close} code)
  file(WRITE "${tmp}/embed/${name}" "${code}")
endforeach()
set(embed_args -S "${tmp}/embed" -B "${tmp}/embed-build" -G "${GENERATOR}" "-DCMAKE_PREFIX_PATH=${prefix}"
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF)
if(CXX_COMPILER)
  list(APPEND embed_args "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}")
endif()
if(MAKE_PROGRAM)
  list(APPEND embed_args "-DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}")
endif()
run("configure the embedding example" out COMMAND "${CMAKE_COMMAND}" ${embed_args})
run("build the embedding example" out COMMAND "${CMAKE_COMMAND}" --build "${tmp}/embed-build")
run("run the embedding example" printed COMMAND "${tmp}/embed-build/embed" "${plugin}")
expect("${printed}" "^equilibration_pct\\(10\\) = 81\\.606\ndL/dt = 0\\.015\n$" "the embedding example's results")
if(NOT EXISTS "${prefix}/share/axisim/examples/tissue_inputs.xml" OR NOT EXISTS "${prefix}/lib/libaxisim_runtime.a"
   OR NOT EXISTS "${prefix}/include/axisim/model.hpp")
  fail("the install lacks the test model, the runtime library or its headers")
endif()

# 3c. The plugin-testing program of docs/writing-plugins.md ("Testing a plugin", the code blocks
#     after "<!-- plugin-test-example: FILE -->"), built against the install and run on the
#     template plugin: every check (formula, Jacobian against differences, analytic run, a
#     refusal naming the plugin) must pass.
foreach(name CMakeLists.txt test_my_tissue.cpp)
  string(FIND "${doc}" "<!-- plugin-test-example: ${name} -->" at)
  if(at EQUAL -1)
    fail("docs/writing-plugins.md has no plugin-test example ${name}")
  endif()
  string(SUBSTRING "${doc}" ${at} -1 rest)
  string(FIND "${rest}" "```" open)
  string(SUBSTRING "${rest}" ${open} -1 rest)
  string(FIND "${rest}" "\n" eol)
  math(EXPR eol "${eol} + 1")
  string(SUBSTRING "${rest}" ${eol} -1 rest)
  string(FIND "${rest}" "```" close)
  string(SUBSTRING "${rest}" 0 ${close} code)
  file(WRITE "${tmp}/plugin-test/${name}" "${code}")
endforeach()
set(test_args -S "${tmp}/plugin-test" -B "${tmp}/plugin-test-build" -G "${GENERATOR}" "-DCMAKE_PREFIX_PATH=${prefix}"
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF)
if(CXX_COMPILER)
  list(APPEND test_args "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}")
endif()
if(MAKE_PROGRAM)
  list(APPEND test_args "-DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}")
endif()
run("configure the plugin-testing example" out COMMAND "${CMAKE_COMMAND}" ${test_args})
run("build the plugin-testing example" out COMMAND "${CMAKE_COMMAND}" --build "${tmp}/plugin-test-build")
run("run the plugin-testing example" printed COMMAND "${tmp}/plugin-test-build/test_my_tissue" "${plugin}")
expect("${printed}" "ok: jacobian: d\\(dL/dt\\)/dL equals the difference quotient\n" "the plugin-testing example checks the Jacobian")
expect("${printed}" "all checks passed\n$" "the plugin-testing example's checks")

# 4. Install the plugin with the template's install() rule: it lands next to the shipped ones.
run("install the template plugin" out COMMAND "${CMAKE_COMMAND}" --install "${tmp}/build")
if(NOT EXISTS "${prefix}/lib/axisim/plugins/axisim-plugin-my-tissue.so")
  fail("cmake --install did not put the plugin in ${prefix}/lib/axisim/plugins")
endif()

# 5. The installed axisim finds the installed plugins by itself, relative to where it was
#    installed (no --plugin-dir): the shipped ones and the template's, installed beside them.
run("plugins list" list COMMAND "${axisim}" plugins list)
foreach(name bone bone-linear muscle metabolic gut-barrier)
  expect("${list}" "  ${name} [12]\\.[01]\\.0 [^\n]*\n    ${prefix_re}/lib/axisim/plugins/axisim-plugin-${name}\\.so"
         "plugins list: the installed ${name}")
endforeach()
expect("${list}" "  my-tissue 0\\.1\\.0 [^\n]*\n    ${prefix_re}/lib/axisim/plugins/axisim-plugin-my-tissue\\.so"
       "plugins list: the installed template plugin")
if(list MATCHES "unusable")
  fail("plugins list reports an unusable plugin:\n${list}")
endif()

run("simulate with the installed plugin by name alone" named
    COMMAND "${axisim}" simulate "${model}" --plugin my-tissue --end 10 --steps 1 --quiet)
expect("${named}" "my-tissue\\." "the installed plugin's columns, found by name")

file(REMOVE_RECURSE "${tmp}")
message(STATUS "out-of-tree plugin test passed")
