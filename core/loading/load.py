"""`load`: a commune's per-sheet files (shapefile, GeoPackage, MapInfo, GML, DXF, DGN)
into one GeoPackage that `check` reads as it is.

For each file (sources are only ever opened read-only):
- a vector file gives its polygons and attributes; a drawing (DXF, DGN v7) gives
  boundary lines and text labels, turned into parcels (loader_linework);
- its sheet number comes from an attribute, else its file name (loader_names);
  when both exist and differ the attribute is used and SHEET_NUMBER_CONFLICT says so;
  its commune code from an attribute, else --commune, else a 5-digit folder name;
- legacy TCVN3/VNI text is converted to Unicode and counted (loader_text);
- a file that cannot be read is reported (FILE_UNREADABLE) and the others load.
Then one CRS for all (loader_crs: --crs, --province, else what most files declare),
files without one or with a suspicious one flagged CRS_SUSPECT, and a frame per
sheet (loader_frames). loader_write writes parcels, sheets, load_report and the flags.
"""
from __future__ import annotations

import getpass
import json
import logging
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from ..flags import catalogue as cat
from ..reference.admin_units import normalise_commune_code, normalise_commune_codes
from ..errors import InputError
from ..register.fields import MAP_ROLES, map_fields
from ..flags.store import now_iso, settings_json
from ..flags.flagset import FlagSet, render
from ..i18n import phrase
from .crs import assess, authid, describe, province_epsg, srs_from_text, transform
from .sheet_frames import DEFAULT_SCALE, frame_for, infer_scale
from .linework import (TEXT_MEANINGS, LevelMapping, assign_labels, boundary_lines,
                              level_column, normalise_number, parse_area, polygonize)
from .names import commune_from_folders, compile_patterns, normalise_sheet, sheet_from_name
from .sheet_files import NotASheetFile, SourceFile, UnreadableFile, find_files, read_source
from .text import ENCODING_CHOICES, convert, convert_frame
from .write import source_field_name, write_output
from ..progress import Progress
from ..reference.sheet_grid import POSITIONAL_ACCURACY_M, SCALES

log = logging.getLogger("cadastre_cleaner")

LOAD_CODES = frozenset(cat.codes("load"))
_POLYGONAL = (shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON)
# lines, and polygons too: a DGN shape or DXF hatch on the boundary level counts by its outline
_LINEAR = (shapely.GeometryType.LINESTRING, shapely.GeometryType.MULTILINESTRING,
           shapely.GeometryType.LINEARRING, shapely.GeometryType.POLYGON,
           shapely.GeometryType.MULTIPOLYGON)
_CODE_FIELDS = ("mahieu", "sohieumanh", "mahieuto", "sheetcode")


@dataclass
class LoadRequest:
    inputs: list                       # folders (searched recursively) and/or files
    out: str                           # the GeoPackage to write
    commune: str | None = None         # commune code when neither attribute nor folder name says
    crs: str | None = None             # 'EPSG:9215' …; wins over province
    province: str | None = None        # province code -> its VN-2000 TM-3 zone
    encoding: str = "auto"             # auto | tcvn3 | vni | utf-8
    scale: int | None = None           # scale when neither the name's code nor the file says
    levels: LevelMapping | str | None = None   # mapping, a JSON file of one, or JSON text
    name_patterns: list = field(default_factory=list)   # extra file-name regexes, (?P<sheet>…)
    reproject: bool = False            # transform files declaring another CRS to the output CRS
    user: str = ""


@dataclass
class LoadSummary:
    out: str
    files: int = 0
    files_loaded: int = 0
    unreadable: int = 0
    parcels: int = 0
    sheets: int = 0
    flags_by_code: dict = field(default_factory=dict)
    converted: int = 0                 # text values converted from TCVN3/VNI
    crs: str = ""
    report: pd.DataFrame | None = None
    notes: list = field(default_factory=list)
    timings: dict = field(default_factory=dict)


@dataclass
class FileResult:
    """One file's parcels (attributes + geometry) and what was found on the way."""
    src: SourceFile
    parcels: pd.DataFrame
    geometry: np.ndarray
    srs: object = None
    flags: list = field(default_factory=list)      # dicts, see _flag
    report: dict = field(default_factory=dict)
    sheet_codes: dict = field(default_factory=dict)   # sheet -> Circular 25 code from the name
    sheet_scales: dict = field(default_factory=dict)  # sheet -> scale known from the file
    warnings: list = field(default_factory=list)   # what the user should look at
    notes: list = field(default_factory=list)      # what was done, for the record
    errors: list = field(default_factory=list)


