"""Readers at the edge: OGR layers and register tables -> LayerFrame.

Sources are opened read-only. Vector layers are read in bulk through GDAL's
Arrow stream (GDAL >= 3.6) with a feature-by-feature fallback; register tables
(XLSX, XLS, ODS, CSV, DBF) as text, with the header found under any title rows
and joined when it spans several rows (see "register tables" below).
"""
import functools
import logging
import os
import re
import unicodedata
from dataclasses import dataclass
from dataclasses import field as dc_field

import numpy as np
import pandas as pd

from ..errors import InputError
from ..register.fields import SYNONYMS, fold
from ..frames import LayerFrame

log = logging.getLogger("cadastre_cleaner")

TABLE_SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm", ".xls", ".ods", ".dbf")


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
#
# Every register format is first read into a grid: all cells as text (None when empty),
# the spreadsheet row number of each grid row, and the merged ranges where the format
# keeps them. One set of rules then finds the header under the title rows, joins a
# header of several rows, skips a column-numbering row and cuts the body. Cells are
# read as text so that codes keep their leading zeros ("00001", "001090012345");
# numbers are parsed later (keys.parse_numbers), where a bad one is flagged with its row.
#
#   format         read by                        merged cells     row numbers
#   .xlsx .xlsm    openpyxl (read-only, cached    yes              the sheet's rows
#                  values of formulas)
#   .ods           content.xml parsed here        yes              the sheet's rows
#   .xls           GDAL/OGR's XLS driver          no (see below)   the sheet's rows
#   .csv .txt      pandas (UTF-8, BOM, cp1258)    no               the file's lines
#   .dbf           GDAL/OGR, bytes decoded here   n/a              record numbers (RECNO)
#
# A workbook's sheet is the one named as "file.xlsx|sheet=NAME" (QGIS's "|layername=NAME"
# too), else the sheet that looks like a register: among the sheets with a recognisable
# header, the one with the most rows.

HEADER_SEARCH_ROWS = 30      # the header is looked for in this many rows from the top
MAX_HEADER_ROWS = 4          # a header may be written on up to this many rows
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"     # compound file: .xls, or an encrypted .xlsx
_ZIP = b"PK\x03\x04"
_RESAVE = "open it in Excel or LibreOffice and save it as .xlsx"


@dataclass
class _Grid:
    """One sheet as read. cells: object frame, integer columns 0…n-1, text or None/"".
    rows: the spreadsheet row number of each grid row. merges: (row1, col1, row2, col2)
    in grid positions, inclusive, or None when the format keeps no merge information."""
    cells: pd.DataFrame
    rows: np.ndarray
    merges: list | None
    where: str                               # "file.xlsx, sheet 'NAME'" for messages
    notes: list = dc_field(default_factory=list)
    legacy: dict = dc_field(default_factory=dict)   # column -> (encoding, changed-cell mask)
    sheets: list = dc_field(default_factory=list)   # all sheets of the workbook


def _table_source(source: str) -> tuple[str, str | None]:
    """'file.xlsx|sheet=Sổ mục kê' or QGIS's 'file.xlsx|layername=Sheet1' -> (path, sheet)."""
    path, _, rest = str(source).partition("|")
    sheet = None
    for part in rest.split("|"):
        key, _, value = part.partition("=")
        if key.strip().lower() in ("sheet", "layername") and value:
            sheet = value
    return path, sheet


def _table_kind(path: str) -> str | None:
    """'csv', 'dbf', 'xlsx', 'xls', 'ods', or None for anything OGR reads as a layer.

    Workbooks are told apart by their first bytes, not only their name: a .xlsx saved
    with a .xls name is read as what it is."""
    suffix = os.path.splitext(path)[1].lower()
    if suffix in (".csv", ".txt"):
        return "csv"
    if suffix == ".dbf":
        return "dbf"
    if suffix not in (".xlsx", ".xlsm", ".xls", ".ods"):
        return None
    with open(path, "rb") as fh:
        head = fh.read(512)
    if head.startswith(_OLE2):
        if _is_encrypted_ooxml(path):
            raise InputError("the workbook is password-protected (encrypted)", path,
                             fix="open it in Excel, remove the password (File › Info › Protect "
                                 "Workbook) and save it again")
        return "xls"
    if head.startswith(_ZIP):
        import zipfile
        try:
            with zipfile.ZipFile(path) as zf:
                names = set(zf.namelist())
        except (zipfile.BadZipFile, OSError):
            return "ods" if suffix == ".ods" else "xlsx"    # the reader says it is damaged
        if "content.xml" in names and "xl/workbook.xml" not in names:
            return "ods"
        return "xlsx"
    lead = head.lstrip().lower()
    if lead.startswith((b"<", b"\xef\xbb\xbf<")):
        raise InputError("is a web page or XML file named like a workbook, not an Excel or "
                         "OpenDocument spreadsheet", path, fix=_RESAVE)
    return {".ods": "ods", ".xls": "xls"}.get(suffix, "xlsx")


def _is_encrypted_ooxml(path: str) -> bool:
    """An encrypted .xlsx is a compound file holding an 'EncryptedPackage' stream."""
    name = "EncryptedPackage".encode("utf-16-le")
    tail = b""
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            if name in tail + chunk:
                return True
            tail = chunk[-len(name):]
    return False


def _refuse_binary_workbook(path: str) -> None:
    if path.lower().endswith(".xlsb"):
        raise InputError("Excel binary workbooks (.xlsb) cannot be read", path, fix=_RESAVE)


def _existing_table_kind(path: str, role: str) -> str:
    if not os.path.exists(path):
        raise InputError(f"{role} file not found", path, fix="check the path")
    if os.path.getsize(path) == 0:
        raise InputError("the file is empty (0 bytes)", path)
    return _table_kind(path)


