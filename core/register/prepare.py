"""From layers as read to the frames the reconciliation works on, with record-level checks.

Normalises keys, codes and numbers, fixes each parcel's sheet by location, and
flags what is wrong with a single record: a missing key, an unknown or closed
commune code, an unreadable number, a missing owner or a bad citizen ID.
"""
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import shapely

from ..flags import catalogue as cat
from ..reference.admin_units import AdminUnits, normalise_commune_codes
from .citizen_id import check_citizen_ids, describe_reason
from ..errors import InputError
from .fields import MAP_ROLES, REGISTER_ROLES, SHEET_ROLES, FieldMapping, fold, map_fields
from ..flags.flagset import FlagSet, render
from ..frames import LayerFrame
from ..i18n import phrase
from .keys import normalise_key, on_uniques, parse_numbers
from ..reference.landuse import LandUseCodes, normalise_landuse
from ..topology.sheet_location import (FRAME_CONFIDENCE, NEIGHBOUR_CONFIDENCE, locate_by_frames,
                             locate_by_neighbours)

# Frame side (m) of each map scale, to infer a scale from a frame's size.
FRAME_SIDE_M = {200: 100, 500: 250, 1000: 500, 2000: 1000, 5000: 3000, 10000: 6000}
DEFAULT_SCALE = 1000

# Owner kinds that are persons (their citizen ID is checked). Folded text.
PERSON_KINDS = {"gdc", "hgd", "cn", "canhan", "hogiadinh", "hogiadinhcanhan", "gdcn", "person"}
ORGANISATION_PREFIXES = ("ubnd", "uyban", "congty", "truong", "tochuc", "ban", "hoptacxa",
                         "htx", "chua", "nhatho", "don", "benhvien", "tramyte", "cty", "xinghiep",
                         "nhanuoc", "quandoi", "congan")


@dataclass
class Prepared:
    m: pd.DataFrame
    r: pd.DataFrame
    map_geom: np.ndarray
    sheets: pd.DataFrame | None          # commune, sheet, scale (+ geometry in sheet_geom)
    sheet_geom: np.ndarray | None
    mappings: list[FieldMapping] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _text(attrs: pd.DataFrame, mapping: FieldMapping, role: str) -> pd.Series:
    col = mapping.get(role)
    if col is None:
        return pd.Series("", index=attrs.index, dtype=object)
    s = attrs[col]
    return s.astype(object).where(s.notna(), "").astype(str).str.strip()


def _commune_codes(attrs, mapping, default: str) -> pd.Series:
    col = mapping.get("commune")
    if col is None:
        return pd.Series(default, index=attrs.index, dtype=object)
    codes = normalise_commune_codes(attrs[col])
    return codes.where(codes != "", default)


def _parse_scale(values: pd.Series) -> pd.Series:
    text = values.astype(object).where(values.notna(), "").astype(str)
    text = text.str.replace(r"^\s*1\s*[:/]\s*", "", regex=True).str.replace(r"[.,\s]", "", regex=True)
    return pd.to_numeric(text, errors="coerce")


def prepare_sheets(frame: LayerFrame, overrides: dict | None, default_commune: str,
                   units: AdminUnits) -> tuple[pd.DataFrame, np.ndarray, FieldMapping]:
    mapping = map_fields(frame.attrs.columns, "sheets", SHEET_ROLES, overrides, frame.source,
                         required=("sheet",))
    attrs = frame.attrs
    commune = _commune_codes(attrs, mapping, default_commune)
    commune = _canonical(commune, units)
    sheet = normalise_key(attrs[mapping.get("sheet")])
    scale = _parse_scale(attrs[mapping.get("scale")]) if mapping.get("scale") else pd.Series(np.nan, index=attrs.index)
    geom = frame.geometry if frame.geometry is not None else np.full(len(attrs), None, dtype=object)
    if scale.isna().any():
        side = np.sqrt(np.nan_to_num(shapely.area(geom), nan=0.0))
        sides = np.array(list(FRAME_SIDE_M.values()), dtype=float)
        nearest = np.abs(side[:, None] - sides[None, :]).argmin(axis=1)
        inferred = np.array(list(FRAME_SIDE_M.keys()))[nearest].astype(float)
        inferred[side == 0] = np.nan
        scale = scale.fillna(pd.Series(inferred, index=attrs.index))
    sheets = pd.DataFrame({"commune": commune.to_numpy(object), "sheet": sheet.to_numpy(object),
                           "scale": scale.to_numpy(float)})
    return sheets, geom, mapping


