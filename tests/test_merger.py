"""Sheet renumbering after the 2025 commune merger (core.codes.merger).

The real case used: Xã Phú Linh, Tuyên Quang (current code 00706) was formed from
00703 Xã Kim Thạch (code closed), 00706 Xã Phú Linh (code kept: People's Committee
seat) and 00709 Xã Kim Linh (code closed) — resources/data/admin_units.csv. The closed
codes lie on both sides of the kept one, so the order "by old commune code" is tested.
00859 Xã Ngọc Long kept its code and took no other commune: not merged.
"""
import pandas as pd
import pytest
from osgeo import ogr, osr

from cadastre_cleaner.core.reference.admin_units import AdminUnits
from cadastre_cleaner.core.errors import InputError
from cadastre_cleaner.core.codes.merger import (
    apply_merger,
    load_sheet_reference,
    run_merger,
    save_sheet_reference,
    sheet_reference,
)

KEPT, CLOSED_LOW, CLOSED_HIGH, ALONE = "00706", "00703", "00709", "00859"


def test_the_chosen_communes_are_what_the_shipped_table_says():
    units = AdminUnits.load()
    assert units.successor(CLOSED_LOW) == KEPT and units.successor(CLOSED_HIGH) == KEPT
    assert units.is_current(KEPT) and units.predecessors(KEPT) == [CLOSED_LOW, KEPT, CLOSED_HIGH]
    assert units.is_current(ALONE) and units.predecessors(ALONE) == [ALONE]


def _sheets():
    rows = [(KEPT, str(s)) for s in range(1, 13)] + [(KEPT, "TĐ03-2014")]
    rows += [(CLOSED_LOW, str(s)) for s in range(1, 9)] + [(CLOSED_HIGH, str(s)) for s in range(1, 6)]
    return pd.DataFrame(rows, columns=["commune", "sheet"])


# Written by hand: kept commune keeps 1..12 and TĐ03-2014; 00703's 1..8 become 13..20,
# then 00709's 1..5 become 21..25; the non-numeric sheet comes after the numeric ones.
EXPECTED = pd.DataFrame([
    ("00706", "1", "00706", "1", "kept"),
    ("00706", "2", "00706", "2", "kept"),
    ("00706", "3", "00706", "3", "kept"),
    ("00706", "4", "00706", "4", "kept"),
    ("00706", "5", "00706", "5", "kept"),
    ("00706", "6", "00706", "6", "kept"),
    ("00706", "7", "00706", "7", "kept"),
    ("00706", "8", "00706", "8", "kept"),
    ("00706", "9", "00706", "9", "kept"),
    ("00706", "10", "00706", "10", "kept"),
    ("00706", "11", "00706", "11", "kept"),
    ("00706", "12", "00706", "12", "kept"),
    ("00703", "1", "00706", "13", "renumbered"),
    ("00703", "2", "00706", "14", "renumbered"),
    ("00703", "3", "00706", "15", "renumbered"),
    ("00703", "4", "00706", "16", "renumbered"),
    ("00703", "5", "00706", "17", "renumbered"),
    ("00703", "6", "00706", "18", "renumbered"),
    ("00703", "7", "00706", "19", "renumbered"),
    ("00703", "8", "00706", "20", "renumbered"),
    ("00709", "1", "00706", "21", "renumbered"),
    ("00709", "2", "00706", "22", "renumbered"),
    ("00709", "3", "00706", "23", "renumbered"),
    ("00709", "4", "00706", "24", "renumbered"),
    ("00709", "5", "00706", "25", "renumbered"),
    ("00706", "TĐ03-2014", "00706", "TĐ03-2014", "kept"),
], columns=["old_commune", "old_sheet", "new_commune", "new_sheet", "rule"], dtype=object)


def test_reference_reproduces_the_hand_built_table_exactly():
    ref = sheet_reference(_sheets(), AdminUnits.load())
    pd.testing.assert_frame_equal(ref, EXPECTED)


def test_reference_does_not_depend_on_input_order_or_repeats_or_number_forms():
    sheets = _sheets().sample(frac=1, random_state=3)
    sheets = pd.concat([sheets, sheets.head(7)])
    sheets.loc[sheets["sheet"] == "7", "sheet"] = " 07"          # '07' is sheet 7
    sheets["commune"] = sheets["commune"].map(int)              # 706 is 00706
    pd.testing.assert_frame_equal(sheet_reference(sheets), EXPECTED)


