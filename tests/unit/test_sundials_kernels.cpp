// solve/sundials_kernels: every operation it installs gives, bit for bit, what SUNDIALS' own
// serial vector or sparse matrix operation gives (the library's functions are the expectation),
// on vectors with zeros, negatives, tiny and huge values, on the scalars and aliasings that
// select each of N_VLinearSum's cases, and on sparse matrices with and without their diagonal.
#include <catch2/catch.hpp>

#include <nvector/nvector_serial.h>
#include <sunmatrix/sunmatrix_sparse.h>
#include <sundials/sundials_context.h>

#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "solve/sundials_kernels.hpp"

namespace {

constexpr sunindextype kLength = 37;  // not a multiple of any vector width

struct Vectors {
  SUNContext ctx = nullptr;
  N_Vector ref[4] = {};   // SUNDIALS' own operations
  N_Vector fast[4] = {};  // the same values, axisim's operations
  Vectors() {
    SUNContext_Create(nullptr, &ctx);
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> u(-3.0, 3.0);
    for (int k = 0; k < 4; ++k) {
      ref[k] = N_VNew_Serial(kLength, ctx);
      double* d = NV_DATA_S(ref[k]);
      for (sunindextype i = 0; i < kLength; ++i) d[i] = u(rng) * std::pow(10.0, static_cast<int>(u(rng) * 4));
      d[k] = 0.0;
      d[k + 5] = -d[k + 6];
    }
    fast[0] = N_VNew_Serial(kLength, ctx);
    axisim::detail::install_serial_vector_ops(fast[0]);
    for (int k = 1; k < 4; ++k) fast[k] = N_VClone(fast[0]);  // clones share the table
    reset();
  }
  ~Vectors() {
    for (int k = 0; k < 4; ++k) {
      N_VDestroy(ref[k]);
      N_VDestroy(fast[k]);
    }
    SUNContext_Free(&ctx);
  }
  void reset() {
    for (int k = 0; k < 4; ++k)
      std::memcpy(NV_DATA_S(fast[k]), NV_DATA_S(ref[k]), sizeof(double) * kLength);
  }
  std::vector<double> copy(int k) const {
    std::vector<double> out(NV_DATA_S(ref[k]), NV_DATA_S(ref[k]) + kLength);
    return out;
  }
};

// Bitwise equality, so that -0.0 against 0.0 or a different rounding fails.
bool same_bits(const double* a, const double* b) { return std::memcmp(a, b, sizeof(double) * kLength) == 0; }
bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

}  // namespace

TEST_CASE("serial vector ops: the installed table replaces SUNDIALS' kernels", "[solver][vector]") {
  Vectors v;
  CHECK(v.fast[0]->ops->nvlinearsum != v.ref[0]->ops->nvlinearsum);
  CHECK(v.fast[3]->ops->nvwrmsnorm == v.fast[0]->ops->nvwrmsnorm);
  CHECK(v.fast[3]->ops->nvwrmsnorm != v.ref[0]->ops->nvwrmsnorm);
  // Fused operations stay off: turned on, SUNDIALS would sum some terms in another order.
  CHECK(v.fast[0]->ops->nvlinearcombination == nullptr);
}

TEST_CASE("serial vector ops: N_VLinearSum, every case and aliasing, bit for bit", "[solver][vector]") {
  const double scalars[] = {1.0, -1.0, 0.0, 2.5, -2.5, 0.3, 1e-7};
  // (x, y, z) as vector indices: z distinct, z aliasing y, z aliasing x.
  const int layouts[][3] = {{0, 1, 2}, {0, 1, 1}, {0, 1, 0}};
  int cases = 0;
  for (double a : scalars)
    for (double b : scalars)
      for (const auto& l : layouts) {
        Vectors v;
        const std::vector<double> keep_x = v.copy(l[0]), keep_y = v.copy(l[1]);
        N_VLinearSum(a, v.ref[l[0]], b, v.ref[l[1]], v.ref[l[2]]);
        N_VLinearSum(a, v.fast[l[0]], b, v.fast[l[1]], v.fast[l[2]]);
        INFO("a = " << a << ", b = " << b << ", x y z = " << l[0] << l[1] << l[2]);
        REQUIRE(same_bits(NV_DATA_S(v.ref[l[2]]), NV_DATA_S(v.fast[l[2]])));
        // An independent check of the value, not only of agreement: z = a x + b y to rounding.
        for (sunindextype i = 0; i < kLength; ++i) {
          const double expect = a * keep_x[i] + b * keep_y[i];
          REQUIRE(NV_DATA_S(v.fast[l[2]])[i] ==
                  Approx(expect).epsilon(1e-12).margin(1e-12 * (std::fabs(a * keep_x[i]) + std::fabs(b * keep_y[i]))));
        }
        ++cases;
      }
  CHECK(cases == 7 * 7 * 3);
}