def read_table(source: str, role: str = "register") -> LayerFrame:
    """Read a register table: XLSX/XLSM, XLS, ODS, CSV, DBF; anything else through OGR.

    `source` is a path, or 'path|sheet=NAME' to name the sheet of a workbook. The frame's
    `rows` are the row numbers the user sees in the spreadsheet (record numbers in a DBF).
    """
    path, sheet = _table_source(source)
    _refuse_binary_workbook(path)
    if os.path.splitext(path)[1].lower() not in TABLE_SUFFIXES:
        frame = read_vector(source, role=role, with_geometry=False)
        if len(frame) == 0:
            raise InputError("the table is empty", path)
        return frame
    kind = _existing_table_kind(path, role)
    if kind == "dbf":
        return _read_dbf(path)
    grid = _load_grid(path, kind, sheet)
    return _frame_from_grid(grid, path)


def read_table_header(source: str, max_rows: int = 30) -> list[str]:
    """The column names `read_table` would give, read from the first rows only.

    For field pickers: a 200 000-row workbook is not read whole to list its columns.
    """
    path, sheet = _table_source(source)
    _refuse_binary_workbook(path)
    if os.path.splitext(path)[1].lower() not in TABLE_SUFFIXES:
        ds = _open_vector(path, "register")
        defn = _pick_layer(ds, path, split_source(source)[1], "register").GetLayerDefn()
        return [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
    kind = _existing_table_kind(path, "register")
    if kind == "dbf":
        return list(_read_dbf(path, names_only=True).attrs.columns)
    grid = _load_grid(path, kind, sheet, max_rows=max(max_rows, HEADER_SEARCH_ROWS) + MAX_HEADER_ROWS + 2)
    top, bottom = _header_block(grid)
    names, keep = _column_names(grid, top, bottom)
    header = [names[i] for i in keep]
    return header if len(set(header)) == len(header) else _dedupe(header)


def _load_grid(path: str, kind: str, sheet: str | None, max_rows: int | None = None) -> _Grid:
    if kind == "csv":
        grid = _read_csv(path, nrows=max_rows)
    elif kind == "xlsx":
        grid = _read_xlsx(path, sheet, max_rows)
    elif kind == "ods":
        grid = _read_ods(path, sheet, max_rows)
    else:
        grid = _read_xls(path, sheet, max_rows)
    if grid.cells.empty or not (_nonempty_mask(grid.cells.iloc[:1000]).any(axis=None)
                                or _nonempty_mask(grid.cells).any(axis=None)):
        if not grid.sheets:
            raise InputError("the table is empty", path, fix="export the register again with its rows")
        raise InputError("the sheet is empty", grid.where,
                         fix=f"name the sheet that holds the register as "
                             f"{os.path.basename(path)}|sheet=NAME (sheets: {', '.join(grid.sheets)})")
    if kind != "csv":       # CSV text was decoded (and legacy text converted) while reading
        _fix_legacy_text(grid)
    return grid


def _frame_from_grid(grid: _Grid, path: str) -> LayerFrame:
    top, bottom = _header_block(grid)
    header, keep = _column_names(grid, top, bottom)
    start = bottom + 1
    skipped = []
    while start < len(grid.cells) and len(skipped) < 2 and _is_numbering(_row(grid.cells, start)):
        skipped.append(int(grid.rows[start]))
        start += 1
    cells = grid.cells
    if grid.merges:
        cells = _repeat_body_merges(cells, grid.merges, start, header)
    body = cells.iloc[start:, keep].reset_index(drop=True)
    header = [header[i] for i in keep]
    body.columns = header if len(set(header)) == len(header) else _dedupe(header)
    rows = np.asarray(grid.rows[start:], dtype=np.int64)
    filled = _nonempty_mask(body).any(axis=1).to_numpy()
    body, rows = body[filled].reset_index(drop=True), rows[filled]
    if len(body) == 0:
        raise InputError("the table has a header but no data rows", grid.where,
                         fix="export the register again with its rows")
    frame = LayerFrame(attrs=body, source=path, rows=rows, fids=rows)
    frame.notes.extend(grid.notes)
    first, last = int(grid.rows[top]), int(grid.rows[bottom])
    frame.notes.append(f"header row {first}" if first == last else f"header rows {first}–{last}")
    if skipped:
        frame.notes.append(f"column-numbering row {', '.join(map(str, skipped))} skipped")
    for col, (encoding, changed) in grid.legacy.items():
        if col in keep:
            n = int(changed[start:][filled].sum())
            if n:
                msg = (f"column '{body.columns[keep.index(col)]}': {n} value(s) converted from "
                       f"{encoding.upper()} to Unicode")
                frame.notes.append(msg)
                log.info("%s: %s", grid.where, msg)
    frame.attrs.attrs["original_header"] = header
    return frame


def _dedupe(header):
    # Keep every column readable; map_fields raises if a duplicated name is the one it needs.
    seen: dict[str, int] = {}
    out = []
    for h in header:
        seen[h] = seen.get(h, 0) + 1
        out.append(h if seen[h] == 1 else f"{h}#{seen[h]}")
    return out


# --- finding and naming the header ------------------------------------------------------

_NUMBER_LIKE = re.compile(r"^[-+]?\d[\d.,\s\u00a0]*(?:m2|m²)?$")
_NUMBERING_CELL = re.compile(r"^\(?\s*(\d{1,3}|[A-Za-z]{1,2})\s*\)?$")


def _text(value) -> str:
    """A cell as stripped text; '' for None, NaN and blanks."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value).strip()


def _row(cells: pd.DataFrame, i: int) -> list[str]:
    return [_text(v) for v in cells.iloc[i].tolist()]


def _nonempty_mask(cells: pd.DataFrame) -> pd.DataFrame:
    # Readers give None for empty and blank cells (CSV: ''), so this stays vectorised.
    return cells.notna() & (cells != "")


@functools.lru_cache(maxsize=1)
def _known_names() -> tuple[frozenset, tuple]:
    known = frozenset(syn for syns in SYNONYMS.values() for syn in syns)
    return known, tuple(k for k in known if len(k) >= 4)


def _header_score(cells) -> int:
    """How many cells of a row look like known field names (to find the header row)."""
    known, prefixes = _known_names()
    score = 0
    for cell in cells:
        f = fold(cell) if cell else ""
        if f and (f in known or f.startswith(prefixes)):
            score += 1
    return score


def _is_number_like(text: str) -> bool:
    return bool(_NUMBER_LIKE.match(text))


def _is_numbering(cells: list[str]) -> bool:
    """A row that numbers the columns under a form's header: '(1) (2) (3)…', '1 2 3 4…',
    'A B 1 2 3…'. Its numbers must run on by one, so a data row is not taken for it."""
    filled = [c for c in cells if c]
    if len(filled) < 3:
        return False
    tokens = []
    for c in filled:
        m = _NUMBERING_CELL.match(c)
        if not m:
            return False
        tokens.append(m.group(1))
    numbers = [int(t) for t in tokens if t.isdigit()]
    if len(numbers) < 2 or numbers[0] > 2:
        return False
    return all(b == a + 1 for a, b in zip(numbers, numbers[1:]))


def _is_title(text: str) -> bool:
    """A form's title or its issuer ('ỦY BAN NHÂN DÂN XÃ …', 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT
    NAM'): long and in capitals, unlike a group name over header cells ('Chủ sử dụng')."""
    return len(text.split()) >= 5 and text.upper() == text and any(ch.isalpha() for ch in text)


def _looks_like_header(cells: list[str], widest: int) -> bool:
    filled = [c for c in cells if c]
    return (len(filled) >= max(2, 0.6 * widest) and not _is_numbering(cells)
            and not any(_is_number_like(c) for c in filled))


def _header_block(grid: _Grid) -> tuple[int, int]:
    """(first, last) grid row of the header, found under any title rows."""
    n = min(len(grid.cells), HEADER_SEARCH_ROWS)
    head = [_row(grid.cells, i) for i in range(min(len(grid.cells), n + MAX_HEADER_ROWS))]
    scores = [_header_score(head[i]) for i in range(n)]
    best = int(np.argmax(scores)) if scores else 0
    if not scores or scores[best] < 2:
        # No row names two known fields: take the first row that reads like column names
        # (so fields can still be named with --field), else there is no header at all.
        widest = max((sum(1 for c in r if c) for r in head[:n]), default=0)
        best = next((i for i in range(n) if _looks_like_header(head[i], widest)), -1)
        if best < 0:
            raise InputError(f"no header row found in the first {HEADER_SEARCH_ROWS} rows", grid.where,
                             fix="the register needs a row of column names (e.g. 'Số tờ', 'Số thửa', "
                                 "'Diện tích') above its data")
    top = bottom = best
    while top > 0 and bottom - top + 1 < MAX_HEADER_ROWS and _joins(head, grid.merges, top - 1, top, top):
        top -= 1
    while (bottom + 1 < len(head) and bottom - top + 1 < MAX_HEADER_ROWS
           and _joins(head, grid.merges, bottom, bottom + 1, top)):
        bottom += 1
    return top, bottom


def _joins(head: list[list[str]], merges, upper_i: int, lower_i: int, top: int) -> bool:
    """Whether rows upper_i and lower_i belong to one header (a header of several rows).

    With merge information: a cell merged down across both rows, or a cell of the upper
    row merged across columns that the lower row names one by one ('Thửa đất' over
    'Số tờ | Số thửa'). Without it (CSV, XLS), what merging leaves behind: a name above
    an empty cell, and for a row below the header, names under empty header cells."""
    upper, lower = head[upper_i], head[lower_i]
    width = max(len(upper), len(lower))
    upper = upper + [""] * (width - len(upper))
    lower = lower + [""] * (width - len(lower))
    new = upper if upper_i < top else lower          # the row that would join the header
    filled = [c for c in new if c]
    if not filled or _is_numbering(new) or any(_is_number_like(c) for c in filled):
        return False
    if upper_i < top and any(_is_title(c) for c in filled):
        return False
    if merges is not None:
        used = {c for c in range(width) if upper[c] or lower[c]}
        for r1, c1, r2, c2 in merges:
            if r1 <= upper_i and r2 >= lower_i and r1 >= min(top, upper_i):
                return True
            if r1 == r2 == upper_i and c2 > c1 and not used <= set(range(c1, c2 + 1)):
                if sum(1 for c in range(c1, min(c2, width - 1) + 1) if lower[c]) >= 2:
                    return True
        return False
    if upper_i < top:    # a row above the header: a name over an empty header cell
        return len(filled) >= 2 and any(upper[c] and not lower[c] for c in range(width))
    return (any(lower[c] and not upper[c] for c in range(width))
            and any(upper[c] and not lower[c] for c in range(width)))


def _column_names(grid: _Grid, top: int, bottom: int) -> tuple[list[str], list[int]]:
    """One name per column and the columns to keep (those with a name or some data).

    A header of several rows is joined lowest row first, the group it sits under in
    brackets: 'Thửa đất' over 'Số tờ' gives 'Số tờ (Thửa đất)'. Matching by field
    (core.register.fields) compares the start of the folded name, so the column's own name must
    come first: 'Thửa đất Số tờ' would fold to 'thuadatsoto' and be taken for the
    parcel number ('thua…')."""
    cells = grid.cells
    width = cells.shape[1]
    block = [(_row(cells, i) + [""] * width)[:width] for i in range(top, bottom + 1)]
    if grid.merges is not None:
        for r1, c1, r2, c2 in grid.merges:
            if r1 < top or r1 > bottom or c1 >= width:
                continue
            value = block[r1 - top][c1]
            for r in range(r1, min(r2, bottom) + 1):
                for c in range(c1, min(c2, width - 1) + 1):
                    block[r - top][c] = value
    else:
        # A group name written once over its columns (what a merged cell becomes in CSV):
        # carry it right over the columns named below it.
        for i in range(len(block) - 1):
            below = [any(block[j][c] for j in range(i + 1, len(block))) for c in range(width)]
            for c in range(1, width):
                if not block[i][c] and block[i][c - 1] and below[c] and below[c - 1]:
                    block[i][c] = block[i][c - 1]
    names, keep = [], []
    for c in range(width):
        parts: list[str] = []
        for r in range(len(block)):
            text = " ".join(block[r][c].split())
            if text and (not parts or parts[-1] != text):
                parts.append(text)
        name = parts[-1] + (f" ({' '.join(parts[:-1])})" if len(parts) > 1 else "") if parts else ""
        names.append(name or f"column_{c + 1}")
        # a column with neither name nor data is formatting: left out
        if name or _nonempty_mask(cells.iloc[bottom + 1:, [c]]).to_numpy().any():
            keep.append(c)
    return names, keep


def _is_area(name: str) -> bool:
    f = fold(name)
    return any(f == s or (len(s) >= 4 and f.startswith(s)) for s in SYNONYMS["area"])


def _repeat_body_merges(cells: pd.DataFrame, merges, start: int, header: list[str]) -> pd.DataFrame:
    """A cell merged down over several rows of the body holds one value for all of them
    (an owner or a sheet number written once for several parcels): repeat it on every
    row it covers. Not in an area column: an area merged over rows is their total, kept
    on its first row only."""
    touched: dict[int, np.ndarray] = {}
    for r1, c1, r2, c2 in merges:
        if r1 < start or r2 <= r1 or c1 >= cells.shape[1] or _is_area(header[c1]):
            continue
        col = touched.get(c1)
        if col is None:
            col = touched[c1] = cells[c1].to_numpy(object).copy()
        col[r1 + 1:r2 + 1] = col[r1]
    if touched:
        cells = cells.copy()
        for c, values in touched.items():
            cells[c] = values
    return cells


# --- cell values ---------------------------------------------------------------------------

def _number_text(value: float) -> str | None:
    """A number as a person would type it: 12.0 -> '12', 1234.5 -> '1234.5' (15 digits, as Excel)."""
    if value != value or value in (float("inf"), float("-inf")):
        return None
    if value == int(value) and abs(value) < 1e21:
        return str(int(value))
    return format(value, ".15g")


def _cell_text(value):
    """An Excel/OpenDocument cell value as text; dates as dd/mm/yyyy (the Vietnamese way)."""
    import datetime as dt
    if value is None or isinstance(value, str):
        return value if value is None or value.strip() else None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _number_text(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y" if value.time() == dt.time(0) else "%d/%m/%Y %H:%M:%S")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S")
    return str(value)


def _grid_frame(rows: list[list]) -> pd.DataFrame:
    if not rows:
        return pd.DataFrame()
    frame = pd.DataFrame(rows, dtype=object)
    frame.columns = range(frame.shape[1])
    return frame


def _trim(row) -> list:
    """A row without its trailing empty cells (formatting can stretch rows to 16 384 columns)."""
    end = len(row)
    while end and row[end - 1] is None:
        end -= 1
    return list(row[:end])


# --- sheets of a workbook ------------------------------------------------------------------

def _choose_sheet(path: str, names: list[str], wanted: str | None, peek, count) -> tuple[str, list[str]]:
    """The sheet to read and notes. peek(name) -> first rows as text, count(name) -> rows."""
    if wanted is not None:
        if wanted in names:
            return wanted, []
        folded = [n for n in names if fold(n) == fold(wanted)]
        if folded:
            return folded[0], []
        raise InputError(f"has no sheet '{wanted}'", path, fix=f"sheets are: {', '.join(names)}")
    if len(names) == 1:
        return names[0], []
    candidates, first_filled = [], None
    for i, name in enumerate(names):
        rows = peek(name)
        if first_filled is None and any(any(_text(v) for v in r) for r in rows):
            first_filled = name
        if max((_header_score([_text(v) for v in r]) for r in rows), default=0) >= 2:
            candidates.append((count(name), -i, name))
    if candidates:
        chosen = max(candidates)[2]
        notes = [f"sheet '{chosen}' read"]
        if len(candidates) > 1:
            others = [c[2] for c in sorted(candidates, key=lambda c: c[1], reverse=True) if c[2] != chosen]
            msg = (f"sheet '{chosen}' read (the register-like sheet with the most rows); also "
                   f"register-like: {', '.join(others)} (name one as {os.path.basename(path)}|sheet=NAME)")
            notes = [msg]
            log.warning("%s: %s", path, msg)
        return chosen, notes
    if first_filled is None:
        raise InputError("the workbook has no data in any sheet", path,
                         fix=f"sheets are: {', '.join(names)}; export the register again")
    return first_filled, [f"sheet '{first_filled}' read"]


def _where(path: str, sheet: str) -> str:
    return f"{path}, sheet '{sheet}'"


def _read_xlsx(path: str, sheet: str | None, max_rows: int | None) -> _Grid:
    import openpyxl
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)   # formulas: saved values
    except Exception as err:  # openpyxl raises many kinds for damaged files
        raise InputError(f"cannot read as an Excel workbook ({type(err).__name__}: {err})", path,
                         fix="open it in Excel/LibreOffice and save as .xlsx again") from None
    try:
        sheets = {ws.title: ws for ws in wb.worksheets if hasattr(ws, "iter_rows")}
        if not sheets:
            raise InputError("the workbook has no worksheet", path, fix=_RESAVE)
        # The saved size of a sheet is only a hint (some programs write 'A1' for any size):
        # kept to compare sheets, then dropped so that rows are read as far as they go.
        sizes = {}
        for name, ws in sheets.items():
            sizes[name] = ws.max_row or 0
            ws.reset_dimensions()

        def peek(name):
            return [[_cell_text(v) for v in _trim(r)]
                    for r in sheets[name].iter_rows(max_row=HEADER_SEARCH_ROWS, values_only=True)]

        def count(name):
            return sizes[name] if sizes[name] > HEADER_SEARCH_ROWS else len(peek(name))

        name, notes = _choose_sheet(path, list(sheets), sheet, peek, count)
        ws = sheets[name]
        rows = []
        try:
            for r in ws.iter_rows(max_row=max_rows, values_only=True):
                rows.append([v if v is None or type(v) is str and v.strip() else _cell_text(v)
                             for v in _trim(r)])
        except Exception as err:  # a damaged sheet part
            raise InputError(f"cannot read the sheet ({type(err).__name__}: {err})", _where(path, name),
                             fix=_RESAVE) from None
        merges = _xlsx_merges(wb, ws)
    finally:
        wb.close()
    return _Grid(_grid_frame(rows), np.arange(1, len(rows) + 1), merges, _where(path, name), notes,
                 sheets=list(sheets))


