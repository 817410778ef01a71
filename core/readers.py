"""Readers at the edge: OGR layers and register tables -> LayerFrame.

Sources are opened read-only. Vector layers are read in bulk through GDAL's
Arrow stream (GDAL >= 3.6) with a feature-by-feature fallback; registers
(CSV, XLSX) through pandas with the header row found under any title rows.
"""
import logging
import os
import re
import unicodedata

import numpy as np
import pandas as pd

from .errors import InputError
from .fields import SYNONYMS, fold
from .frames import LayerFrame
from .keys import on_uniques

log = logging.getLogger("cadastre_cleaner")

TABLE_SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm")


def split_source(source: str) -> tuple[str, str | None]:
    """'file.gpkg|layername=parcels' -> ('file.gpkg', 'parcels') (QGIS's own notation)."""
    path, _, rest = str(source).partition("|")
    layer = None
    for part in rest.split("|"):
        key, _, value = part.partition("=")
        if key.strip().lower() == "layername" and value:
            layer = value
    return path, layer


def _gdal():
    from osgeo import gdal, ogr
    gdal.UseExceptions()
    ogr.UseExceptions()
    return gdal, ogr


def _open_vector(path: str, role: str):
    gdal, _ = _gdal()
    if not path.upper().startswith(("PG:", "MSSQL:", "OCI:")) and not os.path.exists(path):
        raise InputError(f"{role} file not found", path, fix="check the path")
    try:
        return gdal.OpenEx(path, gdal.OF_VECTOR | gdal.OF_READONLY)
    except RuntimeError as err:
        raise InputError(f"cannot open as a {role} layer ({str(err).strip()})", path,
                         fix="is it a vector file (GeoPackage, shapefile, …) and not damaged?") from None


def _pick_layer(ds, path: str, layer_name: str | None, role: str):
    names = [ds.GetLayer(i).GetName() for i in range(ds.GetLayerCount())]
    if not names:
        raise InputError(f"contains no layer to read as {role}", path)
    if layer_name:
        if layer_name not in names:
            raise InputError(f"has no layer '{layer_name}'", path, fix=f"layers are: {', '.join(names)}")
        return ds.GetLayerByName(layer_name)
    wanted = {"parcels": ("parcels", "thuadat", "thua"), "sheets": ("sheets", "tobando", "khung")}
    for name in names:
        if fold(name) in wanted.get(role, ()):
            return ds.GetLayerByName(name)
    return ds.GetLayer(0)


def _decode(values) -> np.ndarray:
    """Arrow-stream column -> numpy object/number array with None for nulls."""
    mask = np.ma.getmaskarray(values) if np.ma.isMaskedArray(values) else None
    data = np.ma.getdata(values)
    if data.dtype.kind == "S":
        out = np.char.decode(data, "utf-8", errors="replace").astype(object)
    elif data.dtype.kind == "O":
        out = np.array([v.decode("utf-8", "replace") if isinstance(v, bytes) else v for v in data],
                       dtype=object)
    else:
        out = data
    if mask is not None and mask.any():
        out = out.astype(object) if out.dtype.kind not in "fO" else out.copy()
        out[mask] = None if out.dtype.kind == "O" else np.nan
    return out


