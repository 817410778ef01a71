"""Sheet numbers and commune codes from file and folder names.

Offices name sheet files every way: `To_12.dgn`, `T12.dxf`, `BD12.shp`, `12.dgn`,
`To 12`, `Tờ 12`, `Tờ số 12`, extract-survey sheets `TĐ03-2014`, or by the sheet's
Circular 25 code (`725500-6-d.dgn`). Patterns are regular expressions with a group
named `sheet`, matched case-insensitively against the file name without its suffix,
accents folded ("Tờ" reads "to", "Đ" reads "d") but the length kept, so the text
returned is the original one ("TĐ03-2014", not "td03-2014").

A commune code is a 5-digit number in a folder name ("xa_06235", "06235 Hong Phong").
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..reference.sheet_grid import sheet_scale

# Tried in order; the first that matches gives the sheet number. User patterns go first.
DEFAULT_NAME_PATTERNS = (
    # extract-survey sheets: TĐ03-2014, td12 — kept whole, they are the number
    r"(?<![a-z])(?P<sheet>td\s*\d+(?:-\d{2,4})?)(?![a-z0-9])",
    # To_12, To 12, To12, Tờ 12, Tờ số 12, to-12a
    r"(?<![a-z])to(?:[\s_.\-]*so)?[\s_.\-]*(?P<sheet>\d{1,4}[a-z]?)(?![a-z0-9])",
    # BD12, BĐ 12, bando_12, ban do 12
    r"(?<![a-z])(?:bd|ban[\s_]?do)[\s_.\-]*(?P<sheet>\d{1,4})(?![0-9])",
    # T12, T_12 (not td…, taken above)
    r"(?<![a-z])t[\s_.\-]*(?P<sheet>\d{1,4})(?![0-9])",
    # 12.dgn, 12_ONT.dxf: a short number first (6 digits are a Circular 25 code)
    r"^(?P<sheet>\d{1,4})(?=$|[\s_])",
)

# A Circular 25 code anywhere in a name (sheet_grid checks the parts).
_CODE_IN_NAME = re.compile(
    r"(?<![0-9a-z])((?:10-)?\d{6}(?:-[1-9](?:-(?:[a-d]|\(\d{1,2}\)|\d{1,3}))?)?)(?![0-9a-z(])")
_COMMUNE_IN_NAME = re.compile(r"(?<!\d)(\d{5})(?!\d)")
_INT = re.compile(r"^\d+$")


@dataclass(frozen=True)
class NameInfo:
    """What a file name says about its sheet."""
    sheet: str = ""          # sheet number ('' when no pattern matched)
    pattern: str = ""        # the pattern that matched ('' none, 'code' the Circular 25 code)
    code: str = ""           # Circular 25 code found in the name ('' none)
    scale: int | None = None  # scale that code stands for


def fold_same_length(text: str) -> str:
    """Lower case without accents, one character per character ('Tờ Đ' -> 'to d'), so a
    match span in the folded text is the same span in the original."""
    out = []
    for ch in text:
        if ch in "đĐ":
            out.append("d")
            continue
        base = unicodedata.normalize("NFD", ch)[0]
        out.append(base.lower() if len(base.lower()) == 1 else ch)
    return "".join(out)


def normalise_sheet(text) -> str:
    """A sheet number as text: trimmed, upper-case, numbers without leading zeros
    ('012' -> '12'); extract-survey numbers ('tđ03-2014') only upper-cased."""
    if text is None:
        return ""
    s = unicodedata.normalize("NFC", str(text)).strip()
    if s.lower() in ("", "nan", "none", "null"):
        return ""
    if re.fullmatch(r"\d+\.0*", s):
        s = s.split(".")[0]
    if _INT.match(s):
        return s.lstrip("0") or "0"
    return re.sub(r"\s+", "", s).upper()


def compile_patterns(patterns) -> list[re.Pattern]:
    """User patterns (strings with a (?P<sheet>…) group) first, then the defaults."""
    compiled = []
    for p in list(patterns or []) + list(DEFAULT_NAME_PATTERNS):
        rx = re.compile(p, re.IGNORECASE) if isinstance(p, str) else p
        if "sheet" not in rx.groupindex:
            raise ValueError(f"file-name pattern {rx.pattern!r} has no (?P<sheet>…) group")
        compiled.append(rx)
    return compiled


def sheet_from_name(stem: str, patterns: list[re.Pattern] | None = None) -> NameInfo:
    """Sheet number and Circular 25 code a file name (without suffix) carries."""
    patterns = patterns if patterns is not None else compile_patterns(None)
    folded = fold_same_length(stem)
    code, scale = _code_in(folded)
    # the code's digits are not a sheet number: blank them before the number patterns
    searchable = folded.replace(code, " " * len(code)) if code else folded
    for rx in patterns:
        m = rx.search(searchable)
        if m:
            start, end = m.span("sheet")
            return NameInfo(normalise_sheet(stem[start:end]), rx.pattern, code, scale)
    if code:
        return NameInfo(code, "code", code, scale)
    return NameInfo("", "", "", None)


def _code_in(folded: str) -> tuple[str, int | None]:
    for m in _CODE_IN_NAME.finditer(folded):
        try:
            return m.group(1), sheet_scale(m.group(1))
        except Exception:  # six digits that are no valid code: not a code
            continue
    return "", None


def commune_from_folders(path: Path, root: Path | None) -> tuple[str, str]:
    """(5-digit commune code, the folder it was read from) from the nearest folder name
    holding one, walking up from the file's folder to `root` (the input folder), or
    only the file's own folder when the file was given by itself."""
    folder = path.parent
    stop = root if root is not None else folder
    while True:
        m = _COMMUNE_IN_NAME.search(folder.name)
        if m:
            return m.group(1), folder.name
        if folder == stop or folder.parent == folder:
            return "", ""
        folder = folder.parent
