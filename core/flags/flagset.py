"""FlagSet: collects flags batch by batch (one code at a time) into one frame.

A flag row says what is wrong (code, severity, message), where (commune, sheet,
parcel, map_idx / reg_idx, and a geometry reference resolved later), what to do
(suggestion and structured suggested_* values with a confidence) and a stable
`ident` so reviewers' decisions survive re-runs.
"""
import numpy as np
import pandas as pd

from . import catalogue as cat

FLAG_COLUMNS = ["code", "severity", "commune", "sheet", "parcel", "map_idx", "other_idx", "reg_idx",
                "message", "suggestion", "suggestion_target", "suggested_commune",
                "suggested_sheet", "suggested_parcel", "suggested_value", "confidence",
                "map_value", "register_value", "ident", "geom_kind", "geom_ref", "geometry"]

# geom_kind says how geom_ref locates a flag:
#   "map"           geom_ref is a map row: the parcel itself
#   "sheet"         geom_ref is a register row: the frame of that row's sheet
#   "sheet_of_map"  geom_ref is a map row: the frame of that parcel's sheet
#   "own"           the flag carries its own geometry (an overlap, a gap, a vertex)
#   "none"          no location


class FlagSet:
    def __init__(self):
        self.parts: list[pd.DataFrame] = []

    def add(self, code: str, n: int, *, messages, commune, sheet, parcel, ident_extra="",
            severity=None, map_idx=-1, other_idx=-1, reg_idx=-1, suggestion="", target="", s_commune="",
            s_sheet="", s_parcel="", s_value="", confidence=np.nan, map_value="",
            register_value="", geom_kind="map", geom_ref=-1, geometry=None):
        if n == 0:
            return
        check = cat.check(code)
        self.parts.append(pd.DataFrame({
            "code": code, "severity": severity if severity is not None else check.severity,
            "commune": commune, "sheet": sheet, "parcel": parcel,
            "map_idx": map_idx, "other_idx": other_idx, "reg_idx": reg_idx, "message": messages,
            "suggestion": suggestion, "suggestion_target": target, "suggested_commune": s_commune,
            "suggested_sheet": s_sheet, "suggested_parcel": s_parcel, "suggested_value": s_value,
            "confidence": confidence, "map_value": map_value, "register_value": register_value,
            "ident_extra": ident_extra, "geom_kind": "own" if geometry is not None else geom_kind,
            "geom_ref": geom_ref,
            "geometry": np.full(n, None, dtype=object) if geometry is None else np.asarray(geometry, dtype=object),
        }, index=range(n)))

    def frame(self) -> pd.DataFrame:
        if not self.parts:
            return pd.DataFrame({c: pd.Series(dtype=object) for c in FLAG_COLUMNS})
        out = pd.concat(self.parts, ignore_index=True)
        for col in ("commune", "sheet", "parcel", "ident_extra", "suggested_commune",
                    "suggested_sheet", "suggested_parcel", "suggested_value", "map_value",
                    "register_value", "suggestion", "suggestion_target"):
            out[col] = out[col].astype(str)
        # Stable identity across runs: what the flag is about, not when it was found.
        out["ident"] = (out["code"] + "|" + out["commune"] + "|" + out["sheet"] + "|"
                        + out["parcel"] + "|" + out["ident_extra"])
        for col in ("map_idx", "other_idx", "reg_idx", "geom_ref"):
            out[col] = out[col].astype(np.int64)
        out["confidence"] = out["confidence"].astype(float)
        return out[FLAG_COLUMNS]


def render(code: str, **columns) -> list[str]:
    """One message per flag from column-wise values (arrays or scalars)."""
    check = cat.check(code)
    lengths = [len(v) for v in columns.values() if not np.isscalar(v) and not isinstance(v, str)]
    n = max(lengths) if lengths else 1
    cols = {k: (np.broadcast_to(np.asarray(v, dtype=object), (n,)) if not isinstance(v, str)
                else np.full(n, v, dtype=object)) for k, v in columns.items()}
    keys = list(cols)
    return [check.render(**dict(zip(keys, vals))) for vals in zip(*(cols[k] for k in keys))]
