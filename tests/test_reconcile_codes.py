"""One behaviour per check code, on tiny hand-made parcels and register rows (real files)."""
import pytest

from casebuilder import P, R, write_case
from cadastre_cleaner.core.pipeline import CheckRequest, compute


def run(tmp_path, parcels, register, sheets=None, **kw):
    case = write_case(tmp_path, parcels, register, sheets)
    req = CheckRequest(parcels=str(case.parcels), register=str(case.register),
                       sheets=str(case.sheets) if case.sheets else None,
                       out=str(tmp_path / "flags.gpkg"), **kw)
    result, _ = compute(req)
    return result


def codes(result, code=None):
    f = result.flags
    return f if code is None else f[f["code"] == code]


def clean_sheet(n=6, sheet="1", base=100.0):
    """n parcels with clearly different areas, and their register rows."""
    ps = [P(sheet, i, area=base + 60 * i) for i in range(1, n + 1)]
    rs = [R(sheet, i, area=base + 60 * i) for i in range(1, n + 1)]
    return ps, rs


def test_clean_data_gives_no_flag(tmp_path):
    ps, rs = clean_sheet()
    result = run(tmp_path, ps, rs)
    assert result.flags.empty
    assert len(result.pairs) == 6


def test_map_only(tmp_path):
    ps, rs = clean_sheet()
    result = run(tmp_path, ps, rs[:-1])
    f = codes(result, "MAP_ONLY")
    assert list(f["parcel"]) == ["6"] and list(f["sheet"]) == ["1"]
    assert len(result.flags) == 1


def test_register_only(tmp_path):
    ps, rs = clean_sheet()
    result = run(tmp_path, ps, rs + [R("1", 99, area=555.0)])
    f = codes(result, "REGISTER_ONLY")
    assert list(f["parcel"]) == ["99"]
    assert list(result.r["row"][f["reg_idx"]]) == [8]     # header row 1, seventh data row = row 8
    assert len(result.flags) == 1


def test_swapped_numbers_are_recognised_and_the_right_number_suggested(tmp_path):
    ps, rs = clean_sheet()
    ps[1].parcel, ps[4].parcel = 5, 2                   # parcels 2 and 5 swapped on the map
    result = run(tmp_path, ps, rs)
    f = codes(result, "NUMBER_MISMATCH").sort_values("parcel")
    assert list(f["parcel"]) == ["2", "5"]
    assert list(f["suggested_parcel"]) == ["5", "2"]    # the map's "2" is really 5
    assert (f["confidence"] >= 0.9).all()
    assert codes(result, "AREA_MISMATCH").empty and codes(result, "MAP_ONLY").empty


@pytest.mark.parametrize("typo,true", [(132, 123), (128, 123), (1230, 123), (12, 123)])
def test_mistyped_number_suggests_the_register_number(tmp_path, typo, true):
    ps = [P("1", n, area=80 + 37 * k) for k, n in enumerate([121, 122, typo, 124])]
    rs = [R("1", n, area=80 + 37 * k) for k, n in enumerate([121, 122, true, 124])]
    result = run(tmp_path, ps, rs)
    f = codes(result, "NUMBER_MISMATCH")
    assert list(f["parcel"]) == [str(typo)] and list(f["suggested_parcel"]) == [str(true)]
    assert codes(result, "MAP_ONLY").empty and codes(result, "REGISTER_ONLY").empty


def test_unrelated_numbers_are_not_called_a_typo(tmp_path):
    ps = [P("1", 40, area=200.0)]
    rs = [R("1", 17, area=200.0)]
    result = run(tmp_path, ps, rs)
    assert codes(result, "NUMBER_MISMATCH").empty
    assert set(result.flags["code"]) - {"NUMBERING_GAP"} == {"MAP_ONLY", "REGISTER_ONLY"}


def test_typo_with_a_different_area_is_not_a_number_mismatch(tmp_path):
    result = run(tmp_path, [P("1", 132, area=200.0)], [R("1", 123, area=420.0)])
    assert codes(result, "NUMBER_MISMATCH").empty


