"""Which CRS a loaded sheet is in: VN-2000 TM-3 by province, and the usual mistakes.

Every province maps in VN-2000, Transverse Mercator 3° zones (k = 0.9999, false
easting 500 000 m) on its own central meridian. The meridians below are those of
Circular 973/2001/TT-TCĐC for the 63 provinces before the 2025 merger, keyed by
their old codes (resources/data/provinces.csv). DOMAIN.md confirms Lạng Sơn
(107°15′) and Quảng Ninh (107°45′); the others are as published in surveyors'
copies of the circular (**unconfirmed** here): give --crs when yours differ.
A province formed in 2025 from provinces on different meridians has no single
zone: name the old province, or the EPSG code.

What old files get wrong, and how it shows:
- no .prj (or a drawing, which has none): the coordinates are taken as the target CRS;
- metres declared as degrees (a .prj saying WGS 84 / VN-2000 geographic over
  coordinates in the hundreds of thousands);
- the wrong zone: eastings further from 500 000 m than a 3° zone reaches at that
  latitude (UTM coordinates, or another province's meridian shifted by its offset),
  or northings outside Vietnam (0.9–2.6 million m).
"""
from __future__ import annotations

import csv
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import InputError

PROVINCES_CSV = Path(__file__).resolve().parents[2] / "resources" / "data" / "provinces.csv"

# Old (pre-2025) province code -> central meridian, degrees (Circular 973/2001).
PROVINCE_MERIDIANS = {
    "01": 105.0, "02": 105.5, "04": 105.75, "06": 106.5, "08": 106.0, "10": 104.75,
    "11": 103.0, "12": 103.0, "14": 104.0, "15": 104.75, "17": 106.0, "19": 106.5,
    "20": 107.25, "22": 107.75, "24": 107.0, "25": 104.75, "26": 105.0, "27": 105.5,
    "30": 105.5, "31": 105.75, "33": 105.5, "34": 105.5, "35": 105.0, "36": 105.5,
    "37": 105.0, "38": 105.0, "40": 104.75, "42": 105.5, "44": 106.0, "45": 106.25,
    "46": 107.0, "48": 107.75, "49": 107.75, "51": 108.0, "52": 108.25, "54": 108.5,
    "56": 108.25, "58": 108.25, "60": 108.5, "62": 107.5, "64": 108.5, "66": 108.5,
    "67": 108.5, "68": 107.75, "70": 106.25, "72": 105.5, "74": 105.75, "75": 107.75,
    "77": 107.75, "79": 105.75, "80": 105.75, "82": 105.75, "83": 105.75, "84": 105.5,
    "86": 105.5, "87": 105.0, "89": 104.75, "91": 104.5, "92": 105.0, "93": 105.0,
    "94": 105.5, "95": 105.0, "96": 104.5,
}

# Central meridian -> EPSG code of the VN-2000 TM-3 zone in the EPSG registry.
TM3_EPSG = {
    102.0: 5896, 103.0: 9205, 104.0: 9206, 104.5: 9207, 104.75: 9208, 105.0: 5897,
    105.5: 9209, 105.75: 9210, 106.0: 9211, 106.25: 9212, 106.5: 9213, 107.0: 9214,
    107.25: 9215, 107.5: 9216, 107.75: 5899, 108.0: 5898, 108.25: 9217, 108.5: 9218,
}

FALSE_EASTING_M = 500_000.0
NORTHING_RANGE_M = (900_000.0, 2_600_000.0)   # 8°N … 23.5°N, with a margin
HALF_ZONE_DEG = 1.5 + 0.25                     # a 3° zone, and a quarter degree of slack
GEOGRAPHIC_LIMITS = (180.0, 90.0)


def degrees_text(meridian: float) -> str:
    d = int(meridian)
    return f"{d}°{round((meridian - d) * 60):02d}′"


