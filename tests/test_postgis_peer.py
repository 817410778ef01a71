"""The PostGIS peer of the benchmark gives the known answers on a tiny hand-made layer.

The module fixture installs PostGIS (apt-get, ~1 min the first time) and starts a
throwaway cluster itself. Without network or rights the install fails and so does
this test, with the command to run; CADASTRE_SKIP_POSTGIS=1 skips it instead.
"""
import os

import pytest
from osgeo import ogr

from cadastre_cleaner.benchmarks import postgis_peer

pytestmark = pytest.mark.needs_engine


def square(x, y, size=1.0):
    return (f"POLYGON(({x} {y},{x + size} {y},{x + size} {y + size},"
            f"{x} {y + size},{x} {y}))")


def ring_of_eight(x, y):
    """Eight unit squares around the empty unit square (x+1, y+1)."""
    return [square(x + i, y + j) for i in range(3) for j in range(3) if (i, j) != (1, 1)]


# name -> WKT (None: a null geometry). Far apart, so only the intended ones meet.
CASE = {
    "overlap_a": "POLYGON((0 0,2 0,2 2,0 2,0 0))",
    "overlap_b": "POLYGON((1 0,3 0,3 2,1 2,1 0))",         # overlaps a on 1 x 2 = 2.0
    "bowtie": "POLYGON((10 0,12 2,12 0,10 2,10 0))",       # self-intersecting: invalid
    "null": None,
    **{f"ring_{k}": wkt for k, wkt in enumerate(ring_of_eight(20, 0))},   # one 1 x 1 gap
    "corner_a": square(30, 0),
    "corner_b": square(31, 1),                              # touches corner_a at one point
}

# A 5 x 5 frame of four parcels round a 3 x 3 hole holding a 1 x 1 island: a gap of 9 - 1 = 8.
ISLAND = {
    "frame_s": "POLYGON((0 0,5 0,5 1,0 1,0 0))",
    "frame_n": "POLYGON((0 4,5 4,5 5,0 5,0 4))",
    "frame_w": "POLYGON((0 1,1 1,1 4,0 4,0 1))",
    "frame_e": "POLYGON((4 1,5 1,5 4,4 4,4 1))",
    "island": square(2, 2),
    # Nested, with parcels that have holes: a 9 x 9 ring round a 7 x 7 hole holding a
    # 5 x 5 ring round a 3 x 3 hole holding a 1 x 1 square: gaps 49 - 25 = 24 and 9 - 1 = 8.
    "outer_ring": "POLYGON((100 0,109 0,109 9,100 9,100 0),(101 1,101 8,108 8,108 1,101 1))",
    "inner_ring": "POLYGON((102 2,107 2,107 7,102 7,102 2),(103 3,103 6,106 6,106 3,103 3))",
    "centre": square(104, 4),
}


def write_gpkg(path, geometries: dict) -> dict:
    """One layer `parcels` with a `name` field; returns name -> fid."""
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    layer = ds.CreateLayer("parcels", None, ogr.wkbPolygon)
    layer.CreateField(ogr.FieldDefn("name", ogr.OFTString))
    fids = {}
    for name, wkt in geometries.items():
        feat = ogr.Feature(layer.GetLayerDefn())
        feat.SetField("name", name)
        feat.SetGeometry(ogr.CreateGeometryFromWkt(wkt) if wkt else None)
        layer.CreateFeature(feat)
        fids[name] = feat.GetFID()
    ds = None
    return fids


@pytest.fixture(scope="module")
def pg(tmp_path_factory):
    if os.environ.get("CADASTRE_SKIP_POSTGIS") == "1":
        pytest.skip("CADASTRE_SKIP_POSTGIS=1")
    postgis_peer.ensure_postgis()   # RuntimeError (with the command to run): the test fails
    with postgis_peer.TempCluster(tmp_path_factory.mktemp("pg"),
                                  settings={"shared_buffers": "128MB"}) as cluster:
        conn = cluster.connect()
        yield conn
        conn.close()


@pytest.fixture
def case(tmp_path, pg):
    """The case loaded afresh for each test (loading a few features takes milliseconds)."""
    path = tmp_path / "case.gpkg"
    fids = write_gpkg(path, CASE)
    loaded = postgis_peer.load_parcels(pg, path)
    return fids, loaded


def test_load_keeps_every_feature_and_null_geometries(pg, case):
    fids, loaded = case
    assert loaded["parcels"] == len(CASE)
    assert loaded["null_geometries"] == 1
    with pg.cursor() as cur:
        cur.execute("SELECT count(*), count(*) FILTER (WHERE geom IS NULL) FROM parcels")
        assert cur.fetchone() == (len(CASE), 1)
        cur.execute("SELECT id FROM parcels WHERE geom IS NULL")
        assert cur.fetchone()[0] == fids["null"]
    pg.rollback()


