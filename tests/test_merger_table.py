"""The national land system's sheet reference table (core.codes.merger_table / merger_apply / merger_run).

The table is written here in the exact published layout (19 columns, every cell text, codes
without their leading zeros, tyLe "1/500"), for the real merger used in test_merger.py:
00706 Xã Phú Linh (code kept; province 02 Hà Giang before, 08 Tuyên Quang after) took 00703
and 00709, whose codes were closed; 00859 Xã Ngọc Long kept its code and took no one.
"""
import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook

from cadastre_cleaner.core.codes.merger import run_merger
from cadastre_cleaner.core.codes.merger_apply import apply_table, record_scales
from cadastre_cleaner.core.codes.merger_table import normalise_province_codes, parse_scales, read_merger_table
from cadastre_cleaner.core.sample.national_table import NATIONAL_COLUMNS

KEPT, CLOSED_LOW, CLOSED_HIGH, ALONE = "00706", "00703", "00709", "00859"


def _row(xa, to, xa_cu, to_cu, ty_le, thua="", thua_cu="", tinh="8", tinh_cu="2"):
    values = {"Name": f"BTC {xa_cu}-{to_cu}", "Title": f"Tờ {to}", "Description": "",
              "bangThamChieuBanDoDiaChinh2CapId": f"{xa_cu}{to_cu}{ty_le}", "tinhId": tinh, "xaId": xa,
              "tinhIdCu": tinh_cu, "xaIdCu": xa_cu, "soHieuToBanDo": to, "soHieuToBanDoCu": to_cu,
              "ghiChu": "Xã Phú Linh", "soThuTuThua": thua, "soThuTuThuaCu": thua_cu, "tyLe": ty_le,
              "InId": "1", "OutId": "2", "CreatedDate": "2025-07-01 08:00:00",
              "ModifiedDate": "2025-07-01 08:00:00", "CreatedUserId": "1"}
    return [values[c] for c in NATIONAL_COLUMNS]


# data row k of the table is spreadsheet row k + 2 (header on row 1); comments give the row
ROWS = (
    [_row("706", str(s), "706", str(s), "1/1000") for s in range(1, 5)]                    # 2-5 kept
    + [_row("706", str(s), "706", str(s), "1/2000", "0", "0") for s in (1, 2)]             # 6-7 kept, 2nd scale
    + [_row("706", str(4 + s), "703", str(s), "1/1000") for s in range(1, 6)]              # 8-12
    + [_row("706", str(2 + s), "703", str(s), "1/2000") for s in range(1, 4)]              # 13-15 703/1 again
    + [_row("706", str(s), "709", str(s), "1/500") for s in range(1, 4)]                   # 16-18
    + [_row("706", "10", "709", "1", "1/1000")]                                            # 19
    + [_row("706", "6", "703", "2", "1/1000", "101", "15"),                                # 20 parcel 15 -> 101
       _row("706", "6", "703", "2", "1/1000", "102", "16"),                                # 21 parcel 16 -> 102
       _row("706", "6", "703", "2", "1/1000", "103", "99"),                                # 22 parcel 99: not on the map
       _row("706", "5", "703", "1", "1/1000"),                                             # 23 = row 8 again
       _row("706", "20", "99999", "1", "1/1000", tinh_cu="2"),                             # 24 not a commune code
       _row("703", "21", "709", "4", "1/1000"),                                            # 25 new code closed in 2025
       _row("706", "11", "709", "2", "1/1000"),                                            # 26 } one old key,
       _row("706", "12", "709", "2", "1/1000"),                                            # 27 } two targets
       _row("706", "13", "859", "1", "1/1000"),                                            # 28 859 did not go to 706
       _row("706", "10", "709", "3", "1/1000"),                                            # 29 target of row 19 again
       _row("706", "", "709", "5", "1/1000"),                                              # 30 no new sheet
       _row("859", "2", "859", "2", "1/1000", tinh="20"),                                  # 31 859 is in province 08
       _row("859", "1", "859", "1", "1/1000")])                                            # 32


def _write_xlsx(path, title_rows=2):
    wb = Workbook()
    ws = wb.active
    ws.title = "BANGTHAMCHIEUBANDODIACHINH2CAP"
    if title_rows:
        ws.append(["BẢNG THAM CHIẾU BẢN ĐỒ ĐỊA CHÍNH 2 CẤP - TỈNH TUYÊN QUANG"])
        for _ in range(title_rows - 1):
            ws.append([])
    ws.append(NATIONAL_COLUMNS)
    for row in ROWS:
        ws.append(row)
    for cells in ws.iter_rows():
        for cell in cells:
            cell.number_format = "@"          # every cell text, as published
    wb.save(path)


