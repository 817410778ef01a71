"""Commune and province codes before and after the 2025 merger, from the shipped reference CSVs."""
from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pandas as pd

DATA_DIR = Path(__file__).resolve().parents[2] / "resources" / "data"

_INT_LIKE = r"^[0-9]+(?:\.0*)?$"


def normalise_commune_code(value) -> str:
    """One commune code as 5-digit text: 6070, '6070', '6070.0', ' 06070 ' -> '06070'.
    Blank/None/NaN -> ''; anything that is not an integer is returned stripped, unchanged."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, np.integer)):
        return _pad(str(int(value))) if value >= 0 else str(int(value))
    if isinstance(value, (float, np.floating)):
        if np.isnan(value):
            return ""
        return _pad(str(int(value))) if float(value).is_integer() and value >= 0 else str(value)
    text = str(value).strip()
    head, dot, tail = text.partition(".")
    if head.isdigit() and head.isascii() and (not dot or set(tail) <= {"0"}):
        return _pad(head)
    return text


def _pad(digits: str) -> str:
    # Extra leading zeros ('006070') are dropped before padding back to five.
    stripped = digits.lstrip("0")
    return stripped.zfill(5) if len(stripped) <= 5 else digits


def normalise_commune_codes(values: pd.Series) -> pd.Series:
    """Vectorised normalise_commune_code: same index, object dtype, '' for blanks."""
    values = pd.Series(values)
    # A column holds few distinct codes: normalise each distinct value once.
    positions, uniques = pd.factorize(values, use_na_sentinel=True)
    normalised = np.append(_normalise_distinct(pd.Series(uniques)), "")  # position -1 (NA) -> ''
    return pd.Series(normalised[positions], index=values.index, dtype=object)


def _normalise_distinct(values: pd.Series) -> np.ndarray:
    if pd.api.types.is_float_dtype(values.dtype):
        # Excel hands codes over as floats (6070.0): whole numbers become their digits.
        numbers = values.to_numpy(dtype="float64")
        whole = np.isfinite(numbers) & (numbers >= 0) & (np.floor(numbers) == numbers) & (numbers < 1e15)
        digits = pd.Series(np.where(whole, numbers, 0).astype(np.int64)).astype(str)
        text = digits.where(whole, values.astype(str))
    else:
        text = values.astype(str)
    text = text.str.strip()
    int_like = text.str.match(_INT_LIKE).to_numpy(dtype=bool)
    if int_like.any():
        base = text[int_like].str.replace(r"\.0*$", "", regex=True)
        digits = base.str.lstrip("0")
        text[int_like] = digits.str.zfill(5).where(digits.str.len() <= 5, base)
    return text.to_numpy(dtype=object)


class AdminUnits:
    """Lookups over resources/data/admin_units.csv and provinces.csv.

    A kept code (the merged commune whose People's Committee seat keeps its code) is one
    row: current, with its pre-2025 name and province in the old_* columns."""

    _instance: AdminUnits | None = None
    _lock = threading.Lock()

    def __init__(self, units: pd.DataFrame, provinces: pd.DataFrame):
        self.units = units.set_index("code", drop=False).rename_axis(None)
        self.provinces = provinces.set_index("code", drop=False).rename_axis(None)
        current = self.units["current"] == "1"
        self._status = pd.Series(np.where(current, "current", "obsolete"), index=self.units.index)
        self._successor = self.units["successor_code"]
        self._current_codes = frozenset(self.units.index[current])
        # new code -> pre-2025 codes: merged in whole (successor), in part (split_into) or kept.
        pairs = [(row.successor_code, row.code) for row in self.units.itertuples() if row.successor_code]
        pairs += [(new, row.code) for row in self.units.itertuples() if row.split_into
                  for new in row.split_into.split("|")]
        pairs += [(row.code, row.code) for row in self.units.itertuples()
                  if row.current == "1" and row.old_province_code]
        predecessors: dict[str, set[str]] = {}
        for new, old in pairs:
            predecessors.setdefault(new, set()).add(old)
        self._predecessors = {k: sorted(v) for k, v in predecessors.items()}

    @classmethod
    def load(cls) -> AdminUnits:
        """The shipped tables, read once per session."""
        with cls._lock:
            if cls._instance is None:
                read = dict(dtype=str, keep_default_na=False, encoding="utf-8")
                cls._instance = cls(pd.read_csv(DATA_DIR / "admin_units.csv", **read),
                                    pd.read_csv(DATA_DIR / "provinces.csv", **read))
            return cls._instance

    # ------------------------------------------------------------ one code

    def is_current(self, code) -> bool:
        """Valid commune code after 2025-07-01."""
        return normalise_commune_code(code) in self._current_codes

    def is_known(self, code) -> bool:
        """Current or pre-2025 commune code."""
        return normalise_commune_code(code) in self._status.index

    def successor(self, code) -> str | None:
        """The current code a closed pre-2025 code merged into (for a split commune, the
        main one: see successor_candidates); None if current, unknown or unmapped."""
        code = normalise_commune_code(code)
        if code not in self._successor.index:
            return None
        return self._successor[code] or None

    def successor_candidates(self, code) -> list[str]:
        """All current codes that took part of a pre-2025 commune (several when it was split)."""
        code = normalise_commune_code(code)
        if code not in self.units.index:
            return []
        split = self.units.at[code, "split_into"]
        if split:
            return split.split("|")
        successor = self._successor[code]
        return [successor] if successor else []

    def predecessors(self, code) -> list[str]:
        """Pre-2025 codes merged (wholly or partly) into a current code, the kept code included."""
        code = normalise_commune_code(code)
        if code not in self._current_codes:
            return []
        return list(self._predecessors.get(code, []))

    def name(self, code) -> str:
        """Current name of a current code, last name of a closed one, '' if unknown."""
        code = normalise_commune_code(code)
        return self.units.at[code, "name"] if code in self.units.index else ""

    def communes(self, province_code: str, current: bool = True) -> pd.DataFrame:
        """Communes of a province: current=True the units after 2025-07-01 of a current
        province, current=False the pre-2025 communes of a pre-2025 province (with their
        pre-2025 names, kept codes included). Columns code, name, province_code, province_name."""
        pc = f"{int(province_code):02d}" if str(province_code).strip().isdigit() else str(province_code)
        units = self.units
        if current:
            rows = units[(units["current"] == "1") & (units["province_code"] == pc)]
            out = rows[["code", "name", "province_code", "province_name"]]
        else:
            rows = units[units["old_province_code"] == pc]
            province_name = self.provinces.at[pc, "old_name"] if pc in self.provinces.index else ""
            out = pd.DataFrame({"code": rows["code"], "name": rows["old_name"],
                                "province_code": pc, "province_name": province_name})
        return out.sort_values("code").reset_index(drop=True)

    # ------------------------------------------------------------ many codes

    def classify(self, codes: pd.Series) -> pd.Series:
        """Per value 'current' | 'obsolete' (closed pre-2025 code) | 'unknown' | '' (blank)."""
        normalised = normalise_commune_codes(codes)
        status = pd.Series(self._status.reindex(normalised.to_numpy()).to_numpy(), index=normalised.index)
        status = status.fillna("unknown")
        return status.where(normalised != "", "").astype(object)

    def successors(self, codes: pd.Series) -> pd.Series:
        """Vectorised successor: the current code each closed code merged into, '' where none."""
        normalised = normalise_commune_codes(codes)
        found = self._successor.reindex(normalised.to_numpy()).to_numpy()
        return pd.Series(found, index=normalised.index).fillna("").astype(object)

    # ------------------------------------------------------------ provinces

    def birth_province_codes(self) -> set[str]:
        """3-digit province codes of the citizen ID: '0' + each pre-2025 province code."""
        old = self.provinces[self.provinces["old_name"] != ""]
        return {"0" + code for code in old["code"]}