def test_known_counts(pg, case):
    fids, _ = case
    res = postgis_peer.topology_counts(pg, min_area=0.0)
    assert res["parcels"] == len(CASE)
    assert res["invalid"] == 1 and res["empty"] == 1
    # Only the two squares: the ring's neighbours and the corner pair only touch.
    assert res["overlap_pairs"] == 1
    assert res["overlap_area"] == pytest.approx(2.0)
    assert res["overlaps_st_overlaps"] == 1
    assert res["pairs"][["id_a", "id_b"]].values.tolist() == [
        sorted([fids["overlap_a"], fids["overlap_b"]])]
    assert res["gaps"] == 1 and res["gap_area"] == pytest.approx(1.0)
    gap = res["gap_list"].iloc[0]
    assert 21 < gap["x"] < 22 and 1 < gap["y"] < 2
    assert set(res["timings"]) >= {"invalid", "overlaps", "gaps"}


def test_min_area_and_staged_union(pg, case):
    res = postgis_peer.topology_counts(pg, min_area=1.5, union="staged", cell_target=3)
    assert (res["overlap_pairs"], res["gaps"]) == (1, 0)
    assert res["union_method"] == "staged"
    res = postgis_peer.topology_counts(pg, min_area=0.5, union="staged", cell_target=3)
    assert (res["overlap_pairs"], res["gaps"], res["gap_area"]) == (1, 1, pytest.approx(1.0))
    res = postgis_peer.topology_counts(pg, min_area=2.0)
    assert (res["overlap_pairs"], res["overlap_area"], res["gaps"]) == (0, 0.0, 0)


def test_an_island_in_a_gap_is_not_gap(pg, tmp_path):
    write_gpkg(tmp_path / "island.gpkg", ISLAND)
    postgis_peer.load_parcels(pg, tmp_path / "island.gpkg")
    res = postgis_peer.topology_counts(pg)
    assert (res["invalid"], res["empty"], res["overlap_pairs"]) == (0, 0, 0)
    assert res["gap_list"]["area"].tolist() == pytest.approx([24.0, 8.0, 8.0])
    assert res["gaps"] == 3 and res["gap_area"] == pytest.approx(40.0)


def test_cluster_is_removed(tmp_path):
    if os.environ.get("CADASTRE_SKIP_POSTGIS") == "1":
        pytest.skip("CADASTRE_SKIP_POSTGIS=1")
    postgis_peer.ensure_postgis()
    folder = tmp_path / "pg"
    with postgis_peer.TempCluster(folder, settings={"shared_buffers": "32MB"}) as cluster:
        with cluster.connect() as conn, conn.cursor() as cur:
            cur.execute("SELECT PostGIS_Lib_Version(), current_setting('listen_addresses')")
            version, listen = cur.fetchone()
        conn.close()
        assert version.startswith("3.") and listen == ""
        assert cluster.pids()
    assert not folder.exists()


def test_our_engine_agrees_with_postgis_on_a_generated_commune(pg, tmp_path):
    """Same invalid count, same overlapping pairs with the same areas, same holes."""
    import numpy as np

    from cadastre_cleaner.benchmarks.bench import MIN_AREA, agreement, topology_figures
    from cadastre_cleaner.core.pipeline import CheckRequest, compute
    from cadastre_cleaner.core.sample import SampleSpec, generate_sample

    generate_sample(tmp_path, SampleSpec(parcels=8_000, seed=21, geometry_defect_rate=0.02, write_xlsx=False))
    gpkg = tmp_path / "commune.gpkg"
    result, _ = compute(CheckRequest(parcels=f"{gpkg}|layername=parcels", sheets=f"{gpkg}|layername=sheets",
                                     out=str(tmp_path / "flags.gpkg"), checks=["topology"]))
    ours = topology_figures(result.topology)
    postgis_peer.load_parcels(pg, gpkg)
    peer = postgis_peer.topology_counts(pg, min_area=MIN_AREA)
    assert ours["invalid"] > 0 and ours["overlap_pairs"] > 0 and ours["gaps"] > 0
    assert agreement(ours, peer) == []
    # and pair by pair: the same parcels overlap, by the same area
    fids = result.m["fid"].to_numpy()
    ov = result.topology.overlaps
    ov = ov[ov["area"] > MIN_AREA]
    mine = {(min(a, b), max(a, b)): s for a, b, s in zip(fids[ov["i"].astype(int)], fids[ov["j"].astype(int)],
                                                            ov["area"])}
    theirs = {(int(a), int(b)): s for a, b, s in peer["pairs"][["id_a", "id_b", "area"]].itertuples(index=False)}
    assert set(mine) == set(theirs)
    assert np.allclose([mine[k] for k in sorted(mine)], [theirs[k] for k in sorted(mine)], rtol=1e-6, atol=1e-6)
