"""Flags that last: reviewers' decisions survive re-runs; an interrupted run loses nothing."""
import pytest
from osgeo import ogr

from casebuilder import P, R, write_case
from cadastre_cleaner.core.flags import store as flags_store
from cadastre_cleaner.core.pipeline import CheckRequest, run_check


def read(path):
    ds = ogr.Open(str(path))
    layer = ds.GetLayerByName("flags")
    rows = []
    for f in layer:
        rows.append({k: f.GetField(k) for k in ("ident", "code", "parcel", "status", "comment",
                                                 "first_seen", "last_seen", "resolved_by", "register_row",
                                                 "map_fid", "severity", "message")} |
                    {"geom": f.GetGeometryRef().GetGeometryName() if f.GetGeometryRef() else None})
    runs = ds.GetLayerByName("runs").GetFeatureCount()
    return rows, runs


def set_review(path, parcel, code, status, comment):
    ds = ogr.Open(str(path), 1)
    layer = ds.GetLayerByName("flags")
    layer.SetAttributeFilter(f"parcel = '{parcel}' AND code = '{code}'")
    for f in layer:
        f.SetField("status", status)
        f.SetField("comment", comment)
        f.SetField("resolved_by", "officer Hà")
        layer.SetFeature(f)
    ds = None


@pytest.fixture
def case(tmp_path):
    parcels = [P("1", i, 100 + 60 * i) for i in range(1, 6)]
    register = [R("1", i, 100 + 60 * i) for i in (1, 2, 3)]        # 4 and 5 not registered
    return write_case(tmp_path / "in", parcels, register)


def check(case, out):
    return run_check(CheckRequest(parcels=str(case.parcels), register=str(case.register), out=str(out)))


def test_flags_file_has_the_agreed_fields_and_geometry(tmp_path, case):
    out = tmp_path / "flags.gpkg"
    check(case, out)
    ds = ogr.Open(str(out))
    layer = ds.GetLayerByName("flags")
    names = {layer.GetLayerDefn().GetFieldDefn(i).GetName() for i in range(layer.GetLayerDefn().GetFieldCount())}
    assert {"code", "severity", "commune", "sheet", "parcel", "map_fid", "register_row", "message",
            "suggestion", "status", "comment", "first_seen", "last_seen", "resolved_by",
            "resolved_at"} <= names
    rows, runs = read(out)
    assert {r["code"] for r in rows} == {"MAP_ONLY"} and runs == 1
    assert all(r["geom"] == "MULTIPOLYGON" and r["status"] == "open" for r in rows)
    assert sorted(r["map_fid"] for r in rows) == [case.fids[3], case.fids[4]]


def test_rerun_keeps_reviews_and_marks_vanished_flags_fixed(tmp_path, case):
    out = tmp_path / "flags.gpkg"
    check(case, out)
    set_review(out, "4", "MAP_ONLY", "exception", "đất công, chưa đăng ký")
    # the register gets parcel 5: its flag vanishes; parcel 4's flag still applies
    with open(case.register, "a", encoding="utf-8") as fh:
        fh.write("9,06073,1,5,400,ONT,Lê Thị Hoa,GDC,020190123456,,\n")
    summary = check(case, out)
    rows, runs = read(out)
    by_parcel = {r["parcel"]: r for r in rows}
    assert by_parcel["4"]["status"] == "exception"
    assert by_parcel["4"]["comment"] == "đất công, chưa đăng ký"
    assert by_parcel["4"]["first_seen"] <= by_parcel["4"]["last_seen"]
    assert by_parcel["5"]["status"] == "fixed" and by_parcel["5"]["resolved_by"] == flags_store.RECHECK
    assert runs == 2 and summary.store["closed_by_recheck"] == 1


def test_a_flag_the_recheck_closed_comes_back_open(tmp_path, case):
    out = tmp_path / "flags.gpkg"
    check(case, out)
    original = case.register.read_text(encoding="utf-8-sig")
    with open(case.register, "a", encoding="utf-8") as fh:
        fh.write("9,06073,1,5,400,ONT,Lê Thị Hoa,GDC,020190123456,,\n")
    check(case, out)
    case.register.write_text(original, encoding="utf-8-sig")
    check(case, out)
    rows, _ = read(out)
    assert {r["parcel"]: r["status"] for r in rows}["5"] == "open"


def test_a_flag_marked_fixed_but_still_found_comes_back_open(tmp_path, case):
    out = tmp_path / "flags.gpkg"
    check(case, out)
    set_review(out, "4", "MAP_ONLY", "fixed", "added to the register")
    check(case, out)                                   # the register was not changed after all
    rows, _ = read(out)
    row = {r["parcel"]: r for r in rows}["4"]
    assert row["status"] == "open" and row["comment"] == "added to the register"


def test_interrupted_write_leaves_the_previous_file_intact(tmp_path, case, monkeypatch):
    out = tmp_path / "flags.gpkg"
    check(case, out)
    set_review(out, "4", "MAP_ONLY", "exception", "kept")
    before = out.read_bytes()

    def boom(*a, **k):
        raise KeyboardInterrupt()
    monkeypatch.setattr(flags_store, "_write_rows", boom)
    with pytest.raises(KeyboardInterrupt):
        check(case, out)
    assert out.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".flags-")]   # no temp left


def test_a_file_that_is_not_a_flags_file_is_refused(tmp_path, case):
    from cadastre_cleaner.core.errors import InputError
    with pytest.raises(InputError, match="not a Cadastre Cleaner flags file"):
        check(case, case.parcels)                      # would overwrite the map: refused


def sheet_rows(path):
    ds = ogr.Open(str(path))
    layer = ds.GetLayerByName("sheet_summary")
    names = [layer.GetLayerDefn().GetFieldDefn(i).GetName() for i in range(layer.GetLayerDefn().GetFieldCount())]
    return [{k: f.GetField(k) for k in names} for f in layer]


def test_progress_counts_reviewed_and_open_errors_and_the_report_sums_communes(tmp_path, case):
    import pandas as pd
    out, report = tmp_path / "flags.gpkg", tmp_path / "report.xlsx"
    check(case, out)
    first = sheet_rows(out)
    assert [(r["parcels"], r["matched"], r["flagged"], r["open_errors"], r["reviewed"], r["clean"])
            for r in first] == [(5, 3, 2, 2, 0, 3)]
    set_review(out, "4", "MAP_ONLY", "exception", "đất công")
    run_check(CheckRequest(parcels=str(case.parcels), register=str(case.register), out=str(out),
                           report=str(report)))
    rows = sheet_rows(out)
    newest = max(rows, key=lambda r: r["run_id"])
    assert newest["run_id"] == 2 and len(rows) == 2
    assert newest["open_errors"] == first[0]["open_errors"] - 1 == 1
    assert newest["reviewed"] == first[0]["reviewed"] + 1 == 1
    assert newest["flagged"] == 2                      # the run's own count, before review
    assert newest["clean"] == 3 and newest["clean_pct"] == 60.0   # parcel 4 is still unmatched
    sheets = pd.read_excel(report, sheet_name="sheets")
    assert {"open_errors", "reviewed"} <= set(sheets.columns)
    communes = pd.read_excel(report, sheet_name="communes", dtype={"commune": str})
    assert len(communes) == 1
    row = communes.iloc[0]
    assert str(row["commune"]) == str(newest["commune"])
    assert (row["parcels"], row["matched"], row["open_errors"], row["reviewed"], row["clean"]) == (5, 3, 1, 1, 3)
    assert row["clean_pct"] == 60.0
