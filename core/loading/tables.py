"""Register tables in: XLSX, XLS, ODS, CSV, DBF -> LayerFrame, read-only, cells as text.

Sources are opened read-only. Vector layers are read in bulk through GDAL's
Arrow stream (GDAL >= 3.6) with a feature-by-feature fallback; register tables
(XLSX, XLS, ODS, CSV, DBF) as text, with the header found under any title rows
and joined when it spans several rows (see "register tables" below).
"""
import logging
import os

import numpy as np

from ..errors import InputError
from ..frames import LayerFrame
from .csv_dbf import _fix_legacy_text, _read_csv, _read_dbf
from .table_grid import (HEADER_SEARCH_ROWS, MAX_HEADER_ROWS, _Grid, _OLE2, _RESAVE, _ZIP,
                         _column_names, _header_block, _is_numbering, _nonempty_mask,
                         _repeat_body_merges, _row)
from .vector import _open_vector, _pick_layer, read_vector, split_source
from .workbooks import _read_ods, _read_xls, _read_xlsx

log = logging.getLogger("cadastre_cleaner")

TABLE_SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm", ".xls", ".ods", ".dbf")


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
