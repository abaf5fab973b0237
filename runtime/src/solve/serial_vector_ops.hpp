// serial_vector_ops.hpp — SUNDIALS' serial N_Vector operations, compiled with optimisation.
//
// Why: Debian's libsundials (bookworm, 6.4.1) is built without optimisation. Its serial vector
// kernels keep every loop index and pointer in memory, about 20 instructions per element where
// an optimised loop needs 2 to 5, and CVODE calls them some 25 times per step: they were 55 % of
// the instructions of one more run of the flagship scenario (bench/suite_instructions.sh and
// callgrind, docs/performance.md "Debian's SUNDIALS is built without optimisation").
//
// install_serial_vector_ops(v) replaces, in v's operation table, the operations CVODE and its
// linear solvers call per step with these. They compute the same values in the same order as
// SUNDIALS' own (N_VLinearSum_Serial's special cases included, so a == b still gives
// a * (x + y)): results are identical to the last bit (tests/unit/test_serial_vector_ops.cpp
// compares every one with the library's on vectors and scalars that reach each case). Vectors
// cloned from v (N_VClone, as CVODE makes its own) share the table. Fused and vector-array
// operations stay off, as in N_VNew_Serial: turning them on would change the order of some sums.
//
// Thread-safety: touches only v's own table.
#pragma once

#include <sundials/sundials_nvector.h>

namespace axisim::detail {

// `v` must be a serial vector (N_VNew_Serial or a clone of one).
void install_serial_vector_ops(N_Vector v);

}  // namespace axisim::detail
