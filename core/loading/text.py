"""Text as old sheet files hold it: raw bytes to text, legacy encodings to Unicode.

OGR hands over text as the file stores it when it knows no better: a DGN v7 text
element or an old DBF without a code page gives 8-bit bytes that are not UTF-8.
Those are read as Windows-1252 (the five bytes cp1252 leaves undefined as latin-1),
which is exactly the "mojibake" form core.loading.vn_encodings converts from TCVN3 or VNI.
"""
from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd

from . import vn_encodings

ENCODING_CHOICES = ("auto", "tcvn3", "vni", "utf-8")
_CP1252_HOLES = {0x81, 0x8D, 0x8F, 0x90, 0x9D}


def bytes_to_text(value: bytes) -> str:
    """UTF-8 when the bytes are valid UTF-8, else the cp1252 reading of each byte."""
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return _cp1252(value)


# latin-1 text -> cp1252 text: only 0x80-0x9F differ (the five holes stay as they are)
_LATIN1_TO_CP1252 = {b: bytes([b]).decode("cp1252") for b in range(0x80, 0xA0) if b not in _CP1252_HOLES}


def _cp1252(value: bytes) -> str:
    return value.decode("latin-1").translate(_LATIN1_TO_CP1252)


def decode_column(values) -> np.ndarray:
    """An Arrow/NumPy column of text or bytes -> object array of str (None for null).
    Works on the distinct values only: labels and codes repeat."""
    mask = np.ma.getmaskarray(values) if np.ma.isMaskedArray(values) else None
    data = np.asarray(np.ma.getdata(values))
    if data.dtype.kind not in "SOU":
        out = data
        if mask is not None and mask.any():
            out = out.astype(float) if out.dtype.kind in "iub" else out.astype(object)
            out[mask] = np.nan if out.dtype.kind == "f" else None
        return out
    codes, uniques = pd.factorize(pd.Series(data.astype(object)), use_na_sentinel=True)
    # One file, one encoding: a single value that is not UTF-8 means none of them is
    # (a legacy value can be valid UTF-8 by chance).
    legacy = any(not _is_utf8(u) for u in uniques)
    texts = np.array([_one(u, legacy) for u in uniques] + [None], dtype=object)
    out = texts[codes]
    if mask is not None and mask.any():
        out[mask] = None
    return out


def _raw(value):
    """Bytes of a value as read: bytes as they are, surrogate-escaped text (what a
    per-feature read hands over for invalid UTF-8) back to its bytes, else None."""
    if isinstance(value, (bytes, np.bytes_)):
        return bytes(value)
    if isinstance(value, str) and any(0xDC80 <= ord(c) <= 0xDCFF for c in value):
        return value.encode("utf-8", "surrogateescape")
    return None


def _is_utf8(value) -> bool:
    raw = _raw(value)
    if raw is None:
        return True
    try:
        raw.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def _one(value, legacy: bool = False):
    raw = _raw(value)
    if raw is not None:
        value = _cp1252(raw) if legacy else bytes_to_text(raw)
    if isinstance(value, str):
        # DXF MTEXT writes a plain space as a no-break space ("\~")
        value = value.replace("\u00a0", " ")
        if not value.isascii() and not unicodedata.is_normalized("NFC", value):
            value = unicodedata.normalize("NFC", value)
    return value


def convert(values: np.ndarray, encoding: str) -> tuple[np.ndarray, str, int]:
    """(values in Unicode, encoding found, values changed) for one text column.

    encoding: auto (detect), tcvn3, vni, or utf-8 (already Unicode: nothing done)."""
    if encoding == "utf-8":
        return values, "unicode", 0
    texts = pd.Series(values, dtype=object)
    if not texts.map(lambda v: isinstance(v, str) and not v.isascii()).any():
        return values, "unicode", 0
    converted, used, changed = vn_encodings.fix_column(texts.tolist(), encoding)
    return np.array(converted, dtype=object), used, int(changed)


def convert_frame(attrs: pd.DataFrame, encoding: str) -> tuple[pd.DataFrame, dict]:
    """Convert every text column of a frame; {column: (encoding, values changed)} for the
    columns where something was legacy text."""
    found = {}
    for col in attrs.columns:
        if attrs[col].dtype != object:
            continue
        new, used, changed = convert(attrs[col].to_numpy(object), encoding)
        if used not in ("unicode",):
            found[col] = (used, changed)
        if changed:
            attrs[col] = new
    return attrs, found
