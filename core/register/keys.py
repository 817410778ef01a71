"""Normalising the parts of a parcel key and the numbers registers write as text.

A key is (commune, sheet, parcel), all text: sheet numbers such as 'TĐ03-2014'
are not integers. Excel turns 12 into 12.0 and users type ' 012'; both mean '12'.
"""
import re
import unicodedata

import numpy as np
import pandas as pd

_INT_LIKE = re.compile(r"^[0-9]+(?:\.0*)?$")


def on_uniques(func, values: pd.Series) -> pd.Series:
    """Apply a per-value string normalisation to the distinct values only, then spread back.

    Keys repeat (a sheet number on every parcel of the sheet), so this is far faster
    than normalising a million cells one by one."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    done = func(pd.Series(uniques, dtype=object)).to_numpy(object)
    out = np.empty(len(codes), dtype=object)
    known = codes >= 0
    out[known] = done[codes[known]]
    out[~known] = func(pd.Series([None], dtype=object)).iloc[0]
    return pd.Series(out, index=values.index)


def normalise_key(values: pd.Series) -> pd.Series:
    """Text keys: trimmed, NFC, upper-case; int-like values without leading zeros or '.0'.

    Blank, None and NaN become ''. Vectorised over the distinct values of the column.
    """
    if values.dtype == object and len(values) > 1000:
        return on_uniques(_normalise_key, values)
    return _normalise_key(values)


def _normalise_key(values: pd.Series) -> pd.Series:
    if values.dtype.kind in "iu":
        return values.astype(str)
    if values.dtype.kind == "f":
        out = pd.Series("", index=values.index, dtype=object)
        ok = values.notna().to_numpy()
        v = values.to_numpy()
        whole = ok & (np.floor(np.where(ok, v, 0)) == np.where(ok, v, 0))
        out[whole] = v[whole].astype(np.int64).astype(str)
        rest = ok & ~whole
        out[rest] = v[rest].astype(str)
        return out
    text = values.astype(object).where(values.notna(), "").astype(str).str.strip()
    text = text.str.replace(r"\s+", " ", regex=True)
    if not text.map(str.isascii).all():
        text = text.map(lambda s: unicodedata.normalize("NFC", s))
    text = text.str.upper()
    int_like = text.str.match(_INT_LIKE)
    if int_like.any():
        digits = text[int_like].str.replace(r"\.0*$", "", regex=True).str.lstrip("0")
        text[int_like] = digits.where(digits != "", "0")
    return text.where(~text.isin(["NAN", "NONE", "NULL", "<NA>"]), "")


def parse_numbers(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Numbers written by hand or by Excel -> (floats, bad) where bad marks text that is no number.

    Accepts '1.234,5' (Vietnamese), '1,234.5', '245,3', '245.3', ' 245 m²'.
    Only '1.234' and '1,234' are ambiguous; the column's own convention decides
    them (values with both marks first, else which mark is more common).
    """
    if values.dtype.kind in "iuf":
        return values.astype(float), pd.Series(False, index=values.index)
    if len(values) > 1000:
        # Plain numbers ('245.3') parse in C; ambiguous '1.234' and all the rest go the slow way.
        fast = pd.to_numeric(values, errors="coerce")
        slow = fast.isna() & values.notna()
        if slow.any():
            # The column's convention decides '1.234': learn it from the slow values.
            _, _, comma = _parse_text(values[slow], want_convention=True)
            if comma:
                dotted = values[~slow & values.notna()].astype(str).str.fullmatch(r"\s*-?\d{1,3}\.\d{3}\s*")
                slow[dotted[dotted].index] = True
            numbers, bad, _ = _parse_text(values[slow], force_comma=comma)
            fast[slow] = numbers
            bad_all = pd.Series(False, index=values.index)
            bad_all[slow] = bad.to_numpy(bool)
            return fast.astype(float), bad_all
        return fast.astype(float), pd.Series(False, index=values.index)
    numbers, bad, _ = _parse_text(values)
    return numbers, bad


def _parse_text(values: pd.Series, want_convention=False, force_comma=None):
    text = values.astype(object).where(values.notna(), "").astype(str).str.strip()
    text = text.str.replace(r"[\s\u00a0]", "", regex=True).str.replace(r"(m2|m²)$", "", regex=True)
    blank = text == ""
    has_dot = text.str.contains(".", regex=False)
    has_comma = text.str.contains(",", regex=False)
    both = has_dot & has_comma
    if both.any():
        decimal_comma = bool((text[both].str.rfind(",") > text[both].str.rfind(".")).mean() >= 0.5)
    else:
        # A single mark not followed by exactly three digits can only be a decimal mark.
        sure_comma = text.str.match(r"^-?\d*,(?:\d{1,2}|\d{4,})$").sum()
        sure_dot = text.str.match(r"^-?\d*\.(?:\d{1,2}|\d{4,})$").sum()
        decimal_comma = bool(sure_comma >= sure_dot)   # Vietnamese usage when undecided
    if force_comma is not None:
        decimal_comma = force_comma
    vn_thousands = text.str.match(r"^-?\d{1,3}(?:\.\d{3})+(?:,\d+)?$")
    en_thousands = text.str.match(r"^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
    # Two marks of a kind can only be thousands ('1.234.567'); one is read by the column's convention.
    many_dots, many_commas = text.str.count(r"\.") >= 2, text.str.count(",") >= 2
    as_vn = vn_thousands & (decimal_comma | has_comma | many_dots)           # '1.234,5'
    as_en = en_thousands & ~as_vn & (~decimal_comma | has_dot | many_commas)  # '1,234.5'
    norm = text.str.replace(",", ".", regex=False)              # plain '245,3' / '245.3'
    norm[as_vn] = text[as_vn].str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    norm[as_en] = text[as_en].str.replace(",", "", regex=False)
    numbers = pd.to_numeric(norm, errors="coerce")
    bad = numbers.isna() & ~blank
    return numbers.astype(float), bad, decimal_comma