_MERGE_REF = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Z]+[0-9]+)(?::([A-Z]+[0-9]+))?"')


def _xlsx_merges(wb, ws) -> list:
    """Merged ranges of a sheet. openpyxl's read-only mode does not give them: they sit
    after the cells in the sheet's XML, so the part is streamed once and only its
    <mergeCell> elements are read."""
    from openpyxl.utils.cell import coordinate_to_tuple
    part = getattr(ws, "_worksheet_path", None)
    archive = getattr(wb, "_archive", None)
    if part is None or archive is None:
        return []
    merges, tail = [], b""
    with archive.open(part) as fh:
        while chunk := fh.read(1 << 20):
            buf = tail + chunk
            if b"mergeCell" in buf:
                cut = buf.rfind(b"<")      # an element cut by the chunk end waits for the next
                for m in _MERGE_REF.finditer(buf, 0, cut if cut > 0 else len(buf)):
                    r1, c1 = coordinate_to_tuple(m.group(1).decode())
                    r2, c2 = coordinate_to_tuple((m.group(2) or m.group(1)).decode())
                    merges.append((r1 - 1, c1 - 1, r2 - 1, c2 - 1))
                buf = buf[cut:] if cut > 0 else b""
            tail = buf[-200:]
    return merges


_ODS_T = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_ODS_O = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_ODS_X = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_MAX_COLUMNS = 1024     # repeated cells beyond this are formatting, not data


