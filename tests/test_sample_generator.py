"""The sample generator: a seeded, realistic commune whose answer key says exactly what is wrong."""
import hashlib

import numpy as np
import pandas as pd
import pytest
import shapely

from cadastre_cleaner.core.reference.admin_units import AdminUnits
from cadastre_cleaner.core.reference.landuse import LandUseCodes
from cadastre_cleaner.core.sample import SampleSpec, generate_sample
from cadastre_cleaner.core.reference.sheet_grid import area_tolerance, sheet_frame, zigzag_order

ALL_CODES = {"NUMBER_MISMATCH", "SHEET_MISMATCH", "MAP_ONLY", "REGISTER_ONLY", "DUPLICATE_KEY_MAP",
             "DUPLICATE_KEY_REGISTER", "AREA_MISMATCH", "LANDUSE_MISMATCH", "LANDUSE_INVALID",
             "COMMUNE_CODE_OBSOLETE", "OWNER_ID_INVALID", "OWNER_MISSING"}


# ----------------------------------------------------------------------------- helpers

def read_layer(path, name) -> tuple[pd.DataFrame, np.ndarray]:
    from osgeo import ogr
    ogr.UseExceptions()
    ds = ogr.Open(str(path))
    layer = ds.GetLayerByName(name)
    defn = layer.GetLayerDefn()
    names = [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
    rows, wkb = [], []
    for f in layer:
        rows.append([f.GetFID()] + [f.GetField(n) for n in names])
        wkb.append(bytes(f.GetGeometryRef().ExportToWkb()))
    return pd.DataFrame(rows, columns=["fid"] + names), shapely.from_wkb(wkb)


def read_register(path) -> pd.DataFrame:
    reg = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    reg.insert(0, "row", np.arange(len(reg)) + 2)
    return reg


def read_key(path) -> pd.DataFrame:
    key = pd.read_csv(path, dtype=str, keep_default_na=False)
    for c in ("map_fid", "register_row"):
        key[c] = pd.to_numeric(key[c]).astype("Int64")
    return key


def cccd_ok(ids: pd.Series, provinces: set) -> pd.Series:
    """DOMAIN.md rule: 12 digits, province-of-birth code, century/sex digit and year of a birth 1940–2005."""
    s = ids.astype(str)
    digits = s.str.fullmatch(r"\d{12}")
    century = pd.to_numeric(s.str[3].where(digits, "9"))
    year = pd.to_numeric(s.str[4:6].where(digits, "0")) + np.where(century >= 2, 2000, 1900)
    return digits & s.str[:3].isin(provinces) & (century <= 3) & (year >= 1940) & (year <= 2005)


class Sample:
    """A generated sample read back from its files."""

    def __init__(self, result):
        self.result = result
        self.parcels, self.geoms = read_layer(result.gpkg, "parcels")
        self.sheets, self.frames = read_layer(result.gpkg, "sheets")
        self.register = read_register(result.register_csv)
        self.key = read_key(result.answer_key)
        # a sheet number is unique within its commune only: sheets are keyed "commune|sheet"
        sheet_key = self.sheets["MAXA"] + "|" + self.sheets["SHBANDO"]
        self.scale_of_sheet = dict(zip(sheet_key, self.sheets["TYLE"]))
        self.frame_of_sheet = dict(zip(sheet_key, self.frames))
        p = self.parcels
        p["sheet_key"] = p["MAXA"] + "|" + p["SHBANDO"]
        # the sheet each parcel truly lies on (SHEET_MISMATCH parcels carry a wrong SHBANDO)
        true_sheet = p["sheet_key"].copy()
        moved = self.key[self.key["code"] == "SHEET_MISMATCH"]
        true_sheet[moved["map_fid"].astype(int).to_numpy() - 1] = (moved["commune"] + "|"
                                                                   + moved["expected_sheet"]).to_numpy()
        p["true_sheet"] = true_sheet
        reg = self.register
        reg["sheet_key"] = reg["Mã xã"] + "|" + reg["Số tờ"]
        self.touched_fids = set(self.key["map_fid"].dropna().astype(int))
        self.touched_rows = set(self.key["register_row"].dropna().astype(int))


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample10k")
    return Sample(generate_sample(out, SampleSpec(parcels=10_000, seed=3)))


# ----------------------------------------------------------------------------- determinism, size

def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_same_seed_gives_identical_csv_files_and_another_seed_does_not(tmp_path):
    a = generate_sample(tmp_path / "a", SampleSpec(parcels=3000, seed=5, write_xlsx=False))
    b = generate_sample(tmp_path / "b", SampleSpec(parcels=3000, seed=5, write_xlsx=False))
    c = generate_sample(tmp_path / "c", SampleSpec(parcels=3000, seed=6, write_xlsx=False))
    assert _digest(a.register_csv) == _digest(b.register_csv)
    assert _digest(a.answer_key) == _digest(b.answer_key)
    assert _digest(a.register_csv) != _digest(c.register_csv)
    assert _digest(a.answer_key) != _digest(c.answer_key)
    assert a.register_xlsx is None


@pytest.mark.parametrize("parcels", [100, 2000, pytest.param(45_000, marks=pytest.mark.slow)])
def test_parcel_count_is_within_ten_percent(tmp_path, parcels):
    res = generate_sample(tmp_path, SampleSpec(parcels=parcels, seed=2, parcels_per_commune=20_000,
                                               write_xlsx=False))
    assert abs(res.n_parcels - parcels) <= 0.1 * parcels
    parcels_df, geoms = read_layer(res.gpkg, "parcels")
    assert len(parcels_df) == res.n_parcels
    assert shapely.is_valid(geoms).all()


def test_the_10k_sample_counts(sample):
    res = sample.result
    assert abs(res.n_parcels - 10_000) <= 1000
    assert res.n_sheets == len(sample.sheets)
    assert res.n_register_rows == len(sample.register)
    assert sum(res.n_defects.values()) > 0 and res.defect_counts == res.n_defects
    assert res.register_xlsx is not None and res.register_xlsx.exists()


# ----------------------------------------------------------------------------- geometry

def test_fids_run_from_one_in_write_order(sample):
    assert sample.parcels["fid"].tolist() == list(range(1, len(sample.parcels) + 1))


def test_parcels_cover_each_sheet_frame_exactly(sample):
    p, g = sample.parcels, sample.geoms
    for sheet, idx in p.groupby("true_sheet").groups.items():
        frame = sample.frame_of_sheet[sheet]
        union = shapely.coverage_union_all(g[idx])
        assert abs(union.area - frame.area) < 0.01, sheet
        assert abs(shapely.area(g[idx]).sum() - frame.area) < 0.01, sheet
        assert shapely.symmetric_difference(union, frame).area < 0.01, sheet


def test_no_two_parcels_overlap(sample):
    g = sample.geoms
    tree = shapely.STRtree(g)
    left, right = tree.query(g, predicate="intersects")
    pairs = left < right
    overlap = shapely.area(shapely.intersection(g[left[pairs]], g[right[pairs]]))
    assert overlap.max() < 1e-6
    # neighbours share their vertices exactly: a valid coverage for the whole commune
    assert shapely.coverage_is_valid(g)


def test_every_parcel_lies_inside_its_sheet_frame(sample):
    frames = np.array([sample.frame_of_sheet[s] for s in sample.parcels["true_sheet"]])
    assert shapely.covers(frames, sample.geoms).all()


def test_parcels_are_not_pure_rectangles(sample):
    g = sample.geoms
    share_rect = np.isclose(shapely.area(g), shapely.area(shapely.envelope(g)), rtol=1e-9).mean()
    assert share_rect < 0.5


def test_map_area_is_the_geometry_area_rounded(sample):
    assert np.allclose(sample.parcels["DIENTICH"], np.round(shapely.area(sample.geoms), 1), atol=1e-9)


def test_sheets_carry_their_circular_25_code_and_are_numbered_in_order(sample):
    sheets, frames = sample.sheets, sample.frames
    for code, frame, scale in zip(sheets["MAHIEU"], frames, sheets["TYLE"]):
        rebuilt = sheet_frame(code, x_hint_m=frame.centroid.y)
        assert shapely.equals(rebuilt, frame)
        assert scale in (1000, 2000)
    numbers = sheets["SHBANDO"].astype(int)
    bounds = shapely.bounds(frames)
    for _, idx in sheets.groupby("MAXA").groups.items():
        # tờ số 1…n: 1:2000 sheets first, then west → east, north → south within a scale
        order = sorted(idx, key=lambda i: (-sheets["TYLE"][i], -bounds[i, 3], bounds[i, 0]))
        assert [numbers[i] for i in order] == list(range(1, len(idx) + 1))


# ----------------------------------------------------------------------------- numbering

def _true_numbers(sample) -> pd.Series:
    """Map numbers with the injected number defects undone."""
    true = sample.parcels["SHTHUA"].astype(int).copy()
    fixed = sample.key[sample.key["code"].isin(["NUMBER_MISMATCH", "DUPLICATE_KEY_MAP"])
                       & (sample.key["expected_parcel"] != "")]
    true[fixed["map_fid"].astype(int).to_numpy() - 1] = fixed["expected_parcel"].astype(int).to_numpy()
    return true


def test_numbers_run_1_to_n_per_sheet_apart_from_cancelled_ones(sample):
    p, reg = sample.parcels, sample.register
    true = _true_numbers(sample)
    old = reg[reg["Số thửa cũ"] != ""]
    assert (old["Số tờ cũ"] == old["Số tờ"]).all()
    assert len(old) > 0
    for sheet, idx in p.groupby("true_sheet").groups.items():
        numbers = true[idx].to_numpy()
        cancelled = old.loc[old["sheet_key"] == sheet, "Số thửa cũ"].astype(int).to_numpy()
        assert len(set(numbers)) == len(numbers), sheet
        assert not set(numbers) & set(cancelled), sheet
        assert sorted(set(numbers) | set(cancelled)) == list(range(1, len(numbers) + len(cancelled) + 1))


def test_numbers_follow_the_zigzag_with_renumbered_parcels_after_the_last(sample):
    p, reg = sample.parcels, sample.register
    true = _true_numbers(sample)
    old = reg[reg["Số thửa cũ"] != ""]
    old_of = dict(zip(zip(old["sheet_key"], old["Số thửa"].astype(int)), old["Số thửa cũ"].astype(int)))
    number_before_split = np.array([old_of.get((s, n), n) for s, n in zip(p["true_sheet"], true)])
    pts = shapely.point_on_surface(sample.geoms)
    frames = [sample.frame_of_sheet[s] for s in p["true_sheet"]]
    top = np.array([f.bounds[3] for f in frames])
    band = np.array([(f.bounds[2] - f.bounds[0]) / 10 for f in frames])
    ranks = zigzag_order(shapely.get_x(pts), shapely.get_y(pts), band, top=top, groups=p["true_sheet"])
    assert (ranks == number_before_split).all()


# ----------------------------------------------------------------------------- register

def test_register_headers_and_encoding(sample):
    raw = sample.result.register_csv.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.split(b"\n")[0].decode("utf-8-sig") == (
        "STT,Mã xã,Số tờ,Số thửa,Diện tích (m²),Mục đích sử dụng,Tên chủ sử dụng,Loại đối tượng,"
        "Số CCCD,Địa chỉ,Số tờ cũ,Số thửa cũ")
    assert sample.register["STT"].astype(int).tolist() == list(range(1, len(sample.register) + 1))


def _clean_pairs(sample) -> pd.DataFrame:
    """Clean register rows joined to their clean map parcel."""
    reg = sample.register[~sample.register["row"].isin(sample.touched_rows)]
    p = sample.parcels[~sample.parcels["fid"].isin(sample.touched_fids)]
    left = p.assign(commune=p["MAXA"], sheet=p["SHBANDO"], number=p["SHTHUA"].astype(str))
    right = reg.assign(commune=reg["Mã xã"], sheet=reg["Số tờ"], number=reg["Số thửa"])
    return left.merge(right, on=["commune", "sheet", "number"], validate="one_to_one")


def test_clean_register_rows_match_their_parcel_within_tolerance(sample):
    pairs = _clean_pairs(sample)
    assert len(pairs) >= 0.95 * len(sample.parcels)
    legal = pairs["Diện tích (m²)"].astype(float)
    tol = area_tolerance(pairs["DIENTICH"], pairs["sheet_key_x"].map(sample.scale_of_sheet))
    assert (np.abs(legal - pairs["DIENTICH"]) <= 0.3 * tol + 0.05).all()
    assert (pairs["Mục đích sử dụng"] == pairs["KHLOAIDAT"]).all()
    assert (pairs["Mã xã"] == pairs["MAXA"]).all()


def test_clean_land_uses_are_current_codes(sample):
    codes = LandUseCodes.load()
    assert (codes.classify(sample.parcels["KHLOAIDAT"]) == "current").all()
    clean = sample.register[~sample.register["row"].isin(sample.touched_rows)]
    assert (codes.classify(clean["Mục đích sử dụng"]) == "current").all()
    assert {"DGT", "ONT", "LUC", "CLN", "BHK"} <= set(sample.parcels["KHLOAIDAT"])


def test_clean_owners_follow_the_cccd_rule(sample):
    reg = sample.register[~sample.register["row"].isin(sample.touched_rows)]
    provinces = AdminUnits.load().birth_province_codes()
    gdc = reg[reg["Loại đối tượng"] == "GDC"]
    ubs = reg[reg["Loại đối tượng"] == "UBS"]
    assert len(gdc) and len(ubs) and len(gdc) + len(ubs) == len(reg)
    assert cccd_ok(gdc["Số CCCD"], provinces).all()
    assert (gdc["Số CCCD"].str[:3] == "020").mean() > 0.7
    assert (gdc["Tên chủ sử dụng"].str.split().str.len() >= 3).all()
    # one person, one ID
    assert (gdc.groupby("Số CCCD")["Tên chủ sử dụng"].nunique() == 1).all()
    assert (ubs["Số CCCD"] == "").all() and ubs["Tên chủ sử dụng"].str.startswith("UBND ").all()
    assert gdc["Địa chỉ"].str.contains(r"^(?:Thôn|Khối) .+, (?:xã|phường) .+, tỉnh Lạng Sơn$").all()


def test_xlsx_holds_the_csv_rows_with_codes_and_ids_as_text(sample):
    from openpyxl import load_workbook
    ws = load_workbook(sample.result.register_xlsx, read_only=True).worksheets[0]
    rows = list(ws.iter_rows(min_row=1, max_row=301, values_only=True))
    csv = sample.register.iloc[:300, 1:13]       # the file's own columns
    assert list(rows[0]) == list(csv.columns)
    text_columns = ["Mã xã", "Số tờ", "Mục đích sử dụng", "Tên chủ sử dụng", "Loại đối tượng",
                    "Số CCCD", "Địa chỉ", "Số tờ cũ"]
    for cells, (_, want) in zip(rows[1:], csv.iterrows()):
        got = dict(zip(csv.columns, cells))
        for c in text_columns:
            assert got.get(c) == (want[c] or None) and (got.get(c) is None or isinstance(got[c], str))
        assert got["STT"] == int(want["STT"]) and got["Số thửa"] == int(want["Số thửa"])
        assert f"{got['Diện tích (m²)']:.1f}" == want["Diện tích (m²)"]
    assert any(isinstance(r[8], str) and r[8].startswith("0") for r in rows[1:])
    assert all(r[1].startswith("0") for r in rows[1:])


# ----------------------------------------------------------------------------- answer key

def test_every_defect_kind_appears(sample):
    assert set(sample.key["code"]) == ALL_CODES
    details = sample.key.loc[sample.key["code"] == "NUMBER_MISMATCH", "details"]
    assert details.str.startswith("swap").any() and details.str.startswith("typo").any()
    assert set(sample.result.n_defects) == ALL_CODES and min(sample.result.n_defects.values()) > 0


def test_defect_rate_is_respected(sample):
    # default rate 0.02: map parcels touched, an extra register row counting as one
    touched = len(sample.touched_fids) + int((sample.key["code"] == "REGISTER_ONLY").sum())
    assert 0.015 * sample.result.n_parcels <= touched <= 0.025 * sample.result.n_parcels


def test_defects_touch_disjoint_records(sample):
    key = sample.key
    per_fid = key.dropna(subset=["map_fid"]).groupby("map_fid")["code"].nunique()
    per_row = key.dropna(subset=["register_row"]).groupby("register_row")["code"].nunique()
    assert (per_fid == 1).all() and (per_row == 1).all()


def test_every_key_row_points_at_a_record_that_shows_its_defect(sample):
    p, reg, key = sample.parcels, sample.register.set_index("row"), sample.key
    units, codes = AdminUnits.load(), LandUseCodes.load()
    provinces = units.birth_province_codes()
    map_keys = pd.Series(list(zip(p["sheet_key"], p["SHTHUA"].astype(str))))
    map_count = map_keys.value_counts()
    reg_keys = pd.Series(list(zip(reg["sheet_key"], reg["Số thửa"])), index=reg.index)
    reg_count = reg_keys.value_counts()
    old_keys = set(zip(reg["Mã xã"] + "|" + reg["Số tờ cũ"], reg["Số thửa cũ"]))
    for k in key.itertuples():
        sheet = f"{k.commune}|{k.sheet}"
        map_sheet = f"{k.expected_commune or k.commune}|{k.sheet}"   # the map keeps current codes
        m = p.iloc[k.map_fid - 1] if pd.notna(k.map_fid) else None
        r = reg.loc[k.register_row] if pd.notna(k.register_row) else None
        if m is not None:
            assert (m["sheet_key"], str(m["SHTHUA"])) == (map_sheet, k.parcel), k
            if k.code != "COMMUNE_CODE_OBSOLETE":
                assert m["MAXA"] == k.commune
        if k.code == "NUMBER_MISMATCH":
            assert k.expected_parcel != k.parcel
            assert (r["sheet_key"], r["Số thửa"]) == (sheet, k.expected_parcel)
            if k.details.startswith("typo"):
                assert map_count[(sheet, k.parcel)] == 1 and (sheet, k.parcel) not in reg_count
                assert (sheet, k.parcel) not in old_keys
            else:   # the partner shows this parcel's true number
                partner = key[(key["code"] == k.code) & (key["commune"] == k.commune)
                              & (key["sheet"] == k.sheet) & (key["parcel"] == k.expected_parcel)
                              & (key["expected_parcel"] == k.parcel)]
                assert len(partner) == 1
        elif k.code == "SHEET_MISMATCH":
            assert k.sheet != k.expected_sheet
            inside = shapely.point_on_surface(sample.geoms[k.map_fid - 1])
            assert sample.frame_of_sheet[f"{k.commune}|{k.expected_sheet}"].contains(inside)
            assert not sample.frame_of_sheet[sheet].intersects(inside)
            assert (r["Số tờ"], r["Số thửa"]) == (k.expected_sheet, k.parcel)
        elif k.code == "MAP_ONLY":
            assert r is None and (sheet, k.parcel) not in reg_count
        elif k.code == "REGISTER_ONLY":
            assert m is None and (r["sheet_key"], r["Số thửa"]) == (sheet, k.parcel)
            assert (sheet, k.parcel) not in map_count and (sheet, k.parcel) not in old_keys
        elif k.code == "DUPLICATE_KEY_MAP":
            assert map_count[(sheet, k.parcel)] == 2
            if k.expected_parcel:
                assert (r["sheet_key"], r["Số thửa"]) == (sheet, k.expected_parcel)
        elif k.code == "DUPLICATE_KEY_REGISTER":
            assert (r["sheet_key"], r["Số thửa"]) == (sheet, k.parcel)
            assert reg_count[(sheet, k.parcel)] == 2
            neighbours = [reg_keys.get(k.register_row - 1), reg_keys.get(k.register_row + 1)]
            assert (sheet, k.parcel) in neighbours
        elif k.code == "AREA_MISMATCH":
            tol = area_tolerance(m["DIENTICH"], sample.scale_of_sheet[m["sheet_key"]])
            assert abs(float(r["Diện tích (m²)"]) - m["DIENTICH"]) > 3 * tol
        elif k.code == "LANDUSE_MISMATCH":
            assert r["Mục đích sử dụng"] != m["KHLOAIDAT"]
            assert codes.status_of(r["Mục đích sử dụng"]) == "current"
        elif k.code == "LANDUSE_INVALID":
            assert codes.status_of(r["Mục đích sử dụng"]) == "unknown"
        elif k.code == "COMMUNE_CODE_OBSOLETE":
            assert r["Mã xã"] == k.commune and not units.is_current(k.commune)
            assert units.successor(k.commune) == k.expected_commune
        elif k.code == "OWNER_ID_INVALID":
            assert r["Loại đối tượng"] == "GDC"
            assert not cccd_ok(pd.Series([r["Số CCCD"]]), provinces).iloc[0]
        elif k.code == "OWNER_MISSING":
            assert r["Loại đối tượng"] == "GDC" and r["Tên chủ sử dụng"] == ""
        if r is not None and k.code not in ("COMMUNE_CODE_OBSOLETE",):
            assert r["Mã xã"] == k.commune


def test_communes_are_current_merged_codes_of_the_province(tmp_path):
    res = generate_sample(tmp_path, SampleSpec(parcels=3000, seed=4, parcels_per_commune=1000,
                                               write_xlsx=False))
    units = AdminUnits.load()
    assert len(res.communes) == 3 and len(set(res.communes)) == 3
    for code in res.communes:
        assert units.is_current(code)
        assert len(units.predecessors(code)) >= 2
        assert code in set(units.communes("20")["code"])
    parcels, geoms = read_layer(res.gpkg, "parcels")
    assert set(parcels["MAXA"]) == set(res.communes)
    # separate blocks: no commune's parcels reach into another's extent
    hulls = [shapely.envelope(shapely.union_all(geoms[(parcels["MAXA"] == c).to_numpy()]))
             for c in res.communes]
    for i in range(3):
        for j in range(i + 1, 3):
            assert shapely.area(shapely.intersection(hulls[i], hulls[j])) == 0


def test_no_defects_at_rate_zero(tmp_path):
    res = generate_sample(tmp_path, SampleSpec(parcels=500, seed=1, defect_rate=0, write_xlsx=False))
    assert sum(res.n_defects.values()) == 0
    assert len(read_key(res.answer_key)) == 0
    assert res.n_register_rows == res.n_parcels