class _Context:
    def __init__(self, request: LoadRequest):
        self.request = request
        if request.encoding not in ENCODING_CHOICES:
            raise InputError(f"encoding {request.encoding!r} is not known", fix=f"use {', '.join(ENCODING_CHOICES)}")
        if request.scale is not None and request.scale not in SCALES:
            raise InputError(f"scale 1:{request.scale} is not a cadastral scale",
                             fix=f"use one of {', '.join(map(str, SCALES))}")
        self.levels = _level_mapping(request.levels)
        try:
            self.patterns = compile_patterns(request.name_patterns)
        except Exception as err:  # re.error, ValueError: both say what is wrong
            raise InputError(f"file-name pattern: {err}",
                             fix="write a regular expression with a (?P<sheet>…) group") from None
        self.commune = normalise_commune_code(request.commune) if request.commune else ""


def _level_mapping(levels) -> LevelMapping:
    """A LevelMapping, a JSON file of one, or JSON text ('{"boundary": ["10"]}')."""
    if isinstance(levels, LevelMapping):
        return levels
    if not levels:
        return LevelMapping()
    if str(levels).lstrip().startswith("{"):
        try:
            return LevelMapping.from_dict(json.loads(str(levels)), "--levels")
        except ValueError as err:
            raise InputError(f"the level mapping is not valid JSON ({err})", "--levels") from None
    return LevelMapping.load(levels)


def _flag(code, message, *, sheet="", commune="", parcel="", suggestion="", geometry=None,
          where="", idx=-1) -> dict:
    return {"code": code, "message": message, "sheet": sheet, "commune": commune, "parcel": parcel,
            "suggestion": suggestion, "geometry": geometry, "where": where, "idx": idx}


# ---- the whole load ---------------------------------------------------------------------

def load_sheets(request: LoadRequest, progress: Progress | None = None) -> LoadSummary:
    """Read every sheet file, write the GeoPackage; see the module doc."""
    progress = progress or Progress()
    started = now_iso()
    t0 = time.perf_counter()
    ctx = _Context(request)
    target, target_why = _option_crs(request)
    sources, skipped = _sources(request)
    progress.info(f"loading {len(sources)} file(s)")
    results = []
    for k, src in enumerate(sources):
        progress.check()
        results.append(_load_file(src, ctx))
        progress.set_progress(80.0 * (k + 1) / len(sources))
    timings = {"read_build": time.perf_counter() - t0}
    t = time.perf_counter()
    if target is None:
        target, target_why = _majority_crs(results)
    for res in results:
        _settle_crs(res, target, target_why, request.reproject)
    _duplicate_sheets(results)
    parcels, geometry, owner = _assemble(results)
    sheets, sheet_geom = _sheets(parcels, geometry, results, request.scale)
    flags, flag_geom = _flag_frame(results, owner)
    report = _report_frame(results)
    timings["assemble"] = time.perf_counter() - t
    progress.set_progress(85)
    progress.check()
    t = time.perf_counter()
    run = _run_record(request, ctx, started, len(parcels), len(flags), target, target_why)
    write_output(request.out, parcels, geometry, sheets, sheet_geom, report, flags, flag_geom,
                 target.ExportToWkt() if target is not None else "", run, set(LOAD_CODES))
    timings["write"] = time.perf_counter() - t
    timings["total"] = time.perf_counter() - t0
    progress.set_progress(100)
    status = report["status"]
    return LoadSummary(
        out=request.out, files=len(sources), files_loaded=int((~status.isin(["unreadable", "skipped"])).sum()),
        unreadable=int((status == "unreadable").sum()), parcels=len(parcels), sheets=len(sheets),
        flags_by_code={k: int(v) for k, v in flags["code"].value_counts().items()},
        converted=int(report["converted"].sum()),
        crs=(describe(target) + f" ({target_why})") if target is not None else "none",
        report=report, notes=[f"not a sheet file, skipped: {s}" for s in skipped], timings=timings)


def _sources(request: LoadRequest) -> tuple[list[SourceFile], list[str]]:
    sources, skipped = find_files(request.inputs)
    # the output itself may lie in the input folder (a second run)
    out_path = Path(request.out).resolve()
    sources = [s for s in sources if s.path.resolve() != out_path]
    if not sources:
        raise InputError("no sheet file found in " + ", ".join(map(str, request.inputs)),
                         fix="give folders or files: .shp .gpkg .tab .gml .dxf .dgn")
    return sources, skipped


