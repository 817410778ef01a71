"""A generated commune written the way offices keep it: one file per map sheet.

Shapefiles hold parcel polygons and attributes (some with owner and land-use names in
TCVN3 or VNI bytes and a .cpg saying 1252, as old software wrote them; one without
its .prj). DXF and DGN v7 drawings hold what MicroStation-based tools work on:
boundary lines (each shared boundary once) on level/layer 10 and text labels inside
each parcel — number on 13, land-use code on 2, area on 4, the owner's name on 30
(some drawings in TCVN3 or VNI).

Defects are put in on purpose and listed in sheet_key.csv (code, file, sheet,
commune, parcel, x, y, count, detail): drawings get a polygon without its number
label (LABEL_MISSING), a polygon with a second number label (LABEL_MULTIPLE), a
dangling line (LINE_DANGLE) and a line cut short within the snapping tolerance
(SNAPPED: the loader must close it, not flag it); a shapefile without .prj
(CRS_SUSPECT); damaged extra files if asked (FILE_UNREADABLE); and one ENCODING row
per file with legacy text: how many values were written in it.

The commune comes from generate_sample with no register or geometry defects, so
every parcel's SHBANDO is the sheet it lies on and the files rebuild commune.gpkg.
DGN coordinates are stored in 2 mm units (v7 holds 32-bit integers: 1 mm would
overflow at Vietnamese northings); the written coordinates are on that grid.
"""
from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from ..loading import vn_encodings
from ..reference.landuse import LandUseCodes
from ..progress import Progress
from ..loading.vector import read_vector
from ..reference.sheet_grid import POSITIONAL_ACCURACY_M
from .generator import SampleResult, SampleSpec, generate_sample

NAME_FORMS = ("To_{n}", "T{n}", "BD{n}", "{n}", "To {n}", "Tờ {n}")
LEVEL_BOUNDARY, LEVEL_NUMBER, LEVEL_LANDUSE, LEVEL_AREA, LEVEL_NOTE = 10, 13, 2, 4, 30
DGN_UNITS_PER_M = 500
DGN_OPTIONS = ["ORIGIN=0,0,0", "UOR_PER_SUB_UNIT=5", "SUB_UNITS_PER_MASTER_UNIT=100"]
TEXT_HEIGHT_M = {200: 0.3, 500: 0.5, 1000: 0.8, 2000: 1.5, 5000: 3.0, 10000: 6.0}
KEY_COLUMNS = ["code", "file", "sheet", "commune", "parcel", "x", "y", "count", "detail"]


@dataclass
class SheetFilesSpec:
    formats: tuple = ("shp", "dxf", "dgn")    # cycled over the sheets in order
    legacy: tuple = ("tcvn3", "vni")         # with "unicode", cycled over each format's files
    missing_labels: int = 1                  # drawings: polygons left without their number label
    double_labels: int = 1                   # drawings: polygons given a second number label
    dangles: int = 1                         # drawings: dangling boundary lines
    undershoots: int = 1                     # drawings: lines cut short within tolerance (snapped)
    no_prj: int = 1                          # shapefiles written without .prj
    corrupt: tuple = ()                      # extra damaged files: "truncated_shp", "garbage_dxf"
    seed: int = 0


@dataclass
class SheetFilesResult:
    folder: Path
    files: list
    key: pd.DataFrame
    key_csv: Path
    reference: Path                          # the commune.gpkg the files were cut from
    timings: dict = field(default_factory=dict)


def generate_sheet_files(out_dir, sample: SampleSpec | None = None, spec: SheetFilesSpec | None = None,
                         progress: Progress | None = None) -> tuple[SampleResult, SheetFilesResult]:
    """A clean commune in out_dir/reference and its sheet files in out_dir/sheets."""
    out = Path(out_dir)
    sample = replace(sample or SampleSpec(), defect_rate=0.0, geometry_defect_rate=0.0,
                     unnoded_sheet_edges=False, write_xlsx=False)
    result = generate_sample(out / "reference", sample, progress)
    files = write_sheet_files(result.gpkg, out / "sheets", spec, result.register_csv, progress)
    return result, files