TEST_CASE("serial vector ops: element-wise operations and norms, bit for bit", "[solver][vector]") {
  Vectors v;
  auto same = [&](int k) { return same_bits(NV_DATA_S(v.ref[k]), NV_DATA_S(v.fast[k])); };
  for (double c : {1.0, -1.0, 0.7}) {
    for (int z : {2, 0}) {  // into another vector, and in place
      v.reset();
      N_VScale(c, v.ref[0], v.ref[z]);
      N_VScale(c, v.fast[0], v.fast[z]);
      CHECK(same(z));
    }
  }
  v.reset();
  N_VConst(0.25, v.ref[2]);
  N_VConst(0.25, v.fast[2]);
  CHECK(same(2));
  N_VProd(v.ref[0], v.ref[1], v.ref[2]);
  N_VProd(v.fast[0], v.fast[1], v.fast[2]);
  CHECK(same(2));
  N_VDiv(v.ref[0], v.ref[1], v.ref[2]);  // x / 0 at index 1: inf, as the library gives
  N_VDiv(v.fast[0], v.fast[1], v.fast[2]);
  CHECK(same(2));
  N_VAbs(v.ref[1], v.ref[2]);
  N_VAbs(v.fast[1], v.fast[2]);
  CHECK(same(2));
  N_VInv(v.ref[1], v.ref[2]);
  N_VInv(v.fast[1], v.fast[2]);
  CHECK(same(2));
  N_VAddConst(v.ref[1], -1.5, v.ref[2]);
  N_VAddConst(v.fast[1], -1.5, v.fast[2]);
  CHECK(same(2));
  N_VCompare(1.0, v.ref[1], v.ref[2]);
  N_VCompare(1.0, v.fast[1], v.fast[2]);
  CHECK(same(2));
  v.reset();
  CHECK(same_bits(N_VDotProd(v.ref[0], v.ref[1]), N_VDotProd(v.fast[0], v.fast[1])));
  CHECK(same_bits(N_VMaxNorm(v.ref[1]), N_VMaxNorm(v.fast[1])));
  CHECK(same_bits(N_VMin(v.ref[1]), N_VMin(v.fast[1])));
  CHECK(same_bits(N_VWrmsNorm(v.ref[0], v.ref[1]), N_VWrmsNorm(v.fast[0], v.fast[1])));
  CHECK(same_bits(N_VWSqrSumLocal(v.ref[0], v.ref[1]), N_VWSqrSumLocal(v.fast[0], v.fast[1])));
  CHECK(same_bits(N_VWrmsNormMask(v.ref[0], v.ref[1], v.ref[3]), N_VWrmsNormMask(v.fast[0], v.fast[1], v.fast[3])));
  CHECK(same_bits(N_VWSqrSumMaskLocal(v.ref[0], v.ref[1], v.ref[3]),
                  N_VWSqrSumMaskLocal(v.fast[0], v.fast[1], v.fast[3])));
  // The norm against its definition: sqrt(sum (x w)^2 / n).
  double sum = 0.0;
  for (sunindextype i = 0; i < kLength; ++i) sum += std::pow(NV_DATA_S(v.ref[0])[i] * NV_DATA_S(v.ref[1])[i], 2);
  CHECK(N_VWrmsNorm(v.fast[0], v.fast[1]) == Approx(std::sqrt(sum / kLength)).epsilon(1e-13));
}

