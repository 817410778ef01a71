"""Vectorised checks of Vietnamese citizen ID numbers (12-digit CCCD, 9-digit old ID card).

A CCCD is: 3-digit province-of-birth-registration code ('0' + a pre-2025 province
code), a century/sex digit (0/1 = 1900s male/female, 2/3 = 2000s, 4/5 = 2100s …),
the last two digits of the birth year, 6 random digits. There is no public check
digit, so only what is certain is checked: the province code exists and the birth
year is not in the future.
"""
from __future__ import annotations

import datetime

import numpy as np
import pandas as pd

from ..reference.admin_units import AdminUnits
from ..i18n import PHRASES, QT_TRANSLATE_NOOP, phrase

REASONS = {
    "": QT_TRANSLATE_NOOP(PHRASES, "valid"),
    "missing": QT_TRANSLATE_NOOP(PHRASES, "no ID number"),
    "not_digits": QT_TRANSLATE_NOOP(PHRASES, "the ID number holds characters other than digits"),
    "bad_length": QT_TRANSLATE_NOOP(PHRASES, "the ID number has neither 12 digits (citizen ID) nor 9 "
                                             "(old ID card)"),
    "leading_zero_lost": QT_TRANSLATE_NOOP(PHRASES, "the ID number lost its leading zero(s), probably "
                                                    "stored as a number in Excel: padded with zeros to 12 "
                                                    "digits it is a valid citizen ID"),
    "bad_province": QT_TRANSLATE_NOOP(PHRASES, "the first 3 digits are not a province-of-birth-registration "
                                               "code"),
    "bad_century": QT_TRANSLATE_NOOP(PHRASES, "the century/sex digit and the birth-year digits give a birth "
                                              "year in the future"),
}
# What pandas infers for an object column holding only numbers (Excel cells typed as numbers).
_NUMBER_KINDS = {"integer", "floating", "mixed-integer-float"}


def describe_reason(reason: str) -> str:
    """The text for a reason code of check_citizen_ids, in the user's language."""
    return phrase(REASONS[reason]) if reason in REASONS else reason


def check_citizen_ids(ids: pd.Series, *, current_year: int | None = None,
                      province_codes: set[str] | None = None) -> pd.Series:
    """Per value a reason code ('' when valid): 'missing', 'not_digits', 'bad_length',
    'leading_zero_lost', 'bad_province', 'bad_century'. Values may be text, int or float
    (Excel's 1234567890.0). current_year and province_codes default to today and the
    shipped province list; pass them to pin the result in tests or reports."""
    ids = pd.Series(ids)
    year = current_year or datetime.date.today().year
    provinces = province_codes if province_codes is not None else AdminUnits.load().birth_province_codes()

    numeric = pd.api.types.is_numeric_dtype(ids.dtype) and not pd.api.types.is_bool_dtype(ids.dtype)
    if ids.dtype == object and pd.api.types.infer_dtype(ids, skipna=True) in _NUMBER_KINDS:
        numbers = pd.to_numeric(ids, errors="coerce")  # an Excel column of numbers read as objects
        if numbers.dtype.kind in "if":
            ids, numeric = numbers, True
    if numeric:
        missing, digits, length, value = _numbers(ids)
    else:
        missing, digits, length, value = _digits(ids)

    known_province = np.zeros(1000, dtype=bool)
    known_province[[int(c) for c in provinces if len(c) == 3 and c.isdigit()]] = True
    # Read as a number, a value is already zero-padded: the first 3 of 12 digits are value // 10**9.
    province = np.clip(value // 10**9, 0, 999)
    century = (value // 10**8) % 10
    birth_year = 1900 + 100 * (century // 2) + (value // 10**6) % 100
    cccd = np.where(~known_province[province], "bad_province",
                    np.where(birth_year > year, "bad_century", ""))

    reasons = np.full(len(ids), "bad_length", dtype=object)
    full = digits & (length == 12)
    reasons[full] = cccd[full]
    # A number cell drops the zeros a CCCD starts with ('001…' for Hà Nội): 10 or 11 digits left.
    short = digits & ((length == 10) | (length == 11)) & (cccd == "")
    reasons[short] = "leading_zero_lost"
    reasons[digits & (length == 9)] = ""
    reasons[~digits] = "not_digits"
    reasons[missing] = "missing"
    return pd.Series(reasons, index=ids.index, dtype=object)


_WIDTH = 16  # wider than any valid value; longer strings are handled apart
# Whitespace a cell may carry around the number (NBSP and BOM come with copied text).
_SPACES = np.array([9, 10, 11, 12, 13, 32, 0xA0, 0x2007, 0x202F, 0xFEFF], dtype=np.uint32)


def _digits(ids: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(missing, all digits, length, value of the first 12 digits) per value of a text column.
    Works on fixed-width code points in numpy; the few odd values (surrounding whitespace,
    a float's '.0', longer than _WIDTH) go through pandas string methods first."""
    missing = ids.isna().to_numpy()
    raw = ids.astype(str).to_numpy(dtype=object)
    raw[missing] = ""
    length, digits, value, points = _scan(raw)
    last = points[np.arange(len(raw)), np.maximum(length - 1, 0)]
    odd = (length >= _WIDTH) | np.isin(points[:, 0], _SPACES) | np.isin(last, _SPACES) \
        | (points == ord(".")).any(axis=1)
    if odd.any():
        text = pd.Series(raw[odd]).str.strip()
        # Floats mixed into a text column arrive as '1234567890.0'.
        text = text.str.replace(r"^([0-9]+)\.0+$", r"\1", regex=True)
        sub_length, sub_digits, sub_value, _ = _scan(text.to_numpy(dtype=object))
        long = sub_length >= _WIDTH
        if long.any():
            sub_length[long] = text[long].str.len().to_numpy()
            sub_digits[long] = text[long].str.fullmatch(r"[0-9]+").to_numpy(dtype=bool)
        length[odd], digits[odd], value[odd] = sub_length, sub_digits, sub_value
    missing |= length == 0
    return missing, digits & ~missing, length, value


def _scan(raw: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    points = raw.astype(f"U{_WIDTH}").view(np.uint32).reshape(len(raw), _WIDTH)
    length = np.count_nonzero(points, axis=1)
    digits = ((points >= ord("0")) & (points <= ord("9")) | (points == 0)).all(axis=1) & (length > 0)
    value = np.zeros(len(raw), dtype=np.int64)
    for j in range(12):
        take = (j < length) & digits
        value = np.where(take, value * 10 + (points[:, j].astype(np.int64) - ord("0")), value)
    return length, digits, value, points


def _numbers(ids: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The same for a numeric column: whole non-negative numbers are digit strings."""
    numbers = ids.to_numpy(dtype="float64", na_value=np.nan)
    missing = np.isnan(numbers)
    digits = ~missing & np.isfinite(numbers) & (numbers >= 0) & (np.floor(numbers) == numbers)
    if pd.api.types.is_integer_dtype(ids.dtype) and not ids.isna().any():
        exact = ids.to_numpy(dtype=np.int64)  # no float rounding for int64 input
    else:
        exact = np.where(digits & (numbers < 1e15), numbers, 0).astype(np.int64)
    big = numbers >= 1e15
    value = np.where(digits & ~big, exact, 0)
    length = np.searchsorted(10 ** np.arange(1, 19, dtype=np.int64), value, side="right") + 1
    length = np.where(big, 16, length)
    return missing, digits, length, value
