"""Sheet renumbering after the 2025 commune merger: reference table, apply, corrected copies.

From 1 July 2025 a merged commune keeps the code of the commune where its People's
Committee sits; the codes of the other communes merged into it are closed. Practice
(one province's official sheet reference table, 2025):

* the commune whose code is kept keeps its sheet numbers, all of them;
* the sheets of the other communes merged into it get new numbers above the kept
  commune's highest numeric sheet number, commune after commune in order of old code,
  sheet after sheet in numeric order;
* parcel numbers do not change; the old commune code and sheet number are kept beside
  the new ones (fields MAXA_CU and SHBANDO_CU in the corrected copies).

Non-numeric sheet numbers ("TĐ03-2014": a cadastral survey extract, not a map sheet)
of the communes whose code is closed are NOT given a number: they keep their text with
the old commune code in front, "00703_TĐ03-2014" (rule "prefixed"), so they stay unique
inside the new commune, stay recognisable, and do not use up numbers of the sequence.
They come after the numeric sheets in the table. The kept commune's non-numeric sheets
are kept as they are, like its numeric ones.

An old commune that was split between several new communes (split_into in the shipped
table) is sent whole to its main successor; its rows get the rule suffix "_split" so
the office checks them. Communes whose code is unknown, blank, or already a post-2025
code that no old commune kept are left out of the table and left unchanged.

Sheet numbers are compared as keys (keys.normalise_key: ' 07', 7.0 and '7' are one
sheet); commune codes as 5-digit text (6070 -> '06070'). An office with an official
table imports it instead (load_sheet_reference), which is checked before use.
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..reference.admin_units import AdminUnits, normalise_commune_code, normalise_commune_codes
from ..errors import InputError
from ..register.fields import fold, map_fields
from ..register.keys import normalise_key

REFERENCE_COLUMNS = ["old_commune", "old_sheet", "new_commune", "new_sheet", "rule"]
OLD_COMMUNE_FIELD = "MAXA_CU"
OLD_SHEET_FIELD = "SHBANDO_CU"
PREFIX_SEPARATOR = "_"

# Headers accepted for an imported reference table (compared folded: case, accents, punctuation).
_REFERENCE_HEADERS = {
    "old_commune": ("oldcommune", "maxacu", "madvhccu", "xacu"),
    "old_sheet": ("oldsheet", "shbandocu", "sotocu", "sotobandocu", "tocu"),
    "new_commune": ("newcommune", "maxamoi", "madvhcmoi", "xamoi", "maxa"),
    "new_sheet": ("newsheet", "shbandomoi", "sotomoi", "sotobandomoi", "tomoi", "shbando"),
    "rule": ("rule", "ghichu", "note"),
}


# ------------------------------------------------------------------ the reference table

def _is_number(keys: pd.Series) -> pd.Series:
    return keys.str.fullmatch(r"[0-9]+").fillna(False).astype(bool)


def sheet_reference(sheets: pd.DataFrame, units: AdminUnits | None = None) -> pd.DataFrame:
    """The old -> new sheet table for the (commune, sheet) pairs of `sheets`.

    `sheets` has columns commune and sheet (repeats are fine: a parcel layer will do).
    Returns columns old_commune, old_sheet, new_commune, new_sheet, rule, one row per
    distinct old pair whose commune is closed or kept in the merger; rule is "kept",
    "renumbered" or "prefixed" (+ "_split" for a commune split between several).
    Raises InputError when a commune is renumbered but the kept commune's sheets are
    missing (the numbering would start in the wrong place)."""
    units = units or AdminUnits.load()
    if not {"commune", "sheet"} <= set(sheets.columns):
        raise InputError("the sheet list needs the columns commune and sheet",
                         fix=f"columns are: {', '.join(map(str, sheets.columns))}")
    pairs = pd.DataFrame({"old_commune": normalise_commune_codes(sheets["commune"]).to_numpy(),
                          "old_sheet": normalise_key(pd.Series(sheets["sheet"]).reset_index(drop=True)).to_numpy()})
    pairs = pairs[(pairs["old_commune"] != "") & (pairs["old_sheet"] != "")].drop_duplicates()

    codes = pd.Series(pairs["old_commune"].unique())
    successor = dict(zip(codes, units.successors(codes)))
    new_of, split = {}, set()
    for code in codes:
        if successor[code]:
            new_of[code] = successor[code]
        elif units.is_current(code) and code in units.predecessors(code):
            new_of[code] = code                                   # the kept code
        else:
            continue                                              # unknown, unmapped, post-2025
        if units.units.at[code, "split_into"]:
            split.add(code)
    pairs = pairs[pairs["old_commune"].isin(new_of.keys())].copy()
    pairs["new_commune"] = pairs["old_commune"].map(new_of)
    pairs["numeric"] = _is_number(pairs["old_sheet"])
    pairs["number"] = pd.to_numeric(pairs["old_sheet"].where(pairs["numeric"]), errors="coerce")
    pairs["kept"] = pairs["old_commune"] == pairs["new_commune"]

    out = []
    for new, group in pairs.groupby("new_commune", sort=True):
        kept = group[group["kept"]]
        others = group[~group["kept"]]
        if len(others) and not len(kept) and new in units.predecessors(new):
            raise InputError(
                f"the sheets of commune {new} ({units.name(new)}), whose code is kept, are not given: "
                f"the sheets of {', '.join(sorted(others['old_commune'].unique()))} merged into it "
                "cannot be numbered above them",
                fix=f"give the sheets of every commune merged into {new}, or import the official "
                    "sheet reference table")
        top = int(kept["number"].max()) if kept["numeric"].any() else 0
        rows = []
        for r in kept.sort_values(["numeric", "number", "old_sheet"],
                                  ascending=[False, True, True]).itertuples():
            rows.append((r.numeric, 0, r.old_commune, r.number, r.old_sheet, new, r.old_sheet, "kept"))
        numeric = others[others["numeric"]].sort_values(["old_commune", "number"])
        for k, r in enumerate(numeric.itertuples(), start=top + 1):
            rows.append((True, 1, r.old_commune, r.number, r.old_sheet, new, str(k), "renumbered"))
        for r in others[~others["numeric"]].sort_values(["old_commune", "old_sheet"]).itertuples():
            rows.append((False, 1, r.old_commune, np.nan, r.old_sheet, new,
                         f"{r.old_commune}{PREFIX_SEPARATOR}{r.old_sheet}", "prefixed"))
        # numeric sheets first (kept, then the others by old code), then the non-numeric ones
        rows.sort(key=lambda t: (not t[0], t[1], t[2], t[3] if t[0] else 0, t[4]))
        out += [t[2:] for t in rows]
    frame = pd.DataFrame([(c, s, n, ns, rule) for c, _, s, n, ns, rule in out],
                         columns=REFERENCE_COLUMNS, dtype=object)
    if len(frame):
        frame["rule"] = [rule + ("_split" if c in split else "") for c, rule in
                         zip(frame["old_commune"], frame["rule"])]
    return frame.reset_index(drop=True)


def validate_reference(frame: pd.DataFrame, units: AdminUnits | None = None, source: str = "",
                       rows: np.ndarray | None = None) -> pd.DataFrame:
    """Check a reference table and return it normalised (codes 5-digit, sheets as keys).

    `rows` are the row numbers a user sees (default: header on row 1, data from row 2).
    Refused, naming the row: a blank cell, an old (commune, sheet) listed twice, two old
    sheets sent to one new (commune, sheet), a new commune code not in the current list."""
    units = units or AdminUnits.load()
    missing = [c for c in REFERENCE_COLUMNS[:4] if c not in frame.columns]
    if missing:
        raise InputError(f"the sheet reference table has no column {', '.join(missing)}", source,
                         fix="columns needed: old_commune, old_sheet, new_commune, new_sheet (rule optional)")
    rows = np.arange(2, len(frame) + 2) if rows is None else np.asarray(rows)
    frame = frame.reset_index(drop=True)
    out = pd.DataFrame({
        "old_commune": normalise_commune_codes(frame["old_commune"]).to_numpy(),
        "old_sheet": normalise_key(frame["old_sheet"]).to_numpy(),
        "new_commune": normalise_commune_codes(frame["new_commune"]).to_numpy(),
        "new_sheet": normalise_key(frame["new_sheet"]).to_numpy(),
        "rule": (frame["rule"].astype(object).where(frame["rule"].notna(), "").astype(str).to_numpy()
                 if "rule" in frame.columns else ""),
    }, dtype=object)
    for column in REFERENCE_COLUMNS[:4]:
        blank = np.flatnonzero(out[column].to_numpy() == "")
        if len(blank):
            raise InputError(f"{column} is empty", source, int(rows[blank[0]]),
                             fix="fill in every old and new commune code and sheet number")
    for keys, what in ((["old_commune", "old_sheet"], "old"), (["new_commune", "new_sheet"], "new")):
        dup = out.duplicated(keys, keep=False).to_numpy()
        if dup.any():
            first = np.flatnonzero(dup)[0]
            key = tuple(out.loc[first, keys])
            twins = np.flatnonzero(dup & (out[keys[0]] == key[0]).to_numpy() & (out[keys[1]] == key[1]).to_numpy())
            where = ", ".join(str(int(rows[i])) for i in twins)
            problem = (f"old sheet {key[1]} of commune {key[0]} is listed more than once (rows {where})"
                       if what == "old" else
                       f"several old sheets are sent to new sheet {key[1]} of commune {key[0]} (rows {where})")
            raise InputError(problem, source, int(rows[twins[-1]]),
                             fix="each old sheet must appear once and go to a sheet of its own")
    current = out["new_commune"].map(units.is_current).to_numpy(dtype=bool)
    if not current.all():
        bad = np.flatnonzero(~current)[0]
        code = out.at[bad, "new_commune"]
        what = "is a commune code closed in the 2025 merger" if units.is_known(code) else "is not a commune code"
        raise InputError(f"new commune {code} {what}", source, int(rows[bad]),
                         fix="new codes must be commune codes in force since 1 July 2025")
    return out


def load_sheet_reference(path: str, units: AdminUnits | None = None) -> pd.DataFrame:
    """Read and check an official sheet reference table (CSV or XLSX/XLSM, first sheet)."""
    if not os.path.exists(path):
        raise InputError("sheet reference table not found", path, fix="check the path")
    suffix = os.path.splitext(path)[1].lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            raw = pd.read_excel(path, dtype=str, keep_default_na=False, engine="openpyxl")
        elif suffix in (".csv", ".txt"):
            raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig",
                              sep=None, engine="python")
        else:
            raise InputError("the sheet reference table must be a CSV or XLSX file", path)
    except (ValueError, OSError, UnicodeDecodeError) as err:
        raise InputError(f"cannot read the sheet reference table ({err})", path,
                         fix="save it as UTF-8 CSV or as .xlsx") from None
    return validate_reference(_rename_reference(raw, path), units, path)


def _rename_reference(raw: pd.DataFrame, path: str) -> pd.DataFrame:
    renamed, taken = {}, set()
    for column in raw.columns:
        folded = fold(column)
        for role, names in _REFERENCE_HEADERS.items():
            if role not in taken and (folded == fold(role) or folded in names):
                renamed[column] = role
                taken.add(role)
                break
    return raw.rename(columns=renamed)


def save_sheet_reference(frame: pd.DataFrame, path: str) -> None:
    """Write a reference table as CSV (UTF-8 with BOM, Excel opens it) or XLSX, all text."""
    frame = frame[[c for c in REFERENCE_COLUMNS if c in frame.columns]].astype(str)
    _write_table_file(frame, path)


def _write_table_file(frame: pd.DataFrame, path: str) -> None:
    """CSV or XLSX, written to a temporary file and swapped in (an interrupted run leaves none)."""
    suffix = os.path.splitext(path)[1].lower()
    if suffix not in (".csv", ".txt", ".xlsx"):
        raise InputError("the table must be written as .csv or .xlsx", path)
    directory = os.path.dirname(os.path.abspath(path)) or "."
    os.makedirs(directory, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".merger-", suffix=suffix, dir=directory)
    os.close(fd)
    try:
        if suffix == ".xlsx":
            from openpyxl import Workbook
            wb = Workbook(write_only=True)
            ws = wb.create_sheet("Sheet1")
            ws.append([str(c) for c in frame.columns])
            for row in frame.itertuples(index=False):
                ws.append([_cell(v) for v in row])
            wb.save(tmp)
        else:
            frame.to_csv(tmp, index=False, encoding="utf-8-sig")
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def _cell(value):
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return float(value)
    return value


# ------------------------------------------------------------------ applying it

def apply_merger(frame: pd.DataFrame, reference: pd.DataFrame, commune_field: str = "commune",
                 sheet_field: str = "sheet", parcel_field: str | None = "parcel",
                 old_commune_field: str = "old_commune", old_sheet_field: str = "old_sheet",
                 commune: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """New commune codes and sheet numbers for the rows of `frame` (parcels, sheets, register).

    Returns (copy of frame with the new values in commune_field/sheet_field and the
    original values in old_commune_field/old_sheet_field on every row, report of the
    changed rows: row (position in frame), old_commune, old_sheet, parcel, new_commune,
    new_sheet, rule). Parcel numbers are never changed; rows whose (commune, sheet) is
    not in the reference are left as they are. `commune` is the code of every row when
    the frame has no commune field (the field is then added)."""
    out = frame.copy()
    n = len(out)
    if sheet_field not in out.columns:
        raise InputError(f"no field '{sheet_field}' for the sheet number")
    for name in (old_commune_field, old_sheet_field):
        if name in out.columns:
            raise InputError(f"already has a field '{name}': it looks renumbered already",
                             fix="renumber the original data, or rename that field")
    if commune_field in out.columns:
        old_commune = out[commune_field]
    elif commune:
        old_commune = pd.Series([normalise_commune_code(commune)] * n, index=out.index, dtype=object)
    else:
        raise InputError(f"no field '{commune_field}' for the commune code",
                         fix="name the commune field, or give the commune code of the whole layer")
    old_sheet = out[sheet_field]
    ref = reference if _is_normalised(reference) else validate_reference(reference)
    commune_key = normalise_commune_codes(old_commune).to_numpy()
    sheet_key = normalise_key(old_sheet.reset_index(drop=True)).to_numpy()
    index = pd.MultiIndex.from_arrays([ref["old_commune"].to_numpy(), ref["old_sheet"].to_numpy()])
    pos = index.get_indexer(pd.MultiIndex.from_arrays([commune_key, sheet_key])) if n else np.array([], int)
    found = pos >= 0
    new_commune = np.where(found, ref["new_commune"].to_numpy(object)[np.where(found, pos, 0)] if len(ref)
                           else "", commune_key).astype(object)
    new_sheet = np.where(found, ref["new_sheet"].to_numpy(object)[np.where(found, pos, 0)] if len(ref)
                         else "", sheet_key).astype(object)
    changed = found & ((new_commune != commune_key) | (new_sheet != sheet_key))

    out[commune_field] = _put(old_commune, new_commune, changed)
    out[sheet_field] = _put(old_sheet, new_sheet, changed)
    out[old_commune_field] = old_commune.to_numpy() if commune_field in frame.columns else commune_key
    out[old_sheet_field] = old_sheet.to_numpy()
    if commune_field in frame.columns and pd.api.types.is_integer_dtype(frame[commune_field].dtype):
        out[old_commune_field] = out[old_commune_field].astype(frame[commune_field].dtype)
    rows = np.flatnonzero(changed)
    parcel = (out[parcel_field].to_numpy(object)[rows] if parcel_field and parcel_field in out.columns
              else np.full(len(rows), None, dtype=object))
    report = pd.DataFrame({
        "row": rows, "old_commune": commune_key[rows], "old_sheet": sheet_key[rows], "parcel": parcel,
        "new_commune": new_commune[rows], "new_sheet": new_sheet[rows],
        "rule": ref["rule"].to_numpy(object)[pos[rows]] if len(rows) else np.array([], dtype=object),
    })
    return out, report


def _is_normalised(reference: pd.DataFrame) -> bool:
    return bool(reference.attrs.get("validated"))


def _put(original: pd.Series, new: np.ndarray, changed: np.ndarray) -> pd.Series:
    """The original column with `new` written where changed, keeping an integer column integer
    when every value it takes is a whole number."""
    if not changed.any():
        return original.copy()
    if pd.api.types.is_integer_dtype(original.dtype) or pd.api.types.is_float_dtype(original.dtype):
        values = pd.to_numeric(pd.Series(new[changed]), errors="coerce")
        if values.notna().all():
            numbers = original.to_numpy().copy()
            numbers[changed] = values.to_numpy(dtype=numbers.dtype)
            return pd.Series(numbers, index=original.index)
    values = original.astype(object).to_numpy().copy()
    values[changed] = new[changed]
    return pd.Series(values, index=original.index, dtype=object)


# ------------------------------------------------------------------ the run

@dataclass
class MergerResult:
    reference: pd.DataFrame
    changes: pd.DataFrame                  # layer, source_row, old_commune, old_sheet, parcel, new_*, rule
    counts: dict = field(default_factory=dict)   # layer -> (rows, rows changed)
    register_out: str | None = None
    reference_out: str | None = None
    findings: pd.DataFrame | None = None   # national table: merger_findings.FINDING_COLUMNS
    table: object = None                   # national table: the merger_table.MergerTable used
    applied: dict = field(default_factory=dict)   # national table: layer -> merger_apply.Applied


def run_merger(parcels_source: str, out: str, sheets_source: str | None = None,
               register_source: str | None = None, reference=None, register_out: str | None = None,
               reference_out: str | None = None, parcel_fields: dict | None = None,
               sheet_fields: dict | None = None, register_fields: dict | None = None,
               commune: str | None = None, units: AdminUnits | None = None) -> MergerResult:
    """Renumber parcels, sheets and register after the merger into corrected copies.

    Writes `out` (GeoPackage): layer parcels (and sheets) with the new codes and the old
    values in MAXA_CU / SHBANDO_CU plus source_fid, table changes (every changed row of
    every source) and table reference (the table used). The register copy goes to
    `register_out` (.xlsx or .csv; default beside `out`, "<out>_register.xlsx"), the
    reference table also to `reference_out` when given. `reference` is a path or a
    DataFrame; without it the table is built from the sheets of all sources. A path to the
    national system's table (merger_table: scale and parcel columns) or a MergerTable is
    applied by commune, sheet and scale (merger_run); its findings go to the result and to
    a table `findings` in `out`. The
    *_fields are role overrides {"commune": "MAXA", "sheet": ..., "parcel": ...};
    `commune` is the code of a source that has no commune field. Sources are only read."""
    from ..loading.tables import read_table
    from ..loading.vector import read_vector, split_source
    units = units or AdminUnits.load()
    sources = [s for s in (parcels_source, sheets_source, register_source) if s]
    targets = [t for t in (out, register_out, reference_out) if t]
    for target in targets:
        if any(os.path.abspath(target) == os.path.abspath(split_source(s)[0]) for s in sources):
            raise InputError("the corrected copy would replace a source", target,
                             fix="write the corrected copies to new files")
    if register_source and not register_out:
        register_out = os.path.splitext(out)[0] + "_register.xlsx"
    table = _national_table(reference, units)
    if table is not None:
        return _run_national(parcels_source, out, sheets_source, register_source, table, register_out,
                             reference_out, {"parcels": parcel_fields, "sheets": sheet_fields,
                                             "register": register_fields}, commune, units)

    inputs = {"parcels": (read_vector(parcels_source, role="parcels"), parcel_fields, ("commune", "sheet", "parcel"))}
    if sheets_source:
        inputs["sheets"] = (read_vector(sheets_source, role="sheets"), sheet_fields, ("commune", "sheet"))
    if register_source:
        inputs["register"] = (read_table(register_source), register_fields, ("commune", "sheet", "parcel"))
    mapped = {}
    for name, (frame, overrides, roles) in inputs.items():
        fields = map_fields(frame.attrs.columns, name, roles, overrides, frame.source, required=("sheet",))
        if not fields.get("commune") and not commune:
            raise InputError(f"the {name} have no commune code field", frame.source,
                             fix="name the commune field, or give the commune code of the layer")
        mapped[name] = fields

    if reference is None:
        pairs = [pd.DataFrame({"commune": (frame.attrs[mapped[name].get("commune")]
                                           if mapped[name].get("commune") else commune),
                               "sheet": frame.attrs[mapped[name].get("sheet")]})
                 for name, (frame, _, _) in inputs.items()]
        ref = sheet_reference(pd.concat(pairs, ignore_index=True), units)
    elif isinstance(reference, pd.DataFrame):
        ref = validate_reference(reference, units, "sheet reference table")
    else:
        ref = load_sheet_reference(str(reference), units)
    ref = ref.reset_index(drop=True)
    ref.attrs["validated"] = True

    outputs, reports, counts = {}, [], {}
    for name, (frame, _, _) in inputs.items():
        fields = mapped[name]
        commune_field = fields.get("commune") or "MAXA"
        new, report = apply_merger(frame.attrs, ref, commune_field, fields.get("sheet"), fields.get("parcel"),
                                   OLD_COMMUNE_FIELD, OLD_SHEET_FIELD, commune=commune)
        source_rows = np.asarray(frame.rows if name == "register" else frame.fids)
        report.insert(0, "source_row", source_rows[report["row"].to_numpy()].astype(np.int64) if len(report)
                      else np.array([], dtype=np.int64))
        report.insert(0, "layer", name)
        reports.append(report.drop(columns="row"))
        outputs[name] = new
        counts[name] = (len(new), len(report))
    changes = pd.concat(reports, ignore_index=True)

    layers = [("parcels", inputs["parcels"][0], outputs["parcels"])]
    if "sheets" in outputs:
        layers.append(("sheets", inputs["sheets"][0], outputs["sheets"]))
    _write_geopackage(out, layers, changes, ref)
    if "register" in outputs:
        _write_table_file(outputs["register"], register_out)
    if reference_out:
        save_sheet_reference(ref, reference_out)
    return MergerResult(ref, changes, counts, register_out if register_source else None, reference_out)


def load_merger_table(path: str, units: AdminUnits | None = None):
    """Any sheet reference table as a merger_table.MergerTable: the national layout (findings for
    bad rows), or the project's own four columns (checked as load_sheet_reference does)."""
    from .merger_table import table_from_reference
    table = _national_table(path, units)
    if table is None:
        table = table_from_reference(load_sheet_reference(path, units), path)
    return table


