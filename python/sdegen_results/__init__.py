# sdegen_results: reads sdegen's HDF5 results files into pandas and xarray for analysis.
# Import it with PYTHONPATH=<sdegen>/python (scripts in jobs/ add that path themselves).
"""Analysis of sdegen results files.

    import sdegen_results as sr
    res = sr.open_results("all.h5")      # ResultsFormatError (a ValueError) names what is wrong
    res.summary                          # /summary as a pandas frame, text columns as str
    res.per_step()                       # cell, swept options, step, quantity, mean, stderr, count, units
    res.bounds()                         # cell, options, bound, requested, defined, reason, valid, value, ...
    res.running_bounds()                 # cell, options, bound, step, value
    res.to_xarray()                      # xarray.Dataset: step and the swept options as coordinates
    sr.paired_differences(res)           # sgd - sde of gen for cells that differ only in the algorithm
    sr.slopes_against_n(res, ["gen"])    # log-log slope against n, per group of the other options
    sr.bound_gen_ratios(res)             # bound / gen with delta-method standard errors

Every name of the file layout this package uses is in sdegen_results/layout.py. Use Debian's
/usr/bin/python3 (python3-h5py, python3-pandas, python3-xarray).
"""

from .derived import bound_gen_ratios, loglog_slope, paired_differences, ratio_with_stderr, slopes_against_n
from .results_file import Results, ResultsFormatError, open_results, text

__all__ = ["Results", "ResultsFormatError", "open_results", "text", "paired_differences", "loglog_slope",
           "slopes_against_n", "ratio_with_stderr", "bound_gen_ratios"]
