"""CSV and DBF registers in, with their text encodings (UTF-8, UTF-16, cp1258, TCVN3, VNI).
"""
import logging
import os
import re
import unicodedata

import numpy as np
import pandas as pd

from ..errors import InputError
from ..frames import LayerFrame
from .table_grid import _Grid, _cell_text, _number_text
from .vector import _gdal
from .workbooks import _config

log = logging.getLogger("cadastre_cleaner")

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
