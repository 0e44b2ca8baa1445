# Reads an sdegen results file into memory (h5py) by the names in layout.py, and gives its
# /summary, per-step data and bounds as pandas frames (xarray: xarray_view.py).
"""open_results(path) -> Results; ResultsFormatError for anything that cannot be read."""

import configparser
import os
import warnings

import numpy as np
import pandas as pd

from . import layout

try:
    import h5py
except ImportError as error:  # a python3 from pyenv or conda may lack it; Debian's /usr/bin/python3 has it
    raise ImportError(f"sdegen_results needs h5py ({error}); use /usr/bin/python3 with python3-h5py") from error


class ResultsFormatError(ValueError):
    """The file is missing or unreadable, is not an sdegen results file, or lacks a required part."""


def text(value):
    """A str from what h5py returns for strings (str, bytes, numpy.bytes_, 0-d arrays); NULs stripped."""
    if isinstance(value, np.ndarray) and value.shape == ():
        value = value[()]
    if isinstance(value, (bytes, np.bytes_)):
        return bytes(value).decode("utf-8", "replace").rstrip("\x00")
    return value if isinstance(value, str) else str(value)


def plain(value):
    """An attribute as a Python value: str for strings, a list for arrays, int/float for scalars."""
    if isinstance(value, np.ndarray):
        if value.shape == ():
            return plain(value[()])
        if value.dtype.kind in "OSU":
            return [text(v) for v in value]
        return value.tolist()
    if isinstance(value, (bytes, np.bytes_, str)):
        return text(value)
    if isinstance(value, np.generic):
        return value.item()
    return value


def decode_text_columns(frame):
    """bytes -> str in every column that holds bytes (fixed-length string columns of /summary)."""
    for column in frame.columns:
        if frame[column].dtype == object:
            frame[column] = frame[column].map(lambda v: text(v) if isinstance(v, (bytes, np.bytes_)) else v)
    return frame


class Quantity:
    """One per-step quantity of a cell: mean and stderr per logged step, count, units."""

    def __init__(self, mean, stderr, count, units, description):
        self.mean, self.stderr, self.count = mean, stderr, count
        self.units, self.description = units, description


class Bound:
    """One bound of a cell: every scalar attribute of its group, its running values (or None), and
    its curve against a free parameter (or None): a dict with 'parameter' (the name), that name's
    values, 'value', 'stderr' and the bound's components, each a numpy array."""

    def __init__(self, name, attrs, running, curve=None):
        self.name, self.attrs, self.running, self.curve = name, attrs, running, curve
        self.family = text(attrs.get(layout.BOUND_FAMILY, "")) or layout.bound_family(name)
        self.defined = int(attrs[layout.BOUND_DEFINED]) == 1
        self.reason = text(attrs.get(layout.BOUND_REASON, ""))
        self.requested = self.defined or not self.reason.startswith(layout.NOT_REQUESTED_REASON_PREFIX)


class Cell:
    """What the file holds about one cell."""

    def __init__(self, index, attrs, step, quantities, undefined, bounds_attrs, bounds):
        self.index, self.attrs, self.step = index, attrs, step
        self.quantities = quantities        # name -> Quantity
        self.undefined = undefined          # name -> reason, for quantities with defined = 0
        self.bounds_attrs = bounds_attrs    # attributes of the bounds group ({} without bounds)
        self.bounds = bounds                # name -> Bound, in file order


def _require(container, names, where, path):
    missing = [n for n in names if n not in container]
    if missing:
        listed = ", ".join(repr(n) for n in missing)
        raise ResultsFormatError(f"{path}: {where} has no {listed}, which this reader needs "
                                 f"(layout: docs/results-format.md; names: sdegen_results/layout.py)")


def _bound_order(name):
    """Known bounds in the order of layout.BOUND_FAMILIES, then the others by name."""
    known = [b for names in layout.BOUND_FAMILIES.values() for b in names]
    return (known.index(name), "") if name in known else (len(known), name)


