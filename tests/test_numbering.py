"""Parcel numbering (core/codes/numbering.py): zig-zag bands, the three modes, the
renumbering table, the numbered copy and cadastre_cleaner:number_parcels."""
import numpy as np
import pandas as pd
import pytest
import shapely
from osgeo import ogr, osr

from cadastre_cleaner.core.codes.numbering import number_parcels, write_numbered
from cadastre_cleaner.core.loading.vector import read_vector
from cadastre_cleaner.core.sample import SampleSpec, generate_sample

X0, Y0 = 585000.0, 2325000.0


def _grid(rows=3, cols=3, size=10.0):
    """Row-major cells from the north-west: cell (r, c) is index r * cols + c."""
    return np.array([shapely.box(X0 + c * size, Y0 - (r + 1) * size, X0 + (c + 1) * size, Y0 - r * size)
                     for r in range(rows) for c in range(cols)], dtype=object)


def test_grid_serpentine_by_hand():
    r = number_parcels(_grid(), ["5"] * 9, [None] * 9, "renumber_all", band_height=10)
    # band 1 west → east, band 2 east → west, band 3 west → east
    assert r.numbers.reshape(3, 3).tolist() == [[1, 2, 3],
                                                [6, 5, 4],
                                                [7, 8, 9]]
    r = number_parcels(_grid(), ["5"] * 9, [None] * 9, "renumber_all", band_height=10, start=101)
    assert r.numbers.reshape(3, 3).tolist() == [[101, 102, 103], [106, 105, 104], [107, 108, 109]]


def test_band_holds_inner_point_and_two_rows_per_band():
    # 4 rows of 10 m in bands of 20 m: two rows per band, ordered by x only within a band
    g = _grid(rows=4, cols=2)
    r = number_parcels(g, ["1"] * 8, [None] * 8, "renumber_all", band_height=20)
    # band 1 (rows 0-1) west→east: (0,0)/(1,0) share x: north first; band 2 east→west
    assert r.numbers.reshape(4, 2).tolist() == [[1, 3], [2, 4], [7, 5], [8, 6]]
    # an L-shaped parcel whose centroid is outside it: its band is that of its inner point
    ell = shapely.Polygon([(X0, Y0), (X0 + 30, Y0), (X0 + 30, Y0 - 2), (X0 + 2, Y0 - 2), (X0 + 2, Y0 - 30),
                           (X0, Y0 - 30)])
    assert not ell.contains(ell.centroid)
    pt = shapely.point_on_surface(ell)
    assert ell.contains(pt)


def test_sheets_are_numbered_apart_and_scope():
    g = np.concatenate([_grid(), _grid()])
    sheet = ["1"] * 9 + ["2"] * 9
    r = number_parcels(g, sheet, [None] * 18, "renumber_all", band_height=10)
    assert r.numbers[:9].tolist() == r.numbers[9:].tolist()
    r = number_parcels(g, sheet, [None] * 9 + list(range(50, 59)), "renumber_all", band_height=10,
                       sheets_to_number=["1"])
    assert r.numbers[9:].tolist() == list(range(50, 59))
    assert set(r.table["sheet"]) == {"1"}


def test_default_band_height_by_scale():
    # a 1:200 sheet is 100 m: bands of 10 m; 1:1000 (or unknown) 50 m
    g = _grid()
    assert number_parcels(g, ["1"] * 9, [None] * 9, "renumber_all", scale=200).numbers.reshape(3, 3)[1].tolist() \
        == [6, 5, 4]
    one_band = number_parcels(g, ["1"] * 9, [None] * 9, "renumber_all").numbers.reshape(3, 3)
    assert one_band[:, 0].tolist() == [1, 2, 3]          # 50 m: one band, west → east, north first


def test_fill_missing_keeps_existing():
    current = [1, 2, 3, None, None, 6, 7, "", 9]
    r = number_parcels(_grid(), ["1"] * 9, current, "fill_missing", band_height=10)
    # missing: (1,0) idx 3, (1,1) idx 4 (band 2, east → west: 4 first), (2,1) idx 7 (band 3)
    assert r.numbers.tolist() == [1, 2, 3, 11, 10, 6, 7, 12, 9]
    assert sorted(r.table["fid"].tolist()) == [3, 4, 7]
    assert (r.table["old_number"] == "").all()