def _canonical(codes: pd.Series, units: AdminUnits) -> pd.Series:
    """Codes closed in the 2025 merger are matched as the commune they became."""
    succ = units.successors(codes)
    return codes.where(succ == "", succ)


def _commune_flags(flags: FlagSet, side: str, raw: pd.Series, units: AdminUnits, sheet, parcel,
                   idents, map_idx, reg_idx, geom_kind, geom_ref):
    state = units.classify(raw).to_numpy(object)
    raw_v = raw.to_numpy(object)
    succ = units.successors(raw).to_numpy(object)
    for code, st in (("COMMUNE_CODE_OBSOLETE", "obsolete"), ("COMMUNE_CODE_INVALID", "unknown")):
        idx = np.flatnonzero(state == st)
        if not len(idx):
            continue
        sel = lambda a: a[idx] if isinstance(a, np.ndarray) else a  # noqa: E731
        new = succ[idx] if st == "obsolete" else np.full(len(idx), "", dtype=object)
        flags.add(code, len(idx), messages=render(
                      code, side=_side(side), value=raw_v[idx], new_code=new,
                      new_name=[units.name(c) for c in new]),
                  ident_extra=sel(idents), commune=raw_v[idx], sheet=sheet[idx], parcel=parcel[idx],
                  map_idx=sel(map_idx), reg_idx=sel(reg_idx),
                  suggestion=[phrase("set commune code {0}").format(c) if c else "" for c in new],
                  target=side if st == "obsolete" else "", s_commune=new,
                  confidence=0.95 if st == "obsolete" else np.nan,
                  map_value=raw_v[idx] if side == "map" else "",
                  register_value=raw_v[idx] if side == "register" else "",
                  geom_kind=sel(geom_kind), geom_ref=sel(geom_ref))


def _side(side: str) -> str:
    """"map"/"register" as the subject of a message, in the user's language."""
    return phrase("Map") if side == "map" else phrase("Register")


def _key_missing(flags: FlagSet, side: str, sheet, parcel, commune, idents, map_idx, reg_idx,
                 geom_kind, geom_ref, suggested_sheet=None):
    no_sheet, no_parcel = sheet == "", parcel == ""
    idx = np.flatnonzero(no_sheet | no_parcel)
    if not len(idx):
        return
    missing = np.where(no_sheet[idx] & no_parcel[idx], phrase("sheet or parcel number"),
                       np.where(no_sheet[idx], phrase("sheet number"), phrase("parcel number")))
    sel = lambda a: a[idx] if isinstance(a, np.ndarray) else a  # noqa: E731
    s_sheet = suggested_sheet[idx] if suggested_sheet is not None else ""
    flags.add("KEY_MISSING", len(idx), messages=render(
                  "KEY_MISSING", side=_side(side), missing=missing),
              ident_extra=sel(idents), commune=commune[idx], sheet=sheet[idx], parcel=parcel[idx],
              map_idx=sel(map_idx), reg_idx=sel(reg_idx), s_sheet=s_sheet,
              suggestion=[phrase("set sheet {0} (where it lies)").format(s) if s else ""
                          for s in np.broadcast_to(s_sheet, len(idx))],
              target=side, geom_kind=sel(geom_kind), geom_ref=sel(geom_ref))