def _read_cell(path, group, index):
    where = group.name
    _require(group.attrs, layout.CELL_REQUIRED_ATTRS, where, path)
    _require(group, (layout.CELL_STEP,), where, path)
    attrs = {k: plain(v) for k, v in group.attrs.items()}
    step = np.asarray(group[layout.CELL_STEP][()], dtype=np.int64)
    quantities, undefined = {}, {}
    for name, item in group.items():
        if not isinstance(item, h5py.Group):
            continue
        if int(item.attrs.get(layout.QUANTITY_DEFINED, 1)) == 0:
            undefined[name] = text(item.attrs.get(layout.QUANTITY_REASON, ""))
            continue
        if layout.QUANTITY_MEAN not in item:
            continue  # bounds, and groups this reader does not know
        mean = np.asarray(item[layout.QUANTITY_MEAN][()], dtype=float)
        if mean.shape != step.shape:
            continue  # not on the step scale
        stderr = (np.asarray(item[layout.QUANTITY_STDERR][()], dtype=float) if layout.QUANTITY_STDERR in item
                  else np.full(step.shape, np.nan))
        count = int(item.attrs[layout.QUANTITY_COUNT]) if layout.QUANTITY_COUNT in item.attrs else -1
        quantities[name] = Quantity(mean, stderr, count, text(item.attrs.get(layout.QUANTITY_UNITS, "")),
                                    text(item.attrs.get(layout.QUANTITY_DESCRIPTION, "")))
    bounds_attrs, bounds = {}, {}
    if layout.BOUNDS in group:
        bgroup = group[layout.BOUNDS]
        bounds_attrs = {k: plain(v) for k, v in bgroup.attrs.items()}
        for name, item in bgroup.items():
            if not isinstance(item, h5py.Group) or layout.BOUND_DEFINED not in item.attrs:
                continue  # raw/ and anything that is not a bound
            _require(item.attrs, layout.BOUND_REQUIRED_ATTRS, item.name, path)
            battrs = {k: plain(v) for k, v in item.attrs.items() if np.ndim(item.attrs[k]) == 0}
            running = None
            if layout.BOUND_RUNNING in item:
                running = np.asarray(item[layout.BOUND_RUNNING][()], dtype=float)
                if running.shape != step.shape:
                    running = None
            curve = None
            if layout.BOUND_CURVE in item and layout.CURVE_PARAMETER in item[layout.BOUND_CURVE].attrs:
                cgroup = item[layout.BOUND_CURVE]
                curve = {k: np.asarray(v[()], dtype=float) for k, v in cgroup.items() if isinstance(v, h5py.Dataset)}
                curve["parameter"] = text(cgroup.attrs[layout.CURVE_PARAMETER])
            bounds[name] = Bound(name, battrs, running, curve)
        bounds = dict(sorted(bounds.items(), key=lambda item: _bound_order(item[0])))
    return Cell(index, attrs, step, quantities, undefined, bounds_attrs, bounds)


def _option_selection(results, options):
    """The option columns to put next to each row: 'swept', 'all', 'none' or a list of names."""
    if isinstance(options, str):
        if options == "swept":
            return list(results.swept)
        if options == "all":
            return list(results.option_names)
        if options == "none":
            return []
        raise ValueError(f"options must be 'swept', 'all', 'none' or a list of option names, not {options!r}")
    unknown = [o for o in options if o not in results.option_names]
    if unknown:
        raise ValueError(f"unknown options {unknown}; this file has {results.option_names}")
    return list(options)