def _run_record(request, ctx, started, n_parcels, n_flags, target, target_why) -> dict:
    """The run as the flags file records it (table runs)."""
    return {"started_at": started, "finished_at": now_iso(), "user": request.user or _user(),
            # the flags' map_fid are fids of this file's parcels layer: the review dock finds it here
            "parcels_source": f"{request.out}|layername=parcels", "register_source": "",
            "sheets_source": f"{request.out}|layername=sheets", "parcels": n_parcels,
            "register_rows": 0, "matched": 0, "flags": n_flags, "open_flags": n_flags,
            "settings": settings_json({"command": "load", "inputs": [str(i) for i in request.inputs],
                                       "commune": request.commune, "crs": request.crs,
                                       "province": request.province, "encoding": request.encoding,
                                       "scale": request.scale, "levels": ctx.levels.to_dict(),
                                       "reproject": request.reproject}),
            "field_mapping": "",
            "notes": f"CRS: {describe(target)} ({target_why})" if target is not None else "CRS: none"}


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some services
        return ""


def _option_crs(request: LoadRequest):
    if request.crs:
        srs = srs_from_text(request.crs)
        return srs, f"--crs {request.crs}"
    if request.province:
        epsg, why = province_epsg(request.province)
        return srs_from_text(f"EPSG:{epsg}"), why
    return None, ""


def _majority_crs(results: list[FileResult]):
    """The CRS most files declare (a projected one if any file has one), when none was given."""
    declared = [r.srs for r in results if r.srs is not None and len(r.parcels)]
    declared = [s for s in declared if s.IsProjected()] or declared
    if not declared:
        return None, ""
    keys = [authid(s) or s.ExportToWkt() for s in declared]
    best, count = Counter(keys).most_common(1)[0]
    srs = declared[keys.index(best)]
    return srs, f"declared by {count} of the {len(declared)} file(s) that carry a CRS"


# ---- one file ---------------------------------------------------------------------------

def _load_file(src: SourceFile, ctx: _Context) -> FileResult:
    t = time.perf_counter()
    name = sheet_from_name(src.path.stem, ctx.patterns)
    folder_commune, folder = commune_from_folders(src.path, src.root)
    commune_default = ctx.commune or folder_commune
    report = {"file": src.display, "format": src.driver, "status": "ok", "features": 0, "parcels": 0,
              "converted": 0, "labels": 0, "encoding": "", "layers": "", "sheets": name.sheet,
              "sheet_from": "file name" if name.sheet else "", "scale": "", "commune": ""}
    try:
        layers = read_source(src)
    except NotASheetFile as err:
        return _skipped(src, str(err), report, t)
    except UnreadableFile as err:
        return _unreadable(src, name, err.reason, err.fix, report, t, commune_default)
    except OSError as err:
        return _unreadable(src, name, f"the file cannot be opened ({err.strerror or err})",
                           "check it is there and readable", report, t, commune_default)
    report["layers"] = ", ".join(lyr.layer_name for lyr in layers)
    report["features"] = int(sum(len(lyr.attrs) for lyr in layers))
    read_warnings = [w for lyr in layers for w in lyr.notes]
    try:
        build = _drawing if src.kind == "drawing" else _vector
        res = build(src, layers, name, commune_default, ctx, report)
    except UnreadableFile as err:
        return _unreadable(src, name, err.reason, err.fix, report, t, commune_default)
    except InputError as err:
        return _unreadable(src, name, err.problem, err.fix or "fix the file and load again", report, t,
                           commune_default)
    except Exception as err:  # one odd file must not stop a commune's load
        log.exception("loading %s failed", src.path)
        return _unreadable(src, name, f"it could not be processed ({type(err).__name__}: {err})",
                           "open it in QGIS or MicroStation to see what is unusual, and report it with "
                           "the file", report, t, commune_default)
    res.warnings[:0] = read_warnings
    _finish_report(res, report, name, commune_default, ctx.commune, folder)
    report["seconds"] = round(time.perf_counter() - t, 3)
    res.report = report
    return res