def _read_ods(path: str, sheet: str | None, max_rows: int | None) -> _Grid:
    """OpenDocument spreadsheet, read from its content.xml: cells as the values saved
    (formulas included), merged ranges from the spans, repeated rows and cells expanded
    (trailing empty ones not)."""
    import zipfile
    from xml.etree.ElementTree import ParseError
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            if "META-INF/manifest.xml" in names and b"encryption-data" in zf.read("META-INF/manifest.xml"):
                raise InputError("the spreadsheet is password-protected (encrypted)", path,
                                 fix="open it in LibreOffice, remove the password (File › Properties › "
                                     "Security) and save it again")
            with zf.open("content.xml") as fh:
                sheets = _ods_tables(fh)
    except (zipfile.BadZipFile, KeyError, ParseError, OSError, ValueError) as err:
        raise InputError(f"cannot read as an OpenDocument spreadsheet ({type(err).__name__}: {err})",
                         path, fix="open it in LibreOffice and save it as .ods or .xlsx again") from None
    if not sheets:
        raise InputError("the spreadsheet has no sheet", path, fix=_RESAVE)
    name, notes = _choose_sheet(path, list(sheets), sheet,
                                lambda n: sheets[n][0][:HEADER_SEARCH_ROWS], lambda n: len(sheets[n][0]))
    rows, merges = sheets[name]
    if max_rows is not None:
        rows = rows[:max_rows]
    return _Grid(_grid_frame(rows), np.arange(1, len(rows) + 1), merges, _where(path, name), notes,
                 sheets=list(sheets))


