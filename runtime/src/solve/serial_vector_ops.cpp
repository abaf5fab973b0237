#include "solve/serial_vector_ops.hpp"

#include <nvector/nvector_serial.h>

#include <cmath>

// Each operation below mirrors its namesake in SUNDIALS' nvector_serial.c (6.4): the same cases,
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

}  // namespace

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