def _finish_report(res, report, name, commune_default, commune_option, folder) -> None:
    if not name.sheet and (res.parcels["sheet"] == "").any():
        res.warnings.append("no sheet number: neither a sheet field nor a file name like To_12, T12, "
                            "BD12, 12, Tờ 12 or a Circular 25 code — rename the file or add the field")
    if (res.parcels["commune"] == "").any():
        res.warnings.append("no commune code: give --commune, a commune field, or put the file in a "
                            "folder named with the 5-digit code")
    communes = ", ".join(c for c in pd.unique(res.parcels["commune"]) if c)
    if (res.parcels["commune"] != commune_default).any() or not commune_default:
        how = "field"
    else:
        how = "--commune" if commune_option else f"folder {folder}"
    report["commune"] = f"{communes} ({how})" if communes else ""
    report["parcels"] = len(res.parcels)


def _skipped(src, why, report, t) -> FileResult:
    res = FileResult(src, _empty_parcels(), np.array([], dtype=object))
    report.update(status="skipped", sheets="", sheet_from="", seconds=round(time.perf_counter() - t, 3))
    res.notes.append(f"not loaded: {why}")
    res.report = report
    return res


def _unreadable(src, name, reason, fix, report, t, commune="") -> FileResult:
    res = FileResult(src, _empty_parcels(), np.array([], dtype=object))
    report.update(status="unreadable", seconds=round(time.perf_counter() - t, 3))
    res.errors.append(f"{reason} — {fix}")
    res.flags.append(_flag("FILE_UNREADABLE", cat.check("FILE_UNREADABLE").render(file=src.display, reason=reason),
                           sheet=name.sheet, commune=commune, suggestion=fix, where=src.display))
    res.report = report
    return res


def _empty_parcels() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in
                         ("sheet", "commune", "parcel", "landuse", "note", "source_file")}
                        | {"area": pd.Series(dtype=float), "source_fid": pd.Series(dtype=np.int64)})


def _encoding_note(report: dict, found: dict) -> None:
    """'tcvn3 (TENCHU 120, TEN_MDSD 80)' into the report; the count summed."""
    if not found:
        report["encoding"] = report.get("encoding") or "unicode"
        return
    parts = [f"{col}: {enc} {n}" for col, (enc, n) in found.items()]
    report["encoding"] = "; ".join(parts)
    report["converted"] += int(sum(n for _, n in found.values()))


# ---- vector files: polygons with attributes -------------------------------------------------

def _vector(src, layers, name, commune_default, ctx, report) -> FileResult:
    frames, geoms, srs = [], [], None
    skipped_geom = 0
    for lyr in layers:
        g = lyr.geometry
        types = shapely.get_type_id(g)
        keep = np.isin(types, [int(t) for t in _POLYGONAL]) | shapely.is_missing(g)
        skipped_geom += int((~keep).sum())
        frames.append(lyr.attrs[keep].assign(__fid=lyr.fids[keep]))
        geoms.append(g[keep])
        srs = srs or lyr.srs
    attrs = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    # parcels are 2D; a PolygonZ shapefile's heights mean nothing here
    geometry = shapely.force_2d(np.concatenate(geoms)) if geoms else np.array([], dtype=object)
    res = FileResult(src, _empty_parcels(), geometry, srs=srs)
    if skipped_geom:
        res.warnings.append(f"{skipped_geom} feature(s) are not polygons (points or lines): not loaded")
    source_fid = attrs.pop("__fid").to_numpy(np.int64) if "__fid" in attrs else np.zeros(0, np.int64)
    attrs, found = convert_frame(attrs, ctx.request.encoding)
    _encoding_note(report, found)
    mapping = map_fields(attrs.columns, "map", MAP_ROLES + ("scale",), None, src.display, required=())
    n = len(attrs)
    commune = _communes_of(attrs, mapping, commune_default, res)
    sheet = _sheets_of(attrs, mapping, name, res, geometry, report, commune)
    parcels = pd.DataFrame({
        "sheet": sheet, "commune": commune,
        "parcel": normalise_number(attrs[mapping.get("parcel")].to_numpy(object))
        if mapping.get("parcel") else np.full(n, "", dtype=object),
        "landuse": _text(attrs, mapping.get("landuse")).str.upper().to_numpy(object),
        "area": _area(attrs, mapping.get("area")),
        "note": np.full(n, "", dtype=object), "source_file": src.display, "source_fid": source_fid})
    _scales_and_codes(attrs, mapping, parcels, name, res)
    res.parcels = _with_source_attrs(parcels, attrs)
    if mapping.fields:
        report["layers"] += " [" + ", ".join(f"{r}←{c}" for r, c in mapping.fields.items()) + "]"
    return res