def _ods_tables(fh) -> dict:
    from xml.etree.ElementTree import iterparse
    T = _ODS_T
    tables: dict = {}
    rows: list = []
    merges: list = []
    cells: list = []
    empty_rows = col = 0
    for event, el in iterparse(fh, events=("start", "end")):
        tag = el.tag
        if event == "start":
            if tag == T + "table":
                rows, merges, empty_rows = [], [], 0
            elif tag == T + "table-row":
                cells, col = [], 0
            continue
        if tag in (T + "table-cell", T + "covered-table-cell"):
            repeat = int(el.get(T + "number-columns-repeated", "1"))
            value = _ods_value(el) if tag == T + "table-cell" else None
            if value is not None and col < _MAX_COLUMNS:
                cells.extend([None] * (col - len(cells)))
                cells.extend([value] * min(repeat, _MAX_COLUMNS - col))
            span_c = int(el.get(T + "number-columns-spanned", "1"))
            span_r = int(el.get(T + "number-rows-spanned", "1"))
            if span_c > 1 or span_r > 1:
                row_i = len(rows) + empty_rows
                merges.append((row_i, col, row_i + span_r - 1, col + span_c - 1))
            col += repeat
            el.clear()
        elif tag == T + "table-row":
            repeat = int(el.get(T + "number-rows-repeated", "1"))
            if cells:
                rows.extend([[]] * empty_rows)
                empty_rows = 0
                rows.extend([cells] * min(repeat, 100_000))
            else:
                empty_rows += repeat      # kept only if a filled row follows
            el.clear()
        elif tag == T + "table":
            tables[el.get(T + "name") or f"Sheet{len(tables) + 1}"] = (rows, merges)
            el.clear()
    return tables