def test_scales_and_province_codes_as_the_national_table_writes_them():
    assert parse_scales(pd.Series(["1/500", "1:1.000", " 1 / 2000 ", "2000", "2000.0", "", None, "1/abc"])).tolist() == \
        [500, 1000, 2000, 2000, 2000, 0, 0, -1]
    assert normalise_province_codes(pd.Series(["8", "24", "024", "8.0", "", "X"])).tolist() == \
        ["08", "24", "24", "08", "", "X"]


def _findings(table):
    return {(c, r) for c, r in zip(table.findings["code"], table.findings["row"])}


def test_the_national_table_is_read_checked_and_every_row_accounted_for(tmp_path):
    path = tmp_path / "bang_tham_chieu.csv"
    pd.DataFrame(ROWS, columns=NATIONAL_COLUMNS).to_csv(path, index=False, encoding="utf-8-sig")
    table = read_merger_table(str(path))
    assert table.rows_read == len(ROWS) == 31
    assert _findings(table) == {
        ("MERGER_ROW_REPEATED", 8), ("MERGER_CODE_NOT_OFFICIAL", 24), ("MERGER_CODE_NOT_OFFICIAL", 25),
        ("MERGER_KEY_CONFLICT", 26), ("MERGER_NOT_SUCCESSOR", 28), ("MERGER_TARGET_CONFLICT", 19),
        ("MERGER_ROW_INCOMPLETE", 30), ("MERGER_PROVINCE_MISMATCH", 31)}
    message = dict(zip(table.findings["code"], table.findings["message"]))
    assert "rows 26, 27" in message["MERGER_KEY_CONFLICT"] and "1/1000" in message["MERGER_KEY_CONFLICT"]
    assert "rows 19, 29" in message["MERGER_TARGET_CONFLICT"]
    not_official = table.findings[table.findings["code"] == "MERGER_CODE_NOT_OFFICIAL"]["message"].tolist()
    assert "row 24: old commune code 99999 is not" in not_official[0]
    assert "row 25: new commune code 00703 is not a commune code in force since 1 July 2025" in not_official[1]
    assert "went to 00859" in message["MERGER_NOT_SUCCESSOR"]
    assert "rows 8, 23" in message["MERGER_ROW_REPEATED"]

    # codes padded to five digits; the old key 703/1 twice, told apart by the scale
    sheets = table.sheets.sort_values("row")
    got = {(c, s, k): (nc, ns) for c, s, k, nc, ns in sheets[["old_commune", "old_sheet", "scale", "new_commune",
                                                              "new_sheet"]].itertuples(index=False)}
    assert got[(CLOSED_LOW, "1", 1000)] == (KEPT, "5") and got[(CLOSED_LOW, "1", 2000)] == (KEPT, "3")
    assert got[(KEPT, "1", 1000)] == (KEPT, "1") and got[(KEPT, "1", 2000)] == (KEPT, "1")
    assert got[(CLOSED_HIGH, "1", 500)] == (KEPT, "1") and got[(ALONE, "2", 1000)] == (ALONE, "2")
    assert len(got) == 4 + 2 + 5 + 3 + 3 + 2 == len(sheets)
    for refused in ((CLOSED_HIGH, "2", 1000), (CLOSED_HIGH, "1", 1000), (CLOSED_HIGH, "3", 1000),
                    (CLOSED_HIGH, "5", 1000), (ALONE, "1", 1000)):
        assert refused not in got or refused == (ALONE, "1", 1000) and got[refused] == (ALONE, "1")
    assert table.parcels[["old_parcel", "new_parcel", "row"]].values.tolist() == [
        ["15", "101", 20], ["16", "102", 21], ["99", "103", 22]]

    # nothing silently skipped: every row is applied (a repeat once) or refused by a named finding
    assert table.status.to_dict() == {**{r: "applied" for r in range(2, 33)},
                                      19: "MERGER_TARGET_CONFLICT", 29: "MERGER_TARGET_CONFLICT",
                                      24: "MERGER_CODE_NOT_OFFICIAL", 25: "MERGER_CODE_NOT_OFFICIAL",
                                      26: "MERGER_KEY_CONFLICT", 27: "MERGER_KEY_CONFLICT",
                                      28: "MERGER_NOT_SUCCESSOR", 30: "MERGER_ROW_INCOMPLETE"}
    assert table.rows_applied == 31 - 8
    assert set(sheets["row"]) | set(table.parcels["row"]) | {23} == set(table.status.index[table.status == "applied"])