def test_duplicate_number_on_map_flags_both_and_suggests_the_free_number(tmp_path):
    ps, rs = clean_sheet()
    ps[3].parcel = 2                                     # parcel 4 drawn with number 2
    result = run(tmp_path, ps, rs)
    f = codes(result, "DUPLICATE_KEY_MAP")
    assert len(f) == 2 and set(f["parcel"]) == {"2"}
    assert sorted(f["suggested_parcel"]) == ["", "4"]
    assert codes(result, "REGISTER_ONLY").empty and codes(result, "MAP_ONLY").empty


def test_duplicate_register_rows_flag_each_row_and_offer_to_delete_an_exact_copy(tmp_path):
    ps, rs = clean_sheet()
    result = run(tmp_path, ps, rs + [R("1", 3, area=rs[2].area)])
    f = codes(result, "DUPLICATE_KEY_REGISTER")
    assert len(f) == 2
    assert f["suggestion"].str.startswith("delete row").sum() == 1
    assert codes(result, "REGISTER_ONLY").empty


def test_area_within_tolerance_is_fine_and_beyond_is_flagged(tmp_path):
    ps = [P("1", 1, area=400.0), P("1", 2, area=400.0)]
    rs = [R("1", 1, area="405,0"), R("1", 2, area="440,0")]   # tolerance at 1:1000 ≈ 8 m²
    result = run(tmp_path, ps, rs)
    f = codes(result, "AREA_MISMATCH")
    assert list(f["parcel"]) == ["2"]
    assert f["suggested_value"].iloc[0] == "400.0"


def test_area_typo_hint_names_a_shifted_decimal_point(tmp_path):
    result = run(tmp_path, [P("1", 1, area=245.3)], [R("1", 1, area=2453)])
    f = codes(result, "AREA_MISMATCH")
    assert "decimal point" in f["message"].iloc[0]


def test_landuse_mismatch_and_invalid(tmp_path):
    ps = [P("1", 1, landuse="ONT"), P("1", 2, area=300, landuse="LUC"), P("1", 3, area=500, landuse="XYZ")]
    rs = [R("1", 1, landuse="ont"), R("1", 2, area=300, landuse="CLN"), R("1", 3, area=500, landuse="ONT")]
    result = run(tmp_path, ps, rs)
    assert list(codes(result, "LANDUSE_MISMATCH")["parcel"]) == ["2"]
    inv = codes(result, "LANDUSE_INVALID")
    assert list(inv["parcel"]) == ["3"] and inv["severity"].iloc[0] == "error"
    # an invalid code is not also reported as a disagreement
    assert "3" not in set(codes(result, "LANDUSE_MISMATCH")["parcel"])


def test_obsolete_commune_code_suggests_the_new_one_and_still_matches(tmp_path):
    ps, rs = clean_sheet(3)
    rs[0].commune = "06070"                              # closed on 1 July 2025 -> 06076
    ps = [P(p.sheet, p.parcel, p.area, commune="06076") for p in ps]
    for r in rs[1:]:
        r.commune = "06076"
    result = run(tmp_path, ps, rs)
    f = codes(result, "COMMUNE_CODE_OBSOLETE")
    assert list(f["suggested_commune"]) == ["06076"]
    assert len(result.pairs) == 3                        # matched through the new code


def test_unknown_commune_code(tmp_path):
    ps, rs = clean_sheet(2)
    rs[1].commune = "99999"
    result = run(tmp_path, ps, rs)
    assert list(codes(result, "COMMUNE_CODE_INVALID")["commune"]) == ["99999"]