def test_after_split_merge_pieces_take_max_plus_one():
    # parcel 5 (middle cell) split in two: both pieces still carry 5
    g = list(_grid())
    mid = g[4]
    west = shapely.box(X0 + 10, Y0 - 20, X0 + 15, Y0 - 10)
    east = shapely.box(X0 + 15, Y0 - 20, X0 + 20, Y0 - 10)
    assert shapely.equals(shapely.union(west, east), mid)
    geoms = np.array(g[:4] + [west, east] + g[5:], dtype=object)
    current = [1, 2, 3, 6, 5, 5, 4, 7, 8, 9]
    r = number_parcels(geoms, ["1"] * 10, current, "after_split_merge", band_height=10)
    # band 2 runs east → west: the east piece first
    assert r.numbers.tolist() == [1, 2, 3, 6, 11, 10, 4, 7, 8, 9]
    t = r.table.sort_values("fid")
    assert t["fid"].tolist() == [4, 5]
    assert t["old_number"].tolist() == ["5", "5"]
    assert t["new_number"].tolist() == [11, 10]
    # a merge: 8 and 9 made one parcel that kept no number → max + 1; 9 is never reused
    merged = shapely.union(g[7], g[8])
    geoms2 = np.array(g[:7] + [merged], dtype=object)
    r2 = number_parcels(geoms2, ["1"] * 8, [1, 2, 3, 6, 5, 4, 7, None], "after_split_merge", band_height=10)
    assert r2.numbers.tolist() == [1, 2, 3, 6, 5, 4, 7, 8]
    r3 = number_parcels(geoms2, ["1"] * 8, [1, 2, 3, 6, 5, 4, 7, 9], "after_split_merge", band_height=10)
    assert r3.table.empty


def test_table_lists_exactly_the_changed():
    current = [1, 2, 3, 4, 5, 6, 7, 8, 9]          # row 2 numbered west → east: wrong
    r = number_parcels(_grid(), ["1"] * 9, current, "renumber_all", band_height=10)
    assert r.numbers.tolist() == [1, 2, 3, 6, 5, 4, 7, 8, 9]
    assert sorted(r.table["fid"].tolist()) == [3, 5]
    assert r.changed.sum() == 2
    row = r.table.set_index("fid")
    assert row.loc[3, "old_number"] == "4" and row.loc[3, "new_number"] == 6
    assert list(r.table.columns) == ["sheet", "old_number", "new_number", "fid"]


def _write_layer(path, geoms, sheet, numbers):
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(9215)
    layer = ds.CreateLayer("parcels", srs, ogr.wkbPolygon)
    layer.CreateField(ogr.FieldDefn("SHBANDO", ogr.OFTString))
    layer.CreateField(ogr.FieldDefn("SHTHUA", ogr.OFTInteger))
    for g, s, n in zip(geoms, sheet, numbers):
        f = ogr.Feature(layer.GetLayerDefn())
        f.SetField("SHBANDO", s)
        if n is not None:
            f.SetField("SHTHUA", n)
        f.SetGeometry(ogr.CreateGeometryFromWkb(shapely.to_wkb(g)))
        layer.CreateFeature(f)
    ds = None
    return str(path)


def test_write_numbered_copy(tmp_path):
    src = _write_layer(tmp_path / "map.gpkg", _grid(), ["1"] * 9, [1, 2, 3, 4, 5, 6, 7, None, 9])
    frame = read_vector(src)
    r = number_parcels(frame.geometry, frame.attrs["SHBANDO"], frame.attrs["SHTHUA"], "renumber_all",
                       band_height=10, fids=frame.fids)
    out = tmp_path / "numbered.gpkg"
    write_numbered(str(out), frame, r, "SHTHUA", "SHTHUA_CU")
    copy = read_vector(f"{out}|layername=parcels")
    assert copy.attrs["SHTHUA"].tolist() == [1, 2, 3, 6, 5, 4, 7, 8, 9]
    old = copy.attrs["SHTHUA_CU"].tolist()
    assert old[3] == "4" and old[5] == "6" and old[4] is None and old[7] is None
    assert shapely.equals(copy.geometry, frame.geometry).all()
    table = read_vector(f"{out}|layername=renumbering", role="table", with_geometry=False).attrs
    assert sorted(table["source_fid"].tolist()) == sorted(r.table["fid"].tolist()) == [4, 6, 8]   # GPKG fids from 1
    # the source is untouched
    assert read_vector(src).attrs["SHTHUA"].tolist()[3] == 4


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    res = generate_sample(tmp_path_factory.mktemp("numbering"),
                          SampleSpec(parcels=3000, defect_rate=0.0, write_xlsx=False))
    parcels = read_vector(f"{res.gpkg}|layername=parcels")
    sheets = read_vector(f"{res.gpkg}|layername=sheets")
    return parcels, sheets