def test_xlsx_with_title_rows_gives_the_same_table_with_its_own_row_numbers(tmp_path):
    csv = tmp_path / "t.csv"
    pd.DataFrame(ROWS, columns=NATIONAL_COLUMNS).to_csv(csv, index=False, encoding="utf-8-sig")
    xlsx = tmp_path / "t.xlsx"
    _write_xlsx(xlsx, title_rows=2)
    a, b = read_merger_table(str(csv)), read_merger_table(str(xlsx))
    pd.testing.assert_frame_equal(a.sheets.drop(columns="row"), b.sheets.drop(columns="row"))
    assert (b.sheets["row"] - a.sheets["row"] == 2).all()           # header on row 3
    assert {(c, r + 2) for c, r in _findings(a)} == _findings(b)


def test_other_spellings_of_the_columns_are_read(tmp_path):
    spelled = {"xaIdCu": "Mã xã cũ", "soHieuToBanDoCu": "Số tờ bản đồ cũ", "xaId": "MaXa",
               "soHieuToBanDo": "SoToBanDo", "tyLe": "Tỷ lệ", "soThuTuThua": "Số thửa",
               "soThuTuThuaCu": "Số thửa cũ", "tinhId": "Mã tỉnh", "tinhIdCu": "Mã tỉnh cũ"}
    frame = pd.DataFrame(ROWS, columns=NATIONAL_COLUMNS).rename(columns=spelled)
    frame.to_csv(tmp_path / "t.csv", index=False, encoding="utf-8-sig")
    frame2 = pd.DataFrame(ROWS, columns=NATIONAL_COLUMNS)
    frame2.to_csv(tmp_path / "u.csv", index=False, encoding="utf-8-sig")
    a, b = read_merger_table(str(tmp_path / "t.csv")), read_merger_table(str(tmp_path / "u.csv"))
    pd.testing.assert_frame_equal(a.sheets, b.sheets)
    pd.testing.assert_frame_equal(a.findings, b.findings)


def test_applying_matches_by_commune_sheet_and_scale_and_lists_what_it_cannot(tmp_path):
    path = tmp_path / "t.csv"
    pd.DataFrame(ROWS, columns=NATIONAL_COLUMNS).to_csv(path, index=False, encoding="utf-8-sig")
    table = read_merger_table(str(path))
    parcels = pd.DataFrame([
        ("706", "1", "", 1),          # 0: 706/1 is at two scales in the table, scale unknown
        ("706", "1", "1/2000", 2),    # 1: kept
        ("703", "1", "1/1000", 3),    # 2: -> 706/5
        ("703", "1", "1:2000", 4),    # 3: -> 706/3
        ("703", "2", "1/1000", 15),   # 4: -> 706/6, parcel 101
        ("703", "2", "1/1000", 17),   # 5: -> 706/6, parcel kept
        ("709", "2", "1/1000", 5),    # 6: conflicting key: not applied, listed
        ("703", "4", "", 6),          # 7: one scale in the table -> 706/8
        ("12345", "1", "1/1000", 7),  # 8: not in the table
    ], columns=["MAXA", "SHBANDO", "TYLE", "SHTHUA"])
    done = apply_table(parcels, table, "MAXA", "SHBANDO", "SHTHUA", record_scales(parcels, "TYLE"),
                       "parcels", np.arange(1, 10))
    out = done.frame
    assert out["MAXA"].tolist() == ["706", "706", KEPT, KEPT, KEPT, KEPT, "709", KEPT, "12345"]
    assert out["SHBANDO"].tolist() == ["1", "1", "5", "3", "6", "6", "2", "8", "1"]
    assert out["SHTHUA"].tolist() == [1, 2, 3, 4, 101, 17, 5, 6, 7]
    assert out["MAXA_CU"].tolist() == parcels["MAXA"].tolist()
    assert out["SHBANDO_CU"].tolist() == parcels["SHBANDO"].tolist()
    assert out["SHTHUA_CU"].tolist() == parcels["SHTHUA"].tolist()
    assert done.changes["row"].tolist() == [2, 3, 4, 5, 7]
    assert done.changes["table_row"].tolist() == [8, 13, 20, 9, 11]
    f = done.findings
    assert sorted(zip(f["code"], f["row"])) == [
        ("MERGER_PARCEL_UNCOVERED", 21), ("MERGER_PARCEL_UNCOVERED", 22),
        ("MERGER_SCALE_AMBIGUOUS", 1),
        ("MERGER_SHEET_UNCOVERED", 7), ("MERGER_SHEET_UNCOVERED", 9)]
    ambiguous = f[f["code"] == "MERGER_SCALE_AMBIGUOUS"]["message"].iloc[0]
    assert "1/1000, 1/2000" in ambiguous


