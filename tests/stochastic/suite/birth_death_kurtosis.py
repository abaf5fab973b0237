#!/usr/bin/env python3
"""How many of a birth-death case's points a correct simulator puts outside the suite's ranges.

The linear birth-death process X -> 2X (lambda X), X -> 0 (mu X) from n0 molecules is the sum of
n0 independent lineages, each with P(0) = a and P(k) = (1 - a)(1 - b) b^(k-1) for k >= 1, where
a = mu (e^{rt} - 1) / (lambda e^{rt} - mu), b = lambda (e^{rt} - 1) / (lambda e^{rt} - mu) and
r = lambda - mu (Bailey 1964, 8.4). Its cumulants are n0 times a lineage's, so the excess kurtosis
of X(t) is kappa = k4 / k2^2. For n replicates the sample variance's standard deviation is
sigma^2 sqrt((2 + kappa) / n) for large n, so the suite's Y = sqrt(n/2) (s^2/sigma^2 - 1) has
standard deviation sqrt(1 + kappa / 2), not 1. With a normal approximation of Y, this prints
P(|Y| > 5) at each output time and the expected number of points outside the ranges (Z: 0.27%
per point). Default: the suite's case 00003 (lambda 1, mu 1.1, n0 100, t = 1..50).

    python3 birth_death_kurtosis.py [lambda mu n0 end]
"""
import math
import sys

lam, mu, n0, end = (float(x) for x in sys.argv[1:5]) if len(sys.argv) == 5 else (1.0, 1.1, 100, 50)


def phi(x):
    return 0.5 * math.erfc(-x / math.sqrt(2))


expected_y = expected_z = 0.0
for t in range(1, int(end) + 1):
    e = math.exp((lam - mu) * t)
    a = mu * (e - 1) / (lam * e - mu)
    b = lam * (e - 1) / (lam * e - mu)
    m = [0.0] * 5  # raw moments of one lineage
    k = 1
    while True:
        pk = (1 - a) * (1 - b) * b ** (k - 1)
        if pk < 1e-300 or k > 10**6:
            break
        for j in range(1, 5):
            m[j] += k**j * pk
        k += 1
    var = m[2] - m[1] ** 2
    mu4 = m[4] - 4 * m[1] * m[3] + 6 * m[1] ** 2 * m[2] - 3 * m[1] ** 4
    kappa = n0 * (mu4 - 3 * var**2) / (n0 * var) ** 2
    sd_y = math.sqrt(1 + kappa / 2)
    p_y = 2 * phi(-5 / sd_y)
    expected_y += p_y
    expected_z += 2 * phi(-3)
    if t % 5 == 0:
        print(f"t = {t:3d}: mean {n0 * m[1]:8.3f}  sd {math.sqrt(n0 * var):7.3f}  excess kurtosis {kappa:6.1f}  "
              f"sd of Y {sd_y:5.2f}  P(|Y| > 5) {p_y:.3f}")
print(f"expected points outside: {expected_y:.2f} standard deviations, {expected_z:.2f} means")