def write_sheet_files(gpkg, out_dir, spec: SheetFilesSpec | None = None, register_csv=None,
                      progress: Progress | None = None) -> SheetFilesResult:
    """Cut commune.gpkg (layers parcels, sheets) into one file per sheet under
    out_dir/xa_<commune code>/ and write out_dir/sheet_key.csv."""
    spec = spec or SheetFilesSpec()
    progress = progress or Progress()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng([spec.seed, 4049])
    parcels = read_vector(f"{gpkg}|layername=parcels", role="parcels")
    sheets = read_vector(f"{gpkg}|layername=sheets", role="sheets").attrs.reset_index(drop=True)
    owners = _owners(parcels.attrs, register_csv)
    of_sheet = parcels.attrs.groupby(["MAXA", "SHBANDO"], sort=False).indices
    plan = _plan_defects(sheets, spec)
    formats = [spec.formats[k % len(spec.formats)] for k in range(len(sheets))]
    key_rows, files = [], []
    for k, row in sheets.iterrows():
        progress.check()
        progress.set_progress(100.0 * k / max(len(sheets), 1))
        fmt = formats[k]
        nth = formats[:k].count(fmt)               # this sheet's rank among its format's
        # each format starts elsewhere in the encoding cycle: a few sheets show every pair
        encodings = ("unicode",) + tuple(spec.legacy)
        encoding = encodings[(nth + spec.formats.index(fmt)) % len(encodings)]
        sheet = _sheet_data(row, of_sheet[(row["MAXA"], row["SHBANDO"])], parcels, owners)
        stem = NAME_FORMS[k % len(NAME_FORMS)].format(n=row["SHBANDO"])
        if k % 4 == 3 and row["MAHIEU"]:
            stem += f"_{row['MAHIEU']}"
        path = out / f"xa_{row['MAXA']}" / f"{stem}.{fmt}"
        path.parent.mkdir(exist_ok=True)
        if fmt == "shp":
            no_prj = nth >= formats.count("shp") - spec.no_prj
            rows = _write_shapefile(path, sheet, encoding, with_commune=nth % 2 == 0, no_prj=no_prj,
                                    crs_wkt=parcels.crs_wkt)
        else:
            drawing = _drawing(sheet, plan.get(k, {}), encoding, rng)
            (_write_dxf if fmt == "dxf" else _write_dgn)(path, drawing)
            rows = drawing.key
        key_rows += [{**r, "file": str(path.relative_to(out))} for r in rows]
        files.append(path)
    files_extra, rows_extra = _corrupt_files(out, sheets, files, spec)
    key = pd.DataFrame(key_rows + rows_extra, columns=KEY_COLUMNS)
    key_csv = out / "sheet_key.csv"
    key.to_csv(key_csv, index=False, encoding="utf-8", lineterminator="\n")
    progress.set_progress(100)
    return SheetFilesResult(out, files + files_extra, key, key_csv, Path(gpkg))


def _sheet_data(row, idx: np.ndarray, parcels, owners: np.ndarray) -> "_SheetData":
    p = parcels.attrs.iloc[idx]
    names = LandUseCodes.load()
    return _SheetData(str(row["SHBANDO"]), str(row["MAXA"]), int(row["TYLE"]), parcels.geometry[idx],
                      p["SHTHUA"].astype(str).to_numpy(object), p["KHLOAIDAT"].to_numpy(object),
                      p["DIENTICH"].to_numpy(float), owners[idx],
                      np.array([names.name(c) for c in p["KHLOAIDAT"]], dtype=object))