def _old_provinces() -> dict[str, tuple[str, str]]:
    """code -> (old name, successor code or '')."""
    out = {}
    with open(PROVINCES_CSV, encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            out[row["code"].zfill(2)] = (row["old_name"], row["successor_code"].strip())
    return out


def province_names() -> dict[str, tuple[str, str]]:
    """Old province code -> (old name, the 2025 successor's code or '')."""
    return _old_provinces()


def province_table() -> list[tuple[str, str, str, int]]:
    """(old code, old name, meridian as 107°15′, EPSG) for every province, for listing."""
    names = _old_provinces()
    return [(code, names.get(code, ("", ""))[0], degrees_text(m), TM3_EPSG[m])
            for code, m in sorted(PROVINCE_MERIDIANS.items())]


def province_epsg(code: str) -> tuple[int, str]:
    """EPSG code of a province's TM-3 zone and a line saying why.

    `code` is an old or current province code. A current province made of old ones on
    different meridians (the 2025 merger) is ambiguous: InputError naming them."""
    code = str(code).strip().zfill(2)
    names = _old_provinces()
    if code not in PROVINCE_MERIDIANS:
        raise InputError(f"province code {code!r} is not known",
                         fix="use a 2-digit province code such as 20 (Lạng Sơn), or give --crs EPSG:…")
    merged = sorted({c for c, (_, succ) in names.items() if succ == code} | {code})
    meridians = {PROVINCE_MERIDIANS[c] for c in merged if c in PROVINCE_MERIDIANS}
    if len(meridians) > 1:
        parts = ", ".join(f"{c} {names[c][0]} {degrees_text(PROVINCE_MERIDIANS[c])} "
                          f"(EPSG:{TM3_EPSG[PROVINCE_MERIDIANS[c]]})" for c in merged)
        raise InputError(f"province {code} was formed in 2025 from provinces on different "
                         f"central meridians: {parts}",
                         fix="give the old province code the sheets were surveyed in, or --crs EPSG:…")
    meridian = PROVINCE_MERIDIANS[code]
    epsg = TM3_EPSG[meridian]
    return epsg, f"province {code} {names.get(code, ('', ''))[0]}, central meridian {degrees_text(meridian)}"


def _osr():
    from osgeo import osr
    osr.UseExceptions()
    return osr


def srs_from_text(text: str):
    """osr.SpatialReference from 'EPSG:9215', '9215', WKT or PROJ text, x = easting."""
    osr = _osr()
    srs = osr.SpatialReference()
    t = str(text).strip()
    try:
        if t.isdigit():
            srs.ImportFromEPSG(int(t))
        else:
            srs.SetFromUserInput(t)
    except RuntimeError:
        raise InputError(f"CRS {text!r} is not known", fix="give an EPSG code such as EPSG:9215") from None
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return srs


def describe(srs) -> str:
    """'EPSG:9215 (VN-2000 / TM-3 107-15)' or the CRS name, for messages."""
    if srs is None:
        return "none"
    name = srs.GetName() or "unnamed CRS"
    auth, code = srs.GetAuthorityName(None), srs.GetAuthorityCode(None)
    return f"{auth}:{code} ({name})" if auth and code else name


def authid(srs) -> str:
    if srs is None:
        return ""
    auth, code = srs.GetAuthorityName(None), srs.GetAuthorityCode(None)
    return f"{auth}:{code}" if auth and code else ""


def same_crs(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return bool(a.IsSame(b, ["IGNORE_DATA_AXIS_TO_SRS_AXIS_MAPPING=YES"]))


def plausible_half_width_m(northing_m: float) -> float:
    """How far from the central meridian (easting − 500 000) a 3° zone reaches at that
    northing, with a quarter degree of slack."""
    lat = max(0.0, min(30.0, northing_m / 110_600.0))
    return HALF_ZONE_DEG * 111_320.0 * math.cos(math.radians(lat))


@dataclass
class CrsVerdict:
    """The CRS a file's coordinates are taken in, and what looked wrong."""
    declared: str = ""                 # as the file says ('' none)
    used: str = ""                     # the CRS of the output ('' none known)
    reproject_from: object = None      # osr source CRS when the coordinates must be transformed
    suspects: list = field(default_factory=list)   # CRS_SUSPECT messages
    notes: list = field(default_factory=list)      # said in the report only


def assess(declared, bounds: np.ndarray, target, target_why: str, reproject: bool,
           drawing: bool) -> CrsVerdict:
    """Judge one file's CRS. declared: osr CRS or None; bounds: (xmin, ymin, xmax, ymax) of
    its geometries (NaN when empty); target: the output CRS (osr) or None."""
    v = CrsVerdict(declared=describe(declared) if declared is not None else "",
                   used=describe(target) if target is not None else "")
    finite = bool(np.all(np.isfinite(bounds)))
    metres = finite and (max(abs(bounds[0]), abs(bounds[2])) > GEOGRAPHIC_LIMITS[0]
                         or max(abs(bounds[1]), abs(bounds[3])) > GEOGRAPHIC_LIMITS[1])
    target_txt = describe(target) if target is not None else ""
    if declared is None:
        if target is None:
            v.suspects.append("no CRS in the file and none given: coordinates left without a CRS — "
                              "give --province CODE or --crs EPSG:…")
        elif drawing:
            v.notes.append(f"the format carries no CRS: assigned {target_txt} ({target_why})")
        else:
            v.suspects.append(f"no CRS (.prj missing): assigned {target_txt} ({target_why}) — "
                              "check the parcels fall where they should, or add the .prj")
    elif declared.IsGeographic() and metres:
        v.suspects.append(f"declares {describe(declared)} in degrees but its coordinates are metres "
                          f"(x up to {max(abs(bounds[0]), abs(bounds[2])):.0f}): taken as "
                          + (f"{target_txt} ({target_why})" if target is not None else "undefined")
                          + " — fix the .prj")
    elif target is not None and not same_crs(declared, target):
        if reproject or declared.IsGeographic():
            v.reproject_from = declared
            v.notes.append(f"reprojected from {describe(declared)} to {target_txt}")
        else:
            v.suspects.append(f"declares {describe(declared)}, not {target_txt}: coordinates kept as "
                              "they are — if the declaration is right, load again with --reproject")
    if finite and metres and v.reproject_from is None:
        # the coordinates end up labelled with the target CRS (else their own)
        v.suspects.extend(_zone_check(bounds, target if target is not None else declared))
    return v


def _zone_check(bounds: np.ndarray, srs) -> list[str]:
    """Eastings a TM-3 zone cannot reach, northings outside Vietnam."""
    if srs is None or not srs.IsProjected():
        return []
    out = []
    fe = srs.GetProjParm("false_easting", FALSE_EASTING_M)
    y_mid = (bounds[1] + bounds[3]) / 2
    reach = plausible_half_width_m(y_mid)
    far = max(abs(bounds[0] - fe), abs(bounds[2] - fe))
    if far > reach:
        out.append(f"eastings {bounds[0]:.0f}…{bounds[2]:.0f} lie {far / 1000:.0f} km from the central "
                   f"meridian of {describe(srs)}; a 3° zone reaches {reach / 1000:.0f} km here: "
                   "wrong zone (or UTM coordinates) — give the right --crs / --province")
    lo, hi = NORTHING_RANGE_M
    if bounds[1] < lo or bounds[3] > hi:
        out.append(f"northings {bounds[1]:.0f}…{bounds[3]:.0f} are outside Vietnam "
                   f"({lo:.0f}…{hi:.0f} m in VN-2000): wrong CRS or swapped axes")
    return out


def transform(geoms: np.ndarray, source, target) -> np.ndarray:
    """Geometries from one CRS to another (x = easting / longitude)."""
    import shapely
    osr = _osr()
    src = source.Clone()
    dst = target.Clone()
    src.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    dst.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    ct = osr.CoordinateTransformation(src, dst)

    def move(xy):
        if not len(xy):
            return xy
        out = np.asarray(ct.TransformPoints(np.asarray(xy, dtype=float)))
        return out[:, :2]
    return shapely.transform(geoms, move)