def _ods_value(el) -> str | None:
    O = _ODS_O
    kind = el.get(O + "value-type")
    if kind in ("float", "percentage", "currency"):
        value = el.get(O + "value")
        if value is not None:
            try:
                return _number_text(float(value))
            except ValueError:
                pass
    elif kind == "date":
        value = el.get(O + "date-value") or ""
        m = re.match(r"(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2}))?", value)
        if m:
            y, mo, d, hh, mm, ss = m.groups()
            time = f" {hh}:{mm}:{ss}" if hh and (hh, mm, ss) != ("00", "00", "00") else ""
            return f"{d}/{mo}/{y}{time}"
    elif kind == "boolean":
        return "TRUE" if el.get(O + "boolean-value") == "true" else "FALSE"
    text = el.get(O + "string-value")
    if text is None:
        text = "\n".join(_ods_text(p) for p in el if p.tag in (_ODS_X + "p", _ODS_X + "h"))
    return text if text.strip() else None


def _ods_text(el) -> str:
    X = _ODS_X
    out = [el.text or ""]
    for child in el:
        if child.tag == X + "s":
            out.append(" " * int(child.get(X + "c", "1")))
        elif child.tag == X + "tab":
            out.append("\t")
        elif child.tag == X + "line-break":
            out.append("\n")
        elif child.tag != _ODS_O + "annotation":
            out.append(_ods_text(child))
        out.append(child.tail or "")
    return "".join(out)


class _config:
    """GDAL configuration options for this thread only, restored after (readers run in tasks)."""

    def __init__(self, **options):
        self.options = options

    def __enter__(self):
        gdal, _ = _gdal()
        self.saved = {k: gdal.GetThreadLocalConfigOption(k, None) for k in self.options}
        for k, v in self.options.items():
            gdal.SetThreadLocalConfigOption(k, v)

    def __exit__(self, *exc):
        gdal, _ = _gdal()
        for k, v in self.saved.items():
            gdal.SetThreadLocalConfigOption(k, v)


def _xls_driver():
    gdal, _ = _gdal()
    return gdal.GetDriverByName("XLS")


def _xls_is_encrypted(path: str) -> bool:
    """A password-protected .xls: a FILEPASS record right after the workbook's BOF record."""
    with open(path, "rb") as fh:
        data = fh.read(1 << 16)
    at = data.find(b"\x09\x08\x10\x00\x00\x06\x05\x00")
    return at >= 0 and data[at + 20:at + 22] == b"\x2f\x00"


def _read_xls(path: str, sheet: str | None, max_rows: int | None) -> _Grid:
    """Excel 97–2003 through GDAL/OGR's XLS driver (FreeXL): every cell as text, one
    feature per row, the feature id being the sheet's row number. FreeXL gives no merged
    ranges: a value merged over several body rows stays on its first row (save as .xlsx
    to have it repeated)."""
    if _xls_driver() is None:
        raise InputError("cannot read Excel 97–2003 (.xls) files: this GDAL has no XLS driver",
                         path, fix=_RESAVE)
    if _xls_is_encrypted(path):
        raise InputError("the workbook is password-protected (encrypted)", path,
                         fix="open it in Excel, remove the password (File › Info › Protect "
                             "Workbook) and save it again")
    gdal, _ = _gdal()
    with _config(OGR_XLS_HEADERS="DISABLE", OGR_XLS_FIELD_TYPES="STRING"):
        try:
            ds = gdal.OpenEx(path, gdal.OF_VECTOR | gdal.OF_READONLY, allowed_drivers=["XLS"])
        except RuntimeError as err:
            raise InputError(f"cannot read as an Excel 97–2003 workbook ({str(err).strip()})", path,
                             fix="is it damaged? " + _RESAVE) from None
        layers = {ds.GetLayer(i).GetName(): ds.GetLayer(i) for i in range(ds.GetLayerCount())}
        if not layers:
            raise InputError("the workbook has no data in any sheet", path, fix=_RESAVE)

        def read(name, limit):
            layer = layers[name]
            layer.ResetReading()
            n = layer.GetLayerDefn().GetFieldCount()
            out, fids = [], []
            for feat in layer:
                if limit is not None and len(out) >= limit:
                    break
                out.append(_trim([feat.GetField(i) for i in range(n)]))
                fids.append(feat.GetFID())
            return out, fids

        name, notes = _choose_sheet(path, list(layers), sheet,
                                    lambda n: read(n, HEADER_SEARCH_ROWS)[0],
                                    lambda n: layers[n].GetFeatureCount())
        rows, fids = read(name, max_rows)
    rows = [[None if v is None or not str(v).strip() else v for v in r] for r in rows]
    return _Grid(_grid_frame(rows), np.asarray(fids, dtype=np.int64), None, _where(path, name), notes,
                 sheets=list(layers))


# --- CSV ---------------------------------------------------------------------------------