def prepare_map(frame: LayerFrame, overrides: dict | None, default_commune: str,
                default_scale: float, sheets: pd.DataFrame | None, sheet_geom: np.ndarray | None,
                units: AdminUnits, landuse_codes: LandUseCodes, flags: FlagSet, notes: list):
    if len(frame) == 0:
        raise InputError("the parcel layer has no features", frame.source,
                         fix="choose the layer that holds the parcels")
    mapping = map_fields(frame.attrs.columns, "map", MAP_ROLES, overrides, frame.source)
    attrs = frame.attrs
    n = len(attrs)
    fid = np.asarray(frame.fids, dtype=np.int64)
    raw_commune = _commune_codes(attrs, mapping, "")
    commune_given = raw_commune.where(raw_commune != "", default_commune)
    commune = _canonical(commune_given, units)
    sheet_given = normalise_key(attrs[mapping.get("sheet")]).to_numpy(object)
    parcel = normalise_key(attrs[mapping.get("parcel")]).to_numpy(object)
    landuse = normalise_landuse(attrs[mapping.get("landuse")]) if mapping.get("landuse") else \
        pd.Series("", index=attrs.index)
    geom = frame.geometry if frame.geometry is not None else np.full(n, None, dtype=object)
    empty = shapely.is_missing(geom) | shapely.is_empty(geom)
    area = shapely.area(geom)
    if mapping.get("area") is not None:
        attr_area, _ = parse_numbers(attrs[mapping.get("area")])
        area = np.where(empty, attr_area.to_numpy(float), area)   # tables without geometry
    area = np.where(empty & np.isnan(area), np.nan, area)
    points = _inner_points(geom, empty)

    commune_v = commune.to_numpy(object)
    if sheets is not None and sheet_geom is not None and len(sheets):
        located = locate_by_frames(points, commune_v, sheet_given, sheet_geom,
                                   sheets["commune"].to_numpy(object), sheets["sheet"].to_numpy(object),
                                   sheets["scale"].to_numpy(float))
        confidence, method = FRAME_CONFIDENCE, "frame"
    else:
        located = locate_by_neighbours(geom, commune_v, sheet_given)
        confidence, method = NEIGHBOUR_CONFIDENCE, "neighbours"
    wrong = (located != "") & (located != sheet_given) & (sheet_given != "")
    sheet = np.where(wrong, located, sheet_given).astype(object)
    idx = np.flatnonzero(wrong)
    where = phrase("within the frame of") if method == "frame" else phrase("among the parcels of")
    flags.add("SHEET_MISMATCH", len(idx), messages=render(
                  "SHEET_MISMATCH", sheet=sheet_given[idx], parcel=parcel[idx], where=where,
                  located=located[idx]),
              commune=commune_v[idx], sheet=sheet_given[idx], parcel=parcel[idx], map_idx=idx,
              suggestion=[phrase("set sheet {0}").format(s) for s in located[idx]], target="map",
              s_sheet=located[idx], confidence=confidence, map_value=sheet_given[idx], geom_ref=idx)

    # scale per parcel for the area tolerance: its sheet's, else the default
    scale = np.full(n, np.nan)
    if sheets is not None and len(sheets):
        by_key = sheets.drop_duplicates(["commune", "sheet"]).set_index(["commune", "sheet"])["scale"]
        scale = pd.MultiIndex.from_arrays([commune_v, sheet]).map(by_key).to_numpy(float)
        only_sheet = sheets.drop_duplicates("sheet").set_index("sheet")["scale"]
        scale = np.where(np.isnan(scale), pd.Series(sheet).map(only_sheet).to_numpy(float), scale)
    if np.isnan(scale).any():
        if not default_scale:
            notes.append(f"scale unknown for {int(np.isnan(scale).sum())} parcel(s): area tolerance "
                         f"computed for 1:{DEFAULT_SCALE} (set the scale to change it)")
        scale = np.where(np.isnan(scale), default_scale or DEFAULT_SCALE, scale)

    _key_missing(flags, "map", sheet_given, parcel, commune_v,
                 np.array([f"m{x}" for x in fid], dtype=object),
                 np.arange(n), -1, "map", np.arange(n),
                 suggested_sheet=np.where(sheet_given == "", located, ""))
    _commune_flags(flags, "map", raw_commune, units, sheet_given, parcel,
                   np.array([f"m{x}" for x in fid], dtype=object), np.arange(n), -1, "map", np.arange(n))

    m = pd.DataFrame({
        "fid": fid, "commune": commune_v, "sheet": sheet, "sheet_given": sheet_given,
        "parcel": parcel, "area": area.astype(float), "landuse": landuse.to_numpy(object),
        "landuse_state": landuse_codes.classify(landuse).to_numpy(object), "scale": scale,
        "key_ok": (sheet != "") & (parcel != ""),
        "x": shapely.get_x(points), "y": shapely.get_y(points),
    })
    return m, geom, mapping


