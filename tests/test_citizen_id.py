"""Citizen ID checks: one reason per value, vectorised, with the Excel lost-zero case named."""
import numpy as np
import pandas as pd

from cadastre_cleaner.core.register.citizen_id import REASONS, check_citizen_ids, describe_reason


def check(values, **kwargs):
    kwargs.setdefault("current_year", 2025)
    return list(check_citizen_ids(pd.Series(values, dtype=object), **kwargs))


def test_valid_cccd_and_old_id_card():
    # 001 Hà Nội, 0 = male born 19xx, 89 = 1989; 079 Hồ Chí Minh, 3 = female born 20xx.
    assert check(["001089012345", "079305123456", "123456789"]) == ["", "", ""]


def test_surrounding_whitespace_is_ignored():
    assert check([" 001089012345 ", "\u00a0001089012345", "001089012345\n"]) == ["", "", ""]


def test_missing():
    assert check([None, np.nan, "", "   ", pd.NA]) == ["missing"] * 5


def test_not_digits():
    assert check(["00108901234a", "001-089-012", "-1089012345", 1.5, "0 0108901234"]) == ["not_digits"] * 5


def test_bad_length():
    assert check(["12345678", "0010890123456", "1234", "00108901234567890"]) == ["bad_length"] * 4


def test_bad_province():
    # 003 and 099 are not pre-2025 province codes ('0' + 01, 02, 04 … 96).
    assert check(["003089012345", "099089012345", "000000000000"]) == ["bad_province"] * 3


def test_bad_century_means_a_birth_year_in_the_future():
    assert check(["001399012345"], current_year=2025) == ["bad_century"]  # 3 + 99 -> 2099
    assert check(["001989012345"], current_year=2025) == ["bad_century"]  # 9 -> 2300s
    assert check(["001224012345"], current_year=2023) == ["bad_century"]  # born 2024, checked in 2023


def test_birth_year_this_year_is_valid():
    assert check(["001225012345"], current_year=2025) == [""]


def test_leading_zero_lost_from_excel_numbers():
    # 001089012345 typed as a number: 1089012345 (10 digits), 1089012345.0 as float.
    assert check([1089012345, 1089012345.0, "1089012345.0", "1089012345"]) == ["leading_zero_lost"] * 4
    assert check([20089012345]) == ["leading_zero_lost"]  # 020 Lạng Sơn, 11 digits left


def test_lost_zero_that_would_still_be_invalid_is_bad_length():
    assert check([12345678901]) == ["bad_length"]  # 012 345… -> born 2045
    assert check(["0010890123"]) == ["bad_length"]  # pads to province 000


def test_numeric_columns():
    floats = pd.Series([1089012345.0, np.nan, 123456789.0, -5.0])
    assert list(check_citizen_ids(floats, current_year=2025)) == ["leading_zero_lost", "missing", "", "not_digits"]
    ints = pd.Series([1089012345, 123456789, 5])
    assert list(check_citizen_ids(ints, current_year=2025)) == ["leading_zero_lost", "", "bad_length"]
    nullable = pd.Series([1089012345, None], dtype="Int64")
    assert list(check_citizen_ids(nullable, current_year=2025)) == ["leading_zero_lost", "missing"]


def test_index_is_kept():
    ids = pd.Series(["001089012345", None], index=["r7", "r9"])
    assert list(check_citizen_ids(ids).index) == ["r7", "r9"]


def test_every_reason_has_a_description():
    for reason in ["", "missing", "not_digits", "bad_length", "leading_zero_lost", "bad_province", "bad_century"]:
        assert reason in REASONS
        assert describe_reason(reason)
    assert "zero" in describe_reason("leading_zero_lost")


def test_a_million_values_run():
    rng = np.random.default_rng(3)
    ids = pd.Series(rng.integers(0, 10**12, 1_000_000)).astype(str).str.zfill(12).astype(object)
    ids[::10] = None
    result = check_citizen_ids(ids)
    assert len(result) == 1_000_000
    assert set(result.unique()) <= set(REASONS)
    assert (result[::10] == "missing").all()
