"""Field mapping from the names offices use, and key/number normalisation."""
import pandas as pd
import pytest

from cadastre_cleaner.core.errors import InputError
from cadastre_cleaner.core.register.fields import MAP_ROLES, REGISTER_ROLES, map_fields, parse_overrides
from cadastre_cleaner.core.register.keys import normalise_key, parse_numbers


@pytest.mark.parametrize("header,role", [
    ("SHBANDO", "sheet"), ("SOTO", "sheet"), ("TOBANDO", "sheet"), ("SO_TO", "sheet"),
    ("Số tờ", "sheet"), ("Tờ bản đồ", "sheet"), ("số  TỜ", "sheet"),
    ("SHTHUA", "parcel"), ("SOTHUA", "parcel"), ("SO_THUA", "parcel"), ("Số thửa", "parcel"),
    ("DIENTICH", "area"), ("DTPL", "area"), ("Diện tích", "area"), ("Diện tích (m²)", "area"),
    ("LOAIDAT", "landuse"), ("KHLOAIDAT", "landuse"), ("MDSD", "landuse"),
    ("Mục đích sử dụng", "landuse"), ("MAXA", "commune"), ("MADVHC", "commune"), ("Mã xã", "commune"),
])
def test_common_names_find_their_role(header, role):
    other = {"sheet": "SHTHUA", "parcel": "SHBANDO"}.get(role)
    cols = [header] + ([other] if other else ["SHBANDO", "SHTHUA"])
    mapping = map_fields(cols, "register", REGISTER_ROLES)
    assert mapping.get(role) == header


def test_old_numbers_are_not_taken_for_current_ones():
    cols = ["Số tờ cũ", "Số thửa cũ", "Số tờ", "Số thửa"]
    m = map_fields(cols, "register", REGISTER_ROLES)
    assert (m.get("sheet"), m.get("parcel")) == ("Số tờ", "Số thửa")
    assert (m.get("old_sheet"), m.get("old_parcel")) == ("Số tờ cũ", "Số thửa cũ")


def test_legal_area_is_preferred_to_plain_area():
    m = map_fields(["Số tờ", "Số thửa", "Diện tích", "Diện tích pháp lý"], "register", REGISTER_ROLES)
    assert m.get("area") == "Diện tích pháp lý"


def test_override_wins_and_is_reported():
    m = map_fields(["SOTO", "X1", "SHTHUA"], "map", MAP_ROLES, {"sheet": "x1"})
    assert m.get("sheet") == "X1" and m.how["sheet"] == "override"
    assert "map.sheet ← X1 (override)" in m.describe()


def test_override_naming_no_field_is_a_clear_error():
    with pytest.raises(InputError, match="'NOPE'.*does not exist"):
        map_fields(["SOTO", "SHTHUA"], "map", MAP_ROLES, {"sheet": "NOPE"}, "map.gpkg")


def test_missing_required_field_names_the_fields_and_the_fix():
    with pytest.raises(InputError) as err:
        map_fields(["SOTO", "GHICHU"], "map", MAP_ROLES, source="map.gpkg")
    text = err.value.one_line()
    assert "map.parcel" in text and "GHICHU" in text and "--field map.parcel=" in text


def test_duplicate_header_used_for_a_role_is_an_error():
    with pytest.raises(InputError, match="appears 2 times"):
        map_fields(["Số tờ", "Số thửa", "Số thửa#2"], "register", REGISTER_ROLES, source="r.csv")


def test_parse_overrides_forms():
    assert parse_overrides("map.sheet=SOTO; register.area=DT") == \
        {"map": {"sheet": "SOTO"}, "register": {"area": "DT"}}
    assert parse_overrides(["map.parcel=SO_THUA"]) == {"map": {"parcel": "SO_THUA"}}
    with pytest.raises(InputError):
        parse_overrides("sheet=SOTO")


def test_keys_are_trimmed_unpadded_and_excel_floats_fixed():
    values = pd.Series([" 012", "12.0", 12.0, "TĐ03-2014", "tđ03-2014", None, float("nan"), "", "0", "7a"],
                       dtype=object)
    assert list(normalise_key(values)) == ["12", "12", "12", "TĐ03-2014", "TĐ03-2014", "", "", "", "0", "7A"]


def test_numeric_columns_normalise_too():
    assert list(normalise_key(pd.Series([12.0, 3.0, None]))) == ["12", "3", ""]
    assert list(normalise_key(pd.Series([7, 8]))) == ["7", "8"]


@pytest.mark.parametrize("column,expected", [
    (["1.234,5", "245,3"], [1234.5, 245.3]),
    (["1,234.5", "245.3"], [1234.5, 245.3]),
    (["245,3", "1.234"], [245.3, 1234.0]),          # a comma column: the dot groups thousands
    (["245.3", "1,234"], [245.3, 1234.0]),          # a dot column: the comma groups thousands
    (["1.234.567", " 12 m²"], [1234567.0, 12.0]),
])
def test_vietnamese_and_english_numbers(column, expected):
    values, bad = parse_numbers(pd.Series(column))
    assert list(values) == expected and not bad.any()


def test_text_in_a_number_column_is_marked_not_guessed():
    values, bad = parse_numbers(pd.Series(["245,3", "abc", ""]))
    assert list(bad) == [False, True, False]
    assert pd.isna(values[1]) and pd.isna(values[2])