def _inner_points(geom: np.ndarray, empty: np.ndarray) -> np.ndarray:
    """A point inside each parcel (point_on_surface); centroid where GEOS cannot, None if empty."""
    out = np.full(len(geom), None, dtype=object)
    idx = np.flatnonzero(~empty)
    try:
        out[idx] = shapely.point_on_surface(geom[idx])
    except shapely.errors.GEOSException:       # an invalid ring somewhere: go one by one
        for i in idx:
            try:
                out[i] = shapely.point_on_surface(geom[i])
            except shapely.errors.GEOSException:
                out[i] = shapely.centroid(geom[i])
    return out


def prepare_register(frame: LayerFrame, overrides: dict | None, default_commune: str,
                     units: AdminUnits, landuse_codes: LandUseCodes, flags: FlagSet, notes: list):
    if len(frame) == 0:
        raise InputError("the register table has no rows", frame.source)
    mapping = map_fields(frame.attrs.columns, "register", REGISTER_ROLES, overrides, frame.source)
    attrs = frame.attrs
    n = len(attrs)
    row = np.asarray(frame.rows, dtype=np.int64)
    raw_commune = _commune_codes(attrs, mapping, "")
    commune_v = _canonical(raw_commune.where(raw_commune != "", default_commune), units).to_numpy(object)
    sheet = normalise_key(attrs[mapping.get("sheet")]).to_numpy(object)
    parcel = normalise_key(attrs[mapping.get("parcel")]).to_numpy(object)
    if mapping.get("area") is not None:
        area, bad = parse_numbers(attrs[mapping.get("area")])
        if bad.all():
            raise InputError(f"the area column '{mapping.get('area')}' holds no numbers "
                             f"(row {row[0]}: {attrs[mapping.get('area')].iloc[0]!r})", frame.source,
                             fix="name the right column with --field register.area=FIELD")
    else:
        area, bad = pd.Series(np.nan, index=attrs.index), pd.Series(False, index=attrs.index)
        notes.append("register has no area field: areas not compared")
    landuse = normalise_landuse(attrs[mapping.get("landuse")]) if mapping.get("landuse") else \
        pd.Series("", index=attrs.index)
    idents = np.array([f"r{x}" for x in row], dtype=object)
    geom_ref = np.arange(n)

    _key_missing(flags, "register", sheet, parcel, commune_v, idents, -1, np.arange(n), "sheet", geom_ref)
    _commune_flags(flags, "register", raw_commune, units, sheet, parcel, idents, -1, np.arange(n),
                   "sheet", geom_ref)
    bad_idx = np.flatnonzero(bad.to_numpy())
    flags.add("VALUE_INVALID", len(bad_idx), messages=render(
                  "VALUE_INVALID", side=[phrase("Register row {0}").format(r) for r in row[bad_idx]],
                  field="area", value=attrs[mapping.get("area")].to_numpy(object)[bad_idx] if len(bad_idx) else ""),
              ident_extra=idents[bad_idx], commune=commune_v[bad_idx], sheet=sheet[bad_idx],
              parcel=parcel[bad_idx], reg_idx=bad_idx,
              register_value=attrs[mapping.get("area")].astype(str).to_numpy(object)[bad_idx] if len(bad_idx) else "",
              geom_kind="sheet", geom_ref=bad_idx)
    _owner_checks(flags, attrs, mapping, row, commune_v, sheet, parcel, idents, notes)

    r = pd.DataFrame({
        "row": row, "commune": commune_v, "sheet": sheet, "parcel": parcel,
        "area": area.to_numpy(float), "area_bad": bad.to_numpy(bool),
        "landuse": landuse.to_numpy(object),
        "landuse_state": landuse_codes.classify(landuse).to_numpy(object),
        "key_ok": (sheet != "") & (parcel != ""),
        "old_sheet": normalise_key(_text(attrs, mapping, "old_sheet")).to_numpy(object),
        "old_parcel": normalise_key(_text(attrs, mapping, "old_parcel")).to_numpy(object),
        "exact_dup_of": _exact_duplicates(attrs, mapping),
    })
    return r, mapping