# ------------------------------------------------------------------ a generated pre-merger commune

@pytest.fixture(scope="module")
def pre_merger(tmp_path_factory):
    from cadastre_cleaner.core.sample.generator import SampleSpec, generate_sample
    from cadastre_cleaner.core.sample.pre_merger import make_pre_merger
    root = tmp_path_factory.mktemp("pre_merger")
    sample = generate_sample(root / "sample", SampleSpec(parcels=2000, seed=3, defect_rate=0.0))
    return sample, make_pre_merger(root / "sample", root / "before")


def _layer(path, name):
    from osgeo import ogr
    ds = ogr.Open(str(path))
    layer = ds.GetLayerByName(name)
    defn = layer.GetLayerDefn()
    names = [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
    return pd.DataFrame([[f.GetFID()] + [f.GetField(n) for n in names] for f in layer], columns=["fid"] + names)


def test_generated_pre_merger_commune_gets_every_number_the_table_gives(pre_merger, tmp_path):
    sample, before = pre_merger
    sheets_before = _layer(before.gpkg, "sheets")
    # the old numbering repeats across scales: that is what the scale in the key is for
    assert sheets_before.duplicated(["MAXA", "SHBANDO"]).any()
    out = tmp_path / "after.gpkg"
    result = run_merger(f"{before.gpkg}|layername=parcels", str(out),
                        sheets_source=f"{before.gpkg}|layername=sheets", register_source=str(before.register_csv),
                        reference=str(before.table), register_out=str(tmp_path / "register.csv"))
    table = result.table
    assert table.rows_read == len(before.plain) + 3 and table.rows_applied == table.rows_read
    # the only findings: the three repeated rows, named
    assert result.findings["code"].tolist() == ["MERGER_ROW_REPEATED"] * 3
    # and every row the table applies is used by some record
    used = set().union(*(set(a.table_rows.tolist()) for a in result.applied.values())) - {-1}
    assert used == set(table.sheets["row"]) | set(table.parcels["row"])

    # every sheet gets the number the table gives it, and is the generated (post-merger) sheet
    sheets = _layer(out, "sheets")
    expected = before.sheets.set_index(["old_commune", "old_sheet", "scale"])
    got = sheets.set_index(["MAXA_CU", "SHBANDO_CU", "TYLE"])[["MAXA", "SHBANDO"]]
    pd.testing.assert_frame_equal(got.rename(columns={"MAXA": "new_commune", "SHBANDO": "new_sheet"}),
                                  expected.loc[got.index, ["new_commune", "new_sheet"]], check_names=False)
    original = _layer(sample.gpkg, "sheets")
    assert sheets[["MAXA", "SHBANDO", "TYLE"]].values.tolist() == original[["MAXA", "SHBANDO", "TYLE"]].values.tolist()
    parcels, original = _layer(out, "parcels"), _layer(sample.gpkg, "parcels")
    assert parcels[["MAXA", "SHBANDO", "SHTHUA"]].values.tolist() == original[["MAXA", "SHBANDO", "SHTHUA"]].values.tolist()
    assert (parcels["SHTHUA_CU"] != parcels["SHTHUA"]).sum() == len(table.parcels) == 6
    register = pd.read_csv(tmp_path / "register.csv", dtype=str, keep_default_na=False)
    original = pd.read_csv(sample.register_csv, dtype=str, keep_default_na=False)
    for column in ("Mã xã", "Số tờ", "Số thửa", "Số tờ cũ", "Số thửa cũ"):
        assert register[column].tolist() == original[column].tolist(), column
    moved = ((parcels["MAXA_CU"] != parcels["MAXA"]) | (parcels["SHBANDO_CU"] != parcels["SHBANDO"])
             | (parcels["SHTHUA_CU"] != parcels["SHTHUA"])).sum()
    assert result.counts == {"sheets": (7, 4), "parcels": (2000, moved), "register": (2000, moved)}
    changes = _layer(out, "changes")
    assert set(changes["layer"]) == {"sheets", "parcels", "register"}
    assert len(_layer(out, "findings")) == 3


def test_after_applying_check_finds_map_and_register_in_agreement(pre_merger, tmp_path):
    from cadastre_cleaner.core.pipeline import CheckRequest, compute
    sample, before = pre_merger

    def flags(parcels, sheets, register):
        result, _ = compute(CheckRequest(parcels=parcels, sheets=sheets, register=register,
                                         out=str(tmp_path / "flags.gpkg"), checks=["register"]))
        return result.flags["code"].value_counts().to_dict(), len(result.pairs)

    # before: closed codes, and old sheet numbers repeating across scales clash on the key
    codes, _ = flags(f"{before.gpkg}|layername=parcels", f"{before.gpkg}|layername=sheets", str(before.register_csv))
    assert codes.get("COMMUNE_CODE_OBSOLETE") and codes.get("DUPLICATE_KEY_MAP")
    out = tmp_path / "after.gpkg"
    run_merger(f"{before.gpkg}|layername=parcels", str(out), sheets_source=f"{before.gpkg}|layername=sheets",
               register_source=str(before.register_csv), reference=str(before.table),
               register_out=str(tmp_path / "register.xlsx"))
    assert flags(f"{out}|layername=parcels", f"{out}|layername=sheets", str(tmp_path / "register.xlsx")) == \
        flags(f"{sample.gpkg}|layername=parcels", f"{sample.gpkg}|layername=sheets", str(sample.register_csv)) == \
        ({}, 2000)


def test_check_with_the_table_matches_a_register_still_keyed_by_old_numbers(pre_merger, tmp_path):
    from cadastre_cleaner.core.pipeline import CheckRequest, compute
    _, before = pre_merger
    out = tmp_path / "after.gpkg"
    run_merger(f"{before.gpkg}|layername=parcels", str(out), sheets_source=f"{before.gpkg}|layername=sheets",
               reference=str(before.table))

    def check(table):
        result, _ = compute(CheckRequest(parcels=f"{out}|layername=parcels", sheets=f"{out}|layername=sheets",
                                         register=str(before.register_csv), out=str(tmp_path / "f.gpkg"),
                                         checks=["register"], merger_table=table))
        return result

    # the map renumbered, the register not: without the table nothing lines up
    without = check(None)
    assert without.flags["code"].value_counts().get("DUPLICATE_KEY_REGISTER", 0) > 1000
    with_table = check(str(before.table))
    assert with_table.flags.empty and len(with_table.pairs) == 2000
    assert any("register record(s) keyed by their new commune" in n for n in with_table.notes)
    assert "reference table findings: MERGER_ROW_REPEATED ×3" in with_table.notes


def test_processing_applies_the_national_table_and_lists_findings(provider, pre_merger, tmp_path):
    import processing
    from qgis.core import QgsProcessingFeedback
    _, before = pre_merger
    out = tmp_path / "r.gpkg"
    result = processing.run("cadastre_cleaner:renumber_merger", {
        "PARCELS": f"{before.gpkg}|layername=parcels", "SHEETS": f"{before.gpkg}|layername=sheets",
        "REGISTER": str(before.register_csv), "REFERENCE": str(before.table), "OUTPUT": str(out),
        "REGISTER_OUTPUT": str(tmp_path / "reg.xlsx")}, feedback=QgsProcessingFeedback())
    assert result["ROWS_READ"] == len(before.plain) + 3 and result["ROWS_APPLIED"] == result["ROWS_READ"]
    assert result["FINDINGS"] == 3 and len(_layer(out, "findings")) == 3
    sheets = _layer(out, "sheets")
    assert (sheets["MAXA"] == before.sheets["new_commune"]).all()
    assert sheets["SHBANDO"].tolist() == before.sheets["new_sheet"].tolist()

    flags = tmp_path / "flags.gpkg"
    checked = processing.run("cadastre_cleaner:reconcile_register", {
        "PARCELS": f"{out}|layername=parcels", "SHEETS": f"{out}|layername=sheets",
        "REGISTER_FILE": str(before.register_csv), "MERGER_TABLE": str(before.table),
        "OUTPUT": str(flags)}, feedback=QgsProcessingFeedback())
    assert checked["MATCHED"] == 2000 and checked["FLAGS"] == 0


def test_a_table_made_here_on_a_generated_pre_merger_commune_nothing_silently_skipped(pre_merger, tmp_path):
    """The table is written in this test in the published layout from the generated commune's own
    sheets (leading zeros dropped, tyLe "1/1000"), with a repeated row, a non-official code and a
    key sent to two targets that hits a real sheet."""
    from cadastre_cleaner.core.reference.admin_units import AdminUnits
    units = AdminUnits.load()
    sample, before = pre_merger
    plan = before.sheets.reset_index(drop=True)
    province = lambda code, col: units.units.at[code, col].lstrip("0")    # noqa: E731
    rows = [_row(c.lstrip("0"), s, oc.lstrip("0"), os_, f"1/{k}", tinh=province(c, "province_code"),
                 tinh_cu=province(oc, "old_province_code"))
            for oc, os_, k, c, s in plan[["old_commune", "old_sheet", "scale", "new_commune", "new_sheet"]]
            .itertuples(index=False)]
    parcel_rows = before.plain[before.plain["old_parcel"] != ""]
    rows += [_row(c.lstrip("0"), s, oc.lstrip("0"), os_, f"1/{k}", np_, op, tinh=province(c, "province_code"),
                  tinh_cu=province(oc, "old_province_code"))
             for oc, os_, k, c, s, op, np_ in parcel_rows[["old_commune", "old_sheet", "scale", "new_commune",
                                                           "new_sheet", "old_parcel", "new_parcel"]]
             .itertuples(index=False)]
    conflict = plan[plan["old_commune"] != plan["new_commune"]].iloc[-1]
    rows += [rows[0],                                                                     # repeated
             _row(conflict["new_commune"].lstrip("0"), "998", "99999", "1", "1/1000",    # not a commune code
                  tinh=province(conflict["new_commune"], "province_code"), tinh_cu="20"),
             _row(conflict["new_commune"].lstrip("0"), "999", conflict["old_commune"].lstrip("0"),
                  conflict["old_sheet"], f"1/{conflict['scale']}",                       # the same key, elsewhere
                  tinh=province(conflict["new_commune"], "province_code"),
                  tinh_cu=province(conflict["old_commune"], "old_province_code"))]
    path = tmp_path / "bang_tham_chieu.csv"
    pd.DataFrame(rows, columns=NATIONAL_COLUMNS).to_csv(path, index=False, encoding="utf-8-sig")
    assert 10 <= len(rows) <= 60

    out = tmp_path / "after.gpkg"
    result = run_merger(f"{before.gpkg}|layername=parcels", str(out), sheets_source=f"{before.gpkg}|layername=sheets",
                        reference=str(path))
    table, findings = result.table, result.findings
    n = len(rows)
    assert table.status.to_dict() == {**{r: "applied" for r in range(2, n + 2)}, n: "MERGER_CODE_NOT_OFFICIAL",
                                      n + 1: "MERGER_KEY_CONFLICT", 2 + int(conflict.name): "MERGER_KEY_CONFLICT"}
    assert sorted(set(findings["code"])) == ["MERGER_CODE_NOT_OFFICIAL", "MERGER_KEY_CONFLICT",
                                             "MERGER_ROW_REPEATED", "MERGER_SHEET_UNCOVERED"]

    # every sheet gets the number the table gives it; the one whose key conflicts is left and listed
    sheets = _layer(out, "sheets")
    for i, row in plan.iterrows():
        got = sheets.loc[i, ["MAXA", "SHBANDO"]].tolist()
        if i == conflict.name:
            assert got == [row["old_commune"], row["old_sheet"]]
        else:
            assert got == [row["new_commune"], row["new_sheet"]]
    parcels = _layer(out, "parcels")
    left = (parcels["MAXA"] == conflict["old_commune"]) & (parcels["SHBANDO"] == conflict["old_sheet"])
    uncovered = findings[findings["code"] == "MERGER_SHEET_UNCOVERED"]
    assert set(uncovered["layer"]) == {"parcels", "sheets"}
    assert uncovered[["commune", "sheet", "scale"]].drop_duplicates().values.tolist() == [
        [conflict["old_commune"], conflict["old_sheet"], conflict["scale"]]]
    listed = uncovered[uncovered["layer"] == "parcels"]["message"].iloc[0]
    assert f"({int(left.sum())} record(s))" in listed
    # nothing silently skipped: every parcel moved to the generated numbers, or is on the listed sheet
    original = _layer(sample.gpkg, "parcels")
    same = (parcels[["MAXA", "SHBANDO", "SHTHUA"]].values == original[["MAXA", "SHBANDO", "SHTHUA"]].values).all(axis=1)
    assert (same | left.to_numpy()).all() and not same[left.to_numpy()].any()