def test_generated_sheet_zigzag(generated):
    parcels, sheets = generated
    a = parcels.attrs
    sheet_key = a["MAXA"].astype(str) + "|" + a["SHBANDO"].astype(str)
    s_attrs = sheets.attrs
    frames = pd.DataFrame({"key": s_attrs["MAXA"].astype(str) + "|" + s_attrs["SHBANDO"].astype(str),
                           "top": shapely.bounds(sheets.geometry)[:, 3],
                           "band": (shapely.bounds(sheets.geometry)[:, 2]
                                    - shapely.bounds(sheets.geometry)[:, 0]) * 0.1}).set_index("key")
    top = frames.loc[sheet_key, "top"].to_numpy()
    band = frames.loc[sheet_key, "band"].to_numpy()
    r = number_parcels(parcels.geometry, sheet_key.to_numpy(), [None] * len(a), "renumber_all",
                       band_height=band, top=top)
    # the generator numbers the same way; its ~1 % "renumbered after a split" parcels took max+1
    per_sheet = sheet_key.map(sheet_key.value_counts()).to_numpy()
    given = a["SHTHUA"].to_numpy(int)
    plain = given <= per_sheet
    assert plain.mean() > 0.95
    assert (r.numbers[plain] == given[plain]).all()
    # the order: within a band x increases in the 1st, 3rd… band and decreases in the others
    pts = shapely.point_on_surface(parcels.geometry)
    df = pd.DataFrame({"sheet": sheet_key, "n": r.numbers, "x": shapely.get_x(pts),
                       "band": np.floor((top - shapely.get_y(pts)) / band).astype(int)})
    df = df.sort_values(["sheet", "n"])
    nxt = df.groupby("sheet").shift(-1)
    same = (nxt["band"] == df["band"]).to_numpy()
    dx = (nxt["x"] - df["x"]).to_numpy()[same]
    odd = (df["band"].to_numpy()[same] % 2 == 0)            # band index 0 is the first band
    assert (dx[odd] >= 0).all() and (dx[~odd] <= 0).all()
    assert same.sum() > len(df) * 0.8
    # bands are visited north to south
    assert (nxt["band"].dropna().to_numpy() >= df["band"].to_numpy()[nxt["band"].notna().to_numpy()]).all()


def test_generated_after_split_merge(generated):
    parcels, _ = generated
    a = parcels.attrs
    geoms = parcels.geometry.copy()
    numbers = a["SHTHUA"].to_numpy(int).copy()
    sheet = a["SHBANDO"].astype(str).to_numpy()
    # split parcel 0 in two halves both keeping its number
    g0 = geoms[0]
    x0, y0, x1, y1 = g0.bounds
    halves = [shapely.clip_by_rect(g0, x0, y0, (x0 + x1) / 2, y1), shapely.clip_by_rect(g0, (x0 + x1) / 2, y0, x1, y1)]
    geoms = np.concatenate([halves, geoms[1:]]).astype(object)
    numbers = np.concatenate([[numbers[0], numbers[0]], numbers[1:]])
    sheet = np.concatenate([[sheet[0], sheet[0]], sheet[1:]])
    r = number_parcels(geoms, sheet, numbers, "after_split_merge", band_height=25)
    top = numbers[sheet == sheet[0]].max()
    assert sorted(r.numbers[:2].tolist()) == [top + 1, top + 2]
    assert (r.numbers[2:] == numbers[2:]).all()
    assert sorted(r.table["fid"].tolist()) == [0, 1]


def test_processing_number_parcels(provider, tmp_path):
    import processing
    src = _write_layer(tmp_path / "map.gpkg", _grid(), ["1"] * 9, [1, 2, 3, 4, 5, 6, 7, None, 9])
    out = str(tmp_path / "numbered.gpkg")
    res = processing.run("cadastre_cleaner:number_parcels", {
        "PARCELS": src, "MODE": 1, "BAND_HEIGHT": 10, "START": 1, "OUTPUT": out})
    assert res["CHANGED"] == 3 and res["NUMBERED"] == 9
    copy = read_vector(f"{out}|layername=parcels")
    assert copy.attrs["SHTHUA"].tolist() == [1, 2, 3, 6, 5, 4, 7, 8, 9]
    assert "SHTHUA_CU" in copy.attrs.columns


def test_processing_numbering_with_sheet_frames_reproduces_the_circulars_order(provider, tmp_path):
    """With the frames, bands start at each frame's north edge, a tenth of its side high:
    the generated commune's own numbering comes back."""
    import processing
    from osgeo import ogr

    from cadastre_cleaner.core.sample import SampleSpec, generate_sample
    generate_sample(tmp_path, SampleSpec(parcels=3000, seed=9, defect_rate=0.0, write_xlsx=False))
    gpkg = tmp_path / "commune.gpkg"
    out = tmp_path / "numbered.gpkg"
    result = processing.run("cadastre_cleaner:number_parcels", {
        "PARCELS": f"{gpkg}|layername=parcels", "SHEETS": f"{gpkg}|layername=sheets", "MODE": 1,
        "OUTPUT": str(out)})
    ds = ogr.Open(str(out))
    pairs = [(f.GetField("SHTHUA"), f.GetField("SHTHUA_CU")) for f in ds.GetLayerByName("parcels")]
    ds = None
    kept = sum(1 for new, old in pairs if old in (None, "") or str(old) == str(new))
    assert result["NUMBERED"] == len(pairs)
    # the generator's parcels renumbered after a split (1 %) take max + 1: only those move
    assert kept / len(pairs) >= 0.98
