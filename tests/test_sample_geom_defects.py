"""Geometry (topology) defects in a generated commune: each key row is what it says, checked
with shapely directly (not with the checker), and the rest of the coverage stays exact."""
import hashlib
import time

import numpy as np
import pandas as pd
import pytest
import shapely

from cadastre_cleaner.core.sample import SampleSpec, generate_sample
from cadastre_cleaner.core.sample.geom_defects import KINDS
from cadastre_cleaner.core.reference.sheet_grid import POSITIONAL_ACCURACY_M, area_tolerance

# digests of the generator's output for SampleSpec(parcels=3000, seed=5), recorded before
# geometry defects existed: at geometry_defect_rate 0 nothing may change
TODAY_REGISTER = "168c6ae74dc4dd920ff17a28f55a0f2d0b0f9153ac6ccf146cb08738ae3334dc"
TODAY_PARCELS = "db59aea98e822d569f73671762a0ec2ab58aa25a410684e29bc04c457961ed68"
TODAY_KEY = "7e78917f6b55cf136ac23efb86e77089c2085d7e0941c1c9045722ff785cbefa"


# ----------------------------------------------------------------------------- helpers

def read_layer(path, name):
    """(attributes with fid, shapely geometries; None where the geometry is null)."""
    from osgeo import ogr
    ogr.UseExceptions()
    ds = ogr.Open(str(path))          # the layer lives as long as its data source
    layer = ds.GetLayerByName(name)
    defn = layer.GetLayerDefn()
    names = [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
    rows, wkb = [], []
    for f in layer:
        rows.append([f.GetFID()] + [f.GetField(n) for n in names])
        g = f.GetGeometryRef()
        wkb.append(None if g is None else bytes(g.ExportToWkb()))
    return pd.DataFrame(rows, columns=["fid"] + names), shapely.from_wkb(wkb)


def parcels_digest(path) -> str:
    from osgeo import ogr
    ogr.UseExceptions()
    h = hashlib.sha256()
    ds = ogr.Open(str(path))
    layer = ds.GetLayerByName("parcels")
    defn = layer.GetLayerDefn()
    for f in layer:
        h.update(repr((f.GetFID(), [f.GetField(i) for i in range(defn.GetFieldCount())])).encode())
        h.update(bytes(f.GetGeometryRef().ExportToWkb()))
    return h.hexdigest()


def read_key(path) -> pd.DataFrame:
    key = pd.read_csv(path, dtype=str, keep_default_na=False)
    for c in ("map_fid", "register_row"):
        key[c] = pd.to_numeric(key[c]).astype("Int64")
    for c in ("x", "y"):
        key[c] = pd.to_numeric(key[c])
    return key


class Commune:
    def __init__(self, result):
        self.result = result
        self.parcels, self.geoms = read_layer(result.gpkg, "parcels")
        self.sheets, self.frames = read_layer(result.gpkg, "sheets")
        self.key = read_key(result.answer_key)
        self.topo = self.key[self.key["group"] == "topology"]
        scale = dict(zip(self.sheets["MAXA"] + "|" + self.sheets["SHBANDO"], self.sheets["TYLE"]))
        self.tol = (self.parcels["MAXA"] + "|" + self.parcels["SHBANDO"]).map(
            lambda k: POSITIONAL_ACCURACY_M[scale[k]]).to_numpy()
        self.frame_union = shapely.union_all(self.frames)

    def geom(self, fid):
        return self.geoms[int(fid) - 1]

    def rows(self, code):
        return self.topo[self.topo["code"] == code]

    def pairs(self, code):
        """Key rows of a two-feature defect, grouped by their shared point."""
        return [g for _, g in self.rows(code).groupby(["x", "y"])]


def width(g) -> float:
    return 2 * shapely.area(g) / shapely.length(g)


def angles_deg(ring: np.ndarray) -> np.ndarray:
    """Interior angle at each vertex of an open ring."""
    a = np.roll(ring, 1, axis=0) - ring
    b = np.roll(ring, -1, axis=0) - ring
    cos = (a * b).sum(1) / (np.hypot(*a.T) * np.hypot(*b.T))
    return np.degrees(np.arccos(np.clip(cos, -1, 1)))


@pytest.fixture(scope="module")
def commune(tmp_path_factory):
    out = tmp_path_factory.mktemp("geom3000")
    return Commune(generate_sample(out, SampleSpec(parcels=3000, seed=11, geometry_defect_rate=0.02,
                                                   write_xlsx=False)))


# ----------------------------------------------------------------------------- the key

def test_every_kind_is_in_the_key(commune):
    assert set(KINDS) <= set(commune.topo["code"])
    assert all(commune.result.n_defects[k] > 0 for k in KINDS)
    assert set(commune.key["group"]) == {"register", "topology"}
    reg = commune.key[commune.key["group"] == "register"]
    assert reg["x"].isna().all() and commune.topo[["x", "y"]].notna().all().all()


def test_about_the_rate_of_parcels_get_a_geometry_defect(commune):
    n = sum(commune.result.n_defects[k] for k in KINDS)
    assert 0.015 * 3000 <= n <= 0.025 * 3000


def test_key_rows_name_the_feature_as_the_map_shows_it(commune):
    p = commune.parcels.set_index("fid")
    named = commune.topo.dropna(subset=["map_fid"])
    assert len(named) and named["register_row"].isna().all()
    for k in named.itertuples():
        f = p.loc[int(k.map_fid)]
        assert (f["MAXA"], f["SHBANDO"], str(f["SHTHUA"])) == (k.commune, k.sheet, k.parcel), k
    # only holes have no feature
    assert set(commune.topo.loc[commune.topo["map_fid"].isna(), "code"]) == {"GAP"}
    # one defect per feature, over both groups
    assert (commune.key.dropna(subset=["map_fid"]).groupby("map_fid")["code"].nunique() == 1).all()


def test_register_defects_keep_away_from_geometry_defects_and_name_final_fids(commune):
    reg = commune.key[commune.key["group"] == "register"].dropna(subset=["map_fid"])
    assert not set(reg["map_fid"]) & set(commune.topo["map_fid"].dropna())
    p = commune.parcels.set_index("fid")
    assert commune.result.n_parcels == len(p) and len(p) != 3000     # features were added and removed
    for k in reg.itertuples():
        if k.details.startswith("swap"):       # "… (fids A and B)": the final fids too
            assert str(k.map_fid) in k.details.split("fids ")[1].strip(")").split(" and ")
        f = p.loc[int(k.map_fid)]
        assert (f["SHBANDO"], str(f["SHTHUA"])) == (k.sheet, k.parcel) or k.code == "SHEET_MISMATCH" \
            or k.code == "COMMUNE_CODE_OBSOLETE", k


def test_map_and_register_areas_follow_the_final_geometry(commune):
    g = commune.geoms
    p = commune.parcels
    has = ~shapely.is_missing(g)
    assert np.allclose(p["DIENTICH"][has], np.round(shapely.area(g[has]), 1), atol=0.051)
    # parcels a geometry defect changed keep a register row that agrees with the map
    changed = commune.topo[commune.topo["code"].isin(["GEOM_INVALID", "MULTIPART", "OVERLAP", "SPIKE",
                                                      "CROSSES_SHEET"])]
    register = pd.read_csv(commune.result.register_csv, dtype=str, keep_default_na=False,
                           encoding="utf-8-sig")
    legal = dict(zip(zip(register["Mã xã"], register["Số tờ"], register["Số thửa"]),
                     register["Diện tích (m²)"].astype(float)))
    scale = dict(zip(commune.sheets["MAXA"] + "|" + commune.sheets["SHBANDO"], commune.sheets["TYLE"]))
    for k in changed.itertuples():
        f = p.iloc[int(k.map_fid) - 1]
        tol = area_tolerance(f["DIENTICH"], scale[f["MAXA"] + "|" + f["SHBANDO"]])
        assert abs(legal[(k.commune, k.sheet, k.parcel)] - f["DIENTICH"]) <= 0.3 * tol + 0.05, k


# ----------------------------------------------------------------------------- each kind

def test_geom_invalid_parcels_are_invalid_with_their_outline_kept(commune):
    for k in commune.rows("GEOM_INVALID").itertuples():
        g = commune.geom(k.map_fid)
        assert not shapely.is_valid(g)
        # the spike goes in and back out: the polygon's area is as the clean outline's
        fixed = shapely.make_valid(g)
        assert abs(shapely.area(fixed) - shapely.area(g)) < 1e-6
        assert shapely.distance(shapely.points(k.x, k.y), g.exterior) < 1e-3


def test_geom_empty_parcels_are_null_and_leave_a_gap(commune):
    rows = commune.rows("GEOM_EMPTY")
    gaps = commune.rows("GAP")
    covered = shapely.STRtree(commune.geoms[~shapely.is_missing(commune.geoms)])
    for k in rows.itertuples():
        assert commune.geom(k.map_fid) is None
        assert ((gaps["x"] == k.x) & (gaps["y"] == k.y)).sum() == 1
        assert not len(covered.query(shapely.points(k.x, k.y), predicate="intersects"))


def test_multipart_parcels_have_two_pieces(commune):
    for k in commune.rows("MULTIPART").itertuples():
        g = commune.geom(k.map_fid)
        assert g.geom_type == "MultiPolygon" and shapely.get_num_geometries(g) == 2
        assert shapely.is_valid(g)


def test_overlap_pairs_share_area_wider_than_the_tolerance(commune):
    pairs = commune.pairs("OVERLAP")
    assert len(pairs) == commune.result.n_defects["OVERLAP"]
    for rows in pairs:
        a, b = rows["map_fid"].astype(int)
        inter = shapely.intersection(commune.geom(a), commune.geom(b))
        tol = max(commune.tol[a - 1], commune.tol[b - 1])
        assert shapely.area(inter) > 0 and width(inter) > tol
        assert shapely.contains(inter, shapely.points(rows["x"].iloc[0], rows["y"].iloc[0]))


def _inside_a_hole(commune, x, y) -> bool:
    """The point lies in a hole of the union of the parcels around it."""
    pt = shapely.points(x, y)
    g = commune.geoms
    near = shapely.STRtree(g).query(shapely.buffer(pt, 150), predicate="intersects")
    near = near[~shapely.is_missing(g[near])]
    union = shapely.union_all(shapely.make_valid(g[near]))
    parts = shapely.get_parts(union)
    holes = [shapely.polygons(r) for p in parts for r in p.interiors]
    return not shapely.intersects(union, pt) and any(shapely.contains(h, pt) for h in holes)


def test_gaps_are_holes_wider_than_the_tolerance(commune):
    rows = commune.rows("GAP")
    assert len(rows) == commune.result.n_defects["GAP"] + commune.result.n_defects["GEOM_EMPTY"]
    assert rows["map_fid"].isna().all()
    for k in rows.itertuples():
        assert _inside_a_hole(commune, k.x, k.y), k
    # the moved-vertex gaps: the hole is more than the tolerance wide
    for k in rows[rows["details"].str.startswith("vertex")].itertuples():
        pt = shapely.points(k.x, k.y)
        g = commune.geoms
        near = shapely.STRtree(g).query(shapely.buffer(pt, 150), predicate="intersects")
        union = shapely.union_all(shapely.make_valid(g[near]))
        holes = [shapely.polygons(r) for p in shapely.get_parts(union) for r in p.interiors]
        hole = [h for h in holes if h.contains(pt)][0]
        assert width(hole) > 0.15


def test_not_noded_vertices_lie_within_tolerance_of_the_neighbours_edge(commune):
    pairs = commune.pairs("NOT_NODED")
    assert len(pairs) == commune.result.n_defects["NOT_NODED"]
    for rows in pairs:
        a, b = rows["map_fid"].astype(int)
        ga, gb = commune.geom(a), commune.geom(b)
        v = np.array([rows["x"].iloc[0], rows["y"].iloc[0]])
        ring_a = shapely.get_coordinates(ga)
        assert (np.abs(ring_a - v).max(axis=1) < 1e-6).any()          # a vertex of A
        d = shapely.distance(shapely.points(v), gb.exterior)
        assert 0 < d < commune.tol[a - 1]                              # near B's edge, not on it
        assert not (np.abs(shapely.get_coordinates(gb) - v).max(axis=1) < 1e-3).any()
        inter = shapely.intersection(ga, gb)
        assert shapely.area(inter) == 0 or width(inter) < commune.tol[a - 1]


def test_duplicates_are_nearly_the_same_polygon_with_the_same_attributes(commune):
    pairs = commune.pairs("DUPLICATE_GEOMETRY")
    assert len(pairs) == commune.result.n_defects["DUPLICATE_GEOMETRY"]
    exact = 0
    p = commune.parcels.set_index("fid")
    for rows in pairs:
        a, b = rows["map_fid"].astype(int)
        assert shapely.hausdorff_distance(commune.geom(a), commune.geom(b)) < commune.tol[a - 1] / 2
        exact += shapely.equals_exact(commune.geom(a), commune.geom(b), 0)
        assert p.loc[a].tolist() == p.loc[b].tolist()
    assert 0 < exact < len(pairs)


def test_slivers_are_thin_new_parcels(commune):
    p = commune.parcels
    register = pd.read_csv(commune.result.register_csv, dtype=str, keep_default_na=False,
                           encoding="utf-8-sig")
    in_register = set(zip(register["Mã xã"], register["Số tờ"], register["Số thửa"]))
    for k in commune.rows("SLIVER").itertuples():
        g = commune.geom(k.map_fid)
        tol = commune.tol[k.map_fid - 1]
        assert shapely.is_valid(g) and 0.25 * tol < width(g) < 2 * tol
        assert shapely.contains(g, shapely.points(k.x, k.y))
        # it takes a new number: used by no other parcel of the sheet, nor in the register
        same = p[(p["MAXA"] == k.commune) & (p["SHBANDO"] == k.sheet) & (p["SHTHUA"] == int(k.parcel))]
        assert len(same) == 1 and (k.commune, k.sheet, k.parcel) not in in_register
        # it lies between two parcels whose other boundaries stay where they were
        touching = shapely.STRtree(commune.geoms).query(g, predicate="intersects")
        shared = [f for f in touching if f + 1 != k.map_fid
                  and shapely.length(shapely.intersection(g.boundary, commune.geoms[f].boundary)) > 1.0]
        assert len(shared) == 2


def test_spikes_stick_out_of_the_outer_boundary(commune):
    for k in commune.rows("SPIKE").itertuples():
        g = commune.geom(k.map_fid)
        ring = shapely.get_coordinates(g.exterior)[:-1]
        assert shapely.is_valid(g) and angles_deg(ring).min() < 1.0
        tip = shapely.points(k.x, k.y)
        assert shapely.distance(tip, commune.frame_union) > 5.0        # outside the coverage
        assert (np.abs(ring - [k.x, k.y]).max(axis=1) < 1e-6).any()


def test_repeated_vertices_are_consecutive_equal_coordinates(commune):
    for k in commune.rows("REPEATED_VERTEX").itertuples():
        ring = shapely.get_coordinates(commune.geom(k.map_fid).exterior)
        same = (np.abs(np.diff(ring, axis=0)).max(axis=1) <= 1e-3)
        assert same.sum() == 1


def test_outside_parcels_lie_outside_every_frame(commune):
    for k in commune.rows("OUTSIDE_SHEET").itertuples():
        g = commune.geom(k.map_fid)
        assert not shapely.intersects(commune.frames, g).any()
        assert shapely.distance(commune.frame_union, g) >= 200


def test_crossing_parcels_lie_on_two_sheets(commune):
    frames = commune.frames
    labels = commune.sheets["SHBANDO"].to_numpy()
    for k in commune.rows("CROSSES_SHEET").itertuples():
        g = commune.geom(k.map_fid)
        shares = shapely.area(shapely.intersection(frames, g))
        on = np.flatnonzero(shares > 1.0)
        assert len(on) == 2 and shapely.is_valid(g) and g.geom_type == "Polygon"
        assert labels[on[np.argmax(shares[on])]] == k.expected_sheet


# ----------------------------------------------------------------------------- the rest stays exact

def test_the_rest_of_the_coverage_is_exact(commune):
    g = commune.geoms
    fids = commune.parcels["fid"].to_numpy()
    keyed = commune.topo["map_fid"].dropna().astype(int).to_numpy()
    tree = shapely.STRtree(g)
    near = set(keyed.tolist())
    # parcels touching a keyed parcel, or near a keyed place (a hole has no feature)
    keyed_geoms = g[keyed - 1]
    keyed_geoms = keyed_geoms[~shapely.is_missing(keyed_geoms)]
    _, hit = tree.query(shapely.buffer(keyed_geoms, 0.5), predicate="intersects")
    near |= set((hit + 1).tolist())
    _, hit = tree.query(shapely.points(commune.topo["x"], commune.topo["y"]), predicate="dwithin",
                        distance=5.0)
    near |= set((hit + 1).tolist())
    usable = ~shapely.is_missing(g) & shapely.is_valid(g) & (shapely.get_type_id(g) == 3)
    edges = shapely.coverage_invalid_edges(g[usable])
    bad = fids[usable][~shapely.is_empty(edges)]
    assert len(bad)                                 # the defects show up…
    assert set(bad.tolist()) <= near                # …and only there
    assert len(near) < 0.25 * len(fids)


# ----------------------------------------------------------------------------- options

def test_rate_zero_gives_todays_output(tmp_path):
    res = generate_sample(tmp_path, SampleSpec(parcels=3000, seed=5, write_xlsx=False))
    assert hashlib.sha256(res.register_csv.read_bytes()).hexdigest() == TODAY_REGISTER
    assert parcels_digest(res.gpkg) == TODAY_PARCELS
    key = pd.read_csv(res.answer_key, dtype=str, keep_default_na=False)
    assert list(key.columns[-3:]) == ["x", "y", "group"] and set(key["group"]) == {"register"}
    old = key.drop(columns=["x", "y", "group"]).to_csv(index=False, lineterminator="\n")
    assert hashlib.sha256(old.encode()).hexdigest() == TODAY_KEY


def test_geometry_defects_leave_the_register_defects_as_they_were(tmp_path, commune):
    plain = generate_sample(tmp_path, SampleSpec(parcels=3000, seed=11, write_xlsx=False))
    a = pd.read_csv(plain.register_csv, dtype=str, keep_default_na=False)
    b = pd.read_csv(commune.result.register_csv, dtype=str, keep_default_na=False)
    area = "Diện tích (m²)"
    assert a.drop(columns=area).equals(b.drop(columns=area))
    # register areas follow the geometry only where a geometry defect changed it
    assert 0 < (a[area] != b[area]).sum() <= sum(commune.result.n_defects[k] for k in KINDS)
    key_a = read_key(plain.answer_key)
    key_b = commune.key[commune.key["group"] == "register"].reset_index(drop=True)
    same = ["code", "commune", "sheet", "parcel", "register_row", "expected_commune", "expected_sheet",
            "expected_parcel"]
    assert key_a[same].equals(key_b[same])
    assert (key_a["map_fid"].isna() == key_b["map_fid"].isna()).all()


@pytest.fixture(scope="module")
def unnoded(tmp_path_factory):
    out = tmp_path_factory.mktemp("unnoded")
    noded = generate_sample(out / "noded", SampleSpec(parcels=3000, seed=8, write_xlsx=False))
    joined = generate_sample(out / "joined", SampleSpec(parcels=3000, seed=8, write_xlsx=False,
                                                        unnoded_sheet_edges=True))
    return noded, joined


def test_unnoded_sheet_edges_keep_every_parcel_and_area(unnoded):
    noded, joined = unnoded
    pa, ga = read_layer(noded.gpkg, "parcels")
    pb, gb = read_layer(joined.gpkg, "parcels")
    assert pa.equals(pb)
    assert np.allclose(shapely.area(ga), shapely.area(gb), rtol=0, atol=1e-6)
    assert noded.register_csv.read_bytes() == joined.register_csv.read_bytes()
    assert (shapely.get_num_coordinates(gb) <= shapely.get_num_coordinates(ga)).all()
    assert (shapely.get_num_coordinates(gb) < shapely.get_num_coordinates(ga)).any()
    # no overlap, no gap: the union is the sheets' union
    _, frames = read_layer(joined.gpkg, "sheets")
    assert abs(shapely.area(gb).sum() - shapely.area(frames).sum()) < 0.01


def test_unnoded_sheet_edges_break_the_coverage_only_along_sheet_edges(unnoded):
    _, joined = unnoded
    _, g = read_layer(joined.gpkg, "parcels")
    sheets, frames = read_layer(joined.gpkg, "sheets")
    edges = shapely.coverage_invalid_edges(g)
    bad = ~shapely.is_empty(edges)
    assert bad.any()
    # sheet edges shared by two frames
    inner = shapely.union_all(shapely.intersection(frames[:, None], frames[None, :])[
        ~np.eye(len(frames), dtype=bool)])
    on_edge = shapely.length(shapely.intersection(shapely.boundary(g), inner)) > 0.01
    assert on_edge[bad].all()
    # the invalid edges lie on the sheet edges
    assert (shapely.distance(edges[bad], inner) < 1e-6).all()
    # there, a vertex of one sheet's parcel lies exactly on the other sheet's parcel edge
    xy, owner = shapely.get_coordinates(g[bad], return_index=True)
    on_line = shapely.distance(shapely.points(xy), inner) == 0
    pts, owner = shapely.points(xy[on_line]), np.flatnonzero(bad)[owner[on_line]]
    tree = shapely.STRtree(g)
    which, other = tree.query(pts, predicate="dwithin", distance=1e-9)
    keep = owner[which] != other
    which, other = which[keep], other[keep]
    exactly_on = shapely.distance(pts[which], shapely.boundary(g[other])) == 0
    is_vertex = np.array([(shapely.get_coordinates(g[o]) == shapely.get_coordinates(pts[w])).all(1).any()
                          for w, o in zip(which, other)])
    assert (exactly_on & ~is_vertex).sum() > 10


def test_geometry_defects_and_unnoded_sheet_edges_together(tmp_path):
    res = generate_sample(tmp_path, SampleSpec(parcels=3000, seed=12, geometry_defect_rate=0.02,
                                               unnoded_sheet_edges=True, write_xlsx=False))
    parcels, g = read_layer(res.gpkg, "parcels")
    key = read_key(res.answer_key)
    topo = key[key["group"] == "topology"]
    assert set(KINDS) <= set(topo["code"])
    for k in topo[topo["code"] == "DUPLICATE_GEOMETRY"].groupby(["x", "y"]):
        a, b = k[1]["map_fid"].astype(int)
        assert shapely.hausdorff_distance(g[a - 1], g[b - 1]) < 0.15
    for k in topo[topo["code"] == "GEOM_EMPTY"].itertuples():
        assert g[k.map_fid - 1] is None


# ----------------------------------------------------------------------------- speed

@pytest.mark.slow
def test_timing_of_100k_parcels_with_geometry_defects(tmp_path):
    """Printed, not asserted (machines differ): the best of two runs each."""
    plain, geom = [], []
    for _ in range(2):
        for rate, times in ((0.0, plain), (0.01, geom)):
            t = time.perf_counter()
            res = generate_sample(tmp_path / str(rate), SampleSpec(parcels=100_000, seed=1, write_xlsx=False,
                                                                   geometry_defect_rate=rate))
            times.append(time.perf_counter() - t)
    print(f"\n100 000 parcels: {min(plain):.2f} s plain, {min(geom):.2f} s with geometry defects at 1 % "
          f"(+{100 * (min(geom) / min(plain) - 1):.0f} %); stages of the last run {res.timings}")
    assert sum(res.n_defects[k] for k in KINDS) > 800


# ----------------------------------------------------------------------------- scoring

def _perfect_flags(commune):
    """What a perfect checker reports: each keyed parcel by fid, each hole by place."""
    topo = commune.topo
    rows = []
    for k in topo.itertuples():
        pt = shapely.points(k.x, k.y)
        rows.append({"code": k.code, "map_fid": k.map_fid,
                     "suggested_sheet": k.expected_sheet or None,
                     "geometry": shapely.buffer(pt, 0.3) if k.code in ("GAP", "OVERLAP") else pt})
    return pd.DataFrame(rows)


def test_score_topology_finds_every_keyed_defect_and_no_false_flag(commune):
    from cadastre_cleaner.core.sample.answer_key import score_topology
    flags = _perfect_flags(commune)
    s = score_topology(flags.drop(columns="geometry"), flags["geometry"], commune.key,
                       commune.parcels["fid"].to_numpy())
    assert s.expected == len(commune.topo) and s.recall == 1.0, "\n".join(s.lines())
    assert s.clean_parcels_flagged == 0 and s.false_flags.empty
    assert s.suggestions_checked == commune.result.n_defects["CROSSES_SHEET"] == s.suggestions_right
    assert s.clean_parcels == len(commune.parcels) - commune.topo["map_fid"].nunique()


def test_score_topology_counts_misses_and_false_flags(commune):
    from cadastre_cleaner.core.sample.answer_key import score_topology
    flags = _perfect_flags(commune)
    gap = flags.index[flags["code"] == "GAP"][0]
    keyed = set(commune.topo["map_fid"].dropna().astype(int))
    clean = next(f for f in commune.parcels["fid"] if f not in keyed)
    far = shapely.point_on_surface(commune.geom(clean))
    dup = commune.topo.loc[commune.topo["code"] == "DUPLICATE_GEOMETRY", "map_fid"].iloc[0]
    spike = commune.topo.loc[commune.topo["code"] == "SPIKE", "map_fid"].iloc[0]
    extra = pd.DataFrame([
        {"code": "OVERLAP", "map_fid": clean, "geometry": far},               # false: clean parcel
        {"code": "GAP", "map_fid": None, "geometry": shapely.buffer(far, 1)},  # false: no gap there
        {"code": "SLIVER", "map_fid": clean, "geometry": far},                # false: clean parcel
        {"code": "OVERLAP", "map_fid": dup, "geometry": commune.geom(dup)},   # a copy over its original
        {"code": "NOT_NODED", "map_fid": spike, "geometry": far},             # a keyed parcel
        {"code": "MAP_ONLY", "map_fid": clean, "geometry": None},             # another group: ignored
    ])
    flags = pd.concat([flags.drop(index=gap), extra], ignore_index=True)
    s = score_topology(flags.drop(columns="geometry"), flags["geometry"], commune.key,
                       commune.parcels["fid"].to_numpy())
    assert s.found == s.expected - 1 and list(s.missed["code"]) == ["GAP"]
    assert sorted(s.false_flags["code"]) == ["GAP", "OVERLAP", "SLIVER"]
    assert s.clean_parcels_flagged == 1


def test_register_score_ignores_topology_rows(commune):
    from cadastre_cleaner.core.sample.answer_key import score
    reg = commune.key[commune.key["group"] == "register"]
    flags = reg[["code", "map_fid", "register_row"]].assign(suggested_parcel=None, suggested_sheet=None,
                                                            suggested_commune=None)
    # a register-side consequence of a geometry defect: the sliver has no register row
    sliver = commune.topo.loc[commune.topo["code"] == "SLIVER", "map_fid"].iloc[0]
    flags = pd.concat([flags, pd.DataFrame([{"code": "MAP_ONLY", "map_fid": sliver}])], ignore_index=True)
    register_rows = np.arange(2, len(pd.read_csv(commune.result.register_csv)) + 2)
    s = score(flags, commune.key, commune.parcels["fid"].to_numpy(), register_rows)
    assert s.expected == len(reg) and s.recall == 1.0
    assert s.clean_parcels_flagged == 0
