"""Land-use type codes (LUC, ONT, CLN …): normalise register values and tell current, obsolete and unknown apart."""
from __future__ import annotations

import re
import threading
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "resources" / "data" / "landuse_codes.csv"
COLUMNS = ("code", "name_vi", "name_en", "source", "status")
STATUSES = ("current", "obsolete")
# Worst first: a multi-use value is as bad as its worst part.
_RANK = {"": 0, "current": 1, "obsolete": 2, "unknown": 3}

# Separators seen between the codes of a multi-use parcel: "ONT+CLN", "ONT, CLN", "ONT/CLN", "ONT CLN".
_SEPARATORS = re.compile(r"[\s+,;/&\-]+")


def _normalise_one(text: str) -> str:
    parts = {p for p in _SEPARATORS.split(text.strip().upper()) if p}
    return "+".join(sorted(parts))


def normalise_landuse(values: pd.Series) -> pd.Series:
    """Strip, upper-case and write multi-use values one way: 'ont + cln' -> 'CLN+ONT'
    (parts sorted, duplicates dropped). Blanks, None and NaN -> ''."""
    values = pd.Series(values)
    # Few distinct values in a column: work on each distinct value once.
    positions, uniques = pd.factorize(values, use_na_sentinel=True)
    normalised = np.array([_normalise_one(str(u)) for u in uniques] + [""], dtype=object)
    return pd.Series(normalised[positions], index=values.index, dtype=object)


class LandUseCodes:
    """The land-use code list: the shipped file or a user-extended copy with the same columns."""

    _default: LandUseCodes | None = None
    _lock = threading.Lock()

    def __init__(self, table: pd.DataFrame, source: str = ""):
        self.table = table.set_index("code", drop=False).rename_axis(None)
        self.source = source
        self._status = dict(zip(self.table["code"], self.table["status"]))

    @classmethod
    def load(cls, path: str | Path | None = None) -> LandUseCodes:
        """The shipped list (read once) or, with path, a user's copy (read each call)."""
        if path is None:
            with cls._lock:
                if cls._default is None:
                    cls._default = cls._read(DEFAULT_PATH)
                return cls._default
        return cls._read(Path(path))

    @classmethod
    def _read(cls, path: Path) -> LandUseCodes:
        try:
            table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            raise InputError(f"cannot read the land-use code list ({exc})", source=str(path)) from exc
        missing = [c for c in COLUMNS if c not in table.columns]
        if missing:
            raise InputError(f"missing column(s) {', '.join(missing)}", source=str(path),
                             fix=f"the header must be {','.join(COLUMNS)}")
        table = table[list(COLUMNS)].apply(lambda col: col.str.strip())
        table["code"] = table["code"].str.upper()
        table["status"] = table["status"].str.lower().replace("", "current")
        for i, (code, status) in enumerate(zip(table["code"], table["status"])):
            row = i + 2  # the header is line 1
            if not code or _SEPARATORS.search(code):
                raise InputError(f"bad code {code!r}", source=str(path), row=row,
                                 fix="one code per line, letters and digits only")
            if status not in STATUSES:
                raise InputError(f"status {status!r} of {code}", source=str(path), row=row,
                                 fix="use 'current' or 'obsolete'")
        duplicated = table["code"][table["code"].duplicated()].tolist()
        if duplicated:
            raise InputError(f"codes listed twice: {', '.join(duplicated)}", source=str(path))
        return cls(table, source=str(path))

    def status_of(self, code: str) -> str:
        """'current' | 'obsolete' | 'unknown' | '' for one value, multi-use values included."""
        normalised = _normalise_one(code) if isinstance(code, str) else ""
        if not normalised:
            return ""
        parts = [self._status.get(part, "unknown") for part in normalised.split("+")]
        return max(parts, key=_RANK.__getitem__)

    def classify(self, values: pd.Series) -> pd.Series:
        """Per value 'current' | 'obsolete' | 'unknown' | '' (blank); a multi-use value
        gets the worst of its parts (unknown > obsolete > current)."""
        normalised = normalise_landuse(values)
        positions, uniques = pd.factorize(normalised)
        statuses = np.array([self.status_of(u) for u in uniques], dtype=object)
        return pd.Series(statuses[positions], index=normalised.index, dtype=object)

    def name(self, code: str, lang: str = "vi") -> str:
        """Name of a code in 'vi' or 'en', '' if unknown; a multi-use value gives its parts'
        names joined by ' + ' (an unknown part shows as its code)."""
        column = "name_en" if lang == "en" else "name_vi"
        parts = _normalise_one(code).split("+") if isinstance(code, str) else [""]
        names = [self.table.at[p, column] if p in self.table.index else "" for p in parts]
        if len(parts) == 1:
            return names[0]
        return " + ".join(name or part for name, part in zip(names, parts))