def _area(attrs, col) -> np.ndarray:
    """Area as a number: numeric fields as they are, text ('1234,5', '1 234.5 m2') parsed."""
    if col is None:
        return np.full(len(attrs), np.nan)
    values = attrs[col]
    if values.dtype.kind in "iuf":
        return values.to_numpy(float)
    return parse_area(_text(attrs, col).to_numpy(object))


def _text(attrs, col) -> pd.Series:
    if col is None:
        return pd.Series("", index=attrs.index, dtype=object)
    s = attrs[col]
    return s.astype(object).where(s.notna(), "").astype(str).str.strip()


def _sheets_of(attrs, mapping, name, res, geometry, report, commune) -> np.ndarray:
    """Sheet per feature: the attribute where it has one, else the file name; a difference
    between the two is flagged once per attribute value."""
    n = len(attrs)
    by_name = np.full(n, name.sheet, dtype=object)
    col = mapping.get("sheet")
    if col is None:
        return by_name
    by_attr = _text(attrs, col).map(normalise_sheet).to_numpy(object)
    report["sheet_from"] = f"field {col}" + (" (file name where empty)" if name.sheet else "")
    report["sheets"] = ", ".join(sorted(set(by_attr[by_attr != ""]) | ({name.sheet} if (by_attr == "").any()
                                                                       and name.sheet else set())))
    if name.sheet:
        differ = (by_attr != "") & (by_attr != name.sheet)
        for value in pd.unique(by_attr[differ]):
            sel = by_attr == value
            res.flags.append(_flag(
                "SHEET_NUMBER_CONFLICT",
                cat.check("SHEET_NUMBER_CONFLICT").render(
                    file=res.src.display, what=f"the file name says sheet {name.sheet} but field {col} says "
                                               f"{value} on {int(sel.sum())} parcel(s)",
                    used=value, source=f"field {col}"),
                sheet=value, commune=str(commune[sel][0]) if sel.any() else "",
                suggestion=phrase("rename the file or correct the sheet field"),
                geometry=_hull(geometry[sel]), where=f"{res.src.display}|{col}={value}"))
    return np.where(by_attr != "", by_attr, by_name)


def _communes_of(attrs, mapping, default, res) -> np.ndarray:
    col = mapping.get("commune")
    if col is None:
        return np.full(len(attrs), default, dtype=object)
    codes = normalise_commune_codes(attrs[col]).to_numpy(object)
    if default:
        other = pd.unique(codes[(codes != "") & (codes != default)])
        if len(other):
            res.warnings.append(f"field {col} says commune {', '.join(map(str, other[:5]))}, the option or "
                                f"folder name {default}: the field was used")
    return np.where(codes != "", codes, default)


def _scales_and_codes(attrs, mapping, parcels, name, res) -> None:
    """What the file says about each sheet's scale and Circular 25 code."""
    from ..register.fields import fold
    scale_col = mapping.get("scale")
    code_col = next((c for c in attrs.columns if fold(c) in _CODE_FIELDS), None)
    for sheet in pd.unique(parcels["sheet"]):
        sel = (parcels["sheet"] == sheet).to_numpy()
        if scale_col is not None:
            values = pd.to_numeric(_text(attrs, scale_col)[sel].str.replace(r"^\s*1\s*[:/]\s*", "", regex=True),
                                   errors="coerce").dropna()
            if len(values) and int(values.mode().iloc[0]) in SCALES:
                res.sheet_scales[sheet] = int(values.mode().iloc[0])
        if code_col is not None:
            codes = _text(attrs, code_col)[sel]
            codes = codes[codes != ""]
            if len(codes):
                res.sheet_codes[sheet] = codes.mode().iloc[0].lower()
        if name.code and sheet == name.sheet:
            res.sheet_codes.setdefault(sheet, name.code)


def _with_source_attrs(parcels: pd.DataFrame, attrs: pd.DataFrame) -> pd.DataFrame:
    taken = {c.lower() for c in parcels.columns}
    renamed = {c: source_field_name(str(c), taken) for c in attrs.columns}
    extra = attrs.rename(columns=renamed).reset_index(drop=True)
    return pd.concat([parcels.reset_index(drop=True), extra], axis=1)


