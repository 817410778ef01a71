"""Parcels from a drawing: boundary lines to polygons, text labels to attributes.

What MicroStation-based tools (FAMIS, gCadas: "tạo vùng") do, in bulk:
1. the lines on the boundary levels, polygons taken as their outlines;
2. endpoints that stop short of another line by less than the scale's positional
   accuracy are snapped onto it (to its nearest vertex when one is that close);
3. the lines are noded (union) and polygonized; polygonize_full also returns the
   lines that close no parcel: dangles (a free end) and cut edges (inside a parcel);
4. each text label is placed in the polygon that contains it (one STRtree query),
   and read by its level: parcel number, land use, area or note.

The level → meaning mapping is a LevelMapping, saved and loaded as JSON:
    {"boundary": ["10"], "parcel_number": ["13"], "landuse": ["2"], "area": ["4"],
     "note": ["*"]}
A DGN level is matched by its number, a DXF layer by its name (case-insensitive);
"*" stands for every level no other meaning names.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from ..errors import InputError

MEANINGS = ("boundary", "parcel_number", "landuse", "area", "note")
TEXT_MEANINGS = ("parcel_number", "landuse", "area", "note")
ANY = "*"
_EXACT = 1e-9


@dataclass
class LevelMapping:
    """Which DGN levels / DXF layers hold what. Defaults from Circular 25 practice
    (DOMAIN.md): boundaries on 10, land-use code on 2, area on 4, parcel number on 13;
    any other text is kept as a note."""
    boundary: tuple = ("10",)
    parcel_number: tuple = ("13",)
    landuse: tuple = ("2",)
    area: tuple = ("4",)
    note: tuple = (ANY,)

    def __post_init__(self):
        for name in MEANINGS:
            value = getattr(self, name)
            if isinstance(value, (str, int)):
                value = (value,)
            object.__setattr__(self, name, tuple(_level_key(v) for v in value))

    def to_dict(self) -> dict:
        return {k: list(v) for k, v in asdict(self).items()}

    @classmethod
    def from_dict(cls, data: dict, source: str = "") -> LevelMapping:
        unknown = set(data) - set(MEANINGS)
        if unknown:
            raise InputError(f"unknown meaning(s) {', '.join(sorted(unknown))} in the level mapping", source,
                             fix=f"use {', '.join(MEANINGS)}")
        return cls(**{k: tuple(v) if isinstance(v, (list, tuple)) else (v,) for k, v in data.items()})

    def save(self, path) -> None:
        Path(path).write_text(json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n",
                              encoding="utf-8")

    @classmethod
    def load(cls, path) -> LevelMapping:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise InputError(f"cannot read the level mapping ({err})", str(path),
                             fix='write JSON like {"boundary": ["10"], "parcel_number": ["13"], '
                                 '"landuse": ["2"], "area": ["4"]}') from None
        if not isinstance(data, dict):
            raise InputError("the level mapping is not a JSON object", str(path))
        return cls.from_dict(data, str(path))

    def classify(self, levels: np.ndarray, meanings=MEANINGS) -> np.ndarray:
        """The meaning ('' none) of each level among `meanings`; '*' takes the levels no
        other meaning of the whole mapping names."""
        keys = pd.Series(levels, dtype=object).map(_level_key).to_numpy(object)
        out = np.full(len(keys), "", dtype=object)
        named = {v for m in MEANINGS for v in getattr(self, m) if v != ANY}
        for meaning in meanings:
            values = getattr(self, meaning)
            hit = np.isin(keys, [v for v in values if v != ANY])
            if ANY in values:
                hit |= ~np.isin(keys, list(named))
            out[hit & (out == "")] = meaning
        return out


def _level_key(value) -> str:
    """'10', 10, 10.0, ' Ranh_Thua ' -> '10', '10', '10', 'ranh_thua'."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, (int, np.integer)) or (isinstance(value, (float, np.floating)) and float(value).is_integer()):
        return str(int(value))
    return str(value).strip().lower()


# ---- polygons from lines ------------------------------------------------------------

def boundary_lines(geoms: np.ndarray) -> np.ndarray:
    """Single LineStrings: lines as they are, polygons (DGN shapes, DXF hatches) as their rings."""
    geoms = np.asarray(geoms, dtype=object)
    geoms = geoms[~shapely.is_missing(geoms) & ~shapely.is_empty(geoms)]
    if not len(geoms):
        return np.array([], dtype=object)
    polygonal = np.isin(shapely.get_type_id(geoms), (3, 6))
    geoms = geoms.copy()
    geoms[polygonal] = shapely.boundary(geoms[polygonal])
    parts = shapely.get_parts(geoms)
    parts = parts[np.isin(shapely.get_type_id(parts), (1, 2))]
    return shapely.force_2d(parts[shapely.get_num_coordinates(parts) >= 2])


