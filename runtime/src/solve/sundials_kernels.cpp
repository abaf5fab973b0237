#include "solve/sundials_kernels.hpp"

#include <nvector/nvector_serial.h>
#include <sunmatrix/sunmatrix_sparse.h>

#include <algorithm>
#include <cstring>

#include <cmath>

// Each operation below mirrors its namesake in SUNDIALS' nvector_serial.c or sunmatrix_sparse.c (6.4): the same cases,
// the same expression per element, the same order of a sum. Only the code generation differs.
// This file is compiled without floating-point contraction (runtime/CMakeLists.txt), so that
// a * x + y is a multiplication and an addition here as in the library, on any -march.

namespace axisim::detail {

namespace {

inline double* data(N_Vector v) { return NV_DATA_S(v); }
inline sunindextype length(N_Vector v) { return NV_LENGTH_S(v); }

// y += a x
void axpy(double a, N_Vector x, N_Vector y) {
  const double* xd = data(x);
  double* yd = data(y);
  const sunindextype n = length(x);
  if (a == 1.0) {
    for (sunindextype i = 0; i < n; ++i) yd[i] += xd[i];
  } else if (a == -1.0) {
    for (sunindextype i = 0; i < n; ++i) yd[i] -= xd[i];
  } else {
    for (sunindextype i = 0; i < n; ++i) yd[i] += a * xd[i];
  }
}

void linear_sum(double a, N_Vector x, double b, N_Vector y, N_Vector z) {
  if (b == 1.0 && z == y) return axpy(a, x, y);
  if (a == 1.0 && z == x) return axpy(b, y, x);
  const double* xd = data(x);
  const double* yd = data(y);
  double* zd = data(z);
  const sunindextype n = length(x);
  if (a == 1.0 && b == 1.0) {
    for (sunindextype i = 0; i < n; ++i) zd[i] = xd[i] + yd[i];
    return;
  }
  if (a == 1.0 && b == -1.0) {
    for (sunindextype i = 0; i < n; ++i) zd[i] = xd[i] - yd[i];
    return;
  }
  if (a == -1.0 && b == 1.0) {
    for (sunindextype i = 0; i < n; ++i) zd[i] = yd[i] - xd[i];
    return;
  }
  if (a == 1.0 || b == 1.0) {  // c v1 + v2, v2 the vector with coefficient 1
    const bool first = a == 1.0;
    const double c = first ? b : a;
    const double* v1 = first ? yd : xd;
    const double* v2 = first ? xd : yd;
    for (sunindextype i = 0; i < n; ++i) zd[i] = c * v1[i] + v2[i];
    return;
  }
  if (a == -1.0 || b == -1.0) {  // c v1 - v2, v2 the vector with coefficient -1
    const bool first = a == -1.0;
    const double c = first ? b : a;
    const double* v1 = first ? yd : xd;
    const double* v2 = first ? xd : yd;
    for (sunindextype i = 0; i < n; ++i) zd[i] = c * v1[i] - v2[i];
    return;
  }
  if (a == b) {
    for (sunindextype i = 0; i < n; ++i) zd[i] = a * (xd[i] + yd[i]);
    return;
  }
  if (a == -b) {
    for (sunindextype i = 0; i < n; ++i) zd[i] = a * (xd[i] - yd[i]);
    return;
  }
  for (sunindextype i = 0; i < n; ++i) zd[i] = a * xd[i] + b * yd[i];
}

void constant(double c, N_Vector z) {
  double* zd = data(z);
  const sunindextype n = length(z);
  for (sunindextype i = 0; i < n; ++i) zd[i] = c;
}

void product(N_Vector x, N_Vector y, N_Vector z) {
  const double* xd = data(x);
  const double* yd = data(y);
  double* zd = data(z);
  const sunindextype n = length(x);
  for (sunindextype i = 0; i < n; ++i) zd[i] = xd[i] * yd[i];
}

void quotient(N_Vector x, N_Vector y, N_Vector z) {
  const double* xd = data(x);
  const double* yd = data(y);
  double* zd = data(z);
  const sunindextype n = length(x);
  for (sunindextype i = 0; i < n; ++i) zd[i] = xd[i] / yd[i];
}

void scale(double c, N_Vector x, N_Vector z) {
  const sunindextype n = length(x);
  double* zd = data(z);
  if (z == x) {
    for (sunindextype i = 0; i < n; ++i) zd[i] *= c;
    return;
  }
  const double* xd = data(x);
  if (c == 1.0) {
    for (sunindextype i = 0; i < n; ++i) zd[i] = xd[i];
  } else if (c == -1.0) {
    for (sunindextype i = 0; i < n; ++i) zd[i] = -xd[i];
  } else {
    for (sunindextype i = 0; i < n; ++i) zd[i] = c * xd[i];
  }
}

void absolute(N_Vector x, N_Vector z) {
  const double* xd = data(x);
  double* zd = data(z);
  const sunindextype n = length(x);
  for (sunindextype i = 0; i < n; ++i) zd[i] = std::fabs(xd[i]);
}

void inverse(N_Vector x, N_Vector z) {
  const double* xd = data(x);
  double* zd = data(z);
  const sunindextype n = length(x);
  for (sunindextype i = 0; i < n; ++i) zd[i] = 1.0 / xd[i];
}

void add_constant(N_Vector x, double b, N_Vector z) {
  const double* xd = data(x);
  double* zd = data(z);
  const sunindextype n = length(x);
  for (sunindextype i = 0; i < n; ++i) zd[i] = xd[i] + b;
}

double dot_product(N_Vector x, N_Vector y) {
  const double* xd = data(x);
  const double* yd = data(y);
  const sunindextype n = length(x);
  double sum = 0.0;
  for (sunindextype i = 0; i < n; ++i) sum += xd[i] * yd[i];
  return sum;
}

double max_norm(N_Vector x) {
  const double* xd = data(x);
  const sunindextype n = length(x);
  double max = 0.0;
  for (sunindextype i = 0; i < n; ++i)
    if (std::fabs(xd[i]) > max) max = std::fabs(xd[i]);
  return max;
}

double weighted_square_sum(N_Vector x, N_Vector w) {
  const double* xd = data(x);
  const double* wd = data(w);
  const sunindextype n = length(x);
  double sum = 0.0;
  for (sunindextype i = 0; i < n; ++i) {
    const double p = xd[i] * wd[i];
    sum += p * p;
  }
  return sum;
}

double weighted_square_sum_masked(N_Vector x, N_Vector w, N_Vector id) {
  const double* xd = data(x);
  const double* wd = data(w);
  const double* idd = data(id);
  const sunindextype n = length(x);
  double sum = 0.0;
  for (sunindextype i = 0; i < n; ++i)
    if (idd[i] > 0.0) {
      const double p = xd[i] * wd[i];
      sum += p * p;
    }
  return sum;
}

// SUNRsqrt: 0 for a sum that is not positive.
double root(double x) { return x <= 0.0 ? 0.0 : std::sqrt(x); }

double wrms_norm(N_Vector x, N_Vector w) {
  return root(weighted_square_sum(x, w) / static_cast<double>(length(x)));
}

double wrms_norm_masked(N_Vector x, N_Vector w, N_Vector id) {
  return root(weighted_square_sum_masked(x, w, id) / static_cast<double>(length(x)));
}

double minimum(N_Vector x) {
  const double* xd = data(x);
  const sunindextype n = length(x);
  double min = xd[0];
  for (sunindextype i = 1; i < n; ++i)
    if (xd[i] < min) min = xd[i];
  return min;
}

void compare(double c, N_Vector x, N_Vector z) {
  const double* xd = data(x);
  double* zd = data(z);
  const sunindextype n = length(x);
  for (sunindextype i = 0; i < n; ++i) zd[i] = std::fabs(xd[i]) >= c ? 1.0 : 0.0;
}

// ---- sparse matrices ----

int sparse_zero(SUNMatrix A) {
  const sunindextype nnz = SM_NNZ_S(A), np = SM_NP_S(A);
  std::fill_n(SM_DATA_S(A), nnz, 0.0);
  std::fill_n(SM_INDEXVALS_S(A), nnz, sunindextype{0});
  std::fill_n(SM_INDEXPTRS_S(A), np + 1, sunindextype{0});
  return SUNMAT_SUCCESS;
}

void install_sparse_ops_on(SUNMatrix A);

SUNMatrix sparse_clone(SUNMatrix A) {
  SUNMatrix B = SUNMatClone_Sparse(A);
  if (B) install_sparse_ops_on(B);
  return B;
}

bool same_shape(SUNMatrix A, SUNMatrix B) {
  return SUNMatGetID(A) == SUNMATRIX_SPARSE && SUNMatGetID(B) == SUNMATRIX_SPARSE && SM_ROWS_S(A) == SM_ROWS_S(B) &&
         SM_COLUMNS_S(A) == SM_COLUMNS_S(B) && SM_SPARSETYPE_S(A) == SM_SPARSETYPE_S(B);
}

// B = A. The library zeroes all of B's storage, then copies A's entries and pointers.
int sparse_copy(SUNMatrix A, SUNMatrix B) {
  const sunindextype used = SM_INDEXPTRS_S(A)[SM_NP_S(A)];
  if (!same_shape(A, B) || SM_NNZ_S(B) < used || SM_NP_S(A) != SM_NP_S(B)) return SUNMatCopy_Sparse(A, B);
  sparse_zero(B);
  std::copy_n(SM_DATA_S(A), used, SM_DATA_S(B));
  std::copy_n(SM_INDEXVALS_S(A), used, SM_INDEXVALS_S(B));
  std::copy_n(SM_INDEXPTRS_S(A), SM_NP_S(A), SM_INDEXPTRS_S(B));
  SM_INDEXPTRS_S(B)[SM_NP_S(A)] = used;
  return SUNMAT_SUCCESS;
}

// A = c A + I, when every diagonal entry is stored (axisim's Jacobian patterns always hold the
// diagonal); otherwise the library inserts the missing ones.
int sparse_scale_add_identity(double c, SUNMatrix A) {
  const bool csc = SM_SPARSETYPE_S(A) == CSC_MAT;
  const sunindextype inner = csc ? SM_ROWS_S(A) : SM_COLUMNS_S(A);
  const sunindextype outer = csc ? SM_COLUMNS_S(A) : SM_ROWS_S(A);
  const sunindextype* p = SM_INDEXPTRS_S(A);
  const sunindextype* idx = SM_INDEXVALS_S(A);
  double* x = SM_DATA_S(A);
  if (!p || !idx || !x) return SUNMatScaleAddI_Sparse(c, A);
  const sunindextype diagonal = std::min(inner, outer);
  for (sunindextype j = 0; j < diagonal; ++j)
    if (std::find(idx + p[j], idx + p[j + 1], j) == idx + p[j + 1]) return SUNMatScaleAddI_Sparse(c, A);
  for (sunindextype j = 0; j < diagonal; ++j)
    for (sunindextype k = p[j]; k < p[j + 1]; ++k) x[k] = idx[k] == j ? 1.0 + c * x[k] : c * x[k];
  return SUNMAT_SUCCESS;
}

void install_sparse_ops_on(SUNMatrix A) {
  A->ops->clone = sparse_clone;
  A->ops->zero = sparse_zero;
  A->ops->copy = sparse_copy;
  A->ops->scaleaddi = sparse_scale_add_identity;
}

}  // namespace

void install_sparse_matrix_ops(SUNMatrix A) { install_sparse_ops_on(A); }

void install_serial_vector_ops(N_Vector v) {
  N_Vector_Ops ops = v->ops;
  ops->nvlinearsum = linear_sum;
  ops->nvconst = constant;
  ops->nvprod = product;
  ops->nvdiv = quotient;
  ops->nvscale = scale;
  ops->nvabs = absolute;
  ops->nvinv = inverse;
  ops->nvaddconst = add_constant;
  ops->nvdotprod = dot_product;
  ops->nvdotprodlocal = dot_product;
  ops->nvmaxnorm = max_norm;
  ops->nvmaxnormlocal = max_norm;
  ops->nvwrmsnorm = wrms_norm;
  ops->nvwrmsnormmask = wrms_norm_masked;
  ops->nvwsqrsumlocal = weighted_square_sum;
  ops->nvwsqrsummasklocal = weighted_square_sum_masked;
  ops->nvmin = minimum;
  ops->nvminlocal = minimum;
  ops->nvcompare = compare;
}

}  // namespace axisim::detail