def read_vector(source: str, role: str = "parcels", with_geometry: bool = True) -> LayerFrame:
    """Read a whole OGR layer: attributes, shapely geometries (None for null), FIDs."""
    import shapely

    path, layer_name = split_source(source)
    ds = _open_vector(path, role)
    layer = _pick_layer(ds, path, layer_name, role)
    defn = layer.GetLayerDefn()
    field_names = [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
    geom_col = layer.GetGeometryColumn() or "wkb_geometry"
    fid_col = layer.GetFIDColumn() or "OGC_FID"
    has_geom = defn.GetGeomType() != 0 and with_geometry
    columns: dict[str, list] = {name: [] for name in field_names}
    fids, geoms = [], []
    try:
        # Batches of 10 000 and geometries decoded batch by batch: each step holds the GIL
        # briefly, so a UI thread running beside this reader (QgsTask) stays responsive.
        stream = layer.GetArrowStreamAsNumPy(options=["INCLUDE_FID=YES", "MAX_FEATURES_IN_BATCH=10000"])
        for batch in stream:
            fids.append(np.asarray(batch[fid_col]) if fid_col in batch else
                        np.arange(len(next(iter(batch.values())))))
            for name in field_names:
                columns[name].append(_decode(batch[name]))
            if has_geom:
                g = batch.get(geom_col)
                if g is not None:
                    geoms.append(shapely.from_wkb(np.ma.filled(g, None), on_invalid="ignore"))
        arrow_ok = True
    except (AttributeError, RuntimeError, KeyError) as err:  # old GDAL or a driver without it
        log.debug("arrow stream unavailable for %s: %s", path, err)
        arrow_ok = False
    if arrow_ok:
        attrs = pd.DataFrame({n: (np.concatenate(v) if v else np.array([], dtype=object))
                              for n, v in columns.items()}, columns=field_names)
        fid_arr = np.concatenate(fids).astype(np.int64) if fids else np.array([], dtype=np.int64)
        geometry = None
        if has_geom:
            geometry = np.concatenate(geoms) if geoms else np.array([], dtype=object)
    else:
        attrs, fid_arr, geometry = _read_features(layer, field_names, has_geom)
    srs = layer.GetSpatialRef()
    crs_wkt = srs.ExportToWkt() if srs is not None else ""
    authid = ""
    if srs is not None and srs.GetAuthorityName(None) and srs.GetAuthorityCode(None):
        authid = f"{srs.GetAuthorityName(None)}:{srs.GetAuthorityCode(None)}"
    return LayerFrame(attrs=attrs.reset_index(drop=True), source=source, geometry=geometry,
                      fids=fid_arr, rows=fid_arr, crs_wkt=crs_wkt, crs_authid=authid)


def _read_features(layer, field_names, has_geom):
    import shapely
    rows, fids, wkbs = [], [], []
    layer.ResetReading()
    for feat in layer:
        rows.append([feat.GetField(i) for i in range(len(field_names))])
        fids.append(feat.GetFID())
        if has_geom:
            g = feat.GetGeometryRef()
            wkbs.append(bytes(g.ExportToIsoWkb()) if g is not None else None)
    attrs = pd.DataFrame(rows, columns=field_names)
    geometry = shapely.from_wkb(np.array(wkbs, dtype=object), on_invalid="ignore") if has_geom else None
    return attrs, np.array(fids, dtype=np.int64), geometry


# --- register tables -----------------------------------------------------------------

def _header_score(cells) -> int:
    """How many cells of a row look like known field names (to find the header row)."""
    known = {syn for syns in SYNONYMS.values() for syn in syns}
    score = 0
    for cell in cells:
        f = fold(cell) if isinstance(cell, str) else ""
        if f and (f in known or any(f.startswith(k) for k in known if len(k) >= 4)):
            score += 1
    return score


def _find_header(raw: pd.DataFrame, source: str) -> int:
    best, best_score = 0, -1
    for i in range(min(len(raw), 30)):
        score = _header_score(list(raw.iloc[i]))
        if score > best_score:
            best, best_score = i, score
    if best_score < 2:
        return 0
    return best


def _frame_from_raw(raw: pd.DataFrame, source: str) -> LayerFrame:
    if raw.empty:
        raise InputError("the table is empty", source, fix="export the register again with its rows")
    header_idx = _find_header(raw, source)
    header = _header_names(raw.iloc[header_idx])
    body = raw.iloc[header_idx + 1:].reset_index(drop=True)
    body.columns = header if len(set(header)) == len(header) else _dedupe(header)
    rows = np.arange(len(body), dtype=np.int64) + header_idx + 2   # spreadsheet row numbers
    blank = (body.isna() | (body == "")).all(axis=1).to_numpy()
    body, rows = body[~blank].reset_index(drop=True), rows[~blank]
    frame = LayerFrame(attrs=body, source=source, rows=rows, fids=rows)
    frame.notes.append(f"header row {header_idx + 1}")
    frame.attrs.attrs["original_header"] = header
    if len(body) == 0:
        raise InputError("the table has a header but no data rows", source)
    return frame


def _header_names(cells) -> list[str]:
    header = [("" if (h is None or (isinstance(h, float) and np.isnan(h))) else str(h).strip())
              for h in cells]
    return [h if h else f"column_{i + 1}" for i, h in enumerate(header)]


def _dedupe(header):
    # Keep every column readable; map_fields raises if a duplicated name is the one it needs.
    seen: dict[str, int] = {}
    out = []
    for h in header:
        seen[h] = seen.get(h, 0) + 1
        out.append(h if seen[h] == 1 else f"{h}#{seen[h]}")
    return out


def read_table(source: str, role: str = "register") -> LayerFrame:
    """Read a register table: CSV/XLSX through pandas, anything else through OGR."""
    path, layer_name = split_source(source)
    suffix = os.path.splitext(path)[1].lower()
    if suffix not in TABLE_SUFFIXES:
        frame = read_vector(source, role=role, with_geometry=False)
        if len(frame) == 0:
            raise InputError("the table is empty", path)
        return frame
    if not os.path.exists(path):
        raise InputError(f"{role} file not found", path, fix="check the path")
    if os.path.getsize(path) == 0:
        raise InputError("the file is empty (0 bytes)", path)
    if suffix in (".csv", ".txt"):
        raw = _read_csv(path)
    else:
        try:
            raw = pd.read_excel(path, sheet_name=layer_name or 0, header=None, dtype=object,
                                engine="openpyxl")
        except Exception as err:  # openpyxl raises many kinds for damaged files
            raise InputError(f"cannot read as an Excel workbook ({type(err).__name__}: {err})", path,
                             fix="open it in Excel/LibreOffice and save as .xlsx again") from None
    frame = _frame_from_raw(raw, path)
    # The header row hides in the source's notes; the duplicate check needs the raw header.
    return frame


def read_table_header(source: str, max_rows: int = 30) -> list[str]:
    """The column names `read_table` would give, read from the first rows only.

    For field pickers: a 200 000-row workbook is not read whole to list its columns.
    """
    path, layer_name = split_source(source)
    suffix = os.path.splitext(path)[1].lower()
    if suffix not in TABLE_SUFFIXES:
        ds = _open_vector(path, "register")
        defn = _pick_layer(ds, path, layer_name, "register").GetLayerDefn()
        return [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
    if not os.path.exists(path):
        raise InputError("register file not found", path, fix="check the path")
    if os.path.getsize(path) == 0:
        raise InputError("the file is empty (0 bytes)", path)
    if suffix in (".csv", ".txt"):
        raw = _read_csv(path, nrows=max_rows)
    else:
        try:
            raw = pd.read_excel(path, sheet_name=layer_name or 0, header=None, dtype=object,
                                engine="openpyxl", nrows=max_rows)
        except Exception as err:  # openpyxl raises many kinds for damaged files
            raise InputError(f"cannot read as an Excel workbook ({type(err).__name__}: {err})", path,
                             fix="open it in Excel/LibreOffice and save as .xlsx again") from None
    if raw.empty:
        raise InputError("the table is empty", path, fix="export the register again with its rows")
    header = _header_names(raw.iloc[_find_header(raw, path)])
    return header if len(set(header)) == len(header) else _dedupe(header)


def _read_csv(path: str, nrows: int | None = None) -> pd.DataFrame:
    with open(path, "rb") as fh:
        head = fh.read(65536)
    sample = head.decode("utf-8", errors="ignore")
    delimiter = max((",", ";", "\t", "|"), key=lambda d: sample.count(d))
    # Title rows above the header have fewer cells: size the columns by the widest line.
    import csv
    lines = sample.splitlines()[:-1] or sample.splitlines()
    width = max((len(row) for row in csv.reader(lines, delimiter=delimiter)), default=1)
    for encoding in ("utf-8-sig", "cp1258"):
        try:
            raw = pd.read_csv(path, header=None, names=range(width), dtype=str,
                              keep_default_na=False, sep=delimiter, encoding=encoding,
                              skip_blank_lines=False, engine="c", nrows=nrows)
            if encoding == "cp1258":
                # Windows-1258 writes tones as combining marks: recompose so text compares.
                for col in raw.columns:
                    raw[col] = on_uniques(lambda s: s.map(
                        lambda v: unicodedata.normalize("NFC", v) if isinstance(v, str) else v), raw[col])
                log.info("%s: read as Windows-1258 (not UTF-8)", path)
            return raw
        except UnicodeDecodeError:
            continue
        except pd.errors.ParserError as err:
            m = re.search(r"line (\d+)", str(err))
            raise InputError(f"the CSV is malformed ({err})", path,
                             row=int(m.group(1)) if m else None,
                             fix="check quotes and the number of separators on that line") from None
    raise InputError("cannot decode the text (neither UTF-8 nor Windows-1258)", path,
                     fix="save the file as UTF-8")
