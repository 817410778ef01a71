"""Flags that last: reviewers' decisions survive re-runs; an interrupted run loses nothing."""
import pytest
from osgeo import ogr

from casebuilder import P, R, write_case
from cadastre_cleaner.core import flags_store
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
