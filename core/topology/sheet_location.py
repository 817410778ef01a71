"""Which sheet a parcel really lies on: by sheet frames, or by its neighbours' sheets.

A parcel's sheet number is wrong when its own sheet's frame does not hold it while
another frame does; without frames, when none of the parcels around it share its
sheet number and most of them share another.
"""
import numpy as np
import pandas as pd
import shapely

FRAME_CONFIDENCE = 0.95
NEIGHBOUR_CONFIDENCE = 0.8


def locate_by_frames(points: np.ndarray, commune: np.ndarray, sheet: np.ndarray,
                     frame_geom: np.ndarray, frame_commune: np.ndarray, frame_sheet: np.ndarray,
                     frame_scale: np.ndarray) -> np.ndarray:
    """Sheet holding each point: its own sheet if its own frame holds it, else the frame that
    does (same commune first, then the largest scale); '' where no frame holds it."""
    n = len(points)
    out = np.full(n, "", dtype=object)
    valid = ~shapely.is_missing(points) & ~shapely.is_empty(points)
    idx = np.flatnonzero(valid)
    if not len(idx) or not len(frame_geom):
        return out
    tree = shapely.STRtree(frame_geom)
    pi, fi = tree.query(points[idx], predicate="intersects")
    pi = idx[pi]
    hits = pd.DataFrame({
        "p": pi, "f": fi,
        "own": (frame_sheet[fi] == sheet[pi]) & ((frame_commune[fi] == "") | (frame_commune[fi] == commune[pi])),
        "same_commune": (frame_commune[fi] == commune[pi]) | (frame_commune[fi] == ""),
        "scale": frame_scale[fi],
    })
    hits = hits.sort_values(["p", "own", "same_commune", "scale"], ascending=[True, False, False, True])
    first = hits.drop_duplicates("p")
    out[first["p"].to_numpy()] = frame_sheet[first["f"].to_numpy()]
    return out


def locate_by_neighbours(geoms: np.ndarray, commune: np.ndarray, sheet: np.ndarray,
                         min_neighbours: int = 3, majority: float = 0.6) -> np.ndarray:
    """Sheet suggested by the parcels around each parcel ('' where its own sheet is plausible).

    Neighbours are parcels whose bounding boxes meet (a bulk STRtree query without a
    predicate: cheap even for a million parcels)."""
    n = len(geoms)
    out = np.full(n, "", dtype=object)
    ok = ~shapely.is_missing(geoms)
    idx = np.flatnonzero(ok)
    if len(idx) < 2:
        return out
    tree = shapely.STRtree(geoms[idx])
    a, b = tree.query(geoms[idx])
    keep = a != b
    a, b = idx[a[keep]], idx[b[keep]]
    same_commune = commune[a] == commune[b]
    a, b = a[same_commune], b[same_commune]
    pairs = pd.DataFrame({"p": a, "s": sheet[b]})
    total = pairs.groupby("p").size()
    own = pd.Series(sheet[a] == sheet[b]).groupby(a).sum()
    votes = pairs.groupby(["p", "s"]).size().rename("n").reset_index()
    top = votes.sort_values(["p", "n"], ascending=[True, False]).drop_duplicates("p").set_index("p")
    frame = pd.DataFrame({"total": total, "own": own}).join(top)
    bad = frame[(frame["total"] >= min_neighbours) & (frame["own"] == 0)
                & (frame["n"] >= majority * frame["total"])]
    out[bad.index.to_numpy()] = bad["s"].to_numpy(object)
    return out
