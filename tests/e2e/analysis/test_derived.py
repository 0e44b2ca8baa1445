#!/usr/bin/python3
# Unit tests of sdegen_results.derived on made-up numbers with known answers: log-log slopes,
# delta-method ratios and their edge cases. Run: /usr/bin/python3 test_derived.py PYTHON_DIR
import sys
import unittest

import numpy as np

sys.dont_write_bytecode = True
sys.path.insert(0, sys.argv.pop(1) if len(sys.argv) > 1 else "python")
from sdegen_results import loglog_slope, ratio_with_stderr  # noqa: E402


class LogLogSlope(unittest.TestCase):
    def test_exact_power_laws(self):
        n = np.array([50, 100, 200, 400.0])
        for exponent in (-0.5, -1.0, 0.25):
            slope, slope_se, intercept, points = loglog_slope(n, 3.0 * n ** exponent, 0.01 * n ** exponent)
            self.assertAlmostEqual(slope, exponent, places=12)
            self.assertAlmostEqual(intercept, np.log(3.0), places=12)
            self.assertEqual(points, 4)
            self.assertGreater(slope_se, 0)

    def test_weights_follow_relative_errors(self):
        # Equal relative errors: the fit is ordinary least squares on the logs, and the slope's
        # variance is (stderr/y)^2 / Suu unless the scatter is larger.
        n = np.array([10, 20, 40.0])
        y = np.array([1.0, 0.5, 0.3])
        slope, slope_se, _, _ = loglog_slope(n, y, 0.1 * y)
        u = np.log(n)
        expected = np.polyfit(u, np.log(y), 1)[0]
        self.assertAlmostEqual(slope, expected, places=12)
        suu = np.sum((u - u.mean()) ** 2) / 0.1 ** 2
        residual = np.log(y) - np.polyval(np.polyfit(u, np.log(y), 1), u)
        chi2 = np.sum(residual ** 2) / 0.1 ** 2
        self.assertAlmostEqual(slope_se, np.sqrt(max(1.0, chi2 / 1) / suu), places=12)

    def test_points_that_cannot_be_drawn_on_log_axes_are_left_out(self):
        slope, _, _, points = loglog_slope([10, 20, 40, 80], [1.0, -0.5, np.nan, 0.125], [0.1, 0.1, 0.1, 0.0125])
        self.assertEqual(points, 2)
        self.assertAlmostEqual(slope, -1.0, places=12)

    def test_fewer_than_two_distinct_n(self):
        slope, slope_se, _, points = loglog_slope([10, 10], [1.0, 2.0], [0.1, 0.1])
        self.assertTrue(np.isnan(slope) and np.isnan(slope_se))
        self.assertEqual(points, 2)

    def test_without_errors_two_points_have_no_error_bar(self):
        slope, slope_se, _, _ = loglog_slope([1, 10], [1.0, 0.1])
        self.assertAlmostEqual(slope, -1.0, places=12)
        self.assertTrue(np.isnan(slope_se))


class Ratio(unittest.TestCase):
    def test_delta_method(self):
        ratio, se = ratio_with_stderr([2.0, 6.0], [0.2, 0.3], [0.5, 2.0], [0.05, 0.1])
        np.testing.assert_allclose(ratio, [4.0, 3.0])
        np.testing.assert_allclose(se, [4.0 * np.hypot(0.1, 0.1), 3.0 * np.hypot(0.05, 0.05)])

    def test_zero_or_missing_denominator(self):
        ratio, se = ratio_with_stderr([1.0, 1.0], [0.1, 0.1], [0.0, np.nan], [0.1, 0.1])
        self.assertTrue(np.isnan(ratio).all() and np.isnan(se).all())


if __name__ == "__main__":
    unittest.main(verbosity=2)
