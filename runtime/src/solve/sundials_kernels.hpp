// sundials_kernels.hpp — SUNDIALS' serial vector and sparse matrix operations, compiled with
// optimisation.
//
// Why: Debian's libsundials (bookworm, 6.4.1) is built without optimisation (its code keeps
// every loop index and pointer in memory: about 20 instructions per vector element where an
// optimised loop needs 2 to 5). CVODE calls the vector operations some 25 times per step and
// the sparse matrix's zero, copy and "scale and add the identity" at every Jacobian and linear
// solver set-up: together they were 60 % of the instructions of one more run of the flagship
// scenario (callgrind; docs/performance.md, "Debian's SUNDIALS is built without optimisation").
// KLU (SuiteSparse) is built with optimisation and is left alone.
//
// The install functions replace entries of an object's operation table with these. Each
// computes the same values in the same order as SUNDIALS' own (N_VLinearSum_Serial's special
// cases included, so a == b still gives a * (x + y)), so results are identical to the last bit:
// tests/unit/test_sundials_kernels.cpp compares every one with the library's on data that
// reaches each case. Clones (N_VClone, SUNMatClone: CVODE makes its own) get the same table.
// Fused and vector-array operations stay off, as N_VNew_Serial leaves them: turned on, they
// would sum some terms in another order. Where a case is rare and involved (a sparse matrix
// without room for its diagonal), the library's own function runs.
//
// Thread-safety: each function touches only its argument's own table.
#pragma once

#include <sundials/sundials_matrix.h>
#include <sundials/sundials_nvector.h>

namespace axisim::detail {

// `v` must be a serial vector (N_VNew_Serial or a clone of one).
void install_serial_vector_ops(N_Vector v);

// `A` must be a sparse matrix (SUNSparseMatrix or a clone of one).
void install_sparse_matrix_ops(SUNMatrix A);

}  // namespace axisim::detail