def snap_endpoints(lines: np.ndarray, tol: float) -> tuple[np.ndarray, int]:
    """Move free line ends that stop within `tol` of another line onto it: onto its
    nearest vertex within `tol` if any (the corner the surveyor meant), else onto the
    nearest point of the line. Returns (lines, how many ends moved)."""
    n = len(lines)
    if n == 0 or tol <= 0:
        return lines, 0
    coords, idx = shapely.get_coordinates(lines, return_index=True)
    counts = np.bincount(idx, minlength=n)
    starts = np.cumsum(counts) - counts
    ends = starts + counts - 1
    ep_pos = np.concatenate([starts, ends])
    ep_line = np.concatenate([np.arange(n), np.arange(n)])
    ep = shapely.points(coords[ep_pos])
    closed = np.all(coords[starts] == coords[ends], axis=1)
    a, b = shapely.STRtree(lines).query(ep, predicate="dwithin", distance=tol)
    keep = ep_line[a] != b
    a, b = a[keep], b[keep]
    dist = shapely.distance(ep[a], lines[b])
    touching = np.zeros(len(ep), dtype=bool)
    touching[a[dist <= _EXACT]] = True
    free = ~touching & ~np.concatenate([closed, closed])
    near = np.zeros(len(ep), dtype=bool)
    near[a] = True
    movers = np.flatnonzero(free & near)
    if not len(movers):
        return lines, 0
    target = _nearest_vertex(coords, idx, ep, ep_line, movers, tol)
    no_vertex = np.isnan(target[:, 0])
    if no_vertex.any():
        sel = np.isin(a, movers[no_vertex])
        a2, b2, d2 = a[sel], b[sel], dist[sel]
        order = np.lexsort((d2, a2))
        a2, b2 = a2[order], b2[order]
        first = np.unique(a2, return_index=True)[1]
        best_line = dict(zip(a2[first].tolist(), b2[first].tolist()))
        which = movers[no_vertex]
        on = lines[[best_line[i] for i in which]]
        proj = shapely.line_interpolate_point(on, shapely.line_locate_point(on, ep[which]))
        target[no_vertex] = shapely.get_coordinates(proj)
    target = _break_mutual(ep_pos, movers, coords, target)
    moved = ~np.isnan(target[:, 0])
    coords = coords.copy()
    coords[ep_pos[movers[moved]]] = target[moved]
    return shapely.linestrings(coords, indices=idx), int(moved.sum())


def _nearest_vertex(coords, idx, ep, ep_line, movers, tol) -> np.ndarray:
    """Per mover, the nearest vertex of another line within tol (NaN when none)."""
    out = np.full((len(movers), 2), np.nan)
    vertices = shapely.points(coords)
    va, vb = shapely.STRtree(vertices).query(ep[movers], predicate="dwithin", distance=tol)
    ok = idx[vb] != ep_line[movers[va]]
    va, vb = va[ok], vb[ok]
    if not len(va):
        return out
    d = shapely.distance(ep[movers[va]], vertices[vb])
    order = np.lexsort((d, va))
    va, vb = va[order], vb[order]
    first = np.unique(va, return_index=True)[1]
    out[va[first]] = coords[vb[first]]
    return out


def _break_mutual(ep_pos, movers, coords, target) -> np.ndarray:
    """Two free ends that would jump onto each other would just swap places: only the
    later one moves."""
    pos = ep_pos[movers]
    at = {tuple(coords[p]): k for k, p in enumerate(pos)}
    for k in range(len(movers)):
        if np.isnan(target[k, 0]):
            continue
        j = at.get(tuple(target[k]))
        if j is not None and j != k and not np.isnan(target[j, 0]) and \
                np.array_equal(target[j], coords[pos[k]]) and k < j:
            target[k] = np.nan
    return target


@dataclass
class Faces:
    polygons: np.ndarray
    dangles: np.ndarray          # lines with a free end (one per dangling line)
    cuts: np.ndarray             # lines inside a face, closing nothing
    invalid: np.ndarray          # rings that could not make a valid polygon
    snapped: int = 0


def polygonize(lines: np.ndarray, tol: float) -> Faces:
    """Node the lines and polygonize them; lines that close no parcel come back apart.
    Dangles shorter than tol are overshoots of a snapped corner, not faults."""
    lines, snapped = snap_endpoints(lines, tol)
    empty = np.array([], dtype=object)
    if not len(lines):
        return Faces(empty, empty, empty, empty, snapped)
    noded = shapely.get_parts(shapely.union_all(lines))
    polys, cuts, dangles, invalid = shapely.polygonize_full(noded)
    dangles = _merged(dangles)
    dangles = dangles[shapely.length(dangles) > tol] if len(dangles) else dangles
    return Faces(shapely.get_parts(polys), dangles, _merged(cuts), shapely.get_parts(invalid), snapped)


def _merged(collection) -> np.ndarray:
    parts = shapely.get_parts(collection)
    if not len(parts):
        return np.array([], dtype=object)
    return shapely.get_parts(shapely.line_merge(shapely.multilinestrings(parts)))


# ---- labels ---------------------------------------------------------------------------