def test_non_numeric_sheet_of_a_closed_commune_keeps_its_text_prefixed_after_the_numbers():
    sheets = pd.concat([_sheets(), pd.DataFrame([(CLOSED_HIGH, "TĐ01-2019"), (ALONE, "3")],
                                                columns=["commune", "sheet"])])
    everything = sheet_reference(sheets)
    ref = everything[everything["new_commune"] == KEPT]
    assert ref.iloc[-1].tolist() == ["00709", "TĐ01-2019", "00706", "00709_TĐ01-2019", "prefixed"]
    assert ref.iloc[-2].tolist() == ["00706", "TĐ03-2014", "00706", "TĐ03-2014", "kept"]
    assert everything[everything["old_commune"] == ALONE].values.tolist() == [[ALONE, "3", ALONE, "3", "kept"]]
    assert ref[ref["rule"] == "renumbered"]["new_sheet"].tolist() == [str(k) for k in range(13, 26)]


def test_renumbering_without_the_kept_communes_sheets_is_refused():
    sheets = _sheets()
    with pytest.raises(InputError, match="00706.*not given"):
        sheet_reference(sheets[sheets["commune"] != KEPT])


def test_unknown_and_blank_communes_are_left_out():
    sheets = pd.concat([_sheets(), pd.DataFrame([("99999", "1"), ("", "2"), (None, "3")],
                                                columns=["commune", "sheet"])])
    pd.testing.assert_frame_equal(sheet_reference(sheets), EXPECTED)


# ------------------------------------------------------------------ applying the table

def _parcels():
    return pd.DataFrame({
        "MAXA": ["00706", "00706", "00703", "00703", "00709", "00709", "00859", "00706", "12345"],
        "SHBANDO": ["12", "TĐ03-2014", "1", "8", "1", "5", "4", "3", "1"],
        "SHTHUA": [101, 7, 1, 55, 2, 9, 11, 4, 3],
    })


def _reference():
    ref = EXPECTED.copy()
    alone = pd.DataFrame([(ALONE, "4", ALONE, "4", "kept")], columns=ref.columns)
    return pd.concat([ref, alone], ignore_index=True)


def test_apply_changes_commune_and_sheet_keeps_parcels_and_old_values():
    new, report = apply_merger(_parcels(), _reference(), "MAXA", "SHBANDO", "SHTHUA", "MAXA_CU", "SHBANDO_CU")
    assert new["MAXA"].tolist() == ["00706"] * 6 + ["00859", "00706", "12345"]
    assert new["SHBANDO"].tolist() == ["12", "TĐ03-2014", "13", "20", "21", "25", "4", "3", "1"]
    assert new["SHTHUA"].tolist() == [101, 7, 1, 55, 2, 9, 11, 4, 3]
    assert new["MAXA_CU"].tolist() == _parcels()["MAXA"].tolist()
    assert new["SHBANDO_CU"].tolist() == _parcels()["SHBANDO"].tolist()
    assert report.values.tolist() == [
        [2, "00703", "1", 1, "00706", "13", "renumbered"],
        [3, "00703", "8", 55, "00706", "20", "renumbered"],
        [4, "00709", "1", 2, "00706", "21", "renumbered"],
        [5, "00709", "5", 9, "00706", "25", "renumbered"],
    ]


def test_apply_keeps_integer_fields_integer():
    frame = pd.DataFrame({"MAXA": [703, 706, 859], "SHBANDO": [8, 8, 8], "SHTHUA": [1, 2, 3]})
    new, report = apply_merger(frame, _reference(), "MAXA", "SHBANDO", "SHTHUA")
    assert new["MAXA"].tolist() == [706, 706, 859] and new["SHBANDO"].tolist() == [20, 8, 8]
    assert str(new["SHBANDO"].dtype) == "int64" and new["old_sheet"].tolist() == [8, 8, 8]
    assert len(report) == 1


# ------------------------------------------------------------------ imported tables

def test_saved_table_loads_back(tmp_path):
    for name in ("ref.csv", "ref.xlsx"):
        save_sheet_reference(EXPECTED, str(tmp_path / name))
        pd.testing.assert_frame_equal(load_sheet_reference(str(tmp_path / name)), EXPECTED)


def test_imported_table_with_a_duplicate_row_is_refused_naming_the_row(tmp_path):
    bad = pd.concat([EXPECTED.iloc[:5], EXPECTED.iloc[[2]], EXPECTED.iloc[5:]], ignore_index=True)
    path = tmp_path / "dup.csv"
    bad.to_csv(path, index=False)
    with pytest.raises(InputError) as err:
        load_sheet_reference(str(path))
    # header on row 1: the third data row is row 4, its repeat row 7
    assert err.value.row == 7
    assert "row 7" in str(err.value) and "rows 4, 7" in str(err.value) and "listed more than once" in str(err.value)


def test_imported_table_sending_two_sheets_onto_one_is_refused(tmp_path):
    bad = EXPECTED.copy()
    bad.loc[13, "new_sheet"] = "13"
    path = tmp_path / "clash.xlsx"
    save_sheet_reference(bad, str(path))
    with pytest.raises(InputError, match=r"row 15: several old sheets are sent to new sheet 13 of commune 00706 \(rows 14, 15\)"):
        load_sheet_reference(str(path))