class Results:
    """An sdegen results file, read into memory. See the package docstring for an example.

    Attributes: path, format_version, attrs (every root attribute: provenance), axes (swept
    options by option name), swept (their /summary column names), config (INI text),
    summary (pandas frame, text decoded), options (frame of every option of each cell, index
    cell), option_names, cells (cell index -> Cell).
    """

    def __init__(self, path):
        self.path = path
        if not os.path.exists(path):
            raise ResultsFormatError(f"{path}: no such file")
        if not os.path.isfile(path):
            raise ResultsFormatError(f"{path}: not a regular file")
        try:
            with h5py.File(path, "r") as f:
                self._read(f)
        except ResultsFormatError:
            raise
        except OSError as error:
            raise ResultsFormatError(f"{path}: cannot read it as HDF5 ({error})") from error
        except (KeyError, ValueError, TypeError) as error:
            raise ResultsFormatError(f"{path}: cannot read it as an sdegen results file ({error})") from error

    def _read(self, f):
        path = self.path
        if layout.ROOT_FORMAT not in f.attrs:
            raise ResultsFormatError(f"{path}: HDF5 file without the root attribute "
                                     f"'{layout.ROOT_FORMAT}': not an sdegen results file")
        name = text(f.attrs[layout.ROOT_FORMAT])
        if name != layout.FORMAT_NAME:
            raise ResultsFormatError(f"{path}: root attribute '{layout.ROOT_FORMAT}' is {name!r}, "
                                     f"not {layout.FORMAT_NAME!r}: not an sdegen results file")
        _require(f.attrs, layout.ROOT_REQUIRED, "the root", path)
        self.attrs = {k: plain(v) for k, v in f.attrs.items()}
        self.format_version = int(self.attrs[layout.ROOT_FORMAT_VERSION])
        if self.format_version > max(layout.KNOWN_FORMAT_VERSIONS):
            warnings.warn(f"{path}: format_version {self.format_version} is newer than this reader knows "
                          f"({max(layout.KNOWN_FORMAT_VERSIONS)}); reading it by name", stacklevel=3)
        axes = self.attrs[layout.ROOT_AXES]
        self.axes = [axes] if isinstance(axes, str) else list(axes)
        self.config = self.attrs.get(layout.ROOT_CONFIG, "")

        _require(f, (layout.SUMMARY, layout.CELLS), "the root", path)
        summary = decode_text_columns(pd.DataFrame(f[layout.SUMMARY][()]))
        _require(summary.columns, layout.SUMMARY_REQUIRED, f"/{layout.SUMMARY}", path)
        self.summary = summary
        self.summary_attrs = {k: plain(v) for k, v in f[layout.SUMMARY].attrs.items()}

        self.cells = {}
        cells_group = f[layout.CELLS]
        for index in summary[layout.COL_CELL].astype(int):
            group_name = layout.CELL_GROUP.format(index)
            if group_name not in cells_group:
                raise ResultsFormatError(f"{path}: /summary has cell {index} but there is no "
                                         f"/{layout.CELLS}/{group_name}")
            self.cells[index] = _read_cell(path, cells_group[group_name], index)

        # Options: the /summary columns that are also attributes of every cell.
        first = next(iter(self.cells.values()), None)
        self.option_names = [c for c in summary.columns
                             if c not in layout.SUMMARY_NOT_OPTIONS and first is not None
                             and all(c in cell.attrs for cell in self.cells.values())]
        self.options = summary.set_index(layout.COL_CELL)[self.option_names]
        self.swept = [layout.axis_column(a) for a in self.axes if layout.axis_column(a) in self.option_names]

    # -- configuration -----------------------------------------------------------------------

    def config_value(self, section, key, default=None):
        """A value of the effective configuration ([section] key = value), as text."""
        parser = configparser.ConfigParser(interpolation=None)
        parser.read_string(self.config)
        return parser.get(section, key, fallback=default)

    # -- tidy frames --------------------------------------------------------------------------

    def _with_options(self, frame, options):
        columns = _option_selection(self, options)
        if not columns:
            return frame
        joined = frame.join(self.options[columns], on=layout.COL_CELL)
        order = [layout.COL_CELL] + columns + [c for c in frame.columns if c != layout.COL_CELL]
        return joined[order].reset_index(drop=True)

    def per_step(self, options="swept"):
        """Every cell's per-step data, one row per (cell, quantity, step).

        Columns: cell, the options (swept by default; 'all', 'none' or a list), step, quantity,
        mean, stderr, count, units. Quantities that are undefined for a cell are left out (see
        undefined_quantities()).
        """
        parts = []
        for index, cell in self.cells.items():
            for name, q in cell.quantities.items():
                parts.append(pd.DataFrame({
                    layout.COL_CELL: index, "step": cell.step, "quantity": name, "mean": q.mean,
                    "stderr": q.stderr, "count": q.count, "units": q.units}))
        columns = [layout.COL_CELL, "step", "quantity", "mean", "stderr", "count", "units"]
        frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)
        return self._with_options(frame[columns], options)

    def undefined_quantities(self):
        """Per-step quantities that a cell could not define: cell, quantity, reason."""
        rows = [(index, name, reason) for index, cell in self.cells.items() for name, reason in cell.undefined.items()]
        return pd.DataFrame(rows, columns=[layout.COL_CELL, "quantity", "reason"])

    def bounds(self, options="swept"):
        """One row per (cell, bound): cell, options, bound, family, requested, defined, reason,
        valid, value, stderr, mi_nats, loss, R, vacuous, has_running, and any other scalar
        attribute of the bound's group (sigma, ...). Empty when the run computed no bounds.

        requested: the run was asked for the bound's family (a bound not asked for has
        defined = 0 and a reason starting "not computed"). vacuous: a defined bound above 2R,
        the range of a loss in [0, 2R], so it says nothing.
        """
        rows = []
        for index, cell in self.cells.items():
            loss = text(cell.bounds_attrs.get(layout.BOUNDS_LOSS, ""))
            r_value = float(cell.bounds_attrs.get(layout.BOUNDS_R, np.nan))
            for name, b in cell.bounds.items():
                row = {layout.COL_CELL: index, "bound": name, "family": b.family, "requested": b.requested,
                       "defined": b.defined, "reason": b.reason,
                       "valid": int(b.attrs.get(layout.BOUND_VALID, 0)) == 1,
                       "value": float(b.attrs[layout.BOUND_VALUE]) if b.defined else np.nan,
                       "stderr": float(b.attrs.get(layout.BOUND_STDERR, np.nan)) if b.defined else np.nan,
                       "mi_nats": float(b.attrs.get(layout.BOUND_MI, np.nan)) if b.defined else np.nan,
                       "loss": loss, "R": r_value, "has_running": b.running is not None}
                for key, value in b.attrs.items():
                    row.setdefault(key, value)
                rows.append(row)
        base = [layout.COL_CELL, "bound", "family", "requested", "defined", "reason", "valid", "value", "stderr",
                "mi_nats", "loss", "R", "vacuous", "has_running"]
        frame = pd.DataFrame(rows)
        if frame.empty:
            return pd.DataFrame(columns=base)
        frame["vacuous"] = frame["defined"] & np.isfinite(frame["R"]) & (frame["value"] > 2 * frame["R"])
        extra = [c for c in frame.columns if c not in base]
        return self._with_options(frame[base + extra], options)

    def running_bounds(self, options="swept"):
        """The running trajectory bounds, one row per (cell, bound, step): cell, options, bound, step, value."""
        parts = []
        for index, cell in self.cells.items():
            for name, b in cell.bounds.items():
                if b.defined and b.running is not None:
                    parts.append(pd.DataFrame({layout.COL_CELL: index, "bound": name, "step": cell.step,
                                               "value": b.running}))
        columns = [layout.COL_CELL, "bound", "step", "value"]
        frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)
        return self._with_options(frame[columns], options)

    def to_xarray(self):
        """An xarray.Dataset of the per-step data and bounds (see xarray_view.to_dataset)."""
        from .xarray_view import to_dataset
        return to_dataset(self)


def open_results(path):
    """Reads an sdegen results file; raises ResultsFormatError with a message naming what is wrong."""
    return Results(os.fspath(path))