def _read_csv(path: str, nrows: int | None = None) -> _Grid:
    import csv
    with open(path, "rb") as fh:
        head = fh.read(65536)
    sample = head.decode("utf-8", errors="ignore")
    delimiter = max((",", ";", "\t", "|"), key=lambda d: sample.count(d))
    # Title rows above the header have fewer cells: size the columns by the widest line.
    lines = sample.splitlines()[:-1] or sample.splitlines()
    width = max((len(row) for row in csv.reader(lines, delimiter=delimiter)), default=1)
    notes: list[str] = []
    for encoding in ("utf-8-sig", "latin-1"):
        try:
            raw = pd.read_csv(path, header=None, names=range(width), dtype=str,
                              keep_default_na=False, sep=delimiter, encoding=encoding,
                              skip_blank_lines=False, engine="c", nrows=nrows)
        except UnicodeDecodeError:
            continue
        except pd.errors.ParserError as err:
            m = re.search(r"line (\d+)", str(err))
            raise InputError(f"the CSV is malformed ({err})", path,
                             row=int(m.group(1)) if m else None,
                             fix="check quotes and the number of separators on that line") from None
        grid = _Grid(raw, np.arange(1, len(raw) + 1), None, path, notes)
        if encoding == "latin-1":
            # Not UTF-8: Windows-1258 (Vietnamese Windows), or legacy TCVN3/VNI bytes.
            log.info("%s: read as Windows-1258 (not UTF-8)", path)
            for col in raw.columns:
                raw[col], legacy = _decode_8bit(raw[col], "cp1258")
                if legacy:
                    grid.legacy[col] = legacy
        else:
            _fix_legacy_text(grid)
        return grid
    raise InputError("cannot decode the text", path, fix="save the file as UTF-8")   # not reached


# --- text encodings ------------------------------------------------------------------------

# latin-1 text of 8-bit bytes -> the same bytes read as cp1252, the form vn_encodings reads
_CP1252_VIEW = {b: bytes([b]).decode("cp1252") for b in range(0x80, 0xA0)
                if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}


def _decode_8bit(values: pd.Series, codec: str) -> tuple[pd.Series, tuple | None]:
    """A column of 8-bit text (held as latin-1, one character a byte) -> Unicode.

    Legacy TCVN3/VNI text is recognised on the bytes and converted (vn_encodings);
    anything else is decoded with `codec`. Returns the column and, when legacy text was
    converted, (encoding, mask of the converted cells)."""
    from .vn_encodings import detect, to_unicode
    present = values.notna().to_numpy()
    uniques = pd.unique(values[present]) if present.any() else np.array([], dtype=object)
    wide = [u for u in uniques if isinstance(u, str) and not u.isascii()]
    if not wide:
        return values, None
    view = {u: u.translate(_CP1252_VIEW) for u in wide}
    encoding = detect(list(view.values()))
    if encoding in ("tcvn3", "vni"):
        new = {u: to_unicode(v, encoding) for u, v in view.items()}
    else:
        new = {u: unicodedata.normalize("NFC", u.encode("latin-1").decode(codec, errors="replace"))
               for u in wide}
    changed = values.isin(list(new)).to_numpy()
    out = values.copy()
    out[changed] = values[changed].map(new)
    if encoding in ("tcvn3", "vni"):
        return out, (encoding, changed)
    return out, None


def _fix_legacy_text(grid: _Grid) -> None:
    """Text typed with legacy fonts (TCVN3 '.VnTime', VNI) shows as mojibake in Unicode
    files too ('NguyÔn V¨n An'): convert the columns where vn_encodings detects it."""
    from .vn_encodings import fix_column
    cells = grid.cells
    for col in cells.columns:
        s = cells[col]
        if s.dtype != object:
            continue
        present = s.notna().to_numpy()
        if not present.any():
            continue
        wide = [u for u in pd.unique(s[present]) if isinstance(u, str) and not u.isascii()]
        if not wide:
            continue
        fixed, encoding, n = fix_column(wide)
        if not n:
            continue
        new = {a: b for a, b in zip(wide, fixed) if a != b}
        changed = s.isin(list(new)).to_numpy()
        s = s.copy()
        s[changed] = s[changed].map(new)
        cells[col] = s
        grid.legacy[col] = (encoding, changed)


# --- DBF ---------------------------------------------------------------------------------

# dBase language driver ids (header byte 29) -> Python codec. 0x57 ("ANSI", the system's
# Windows code page) and 0 (none) say nothing: Vietnamese Windows writes cp1258 then.
_LDID = {0x01: "cp437", 0x02: "cp850", 0x03: "cp1252", 0x04: "mac_roman", 0x08: "cp865",
         0x09: "cp437", 0x0A: "cp850", 0x0B: "cp437", 0x0D: "cp437", 0x0E: "cp850",
         0x0F: "cp437", 0x10: "cp850", 0x11: "cp437", 0x12: "cp850", 0x13: "cp932",
         0x14: "cp850", 0x15: "cp437", 0x16: "cp850", 0x17: "cp865", 0x18: "cp437",
         0x19: "cp437", 0x1A: "cp850", 0x1B: "cp437", 0x1C: "cp863", 0x1D: "cp850",
         0x1F: "cp852", 0x22: "cp852", 0x23: "cp852", 0x24: "cp860", 0x25: "cp850",
         0x26: "cp866", 0x37: "cp850", 0x40: "cp852", 0x4D: "cp936", 0x4E: "cp949",
         0x4F: "cp950", 0x50: "cp874", 0x58: "cp1252", 0x59: "cp1252", 0x64: "cp852",
         0x65: "cp866", 0x66: "cp865", 0x67: "cp861", 0x6A: "cp737", 0x6B: "cp857",
         0x6C: "cp863", 0x78: "cp950", 0x79: "cp949", 0x7A: "cp936", 0x7B: "cp932",
         0x7C: "cp874", 0x7D: "cp1255", 0x7E: "cp1256", 0xC8: "cp1250", 0xC9: "cp1251",
         0xCA: "cp1254", 0xCB: "cp1253", 0xCC: "cp1257"}