def _hull(geoms: np.ndarray):
    geoms = geoms[~shapely.is_missing(geoms)] if len(geoms) else geoms
    if not len(geoms):
        return None
    return shapely.convex_hull(shapely.geometrycollections(geoms))


# ---- drawings: lines and labels ----------------------------------------------------------

def _drawing(src, layers, name, commune_default, ctx, report) -> FileResult:
    d = _drawing_features(layers, ctx, report)
    lines = _boundary_lines(d, ctx)
    scale, how = _drawing_scale(name, lines, ctx)
    tol = POSITIONAL_ACCURACY_M[scale]
    report["scale"] = f"1:{scale} ({how})"
    faces = polygonize(lines, tol)
    labelled = d.has_text & ~shapely.is_missing(d.geoms)
    points = shapely.point_on_surface(d.geoms[labelled]) if labelled.any() else np.array([], dtype=object)
    labels = assign_labels(faces.polygons, points, ctx.levels.classify(d.levels[labelled], TEXT_MEANINGS),
                           d.text[labelled], d.fids[labelled])
    report["labels"] = int(sum(labels.per_meaning.values()))
    n = len(faces.polygons)
    res = FileResult(src, pd.DataFrame({
        "sheet": np.full(n, name.sheet, dtype=object), "commune": np.full(n, commune_default, dtype=object),
        "parcel": labels.number, "landuse": labels.landuse, "area": labels.area, "note": labels.note,
        "source_file": src.display, "source_fid": labels.number_fid}), faces.polygons)
    if name.code:
        res.sheet_codes[name.sheet] = name.code
    res.sheet_scales[name.sheet] = scale
    _drawing_flags(res, faces, labels, name.sheet, commune_default, ctx.levels, tol)
    if labels.outside:
        res.warnings.append(f"{labels.outside} text label(s) lie inside no parcel")
    if faces.snapped:
        res.notes.append(f"{faces.snapped} line end(s) snapped (within {tol} m)")
    return res


@dataclass
class _DrawingFeatures:
    geoms: np.ndarray
    levels: np.ndarray        # DGN level / DXF layer of each feature
    text: np.ndarray          # label text in Unicode (None for lines)
    has_text: np.ndarray
    fids: np.ndarray


def _drawing_features(layers, ctx, report) -> _DrawingFeatures:
    """All features of the drawing, its label text converted from TCVN3/VNI."""
    attrs = pd.concat([lyr.attrs for lyr in layers], ignore_index=True)
    text = attrs["Text"].to_numpy(object) if "Text" in attrs else np.full(len(attrs), None, dtype=object)
    has_text = _non_blank(text)
    text, used, changed = convert(text, ctx.request.encoding)
    _encoding_note(report, {"labels": (used, changed)} if used != "unicode" else {})
    return _DrawingFeatures(np.concatenate([lyr.geometry for lyr in layers]), level_column(attrs), text,
                            has_text, np.concatenate([lyr.fids for lyr in layers]).astype(np.int64))


def _boundary_lines(d: _DrawingFeatures, ctx) -> np.ndarray:
    is_line = np.isin(shapely.get_type_id(d.geoms), [int(t) for t in _LINEAR]) & ~d.has_text
    on_level = ctx.levels.classify(d.levels[is_line], ("boundary",)) == "boundary"
    lines = boundary_lines(d.geoms[is_line][on_level])
    if not len(lines):
        present = sorted({str(v) for v in d.levels[is_line]})
        raise UnreadableFile(
            f"no line on the boundary level(s) {', '.join(ctx.levels.boundary)}"
            + (f" (lines are on {', '.join(present[:10])})" if present else " (it holds no line)"),
            "give the boundary level/layer with --levels (JSON), e.g. {\"boundary\": [\"RANH_THUA\"]}")
    return lines


def _non_blank(values: np.ndarray) -> np.ndarray:
    s = pd.Series(values, dtype=object)
    return (s.notna() & (s.astype(str).str.strip() != "")).to_numpy(bool)


def _drawing_scale(name, lines, ctx) -> tuple[int, str]:
    if name.scale:
        return name.scale, "sheet code in the name"
    if ctx.request.scale:
        return ctx.request.scale, "--scale"
    scale, _ = infer_scale(shapely.total_bounds(lines))
    if scale is not None:
        return scale, "from the extent"
    return DEFAULT_SCALE, "default"