def _national_table(reference, units):
    """The national table named by `reference` (a MergerTable, or a path whose header is the
    national layout), else None."""
    from .merger_table import MergerTable, is_national_table, read_merger_table
    if isinstance(reference, MergerTable):
        return reference
    if isinstance(reference, (str, os.PathLike)) and os.path.exists(str(reference)):
        from ..loading.tables import read_table_header
        try:
            header = read_table_header(str(reference))
        except InputError:
            return None
        if is_national_table(header):
            return read_merger_table(str(reference), units)
    return None


def _run_national(parcels_source, out, sheets_source, register_source, table, register_out, reference_out,
                  overrides, commune, units) -> MergerResult:
    from ..loading.tables import read_table
    from ..loading.vector import read_vector
    from .merger_run import run_table
    inputs = {"parcels": read_vector(parcels_source, role="parcels")}
    if sheets_source:
        inputs["sheets"] = read_vector(sheets_source, role="sheets")
    if register_source:
        inputs["register"] = read_table(register_source)
    run = run_table(inputs, table, commune, overrides, units)
    outputs, changes, findings, counts = run.outputs, run.changes, run.findings, run.counts
    layers = [(name, inputs[name], outputs[name]) for name in ("parcels", "sheets") if name in outputs]
    reference = table.as_reference()
    _write_geopackage(out, layers, changes, reference, {"findings": findings})
    if "register" in outputs:
        _write_table_file(outputs["register"], register_out)
    if reference_out:
        _write_table_file(reference.astype(str), reference_out)
    return MergerResult(reference, changes, counts, register_out if register_source else None, reference_out,
                        findings, table, run.applied)