def _dbf_codec(path: str) -> tuple[str | None, str]:
    """(codec, where it came from) from the .cpg beside the DBF, else its LDID byte."""
    import codecs
    stem = os.path.splitext(path)[0]
    for ext in (".cpg", ".CPG"):
        if os.path.exists(stem + ext):
            with open(stem + ext, "rb") as fh:
                text = fh.read(64).decode("ascii", "ignore").strip().upper()
            if "UTF" in text.replace("-", "") or text == "65001":
                return "utf-8", ".cpg"
            m = re.search(r"8859\D*(\d+)", text) or re.search(r"(\d{3,5})", text)
            if m:
                name = f"iso8859_{m.group(1)}" if "8859" in text else f"cp{m.group(1)}"
                try:
                    return codecs.lookup(name).name, ".cpg"
                except LookupError:
                    pass
            log.warning("%s: code page '%s' in the .cpg not understood", path, text)
    with open(path, "rb") as fh:
        head = fh.read(32)
    ldid = head[29] if len(head) >= 30 else 0
    return _LDID.get(ldid), f"LDID 0x{ldid:02X}"


def _read_dbf(path: str, names_only: bool = False) -> LayerFrame:
    """A dBase table through OGR with no recoding: its text arrives as bytes and is
    decoded here, with the code page of its .cpg or LDID, so that legacy TCVN3/VNI
    text can be recognised on the bytes first. Rows are record numbers (dBase RECNO,
    1 for the first record); deleted records are skipped."""
    gdal, ogr = _gdal()
    with _config(SHAPE_ENCODING=""):
        try:
            ds = gdal.OpenEx(path, gdal.OF_VECTOR | gdal.OF_READONLY, allowed_drivers=["ESRI Shapefile"])
        except RuntimeError as err:
            raise InputError(f"cannot read as a dBase table ({str(err).strip()})", path,
                             fix="is it damaged? open it in LibreOffice and save it as .xlsx") from None
        layer = ds.GetLayer(0)
        defn = layer.GetLayerDefn()
        fields = [defn.GetFieldDefn(i) for i in range(defn.GetFieldCount())]
        names = [f.GetName() for f in fields]
        if names_only:
            return LayerFrame(attrs=pd.DataFrame(columns=names), source=path)
        strings = {f.GetName() for f in fields if f.GetType() == ogr.OFTString}
        columns: dict[str, list] = {n: [] for n in names}
        fids: list = []
        try:
            stream = layer.GetArrowStreamAsNumPy(options=["INCLUDE_FID=YES"])
            for batch in stream:
                fids.append(np.asarray(batch["OGC_FID"]))
                for n in names:
                    columns[n].append(_dbf_column(batch[n], n in strings))
        except (AttributeError, RuntimeError, KeyError):    # GDAL < 3.6
            columns, fids = {n: [[]] for n in names}, [[]]
            layer.ResetReading()
            for feat in layer:
                fids[0].append(feat.GetFID())
                for i, n in enumerate(names):
                    if not feat.IsFieldSetAndNotNull(i):
                        value = None
                    elif n in strings:
                        value = bytes(feat.GetFieldAsBinary(i)).rstrip(b" \x00").decode("latin-1") or None
                    else:
                        value = _cell_text(feat.GetField(i))
                    columns[n][0].append(value)
    fid = np.concatenate(fids).astype(np.int64) if fids else np.array([], dtype=np.int64)
    attrs = pd.DataFrame({n: pd.Series(np.concatenate(v) if v else np.array([], dtype=object),
                                       dtype=object) for n, v in columns.items()}, columns=names)
    if len(attrs) == 0:
        raise InputError("the table has no records", path, fix="export the register again with its rows")
    rows = fid + 1
    codec, said_by = _dbf_codec(path)
    notes = [f"dBase table: rows are record numbers; code page {codec or 'not given'} ({said_by})"]
    for n in strings:
        col = attrs[n]
        wide = [u for u in pd.unique(col[col.notna()]) if not u.isascii()]
        if not wide:
            continue
        use = codec
        if use is None:    # no code page given: UTF-8 if every value is, else Vietnamese Windows
            try:
                for u in wide:
                    u.encode("latin-1").decode("utf-8")
                use = "utf-8"
            except UnicodeDecodeError:
                use = "cp1258"
        attrs[n], legacy = _decode_8bit(col, use)
        if legacy:
            count = int(legacy[1].sum())
            msg = f"column '{n}': {count} value(s) converted from {legacy[0].upper()} to Unicode"
            notes.append(msg)
            log.info("%s: %s", path, msg)
        elif use == "utf-8":
            grid = _Grid(attrs[[n]].set_axis([0], axis=1), rows, None, path)
            _fix_legacy_text(grid)
            if grid.legacy:
                attrs[n] = grid.cells[0]
                encoding, changed = grid.legacy[0]
                notes.append(f"column '{n}': {int(changed.sum())} value(s) converted from "
                             f"{encoding.upper()} to Unicode")
    frame = LayerFrame(attrs=attrs, source=path, rows=rows, fids=rows)
    frame.notes.extend(notes)
    return frame


def _dbf_column(values, is_text: bool) -> np.ndarray:
    """One Arrow batch column of a DBF as text: bytes as latin-1 (decoded later), numbers
    without '.0', dates as dd/mm/yyyy, None for nulls."""
    mask = np.ma.getmaskarray(values) if np.ma.isMaskedArray(values) else None
    data = np.ma.getdata(values)
    if is_text or data.dtype.kind in "SO":
        out = np.array([None if v is None else
                        (bytes(v).rstrip(b" \x00").decode("latin-1") if isinstance(v, (bytes, np.bytes_))
                         else str(v)) or None for v in data], dtype=object)
    elif data.dtype.kind == "M":
        out = np.array([None if np.isnat(v) else pd.Timestamp(v).strftime("%d/%m/%Y") for v in data],
                       dtype=object)
    elif data.dtype.kind in "iu":
        out = data.astype(str).astype(object)
    else:
        out = np.array([_number_text(float(v)) for v in data], dtype=object)
    if mask is not None and mask.any():
        out[mask] = None
    return out
