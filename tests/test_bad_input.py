"""Bad input gives one clear line naming the file, the row and the fix — never a traceback."""
import subprocess
import sys

import pytest

from casebuilder import P, R, write_case
from cadastre_cleaner.core.errors import InputError
from cadastre_cleaner.core.pipeline import CheckRequest, compute, run_check


def request(case, tmp_path, **kw):
    return CheckRequest(parcels=str(case.parcels), register=str(case.register),
                        out=str(tmp_path / "flags.gpkg"), **kw)


@pytest.fixture
def case(tmp_path):
    return write_case(tmp_path / "in", [P("1", 1), P("1", 2, 200)], [R("1", 1), R("1", 2, 200)])


def test_missing_parcel_file(tmp_path, case):
    req = request(case, tmp_path)
    req.parcels = str(tmp_path / "nope.gpkg")
    with pytest.raises(InputError, match="nope.gpkg: parcels file not found"):
        compute(req)


def test_missing_register_file(tmp_path, case):
    req = request(case, tmp_path)
    req.register = str(tmp_path / "nope.xlsx")
    with pytest.raises(InputError, match="register file not found"):
        compute(req)


def test_corrupt_files(tmp_path, case):
    bad = tmp_path / "broken.gpkg"
    bad.write_bytes(b"this is not a geopackage at all" * 10)
    req = request(case, tmp_path)
    req.parcels = str(bad)
    with pytest.raises(InputError, match="cannot open"):
        compute(req)
    xl = tmp_path / "broken.xlsx"
    xl.write_bytes(b"PK\x03\x04 truncated zip")
    req = request(case, tmp_path)
    req.register = str(xl)
    with pytest.raises(InputError, match="cannot read as an Excel workbook"):
        compute(req)


def test_empty_register_and_empty_layer(tmp_path, case):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(InputError, match="empty"):
        compute(CheckRequest(parcels=str(case.parcels), register=str(empty), out=str(tmp_path / "f.gpkg")))
    header_only = tmp_path / "header.csv"
    header_only.write_text("Số tờ,Số thửa\n", encoding="utf-8")
    with pytest.raises(InputError, match="no data rows"):
        compute(CheckRequest(parcels=str(case.parcels), register=str(header_only), out=str(tmp_path / "f.gpkg")))
    no_parcels = write_case(tmp_path / "none", [], [R("1", 1)])
    with pytest.raises(InputError, match="no features"):
        compute(request(no_parcels, tmp_path))


def test_missing_field_names_the_fix(tmp_path):
    case = write_case(tmp_path / "in", [P("1", 1)], [R("1", 1)],
                      map_fields=("SHBANDO", "DIENTICH"))
    with pytest.raises(InputError, match=r"map\.parcel.*--field map\.parcel="):
        compute(request(case, tmp_path))


def test_null_geometries_are_kept_and_still_matched(tmp_path):
    case = write_case(tmp_path / "in", [P("1", 1), P("1", 2, 200, geometry="EMPTY")],
                      [R("1", 1), R("1", 2, 200)])
    result, _ = compute(request(case, tmp_path))
    assert len(result.m) == 2 and len(result.pairs) == 2    # no row silently dropped


def test_area_column_of_text_is_a_clear_error(tmp_path):
    case = write_case(tmp_path / "in", [P("1", 1)], [R("1", 1, area="một trăm")])
    with pytest.raises(InputError, match="holds no numbers.*row 2"):
        compute(request(case, tmp_path))


def test_cli_prints_one_line_and_exits_2(tmp_path, case):
    proc = subprocess.run([sys.executable, "-m", "cadastre_cleaner", "check", "--parcels",
                           str(tmp_path / "missing.gpkg"), "--register", str(case.register),
                           "--out", str(tmp_path / "f.gpkg")], capture_output=True, text=True,
                          cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines()[-1].startswith("error: ")
    assert "Traceback" not in proc.stderr


def test_cli_check_runs_and_writes(tmp_path, case):
    out = tmp_path / "flags.gpkg"
    proc = subprocess.run([sys.executable, "-m", "cadastre_cleaner", "check", "--parcels", str(case.parcels),
                           "--register", str(case.register), "--out", str(out), "--report",
                           str(tmp_path / "r.xlsx"), "--quiet"], capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "matched 2" in proc.stdout and out.exists() and (tmp_path / "r.xlsx").exists()


def test_register_checks_without_a_register_are_a_clear_error(tmp_path, case):
    req = request(case, tmp_path)
    req.register = None
    req.checks = ["register"]
    with pytest.raises(InputError, match="need.* a register table") as err:
        run_check(req)
    assert "--register" in err.value.fix


def test_unknown_check_name_is_a_clear_error(tmp_path, case):
    req = request(case, tmp_path)
    req.checks = ["OVERLAPS"]
    with pytest.raises(InputError, match="unknown check 'OVERLAPS'"):
        run_check(req)


def test_without_a_register_the_map_alone_is_checked(tmp_path, case):
    req = request(case, tmp_path)
    req.register = None
    s = run_check(req)
    assert s.parcels == 2 and s.register_rows == 0
    assert not {"MAP_ONLY", "REGISTER_ONLY"} & set(s.flags_by_code)


def test_duplicate_headers_in_a_register_file_are_a_clear_error(tmp_path, case):
    dup = tmp_path / "dup.csv"
    dup.write_text("Số tờ,Số thửa,Số thửa,Diện tích\n1,1,1,100\n1,2,2,200\n", encoding="utf-8")
    req = request(case, tmp_path)
    req.register = str(dup)
    with pytest.raises(InputError, match="'Số thửa'.*appears 2 times") as err:
        compute(req)
    assert "dup.csv" in err.value.one_line()


def test_legacy_windows_1258_csv_with_title_rows_is_read(tmp_path, case):
    legacy = tmp_path / "legacy.csv"
    text = ("SỔ MỤC KÊ ĐẤT ĐAI\nXã Hoàng Đồng\nSố tờ;Số thửa;Diện tích;Mục đích sử dụng\n"
            "1;1;100,0;ONT\n1;2;200,0;ONT\n")
    legacy.write_bytes(to_cp1258(text))
    req = request(case, tmp_path)
    req.register = str(legacy)
    result, _ = compute(req)
    assert len(result.pairs) == 2
    assert list(result.r["row"]) == [4, 5]      # rows as the user sees them, under the title rows


def to_cp1258(text: str) -> bytes:
    """Windows-1258 keeps Â Ê Ô Ă Ơ Ư Đ whole but writes tones as separate marks."""
    import unicodedata
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out, base = [], -1
    for ch in unicodedata.normalize("NFD", text):
        if base >= 0 and ch not in tones and unicodedata.combining(ch):
            out[base] = unicodedata.normalize("NFC", out[base] + ch)   # Ô, Ă, Ơ, Ư
        else:
            out.append(ch)
            if not unicodedata.combining(ch):
                base = len(out) - 1
    return "".join(out).encode("cp1258")
