"""Commune codes before and after the 2025 merger, read from the shipped CSVs.

Examples were checked against both sources (the statistics office's code table in
vietnam-provinces 2026.9.0 and the name-based table in vietnamadminunits 1.0.4)."""
import numpy as np
import pandas as pd

from cadastre_cleaner.core.reference.admin_units import AdminUnits, normalise_commune_code, normalise_commune_codes


def units():
    return AdminUnits.load()


def test_load_is_cached():
    assert AdminUnits.load() is AdminUnits.load()


def test_normalise_text_int_and_float_forms_to_five_digits():
    for value in ("6070", 6070, "06070.0", 6070.0, " 6070 ", "006070", np.int64(6070)):
        assert normalise_commune_code(value) == "06070", value


def test_normalise_blank_and_garbage():
    assert normalise_commune_code(None) == ""
    assert normalise_commune_code(float("nan")) == ""
    assert normalise_commune_code("  ") == ""
    assert normalise_commune_code("abc") == "abc"
    assert normalise_commune_code("6070.5") == "6070.5"
    assert normalise_commune_code("123456") == "123456"


def test_vectorised_normalise_matches_scalar_and_keeps_index():
    values = ["6070", 6070, "06070.0", 6070.0, None, np.nan, "", " 5977 ", "abc", "123456"]
    series = pd.Series(values, index=range(10, 20), dtype=object)
    result = normalise_commune_codes(series)
    assert list(result.index) == list(series.index)
    assert list(result) == [normalise_commune_code(v) for v in values]
    assert list(normalise_commune_codes(pd.Series([6070.0, np.nan, 5977.0]))) == ["06070", "", "05977"]
    assert list(normalise_commune_codes(pd.Series([6070, 5977]))) == ["06070", "05977"]


def test_current_lang_son_commune():
    assert units().is_current("05977")  # Phường Đông Kinh, Lạng Sơn
    assert units().is_current(5977)
    assert units().name("5977") == "Phường Đông Kinh"


def test_closed_code_maps_to_its_successor():
    u = units()
    assert not u.is_current("06070") and u.is_known("06070")  # Xã Vĩnh Yên, Lạng Sơn
    assert u.successor("06070") == "06076"
    assert u.successor(5992) == "05977"  # Xã Mai Pha -> Phường Đông Kinh
    assert u.successor("00001") == "00097"  # Phường Phúc Xá (Hà Nội) -> Phường Hồng Hà


def test_current_and_unknown_codes_have_no_successor():
    assert units().successor("05977") is None
    assert units().successor("99999") is None
    assert units().successor(None) is None


def test_kept_code_is_one_current_row_with_its_new_name():
    u = units()
    assert u.is_current("00004")
    assert u.name("00004") == "Phường Ba Đình"  # was Phường Trúc Bạch before 2025-07-01
    assert u.units.at["00004", "old_name"] == "Phường Trúc Bạch"


def test_predecessors_include_the_kept_code():
    assert units().predecessors("05977") == ["05977", "05980", "05992", "06247"]
    assert units().predecessors("06070") == []  # closed code
    assert units().predecessors("99999") == []


def test_split_commune_has_a_main_successor_and_all_candidates():
    u = units()
    assert u.successor("06622") == "06613"  # Xã Bính Xá went to Đình Lập and Kiên Mộc
    assert u.successor_candidates("06622") == ["06613", "06625"]
    assert "06622" in u.predecessors("06613") and "06622" in u.predecessors("06625")


def test_name_based_successor_fills_a_gap_in_the_code_table():
    assert units().successor("01651") == "01648"


def test_unknown_code():
    assert not units().is_known("99999")
    assert units().name("99999") == ""


def test_counts_are_plausible():
    table = units().units
    current = (table["current"] == "1").sum()
    assert abs(current - 3321) <= 5
    pre_2025 = (table["old_province_code"] != "").sum()
    assert 10_000 <= pre_2025 <= 10_100
    assert table["code"].str.fullmatch(r"\d{5}").all()
    assert table["code"].is_unique


def test_every_successor_is_current():
    table = units().units
    successors = table.loc[table["successor_code"] != "", "successor_code"]
    assert successors.isin(table.index[table["current"] == "1"]).all()


def test_communes_of_lang_son_and_quang_ninh_match_the_press():
    assert len(units().communes("20")) == 65
    assert len(units().communes(20, current=False)) == 194
    assert len(units().communes("22")) == 54
    assert len(units().communes("22", current=False)) == 171


def test_communes_columns_and_old_province():
    old = units().communes("30", current=False)  # Hải Dương, merged into Hải Phòng
    assert list(old.columns) == ["code", "name", "province_code", "province_name"]
    assert (old["province_name"] == "Tỉnh Hải Dương").all()
    assert units().communes("30").empty


def test_classify_vectorised():
    codes = pd.Series(["05977", 6070, "6070.0", None, "", "99999", "abc", 5977.0], index=list("abcdefgh"))
    result = units().classify(codes)
    assert list(result.index) == list("abcdefgh")
    assert list(result) == ["current", "obsolete", "obsolete", "", "", "unknown", "unknown", "current"]


def test_successors_vectorised():
    codes = pd.Series(["06070", "05977", None, "99999", 1])
    assert list(units().successors(codes)) == ["06076", "", "", "", "00097"]


def test_birth_province_codes():
    codes = units().birth_province_codes()
    assert len(codes) == 63
    assert {"001", "002", "004", "096"} <= codes
    assert "003" not in codes and "097" not in codes


def test_provinces_table():
    provinces = units().provinces
    assert (provinces["current"] == "1").sum() == 34
    assert provinces.at["72", "successor_code"] == "80"  # Tây Ninh -> Tây Ninh (Long An's code)
    assert provinces.at["20", "current"] == "1"


def test_large_series_runs():
    codes = pd.Series(np.random.default_rng(1).integers(0, 33_000, 1_000_000))
    result = units().classify(codes)
    assert len(result) == 1_000_000
    assert set(result.unique()) <= {"current", "obsolete", "unknown"}