def test_owner_missing_and_citizen_id_checks(tmp_path):
    ps, rs = clean_sheet(5)
    rs[0].owner = ""
    rs[1].cid = "02009012345"                            # leading zero lost in Excel
    rs[2].cid = "ABC"
    rs[3].owner, rs[3].kind, rs[3].cid = "UBND xã Hoàng Đồng", "UBS", ""   # organisation: no ID
    result = run(tmp_path, ps, rs)
    assert list(codes(result, "OWNER_MISSING")["parcel"]) == ["1"]
    ids = codes(result, "OWNER_ID_INVALID").set_index("parcel")
    assert set(ids.index) == {"2", "3"}
    assert ids.loc["2", "suggested_value"] == "002009012345"


def test_key_missing_on_both_sides(tmp_path):
    ps, rs = clean_sheet(3)
    ps[0].parcel = None
    rs[2].sheet = ""
    result = run(tmp_path, ps, rs)
    f = codes(result, "KEY_MISSING")
    assert len(f) == 2
    assert set(f["suggestion_target"]) == {"map", "register"}


def test_sheet_mismatch_by_frame_suggests_the_sheet_it_lies_on(tmp_path):
    ps = [P("1", 1, 120), P("1", 2, 180), P("2", 1, 240), P("2", 2, 300)]
    ps.append(P("2", 3, 360, at_sheet="1"))             # lies on sheet 1, labelled sheet 2
    rs = [R("1", 1, 120), R("1", 2, 180), R("2", 1, 240), R("2", 2, 300), R("1", 3, 360)]
    result = run(tmp_path, ps, rs, sheets=["1", "2"])
    f = codes(result, "SHEET_MISMATCH")
    assert list(f["suggested_sheet"]) == ["1"] and list(f["sheet"]) == ["2"]
    assert len(result.flags) == 1 and len(result.pairs) == 5


def test_sheet_mismatch_without_frames_uses_the_neighbours(tmp_path):
    # two sheets of 3 × 3 parcels side by side; the centre parcel of sheet 1 says "sheet 2"
    ps = []
    for sheet, x0 in (("1", 450_000), ("2", 450_500)):
        for k in range(9):
            x, y = x0 + (k % 3) * 20, 2_420_000 + (k // 3) * 20
            number, label = k + 1, sheet
            if sheet == "1" and k == 4:
                number, label = 19, "2"
            ps.append(P(label, number, 400, geometry=f"POLYGON(({x} {y},{x + 20} {y},{x + 20} {y + 20},"
                                                 f"{x} {y + 20},{x} {y}))"))
    rs = [R(p.sheet, p.parcel, 400) for p in ps]
    result = run(tmp_path, ps, rs)
    f = codes(result, "SHEET_MISMATCH")
    assert list(f["parcel"]) == ["19"] and list(f["suggested_sheet"]) == ["1"]


def test_numbering_gap_is_info_and_old_numbers_explain_gaps(tmp_path):
    ps = [P("1", n, 100 + 20 * n) for n in (1, 2, 3, 6, 7, 8, 9)]
    rs = [R("1", n, 100 + 20 * n) for n in (1, 2, 3, 6, 7, 8)]
    rs.append(R("1", 9, 280, old_sheet="1", old_parcel="5"))   # 5 was cancelled by a split
    result = run(tmp_path, ps, rs)
    f = codes(result, "NUMBERING_GAP")
    assert list(f["parcel"]) == ["4"] and list(f["severity"]) == ["info"]


def test_text_in_the_area_column_is_reported_and_the_rest_is_checked(tmp_path):
    ps, rs = clean_sheet(3)
    rs[1].area = "hai trăm"
    result = run(tmp_path, ps, rs)
    f = codes(result, "VALUE_INVALID")
    assert len(f) == 1 and "hai trăm" in f["message"].iloc[0]
    assert codes(result, "AREA_MISMATCH").empty and len(result.pairs) == 3


def test_sheet_numbers_that_are_text_are_kept(tmp_path):
    ps = [P("TĐ03-2014", 1, 150), P("TĐ03-2014", 2, 260)]
    rs = [R("tđ03-2014", "01", 150), R(" TĐ03-2014 ", 2.0, 260)]
    result = run(tmp_path, ps, rs)
    assert result.flags.empty and len(result.pairs) == 2