def test_imported_table_with_an_unknown_new_code_is_refused_naming_the_row(tmp_path):
    for code, what in (("99999", "is not a commune code"), ("00703", "is a commune code closed in the 2025 merger")):
        bad = EXPECTED.copy()
        bad.loc[20, "new_commune"] = code
        path = tmp_path / "unknown.xlsx"
        save_sheet_reference(bad, str(path))
        with pytest.raises(InputError, match=f"row 22: new commune {code} {what}"):
            load_sheet_reference(str(path))


def test_imported_table_with_a_blank_cell_is_refused(tmp_path):
    bad = EXPECTED.copy()
    bad.loc[0, "new_sheet"] = ""
    path = tmp_path / "blank.csv"
    bad.to_csv(path, index=False)
    with pytest.raises(InputError, match="row 2: new_sheet is empty"):
        load_sheet_reference(str(path))


# ------------------------------------------------------------------ the corrected copies

def _box(x, y):
    return f"POLYGON (({x} {y}, {x + 10} {y}, {x + 10} {y + 10}, {x} {y + 10}, {x} {y}))"


def _write_map(path):
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(3405)
    parcels = ds.CreateLayer("parcels", srs, ogr.wkbPolygon)
    for name, kind in (("MAXA", ogr.OFTString), ("SHBANDO", ogr.OFTString), ("SHTHUA", ogr.OFTInteger)):
        parcels.CreateField(ogr.FieldDefn(name, kind))
    for i, (commune, sheet, parcel) in enumerate(_parcels().itertuples(index=False)):
        f = ogr.Feature(parcels.GetLayerDefn())
        f.SetField("MAXA", commune)
        f.SetField("SHBANDO", sheet)
        f.SetField("SHTHUA", int(parcel))
        f.SetGeometry(ogr.CreateGeometryFromWkt(_box(585000 + 20 * i, 2325000)))
        parcels.CreateFeature(f)
    sheets = ds.CreateLayer("sheets", srs, ogr.wkbPolygon)
    for name in ("MAXA", "SHBANDO"):
        sheets.CreateField(ogr.FieldDefn(name, ogr.OFTString))
    rows = list(_sheets().itertuples(index=False)) + [(ALONE, "4")]
    for i, (commune, sheet) in enumerate(rows):
        f = ogr.Feature(sheets.GetLayerDefn())
        f.SetField("MAXA", commune)
        f.SetField("SHBANDO", sheet)
        f.SetGeometry(ogr.CreateGeometryFromWkt(_box(585000 + 20 * i, 2326000)))
        sheets.CreateFeature(f)
    ds = None


def _read(path, layer_name):
    ds = ogr.Open(str(path))
    layer = ds.GetLayerByName(layer_name)
    names = [layer.GetLayerDefn().GetFieldDefn(i).GetName() for i in range(layer.GetLayerDefn().GetFieldCount())]
    rows = [[f.GetField(n) for n in names] for f in layer]
    return pd.DataFrame(rows, columns=names)