@dataclass
class Labels:
    """What the labels say about each polygon (arrays aligned with the polygons)."""
    number: np.ndarray           # '' when no number label
    number_fid: np.ndarray       # source FID of the number label used (-1 none)
    number_count: np.ndarray     # distinct numbers inside
    numbers_all: np.ndarray      # all distinct numbers, ', '-joined
    landuse: np.ndarray
    area: np.ndarray             # float, NaN when no area label
    note: np.ndarray
    outside: int = 0             # labels inside no polygon
    per_meaning: dict = field(default_factory=dict)


def parse_area(texts) -> np.ndarray:
    """'1234,5' '1 234.5' '1234.5 m2' -> 1234.5; anything else NaN."""
    s = pd.Series(texts, dtype=object).astype(str).str.strip()
    s = s.str.replace(r"\s*m\s*(2|²)$", "", regex=True).str.replace(r"\s+", "", regex=True)
    both = s.str.contains(",") & s.str.contains(r"\.")
    s = s.where(~both, s.str.replace(",", "", regex=False))
    s = s.str.replace(",", ".", regex=False)
    return pd.to_numeric(s.where(s.str.fullmatch(r"\d+(\.\d+)?"), None), errors="coerce").to_numpy(float)


def normalise_number(texts) -> np.ndarray:
    """Parcel number text: trimmed, leading zeros off integers ('012' -> '12')."""
    s = pd.Series(texts, dtype=object)
    s = s.where(s.notna(), "").astype(str).str.strip().str.replace(r"\s+", " ", regex=True)
    s = s.where(~s.str.fullmatch(r"\d+\.0*"), s.str.replace(r"\.0*$", "", regex=True))
    ints = s.str.fullmatch(r"\d+")
    s = s.where(~ints, s.str.lstrip("0").replace("", "0"))
    return s.to_numpy(object)


def assign_labels(polygons: np.ndarray, points: np.ndarray, meaning: np.ndarray,
                  text: np.ndarray, fids: np.ndarray) -> Labels:
    """Read each polygon's labels: one STRtree query places every label point."""
    n = len(polygons)
    out = Labels(number=np.full(n, "", dtype=object), number_fid=np.full(n, -1, dtype=np.int64),
                 number_count=np.zeros(n, dtype=np.int64), numbers_all=np.full(n, "", dtype=object),
                 landuse=np.full(n, "", dtype=object), area=np.full(n, np.nan),
                 note=np.full(n, "", dtype=object))
    text = pd.Series(text, dtype=object)
    text = text.where(text.notna(), "").astype(str).to_numpy(object)
    usable = (meaning != "") & (pd.Series(text).str.strip().to_numpy(object) != "")
    points, meaning, text, fids = points[usable], meaning[usable], text[usable], fids[usable]
    out.per_meaning = pd.Series(meaning).value_counts().to_dict()
    if not n or not len(points):
        out.outside = len(points)
        return out
    label, poly = shapely.STRtree(polygons).query(points, predicate="within")
    out.outside = int(len(points) - len(np.unique(label)))
    frame = pd.DataFrame({"poly": poly, "order": label, "meaning": meaning[label],
                          "text": text[label], "fid": fids[label]}).sort_values(["poly", "order"])
    _numbers(frame[frame["meaning"] == "parcel_number"], out)
    lu = frame[frame["meaning"] == "landuse"]
    if len(lu):
        codes = lu.assign(text=lu["text"].str.strip().str.upper()).drop_duplicates(["poly", "text"])
        joined = codes.groupby("poly")["text"].agg("+".join)
        out.landuse[joined.index.to_numpy()] = joined.to_numpy(object)
    ar = frame[frame["meaning"] == "area"]
    if len(ar):
        first = ar.drop_duplicates("poly")
        out.area[first["poly"].to_numpy()] = parse_area(first["text"].to_numpy(object))
    nt = frame[frame["meaning"] == "note"]
    if len(nt):
        joined = nt.assign(text=nt["text"].str.strip()).groupby("poly")["text"].agg("; ".join)
        out.note[joined.index.to_numpy()] = joined.to_numpy(object)
    return out


def _numbers(nums: pd.DataFrame, out: Labels) -> None:
    """The first number label in drawing order is used; the distinct others are listed."""
    if not len(nums):
        return
    nums = nums.assign(text=normalise_number(nums["text"].to_numpy(object)))
    distinct = nums.drop_duplicates(["poly", "text"])
    first = distinct.drop_duplicates("poly")
    p = first["poly"].to_numpy()
    out.number[p] = first["text"].to_numpy(object)
    out.number_fid[p] = first["fid"].to_numpy(np.int64)
    counts = distinct.groupby("poly").size()
    out.number_count[counts.index.to_numpy()] = counts.to_numpy()
    many = counts[counts > 1].index
    if len(many):
        listed = distinct[distinct["poly"].isin(many)].groupby("poly")["text"].agg(", ".join)
        out.numbers_all[listed.index.to_numpy()] = listed.to_numpy(object)


def level_column(attrs: pd.DataFrame) -> np.ndarray:
    """DGN 'Level' (a number) or DXF 'Layer' (a name) of each feature."""
    for name in ("Level", "Layer", "LEVEL", "LAYER"):
        if name in attrs:
            return attrs[name].to_numpy(object)
    return np.full(len(attrs), "", dtype=object)