namespace {

// A 6 x 6 CSC matrix with `skip_diagonal` (or none, -1) left out of its pattern, and room for
// `spare` more entries.
SUNMatrix sparse_test_matrix(SUNContext ctx, int skip_diagonal, int spare) {
  const sunindextype n = 6;
  std::vector<sunindextype> rows, cols;
  for (sunindextype j = 0; j < n; ++j)
    for (sunindextype i = 0; i < n; ++i)
      if ((i == j && i != skip_diagonal) || (i + 2 == j) || (j + 3 == i)) {
        rows.push_back(i);
        cols.push_back(j);
      }
  SUNMatrix A = SUNSparseMatrix(n, n, static_cast<sunindextype>(rows.size()) + spare, CSC_MAT, ctx);
  sunindextype* p = SM_INDEXPTRS_S(A);
  sunindextype k = 0;
  for (sunindextype j = 0; j < n; ++j) {
    p[j] = k;
    for (std::size_t e = 0; e < rows.size(); ++e)
      if (cols[e] == j) {
        SM_INDEXVALS_S(A)[k] = rows[e];
        SM_DATA_S(A)[k] = 0.37 * static_cast<double>(k + 1) - 1.1;
        ++k;
      }
  }
  p[n] = k;
  return A;
}

bool same_matrix(SUNMatrix A, SUNMatrix B) {
  if (SM_NNZ_S(A) != SM_NNZ_S(B) || SM_NP_S(A) != SM_NP_S(B)) return false;
  return std::memcmp(SM_DATA_S(A), SM_DATA_S(B), sizeof(double) * SM_NNZ_S(A)) == 0 &&
         std::memcmp(SM_INDEXVALS_S(A), SM_INDEXVALS_S(B), sizeof(sunindextype) * SM_NNZ_S(A)) == 0 &&
         std::memcmp(SM_INDEXPTRS_S(A), SM_INDEXPTRS_S(B), sizeof(sunindextype) * (SM_NP_S(A) + 1)) == 0;
}

}  // namespace

TEST_CASE("sparse matrix ops: zero, copy, clone and c A + I, bit for bit", "[solver][vector]") {
  SUNContext ctx = nullptr;
  REQUIRE(SUNContext_Create(nullptr, &ctx) == 0);
  for (int skip : {-1, 2}) {      // the whole diagonal stored; diagonal entry 2 missing
    for (int spare : {0, 3}) {    // no room for it, or room
      SUNMatrix ref = sparse_test_matrix(ctx, skip, spare);
      SUNMatrix fast = sparse_test_matrix(ctx, skip, spare);
      axisim::detail::install_sparse_matrix_ops(fast);
      INFO("missing diagonal " << skip << ", spare room " << spare);
      REQUIRE(same_matrix(ref, fast));
      for (double c : {-0.25, 1.0}) {
        REQUIRE(SUNMatScaleAddI(c, ref) == 0);
        REQUIRE(SUNMatScaleAddI(c, fast) == 0);
        CHECK(same_matrix(ref, fast));
      }
      if (skip == -1) {
        // The value against its definition: diagonal 1 + c a, elsewhere c a (c = 1 last).
        SUNMatrix orig = sparse_test_matrix(ctx, skip, spare);
        for (sunindextype j = 0; j < 6; ++j)
          for (sunindextype k = SM_INDEXPTRS_S(orig)[j]; k < SM_INDEXPTRS_S(orig)[j + 1]; ++k) {
            const double a = SM_DATA_S(orig)[k];
            const double once = SM_INDEXVALS_S(orig)[k] == j ? 1.0 + -0.25 * a : -0.25 * a;
            CHECK(SM_DATA_S(fast)[k] == Approx(SM_INDEXVALS_S(orig)[k] == j ? 1.0 + once : once));
          }
        SUNMatDestroy(orig);
      }
      // CVODE keeps its saved Jacobian in a clone and copies both ways.
      SUNMatrix ref_clone = SUNMatClone(ref);
      SUNMatrix fast_clone = SUNMatClone(fast);
      CHECK(fast_clone->ops->copy == fast->ops->copy);
      REQUIRE(SUNMatCopy(ref, ref_clone) == 0);
      REQUIRE(SUNMatCopy(fast, fast_clone) == 0);
      CHECK(same_matrix(ref_clone, fast_clone));
      REQUIRE(SUNMatZero(ref) == 0);
      REQUIRE(SUNMatZero(fast) == 0);
      CHECK(same_matrix(ref, fast));
      REQUIRE(SUNMatCopy(ref_clone, ref) == 0);
      REQUIRE(SUNMatCopy(fast_clone, fast) == 0);
      CHECK(same_matrix(ref, fast));
      for (SUNMatrix m : {ref, fast, ref_clone, fast_clone}) SUNMatDestroy(m);
    }
  }
  SUNContext_Free(&ctx);
}