def test_run_writes_corrected_copies_and_leaves_the_sources(tmp_path):
    src = tmp_path / "map.gpkg"
    _write_map(src)
    register = tmp_path / "register.csv"
    pd.DataFrame({"Mã xã": ["706", "703", "709", "859"], "Số tờ": ["TĐ03-2014", "08", "3", "4"],
                  "Số thửa": ["7", "55", "17", "11"], "Diện tích": ["120.5", "88", "300", "45"]}
                 ).to_csv(register, index=False)
    before = (src.read_bytes(), register.read_bytes())
    out = tmp_path / "out" / "renumbered.gpkg"
    result = run_merger(f"{src}|layername=parcels", str(out), sheets_source=f"{src}|layername=sheets",
                        register_source=str(register), reference_out=str(tmp_path / "used.csv"))
    assert (src.read_bytes(), register.read_bytes()) == before

    # the table built from all sources is the hand-built one (+ the commune not merged)
    pd.testing.assert_frame_equal(result.reference, _reference())
    pd.testing.assert_frame_equal(load_sheet_reference(str(tmp_path / "used.csv")), result.reference)

    parcels = _read(out, "parcels")
    assert parcels["MAXA"].tolist() == ["00706"] * 6 + ["00859", "00706", "12345"]
    assert parcels["SHBANDO"].tolist() == ["12", "TĐ03-2014", "13", "20", "21", "25", "4", "3", "1"]
    assert parcels["SHTHUA"].tolist() == [101, 7, 1, 55, 2, 9, 11, 4, 3]
    assert parcels["MAXA_CU"].tolist() == _parcels()["MAXA"].tolist()
    assert parcels["SHBANDO_CU"].tolist() == _parcels()["SHBANDO"].tolist()
    assert parcels["source_fid"].tolist() == list(range(1, 10))

    sheets = _read(out, "sheets")
    old = sheets[sheets["MAXA_CU"] != sheets["MAXA"]]
    assert old["MAXA_CU"].tolist() == ["00703"] * 8 + ["00709"] * 5
    assert old["SHBANDO_CU"].tolist() == [str(s) for s in range(1, 9)] + [str(s) for s in range(1, 6)]
    assert old["SHBANDO"].tolist() == [str(s) for s in range(13, 26)]
    assert set(old["MAXA"]) == {"00706"}
    same = sheets[sheets["MAXA_CU"] == sheets["MAXA"]]
    assert (same["SHBANDO"] == same["SHBANDO_CU"]).all() and len(same) == 14

    reg = pd.read_excel(result.register_out, dtype=str, keep_default_na=False)
    assert reg["Mã xã"].tolist() == ["706", "00706", "00706", "859"]
    assert reg["Số tờ"].tolist() == ["TĐ03-2014", "20", "23", "4"]
    assert reg["Số thửa"].tolist() == ["7", "55", "17", "11"]
    assert reg["MAXA_CU"].tolist() == ["706", "703", "709", "859"]
    assert reg["SHBANDO_CU"].tolist() == ["TĐ03-2014", "08", "3", "4"]
    assert reg["Diện tích"].tolist() == ["120.5", "88", "300", "45"]

    changes = _read(out, "changes")
    assert changes["layer"].value_counts().to_dict() == {"sheets": 13, "parcels": 4, "register": 2}
    reg_changes = changes[changes["layer"] == "register"]
    assert reg_changes[["source_row", "old_commune", "old_sheet", "parcel", "new_commune", "new_sheet"]
                       ].values.tolist() == [[3, "00703", "8", "55", "00706", "20"],
                                             [4, "00709", "3", "17", "00706", "23"]]
    assert result.counts == {"parcels": (9, 4), "sheets": (27, 13), "register": (4, 2)}
    assert len(_read(out, "reference")) == 27


def test_run_with_an_imported_table_and_refusals(tmp_path):
    src = tmp_path / "map.gpkg"
    _write_map(src)
    ref_path = tmp_path / "official.xlsx"
    save_sheet_reference(_reference(), str(ref_path))
    out = tmp_path / "r.gpkg"
    result = run_merger(f"{src}|layername=parcels", str(out), reference=str(ref_path))
    assert _read(out, "parcels")["SHBANDO"].tolist() == ["12", "TĐ03-2014", "13", "20", "21", "25", "4", "3", "1"]
    assert result.counts == {"parcels": (9, 4)}
    with pytest.raises(InputError, match="would replace a source"):
        run_merger(f"{src}|layername=parcels", str(src))


# ------------------------------------------------------------------ through Processing

def test_processing_algorithm_writes_the_copies(provider, tmp_path):
    import processing
    from qgis.core import QgsProcessingException, QgsProcessingFeedback

    src = tmp_path / "map.gpkg"
    _write_map(src)
    register = tmp_path / "register.csv"
    pd.DataFrame({"MAXA": ["703"], "SHBANDO": ["1"], "SHTHUA": ["1"]}).to_csv(register, index=False)
    out, reg_out, ref_out = tmp_path / "r.gpkg", tmp_path / "reg.xlsx", tmp_path / "ref.xlsx"
    result = processing.run("cadastre_cleaner:renumber_merger", {
        "PARCELS": f"{src}|layername=parcels", "SHEETS": f"{src}|layername=sheets",
        "REGISTER": str(register), "OUTPUT": str(out), "REGISTER_OUTPUT": str(reg_out),
        "REFERENCE_OUTPUT": str(ref_out)}, feedback=QgsProcessingFeedback())
    assert result["CHANGES"] == 4 + 13 + 1
    assert _read(out, "parcels")["SHBANDO"].tolist()[2:6] == ["13", "20", "21", "25"]
    pd.testing.assert_frame_equal(load_sheet_reference(str(ref_out)), _reference())
    assert pd.read_excel(reg_out, dtype=str)[["MAXA", "SHBANDO", "MAXA_CU"]].values.tolist() == [["00706", "13", "703"]]

    bad = _reference()
    bad.loc[3, "new_commune"] = "99999"
    save_sheet_reference(bad, str(tmp_path / "bad.csv"))
    with pytest.raises(QgsProcessingException, match="row 5: new commune 99999 is not a commune code"):
        processing.run("cadastre_cleaner:renumber_merger", {
            "PARCELS": f"{src}|layername=parcels", "REFERENCE": str(tmp_path / "bad.csv"),
            "OUTPUT": str(tmp_path / "x.gpkg")}, feedback=QgsProcessingFeedback())