def _write_geopackage(path: str, layers, changes: pd.DataFrame, reference: pd.DataFrame,
                      tables: dict | None = None) -> None:
    """A new GeoPackage swapped in at once: the layers, then tables changes and reference."""
    import shapely
    from osgeo import gdal, ogr, osr

    from ..fixes.run import _multi
    gdal.UseExceptions()
    directory = os.path.dirname(os.path.abspath(path)) or "."
    os.makedirs(directory, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".merger-", suffix=".gpkg", dir=directory)
    os.close(fd)
    os.remove(tmp)
    ds = None
    try:
        ds = ogr.GetDriverByName("GPKG").CreateDataSource(tmp)
        for name, frame, attrs in layers:
            srs = None
            if frame.crs_wkt:
                srs = osr.SpatialReference()
                srs.ImportFromWkt(frame.crs_wkt)
            geoms = frame.geometry
            geom_type = ogr.wkbNone
            wkb = None
            if geoms is not None:
                present = geoms[~shapely.is_missing(geoms)]
                types = set(np.unique(shapely.get_type_id(present)).tolist())
                if types <= {3, 6}:                     # Polygon, MultiPolygon
                    geom_type, geoms = ogr.wkbMultiPolygon, _multi(geoms)
                else:
                    geom_type = ogr.wkbUnknown
                wkb = shapely.to_wkb(geoms)
            table = attrs.copy()
            table["source_fid"] = np.asarray(frame.fids, dtype=np.int64)
            _write_layer(ds, name, table, wkb, srs, geom_type)
        _write_layer(ds, "changes", changes, None, None, ogr.wkbNone)
        _write_layer(ds, "reference", reference, None, None, ogr.wkbNone)
        for name, table in (tables or {}).items():
            _write_layer(ds, name, table, None, None, ogr.wkbNone)
        ds = None
        os.replace(tmp, path)
    except BaseException:
        ds = None
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def _write_layer(ds, name, attrs: pd.DataFrame, wkb, srs, geom_type) -> None:
    from osgeo import ogr
    layer = ds.CreateLayer(name, srs, geom_type, options=["FID=fid"])
    kinds = []
    for column in attrs.columns:
        dtype = attrs[column].dtype
        kind = ogr.OFTInteger64 if pd.api.types.is_integer_dtype(dtype) else \
            ogr.OFTReal if pd.api.types.is_float_dtype(dtype) else ogr.OFTString
        layer.CreateField(ogr.FieldDefn(str(column), kind))
        kinds.append(kind)
    defn = layer.GetLayerDefn()
    # values converted per column once, and OGR's typed setters called directly: the generic
    # Feature.SetField dispatches in Python per cell (most of the time on a large layer)
    setters = {ogr.OFTString: ogr.Feature.SetFieldString, ogr.OFTInteger64: ogr.Feature.SetFieldInteger64,
               ogr.OFTReal: ogr.Feature.SetField}
    convert = {ogr.OFTString: str, ogr.OFTInteger64: int, ogr.OFTReal: float}
    columns = []
    for c, (column, kind) in enumerate(zip(attrs.columns, kinds)):
        series = attrs[column]
        missing = series.isna().to_numpy()
        to = convert[kind]
        columns.append((c, setters[kind], [None if m else to(v) for v, m in zip(series.to_numpy(object), missing)]))
    layer.StartTransaction()
    for i in range(len(attrs)):
        f = ogr.Feature(defn)
        for c, setter, vals in columns:
            v = vals[i]
            if v is not None:
                setter(f, c, v)
        if wkb is not None and wkb[i] is not None:
            f.SetGeometryDirectly(ogr.CreateGeometryFromWkb(wkb[i]))
        layer.CreateFeature(f)
    layer.CommitTransaction()