def _drawing_flags(res, faces, labels, sheet, commune, levels, tol) -> None:
    file = res.src.display
    polys = faces.polygons
    missing = np.flatnonzero(labels.number == "")
    if len(missing):
        where = [_xy(p) for p in shapely.point_on_surface(polys[missing])]
        msgs = render("LABEL_MISSING", sheet=sheet, file=file, area=[f"{a:.1f}" for a in shapely.area(polys[missing])],
                      where=where, levels=", ".join(levels.parcel_number))
        for k, i in enumerate(missing):
            res.flags.append(_flag("LABEL_MISSING", msgs[k], sheet=sheet, commune=commune, geometry=polys[i],
                                   suggestion=phrase("place the parcel-number text inside it, or remove the "
                                                     "line that wrongly splits it"),
                                   where=where[k], idx=int(i)))
    many = np.flatnonzero(labels.number_count > 1)
    if len(many):
        where = [_xy(p) for p in shapely.point_on_surface(polys[many])]
        msgs = render("LABEL_MULTIPLE", sheet=sheet, file=file, where=where, count=labels.number_count[many],
                      numbers=labels.numbers_all[many], used=labels.number[many])
        for k, i in enumerate(many):
            res.flags.append(_flag("LABEL_MULTIPLE", msgs[k], sheet=sheet, commune=commune,
                                   parcel=labels.number[i], geometry=polys[i],
                                   suggestion=phrase("delete the wrong number label, or draw the missing "
                                                     "boundary between the two parcels"),
                                   where=where[k], idx=int(i)))
    for kind, lines in (("dangle", faces.dangles), ("cut", faces.cuts), ("ring", faces.invalid)):
        if not len(lines):
            continue
        how = {"dangle": phrase("ends without closing a parcel"),
               "cut": phrase("runs inside a parcel without closing one"),
               "ring": phrase("forms a ring that is not a valid polygon")}[kind]
        mids = shapely.line_interpolate_point(lines, 0.5, normalized=True) if kind != "ring" \
            else shapely.point_on_surface(lines)
        msgs = render("LINE_DANGLE", sheet=sheet, file=file, length=[f"{v:.2f}" for v in shapely.length(lines)],
                      how=how, where=[_xy(p) for p in mids])
        marks = shapely.buffer(lines, max(tol, 0.05), cap_style="flat" if kind != "ring" else "round")
        for k in range(len(lines)):
            res.flags.append(_flag("LINE_DANGLE", msgs[k], sheet=sheet, commune=commune, geometry=marks[k],
                                   suggestion=phrase("extend the line to the boundary it should meet, or "
                                                     "delete it"),
                                   where=_xy(mids[k])))


def _xy(point) -> str:
    return f"{shapely.get_x(point):.1f},{shapely.get_y(point):.1f}"


# ---- after all files are read ---------------------------------------------------------------

def _settle_crs(res: FileResult, target, target_why: str, reproject: bool) -> None:
    if res.report.get("status") in ("unreadable", "skipped"):
        return
    geoms = res.geometry
    bounds = shapely.total_bounds(geoms) if len(geoms) else np.full(4, np.nan)
    verdict = assess(res.srs, bounds, target, target_why, reproject, res.src.kind == "drawing")
    res.report["crs_declared"] = verdict.declared
    res.report["crs_used"] = verdict.used
    if verdict.reproject_from is not None and len(geoms):
        res.geometry = transform(geoms, verdict.reproject_from, target)
    res.notes.extend(verdict.notes)
    sheets = ", ".join(map(str, pd.unique(res.parcels["sheet"])[:5]))
    communes = ", ".join(c for c in pd.unique(res.parcels["commune"])[:5] if c)
    for message in verdict.suspects:
        res.flags.append(_flag("CRS_SUSPECT", cat.check("CRS_SUSPECT").render(file=res.src.display, problem=message),
                               sheet=sheets, commune=communes, suggestion=phrase("give the right --crs or --province, or fix "
                                                               "the file's .prj"),
                               geometry=_hull(res.geometry), where=res.src.display + "|" + message[:40]))