def _owners(parcels: pd.DataFrame, register_csv) -> np.ndarray:
    """The owner's name of each parcel, from the sample's register ('' when none)."""
    if register_csv is None or not os.path.exists(register_csv):
        return np.full(len(parcels), "", dtype=object)
    reg = pd.read_csv(register_csv, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    reg = reg.drop_duplicates(["Mã xã", "Số tờ", "Số thửa"])
    owner = pd.Series(reg["Tên chủ sử dụng"].to_numpy(object),
                      index=pd.MultiIndex.from_arrays([reg["Mã xã"], reg["Số tờ"], reg["Số thửa"]]))
    keys = pd.MultiIndex.from_arrays([parcels["MAXA"].astype(str), parcels["SHBANDO"].astype(str),
                                      parcels["SHTHUA"].astype(str)])
    return owner.reindex(keys).fillna("").to_numpy(object)


def _plan_defects(sheets: pd.DataFrame, spec: SheetFilesSpec) -> dict:
    """Which drawing sheet gets which defects: round robin over the drawings."""
    drawings = [k for k in range(len(sheets)) if spec.formats[k % len(spec.formats)] in ("dxf", "dgn")]
    plan: dict = {}
    if not drawings:
        return plan
    for kind, count in (("missing", spec.missing_labels), ("double", spec.double_labels),
                        ("dangle", spec.dangles), ("undershoot", spec.undershoots)):
        for i in range(count):
            k = drawings[(i + len(plan)) % len(drawings)]
            plan.setdefault(k, {}).setdefault(kind, 0)
            plan[k][kind] += 1
    return plan


@dataclass
class _SheetData:
    sheet: str
    commune: str
    scale: int
    polygons: np.ndarray
    numbers: np.ndarray
    landuse: np.ndarray
    area: np.ndarray
    owner: np.ndarray
    landuse_name: np.ndarray


# ---- text in a legacy encoding ----------------------------------------------------------

def _ascii_fold(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def legacy_form(values: np.ndarray, encoding: str) -> tuple[np.ndarray, np.ndarray, int]:
    """(text to write as cp1252 characters, the Unicode it stands for, values that differ).

    Text the old fonts cannot write back exactly (a toned capital in TCVN3) is written
    without accents, as typists did."""
    if encoding == "unicode":
        return values, values, 0
    written, meant = [], []
    for v in values:
        v = str(v)
        try:
            legacy = vn_encodings.from_unicode(v, encoding, vn3_only=True)
            ok = vn_encodings.to_unicode(legacy, encoding) == v
        except ValueError:
            ok = False
        if not ok:
            v = _ascii_fold(v)
            legacy = v
        written.append(legacy)
        meant.append(v)
    written = np.array(written, dtype=object)
    meant = np.array(meant, dtype=object)
    return written, meant, int((written != meant).sum())


# ---- shapefiles -----------------------------------------------------------------------------

def _ogr():
    from osgeo import gdal, ogr, osr
    gdal.UseExceptions()
    ogr.UseExceptions()
    return gdal, ogr, osr


def _write_shapefile(path: Path, s: _SheetData, encoding: str, with_commune: bool, no_prj: bool,
                     crs_wkt: str) -> list[dict]:
    gdal, ogr, osr = _ogr()
    for suffix in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
        path.with_suffix(suffix).unlink(missing_ok=True)
    srs = osr.SpatialReference()
    srs.ImportFromWkt(crs_wkt)
    ds = ogr.GetDriverByName("ESRI Shapefile").CreateDataSource(str(path))
    legacy = encoding != "unicode"
    layer = ds.CreateLayer(path.stem, srs, ogr.wkbPolygon,
                           options=["ENCODING=CP1252" if legacy else "ENCODING=UTF-8"])
    fields = ([("MAXA", ogr.OFTString, 5)] if with_commune else []) + [
        ("SHBANDO", ogr.OFTString, 20), ("SHTHUA", ogr.OFTInteger, 0), ("DIENTICH", ogr.OFTReal, 0),
        ("KHLOAIDAT", ogr.OFTString, 10), ("TENCHU", ogr.OFTString, 80), ("TEN_MDSD", ogr.OFTString, 80)]
    for name, kind, width in fields:
        defn = ogr.FieldDefn(name, kind)
        if width:
            defn.SetWidth(width)
        if kind == ogr.OFTReal:
            defn.SetWidth(12)
            defn.SetPrecision(1)
        layer.CreateField(defn)
    owner, _, n_owner = legacy_form(s.owner, encoding)
    lu_name, _, n_lu = legacy_form(s.landuse_name, encoding)
    values = {"MAXA": [s.commune] * len(s.numbers), "SHBANDO": [s.sheet] * len(s.numbers),
              "SHTHUA": [int(v) for v in s.numbers], "DIENTICH": [float(v) for v in s.area],
              "KHLOAIDAT": list(s.landuse), "TENCHU": list(owner), "TEN_MDSD": list(lu_name)}
    wkb = shapely.to_wkb(s.polygons)
    layer.StartTransaction()
    feature = ogr.Feature(layer.GetLayerDefn())
    for i in range(len(wkb)):
        for k, (name, _, _) in enumerate(fields):
            feature.SetField(k, values[name][i])
        feature.SetGeometry(ogr.CreateGeometryFromWkb(wkb[i]))
        feature.SetFID(-1)
        layer.CreateFeature(feature)
    layer.CommitTransaction()
    ds = None
    rows = []
    if legacy:
        path.with_suffix(".cpg").write_text("1252")          # as old software wrote it
        rows.append(_key("ENCODING", s, count=n_owner + n_lu, detail=encoding))
    if no_prj:
        path.with_suffix(".prj").unlink(missing_ok=True)
        rows.append(_key("CRS_SUSPECT", s, detail="no .prj"))
    return rows


def _key(code, s: _SheetData, parcel="", x=np.nan, y=np.nan, count=1, detail="") -> dict:
    return {"code": code, "file": None, "sheet": s.sheet, "commune": s.commune, "parcel": parcel,
            "x": x, "y": y, "count": count, "detail": detail}


# ---- drawings ---------------------------------------------------------------------------------

@dataclass
class _Drawing:
    lines: np.ndarray                 # LineStrings, level 10
    texts: pd.DataFrame               # x, y, level, text (to write), order
    legacy: str                       # encoding of the note texts
    key: list


def boundary_edges(polygons: np.ndarray) -> np.ndarray:
    """Every boundary of a coverage once: ring segments deduplicated, merged into lines
    between junctions."""
    rings = shapely.get_rings(polygons)
    coords, idx = shapely.get_coordinates(rings, return_index=True)
    same = idx[:-1] == idx[1:]
    a = np.round(coords[:-1][same] * 1000).astype(np.int64)
    b = np.round(coords[1:][same] * 1000).astype(np.int64)
    swap = (a[:, 0] > b[:, 0]) | ((a[:, 0] == b[:, 0]) & (a[:, 1] > b[:, 1]))
    a[swap], b[swap] = b[swap], a[swap].copy()
    segs = np.unique(np.hstack([a, b]), axis=0)
    segs = segs[~np.all(segs[:, :2] == segs[:, 2:], axis=1)]
    lines = shapely.linestrings(segs.reshape(-1, 2, 2) / 1000.0)
    return shapely.get_parts(shapely.line_merge(shapely.multilinestrings(lines)))


def _inside_or(polys, base, dx, dy):
    x = shapely.get_x(base) + dx
    y = shapely.get_y(base) + dy
    ok = shapely.contains_xy(polys, x, y)
    return np.where(ok, x, shapely.get_x(base)), np.where(ok, y, shapely.get_y(base))


def _drawing(s: _SheetData, defects: dict, encoding: str, rng) -> _Drawing:
    polys = s.polygons
    n = len(polys)
    h = TEXT_HEIGHT_M.get(s.scale, 1.0)
    p = shapely.point_on_surface(polys)
    px, py = shapely.get_x(p), shapely.get_y(p)
    lux, luy = _inside_or(polys, p, 0.0, -0.7 * h)
    arx, ary = _inside_or(polys, p, 0.0, -1.4 * h)
    ntx, nty = _inside_or(polys, p, 0.0, 0.7 * h)
    owner, _, n_owner = legacy_form(s.owner, encoding)
    area_text = np.array([f"{a:.1f}" for a in s.area], dtype=object)
    if encoding == "vni":      # some offices write a decimal comma
        area_text = np.array([t.replace(".", ",") for t in area_text], dtype=object)
    texts = pd.DataFrame({
        "x": np.concatenate([px, lux, arx, ntx]), "y": np.concatenate([py, luy, ary, nty]),
        "level": np.repeat([LEVEL_NUMBER, LEVEL_LANDUSE, LEVEL_AREA, LEVEL_NOTE], n),
        "text": np.concatenate([s.numbers, s.landuse, area_text, owner]),
        "parcel": np.tile(np.arange(n), 4)})
    texts = texts[texts["text"].astype(str).str.strip() != ""]
    key: list = []
    lines = boundary_edges(polys)
    taken: set = set()
    key += _drop_numbers(texts, s, defects.get("missing", 0), p, rng, taken)
    texts = texts[~((texts["level"] == LEVEL_NUMBER) & texts["parcel"].isin(taken))]
    extra, rows = _double_numbers(s, defects.get("double", 0), p, rng, taken)
    if len(extra):
        texts = pd.concat([texts, extra], ignore_index=True)
    key += rows
    dangles, rows = _dangles(s, defects.get("dangle", 0), p, rng, taken)
    key += rows
    lines, rows = _undershoots(s, lines, defects.get("undershoot", 0), rng)
    key += rows
    if encoding != "unicode":
        key.append(_key("ENCODING", s, count=n_owner, detail=encoding))
    return _Drawing(np.concatenate([lines, dangles]), texts.reset_index(drop=True), encoding, key)


def _pick(n, rng, taken, ok=None) -> int:
    choices = [i for i in rng.permutation(n) if i not in taken and (ok is None or ok[i])]
    i = int(choices[0])
    taken.add(i)
    return i


def _drop_numbers(texts, s, count, p, rng, taken) -> list:
    rows = []
    for _ in range(count):
        i = _pick(len(s.polygons), rng, taken)
        rows.append(_key("LABEL_MISSING", s, parcel=s.numbers[i], x=shapely.get_x(p[i]), y=shapely.get_y(p[i])))
    return rows


def _double_numbers(s, count, p, rng, taken):
    """A second, different number inside the parcel, drawn after every genuine label."""
    rows, extra = [], []
    big = shapely.area(s.polygons) > 30
    for _ in range(count):
        i = _pick(len(s.polygons), rng, taken, big)
        poly = s.polygons[i]
        centre = shapely.centroid(poly)
        spot = shapely.point_on_surface(shapely.buffer(poly, -1.0))
        for cand in (centre, spot):
            if not shapely.is_empty(cand) and shapely.contains(poly, cand) and shapely.distance(cand, p[i]) > 0.2:
                break
        else:
            cand = shapely.points(shapely.get_x(p[i]) + 0.3, shapely.get_y(p[i]))
        other = str(int(max(int(v) for v in s.numbers)) + 1 + len(rows))
        extra.append({"x": shapely.get_x(cand), "y": shapely.get_y(cand), "level": LEVEL_NUMBER,
                      "text": other, "parcel": i})
        rows.append(_key("LABEL_MULTIPLE", s, parcel=s.numbers[i], x=shapely.get_x(p[i]), y=shapely.get_y(p[i]),
                         detail=f"extra number {other}"))
    return pd.DataFrame(extra, columns=["x", "y", "level", "text", "parcel"]), rows


def _dangles(s, count, p, rng, taken):
    """A line from a parcel corner halfway to its inside point: it closes nothing."""
    out, rows = [], []
    tol = POSITIONAL_ACCURACY_M[s.scale]
    for _ in range(count):
        for _attempt in range(50):
            i = _pick(len(s.polygons), rng, taken)
            corner = shapely.get_coordinates(shapely.get_exterior_ring(s.polygons[i]))[0]
            inner = shapely.get_coordinates(p[i])[0]
            end = corner + 0.5 * (inner - corner)
            start_in = corner + 0.02 * (inner - corner)
            probe = shapely.linestrings([start_in, end])
            if shapely.contains(s.polygons[i], probe) and np.hypot(*(end - corner)) > 3 * tol:
                line = shapely.linestrings([corner, end])
                out.append(line)
                mid = (corner + end) / 2
                rows.append(_key("LINE_DANGLE", s, parcel=s.numbers[i], x=mid[0], y=mid[1],
                                 detail=f"{shapely.length(line):.2f} m"))
                break
    return np.array(out, dtype=object), rows


def _undershoots(s, lines, count, rng):
    """Lines whose last point stops short of its junction by a third of the tolerance."""
    rows = []
    tol = POSITIONAL_ACCURACY_M[s.scale]
    lines = lines.copy()
    order = rng.permutation(len(lines))
    done = 0
    for j in order:
        if done >= count:
            break
        c = shapely.get_coordinates(lines[j])
        if len(c) < 2 or np.all(c[0] == c[-1]):
            continue
        step = c[-1] - c[-2]
        length = np.hypot(*step)
        if length < 1.0:
            continue
        c[-1] = c[-1] - step / length * tol / 3
        lines[j] = shapely.linestrings(c)
        rows.append(_key("SNAPPED", s, x=c[-1][0], y=c[-1][1], detail=f"{tol / 3:.3f} m short"))
        done += 1
    return lines, rows


def _style_text(text: str, height: float) -> str:
    t = str(text).replace("\\", "\\\\").replace('"', '\\"')
    return f'LABEL(f:"Arial",t:"{t}",s:{height:g}g)'


def _write_dxf(path: Path, d: _Drawing) -> None:
    """Layers '10' (boundaries) and '13' '2' '4' '30' (texts). OGR's DXF writer stores the
    text in the drawing's code page (ANSI_1252), so legacy text gets its legacy bytes."""
    _, ogr, _ = _ogr()
    path.unlink(missing_ok=True)
    ds = ogr.GetDriverByName("DXF").CreateDataSource(str(path))
    layer = ds.CreateLayer("entities", None, ogr.wkbUnknown)
    _write_entities(ogr, layer, d, level_field="Layer", as_text=str, text_of=lambda i, t: t)
    ds = None


def _write_dgn(path: Path, d: _Drawing) -> None:
    """Levels 10, 13, 2, 4, 30. OGR's DGN writer stores text as UTF-8: legacy text is
    written as same-length ASCII placeholders and patched to its bytes afterwards."""
    _, ogr, _ = _ogr()
    path.unlink(missing_ok=True)
    ds = ogr.GetDriverByName("DGN").CreateDataSource(str(path), options=DGN_OPTIONS)
    layer = ds.CreateLayer("elements", None, ogr.wkbUnknown)
    patches: dict[bytes, bytes] = {}

    def text_of(i, t):
        if d.legacy == "unicode" or t.isascii():
            return t
        raw = bytes(ord(c) if ord(c) < 0x100 else c.encode("cp1252")[0] for c in t)
        token = f"~{i:x}~"
        if len(raw) < len(token) + 1:
            return _ascii_fold(vn_encodings.to_unicode(t, d.legacy))
        placeholder = (token + "#" * len(raw))[:len(raw)]
        patches[placeholder.encode("ascii")] = raw
        return placeholder
    _write_entities(ogr, layer, d, level_field="Level", as_text=int, text_of=text_of, grid=True)
    ds = None
    if patches:
        data = path.read_bytes()
        for placeholder, raw in patches.items():
            data = data.replace(placeholder, raw, 1)
        path.write_bytes(data)


def _on_grid(geoms: np.ndarray) -> np.ndarray:
    """Coordinates on the DGN's 2 mm grid, plus half a unit: its writer truncates."""
    half = 0.5 / DGN_UNITS_PER_M
    return shapely.transform(geoms, lambda xy: np.round(xy * DGN_UNITS_PER_M) / DGN_UNITS_PER_M + half)


def _write_entities(ogr, layer, d: _Drawing, level_field: str, as_text, text_of, grid: bool = False):
    defn = layer.GetLayerDefn()
    feature = ogr.Feature(defn)
    lines = _on_grid(d.lines) if grid else d.lines
    wkb = shapely.to_wkb(lines)
    layer.StartTransaction()
    for g in wkb:
        feature.SetField(level_field, as_text(LEVEL_BOUNDARY))
        feature.SetStyleString(None)
        feature.SetGeometry(ogr.CreateGeometryFromWkb(g))
        feature.SetFID(-1)
        layer.CreateFeature(feature)
    points = shapely.points(d.texts["x"].to_numpy(float), d.texts["y"].to_numpy(float))
    if grid:
        points = _on_grid(points)
    pw = shapely.to_wkb(points)
    for i, (level, text) in enumerate(zip(d.texts["level"].to_numpy(), d.texts["text"].to_numpy(object))):
        feature = ogr.Feature(defn)
        feature.SetField(level_field, as_text(int(level)))
        feature.SetStyleString(_style_text(text_of(i, str(text)), 1.0))
        feature.SetGeometry(ogr.CreateGeometryFromWkb(pw[i]))
        layer.CreateFeature(feature)
    layer.CommitTransaction()


# ---- damaged files ----------------------------------------------------------------------------

def _corrupt_files(out: Path, sheets: pd.DataFrame, files: list, spec: SheetFilesSpec):
    """Extra files that cannot be read, on sheet numbers no real sheet uses."""
    made, rows = [], []
    if not spec.corrupt:
        return made, rows
    folder = files[0].parent if files else out
    top = max((int(v) for v in sheets["SHBANDO"] if str(v).isdigit()), default=0)
    commune = str(sheets["MAXA"].iloc[0]) if len(sheets) else ""
    for k, kind in enumerate(spec.corrupt):
        number = top + 1 + k
        if kind == "truncated_shp":
            source = next((f for f in files if f.suffix == ".shp"), None)
            if source is None:
                continue
            path = folder / f"To_{number}.shp"
            for suffix in (".shx", ".dbf", ".prj", ".cpg"):
                if source.with_suffix(suffix).exists():
                    path.with_suffix(suffix).write_bytes(source.with_suffix(suffix).read_bytes())
            data = source.read_bytes()
            path.write_bytes(data[:len(data) // 2])
        elif kind == "garbage_dxf":
            path = folder / f"T{number}.dxf"
            path.write_bytes(b"0\nSECTION\n2\nENTITIES\n" + np.random.default_rng(number).bytes(2000))
        else:
            raise ValueError(f"unknown damage {kind!r}: use truncated_shp or garbage_dxf")
        made.append(path)
        rows.append({"code": "FILE_UNREADABLE", "file": str(path.relative_to(out)), "sheet": str(number),
                     "commune": commune, "parcel": "", "x": np.nan, "y": np.nan, "count": 1, "detail": kind})
    return made, rows
