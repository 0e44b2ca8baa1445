# The per-step data and bounds of a results file as one xarray.Dataset: the logged step as a
# coordinate, and the swept options as dimensions when the cells form a full grid over them.
"""to_dataset(results) -> xarray.Dataset (Results.to_xarray() calls it)."""

import numpy as np

from . import layout

try:
    import xarray as xr
except ImportError as error:
    raise ImportError(f"sdegen_results.to_xarray needs xarray ({error}); Debian: apt-get install python3-xarray") from error


def regular_grid(results):
    """{option: sorted values} when every combination of the swept options is exactly one cell, else None."""
    if not results.swept:
        return {} if len(results.cells) == 1 else None
    values = {c: sorted(results.options[c].unique()) for c in results.swept}
    combos = set(map(tuple, results.options[results.swept].itertuples(index=False, name=None)))
    expected = 1
    for v in values.values():
        expected *= len(v)
    if len(combos) != len(results.cells) or expected != len(results.cells):
        return None
    return values


def _attrs_for_netcdf(attrs):
    """Root attributes that netCDF can hold: strings and numbers; lists of strings joined."""
    out = {}
    for key, value in attrs.items():
        if isinstance(value, (str, int, float)):
            out[key] = value
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            out[key] = ", ".join(value)
        elif isinstance(value, list) and all(isinstance(v, (int, float)) for v in value):
            out[key] = np.asarray(value)
    return out


def to_dataset(results):
    """An xarray.Dataset with, for every per-step quantity q: q_mean, q_stderr (cell dims x step)
    and q_count (cell dims); for every bound b: bound_b, bound_b_stderr, bound_b_defined,
    bound_b_valid (cell dims) and bound_b_running (cell dims x step) where it has running values.

    Cell dims: the swept options (coordinates with their sorted values) when the cells are a
    full grid over them; otherwise one dimension "cell", with the swept options as coordinates
    along it. The step coordinate is the union of the cells' logged steps; a cell that did not
    log a step has NaN there. The variable "cell" holds each position's cell index (-1: none).
    """
    grid = regular_grid(results)
    cells = list(results.cells.values())
    steps = np.unique(np.concatenate([c.step for c in cells])) if cells else np.zeros(0, dtype=np.int64)
    if grid is not None:
        dims = list(grid)
        shape = tuple(len(v) for v in grid.values())
        coords = {name: np.asarray(values) for name, values in grid.items()}

        def position(cell):
            return tuple(grid[name].index(results.options.loc[cell.index, name]) for name in dims)
    else:
        dims = ["cell"]
        shape = (len(cells),)
        coords = {"cell_index": ("cell", np.asarray([c.index for c in cells]))}
        for name in results.swept:
            coords[name] = ("cell", results.options.loc[[c.index for c in cells], name].to_numpy())
        order = {c.index: k for k, c in enumerate(cells)}

        def position(cell):
            return (order[cell.index],)
    coords["step"] = steps
    step_at = {s: k for k, s in enumerate(steps)}

    data = {}

    def per_cell(name, fill=np.nan, dtype=float, attrs=None):
        if name not in data:
            data[name] = (dims, np.full(shape, fill, dtype=dtype), attrs or {})
        return data[name][1]

    def per_step(name, attrs=None):
        if name not in data:
            data[name] = (dims + ["step"], np.full(shape + (len(steps),), np.nan), attrs or {})
        return data[name][1]

    per_cell("cell", fill=-1, dtype=np.int64, attrs={"description": "cell index (-1: no cell at this position)"})
    for cell in cells:
        at = position(cell)
        columns = [step_at[s] for s in cell.step]
        data["cell"][1][at] = cell.index
        for name, q in cell.quantities.items():
            described = {"units": q.units, "description": q.description}
            per_step(f"{name}_mean", described)[at + (columns,)] = q.mean
            per_step(f"{name}_stderr", {**described, "description": "standard error of " + name})[at + (columns,)] = q.stderr
            per_cell(f"{name}_count", fill=-1, dtype=np.int64, attrs={"description": "replicates in the mean"})[at] = q.count
        loss = cell.bounds_attrs.get(layout.BOUNDS_LOSS, "")
        for name, b in cell.bounds.items():
            described = {"loss": loss, "family": b.family}
            value = float(b.attrs[layout.BOUND_VALUE]) if b.defined else np.nan
            per_cell(f"bound_{name}", attrs=described)[at] = value
            per_cell(f"bound_{name}_stderr", attrs=described)[at] = (
                float(b.attrs.get(layout.BOUND_STDERR, np.nan)) if b.defined else np.nan)
            per_cell(f"bound_{name}_defined", fill=False, dtype=bool)[at] = b.defined
            per_cell(f"bound_{name}_valid", fill=False, dtype=bool)[at] = int(b.attrs.get(layout.BOUND_VALID, 0)) == 1
            if b.defined and b.running is not None:
                per_step(f"bound_{name}_running", described)[at + (columns,)] = b.running

    attrs = _attrs_for_netcdf(results.attrs)
    attrs["source_file"] = results.path
    fixed = [c for c in results.option_names if c not in results.swept]
    for name in fixed:
        values = results.options[name].unique()
        if len(values) == 1:
            value = values[0]
            attrs[f"option_{name}"] = value.item() if isinstance(value, np.generic) else value
    return xr.Dataset({k: xr.Variable(d, v, a) for k, (d, v, a) in data.items()}, coords=coords, attrs=attrs)