def _duplicate_sheets(results: list[FileResult]) -> None:
    """The same (commune, sheet) from two files: said on each, not merged silently."""
    seen: dict = {}
    for res in results:
        for key in set(zip(res.parcels["commune"], res.parcels["sheet"])):
            if key[1]:
                seen.setdefault(key, []).append(res)
    for (commune, sheet), holders in seen.items():
        if len(holders) < 2:
            continue
        files = ", ".join(h.src.display for h in holders)
        for h in holders:
            sel = ((h.parcels["commune"] == commune) & (h.parcels["sheet"] == sheet)).to_numpy()
            h.flags.append(_flag(
                "SHEET_NUMBER_CONFLICT",
                cat.check("SHEET_NUMBER_CONFLICT").render(
                    file=h.src.display, what=f"sheet {sheet} of commune {commune or '?'} also comes from "
                                             f"{len(holders) - 1} other file(s) ({files})",
                    used=sheet, source="each file as it is"),
                sheet=sheet, commune=commune, geometry=_hull(h.geometry[sel]),
                suggestion=phrase("rename the file that holds another sheet, or drop the duplicate"),
                where=f"{h.src.display}|duplicate"))


def _assemble(results: list[FileResult]):
    """All parcels in one frame; `owner` maps (file number, index in file) to the output row."""
    frames, geoms, owner, start = [], [], {}, 0
    for k, res in enumerate(results):
        n = len(res.parcels)
        if not n:
            continue
        frames.append(res.parcels)
        geoms.append(res.geometry)
        owner[k] = start
        start += n
    if not frames:
        return _empty_parcels(), np.array([], dtype=object), owner
    parcels = pd.concat(frames, ignore_index=True, sort=False)
    for col in ("sheet", "commune", "parcel", "landuse", "note"):
        parcels[col] = parcels[col].astype(object).where(parcels[col].notna(), "")
    return parcels, np.concatenate(geoms), owner


def _sheets(parcels, geometry, results, option_scale):
    codes, scales, files = {}, {}, {}
    for res in results:
        for key in dict.fromkeys(zip(res.parcels["commune"], res.parcels["sheet"])):
            sheet = key[1]
            if sheet in res.sheet_codes:
                codes.setdefault(key, res.sheet_codes[sheet])
            if sheet in res.sheet_scales:
                scales.setdefault(key, res.sheet_scales[sheet])
            files.setdefault(key, []).append(res.src.display)
    rows, frames = [], []
    if len(parcels):
        groups = parcels.groupby(["commune", "sheet"], sort=True).indices
    else:
        groups = {}
    for (commune, sheet), idx in groups.items():
        key = (commune, sheet)
        f = frame_for(geometry[idx], codes.get(key, ""), scales.get(key, option_scale))
        rows.append({"SHBANDO": sheet, "MAXA": commune, "TYLE": f.scale, "MAHIEU": f.code,
                     "frame_from": f.how, "parcels": len(idx), "source_file": "; ".join(files.get(key, []))})
        frames.append(f.geometry)
    columns = ["SHBANDO", "MAXA", "TYLE", "MAHIEU", "frame_from", "parcels", "source_file"]
    return pd.DataFrame(rows, columns=columns), np.array(frames, dtype=object)


def _flag_frame(results: list[FileResult], owner: dict) -> tuple[pd.DataFrame, np.ndarray]:
    fs = FlagSet()
    geoms, fids = [], []
    for k, res in enumerate(results):
        for f in res.flags:
            check = cat.check(f["code"])
            fs.add(f["code"], 1, messages=[f["message"]], commune=f["commune"], sheet=f["sheet"],
                   parcel=f["parcel"], ident_extra=f["where"], suggestion=f["suggestion"],
                   severity=check.severity, geom_kind="none")
            geoms.append(f["geometry"])
            fids.append(owner[k] + f["idx"] + 1 if f["idx"] >= 0 and k in owner else None)
    frame = fs.frame()
    frame["map_fid"] = pd.array(fids, dtype="Int64") if fids else pd.array([], dtype="Int64")
    return frame, np.array(geoms, dtype=object)


def _report_frame(results: list[FileResult]) -> pd.DataFrame:
    rows = []
    for res in results:
        r = dict(res.report)
        r["flags"] = len(res.flags)
        r["warnings"] = "; ".join(res.warnings)
        r["notes"] = "; ".join(res.notes)
        r["errors"] = "; ".join(res.errors)
        if r.get("status") == "ok" and (res.warnings or res.flags):
            r["status"] = "warning"
        rows.append(r)
    frame = pd.DataFrame(rows)
    for col in ("converted", "features", "parcels", "labels", "flags"):
        frame[col] = pd.to_numeric(frame.get(col, 0), errors="coerce").fillna(0).astype(np.int64)
    return frame
