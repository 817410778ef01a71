"""Workbooks in: XLSX (openpyxl), ODS (content.xml) and XLS (GDAL) sheets -> _Grid.

A workbook's sheet is the one named as "file.xlsx|sheet=NAME", else the sheet that looks
like a register: among the sheets with a recognisable header, the one with the most rows.
"""
import logging
import os
import re

import numpy as np

from ..register.fields import fold
from ..errors import InputError
from .table_grid import (HEADER_SEARCH_ROWS, _Grid, _RESAVE, _cell_text, _grid_frame, _header_score,
                         _number_text, _text, _trim)
from .vector import _gdal

log = logging.getLogger("cadastre_cleaner")

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