def _exact_duplicates(attrs: pd.DataFrame, mapping: FieldMapping) -> np.ndarray:
    """For each row, the position of an earlier identical row (all mapped fields), else -1."""
    cols = [c for c in mapping.fields.values()]
    h = pd.util.hash_pandas_object(attrs[cols].astype(str), index=False).to_numpy()
    first = pd.Series(np.arange(len(h))).groupby(h).transform("first").to_numpy()
    return np.where(first != np.arange(len(h)), first, -1).astype(np.int64)


def _owner_checks(flags, attrs, mapping, row, commune, sheet, parcel, idents, notes):
    if mapping.get("owner") is None:
        notes.append("register has no owner field: owners not checked")
        return
    owner = _text(attrs, mapping, "owner")
    kind = on_uniques(lambda s: s.map(fold), _text(attrs, mapping, "owner_kind"))
    missing = np.flatnonzero((owner == "").to_numpy())
    flags.add("OWNER_MISSING", len(missing), messages=render(
                  "OWNER_MISSING", row=row[missing], sheet=sheet[missing], parcel=parcel[missing]),
              ident_extra=idents[missing], commune=commune[missing], sheet=sheet[missing],
              parcel=parcel[missing], reg_idx=missing, geom_kind="sheet", geom_ref=missing)
    if mapping.get("owner_id") is None:
        notes.append("register has no citizen ID field: IDs not checked")
        return
    ids = attrs[mapping.get("owner_id")]
    reason = check_citizen_ids(ids).to_numpy(object)
    # A person must have a valid ID; an organisation's ID field is not a citizen ID. Without an
    # owner kind, the name tells (only folded where the ID is bad: names are mostly unique).
    suspect = np.flatnonzero((reason != "") & (owner != "").to_numpy())
    kinds = kind.to_numpy(object)[suspect]
    organisation = owner.iloc[suspect].map(fold).str.startswith(ORGANISATION_PREFIXES).to_numpy(bool)
    person = np.isin(kinds, list(PERSON_KINDS)) | ((kinds == "") & ~organisation)
    bad = suspect[person]
    if not len(bad):
        return
    shown = ids.astype(object).where(ids.notna(), "").astype(str).to_numpy(object)[bad]
    leading = reason[bad] == "leading_zero_lost"
    padded = [v.split(".")[0].zfill(12) if lz else "" for v, lz in zip(shown, leading)]
    flags.add("OWNER_ID_INVALID", len(bad), messages=render(
                  "OWNER_ID_INVALID", row=row[bad], value=[v or "(blank)" for v in shown],
                  reason=[describe_reason(x) for x in reason[bad]]),
              ident_extra=idents[bad], commune=commune[bad], sheet=sheet[bad], parcel=parcel[bad],
              reg_idx=bad, suggestion=[phrase("set ID {0}").format(p) if p else "" for p in padded],
              target=np.where(leading, "register", ""), s_value=padded,
              confidence=np.where(leading, 0.9, np.nan), register_value=shown,
              geom_kind="sheet", geom_ref=bad)
