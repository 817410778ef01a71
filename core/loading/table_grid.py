"""A register table as first read: a grid of text cells, and the rules that find its header.

Every register format (see tables.py) is read into a _Grid: all cells as text (None when
empty), the spreadsheet row number of each grid row, and the merged ranges where the
format keeps them. The rules here find the header under title rows, join a header of
several rows and skip a column-numbering row; cell values are written as a person types them.
"""
import functools
import logging
import re
from dataclasses import dataclass
from dataclasses import field as dc_field

import numpy as np
import pandas as pd

from ..register.fields import SYNONYMS, fold
from ..errors import InputError

log = logging.getLogger("cadastre_cleaner")

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
