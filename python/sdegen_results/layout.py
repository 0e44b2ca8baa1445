# Every name of the sdegen results-file layout (docs/results-format.md) that this package reads.
# When the format gains or renames something, update it here; unknown extras are never an error.
"""Names of groups, datasets, attributes and /summary columns, and which of them are required.

The reader looks everything up by these names. Anything in a file that is not named here (new
/summary columns, provenance attributes, quantity groups, bound families) is passed through or
ignored, never an error; a required name that is missing is an error naming it.
"""

FORMAT_NAME = "sdegen-results"
# Versions whose layout this package knows; a newer file is read by name, with a warning.
KNOWN_FORMAT_VERSIONS = (1, 2, 3)

# Root attributes. Every other root attribute (sdegen_version, created, mpi_ranks, build and
# provenance records, ...) is kept as it is in Results.attrs.
ROOT_FORMAT = "format"
ROOT_FORMAT_VERSION = "format_version"
ROOT_AXES = "axes"          # swept options, as option names (data.n, train.algorithm, ...)
ROOT_CONFIG = "config"      # the effective configuration as INI text
ROOT_REQUIRED = (ROOT_FORMAT, ROOT_FORMAT_VERSION, ROOT_AXES)

# Groups and datasets.
SUMMARY = "summary"
CELLS = "cells"
CELL_GROUP = "cell_{:04d}"  # /cells/cell_0007
CELL_STEP = "step"          # logged steps: the dimension scale of every per-step dataset
BOUNDS = "bounds"           # /cells/cell_NNNN/bounds, when bounds were asked for

# /summary columns the reader needs; the option columns are found, not listed (see below).
COL_CELL = "cell"
COL_REPLICATES = "replicates"
COL_DIVERGED = "diverged"
COL_TRAINING_LOSS = "training_loss"
COL_GEN_MEAN = "gen_mean"          # gen of the training loss
COL_GEN_STDERR = "gen_stderr"
COL_SGD_SDE_Z = "sgd_sde_z"          # paired z of the training loss's sgd - sde gap
SURROGATE_GAP = "surrogate_gap_{loss}"  # gen of sgd minus gen of sde (same training sets), per loss
SURROGATE_GAP_STDERR = "surrogate_gap_{loss}_stderr"  # its paired (jackknife) standard error
SURROGATE_GAP_STDERR_UNPAIRED = "surrogate_gap_{loss}_stderr_unpaired"
SUMMARY_REQUIRED = (COL_CELL, COL_REPLICATES, COL_TRAINING_LOSS, COL_GEN_MEAN, COL_GEN_STDERR)
# /summary columns that are cell attributes but not options.
SUMMARY_NOT_OPTIONS = (COL_CELL, COL_REPLICATES, COL_DIVERGED, COL_TRAINING_LOSS)


def loss_columns(quantity, loss):
    """/summary columns of mean and standard error: ('gen_sq_clip_mean', 'gen_sq_clip_stderr')."""
    return f"{quantity}_{loss}_mean", f"{quantity}_{loss}_stderr"


def axis_column(axis):
    """The /summary column and cell attribute of a swept option: data.n -> n, problem.name -> problem."""
    if axis == "problem.name":
        return "problem"
    return axis.split(".", 1)[-1]


# Cell attributes.
CELL_INDEX = "cell"
CELL_LOSSES = "losses"                  # evaluation losses, the training loss first
CELL_LOSS_R = "loss_subgaussian_r"      # R of each loss (inf: unbounded)
CELL_REQUIRED_ATTRS = (CELL_LOSSES, CELL_LOSS_R)

# A per-step quantity is a subgroup of the cell with these datasets and attributes; subgroups
# without QUANTITY_MEAN (bounds, and anything new) are not quantities.
QUANTITY_MEAN = "mean"
QUANTITY_STDERR = "stderr"
QUANTITY_COUNT = "count"
QUANTITY_UNITS = "units"
QUANTITY_DESCRIPTION = "description"
QUANTITY_DEFINED = "defined"            # 0: the quantity is undefined for this cell (then REASON)
QUANTITY_REASON = "reason"

# /cells/cell_NNNN/bounds: attributes, and one subgroup per bound (those with BOUND_DEFINED).
BOUNDS_LOSS = "loss"                    # the evaluation loss the bounds apply to
BOUNDS_R = "R"
BOUND_DEFINED = "defined"
BOUND_REASON = "reason"
BOUND_VALID = "valid"                   # 1: a guaranteed bound, 0: an estimate
BOUND_VALUE = "value"
BOUND_STDERR = "stderr"
BOUND_MI = "mi_nats"
BOUND_RUNNING = "running"               # dataset: the bound from the steps up to each logged step
BOUND_FAMILY = "family"                 # the estimator that computed it (files before it: by name)
BOUND_CURVE = "curve"                   # group: the bound against a free parameter (wang_mao_2022: sigma)
CURVE_PARAMETER = "parameter"           # attribute of the curve: the parameter's name (also its dataset)
CURVE_VALUE = "value"
CURVE_STDERR = "stderr"
BOUND_REQUIRED_ATTRS = (BOUND_DEFINED, BOUND_VALUE)
# The reason of a bound the run was not asked for starts with this ("not computed: [bounds] ...").
NOT_REQUESTED_REASON_PREFIX = "not computed"

# Bound families, and the order bounds are listed in; a bound's `family` attribute wins, else a
# bound not listed here gets its family from its name's prefix, else "other".
BOUND_FAMILIES = {
    "trajectory": ("traj_iso_zero", "traj_iso_pop", "traj_iso_plugin", "traj_align", "wang_mao_2022",
                   "wang_mao_2022_taylor"),
    "terminal": ("term_xr", "term_iso", "term_init", "term_negrea"),
    "supersample": ("b1_whole_sample_cmi", "b3_prediction_cmi", "b4_loss_pair_cmi", "b5_binary_kl",
                    "b6_linear_fast_rate", "b7_ld_cmi", "b7_prime_ld_cmi", "b8_ld_mi", "b9_single_loss",
                    "b10_fast_rate", "b11_interpolating", "b12_variance", "b13_exact_cgf"),
}
# Families whose information is about the weights W, and those about losses on a supersample.
WEIGHT_FAMILIES = ("trajectory", "terminal")
LOSS_FAMILIES = ("supersample",)
BOUND_FAMILY_PREFIXES = {"traj_": "trajectory", "term_": "terminal"}


def bound_family(name):
    """'trajectory', 'terminal', ... for a bound name; 'other' when neither listed nor prefixed."""
    for family, names in BOUND_FAMILIES.items():
        if name in names:
            return family
    for prefix, family in BOUND_FAMILY_PREFIXES.items():
        if name.startswith(prefix):
            return family
    return "other"
