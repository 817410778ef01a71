"""Findings of a merger run: what the reference table or the data could not settle, by catalogue code.

One row per finding: code (core.flags.catalogue, group "merger"), severity, layer ("table",
"parcels", "sheets", "register"), row (the table's row, or the layer's fid / register row;
-1 for a finding about several records), the key it is about and the message in the user's
language. Collected in bulk: each `add` call renders one batch.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..flags import catalogue as cat

FINDING_COLUMNS = ["code", "severity", "layer", "row", "commune", "sheet", "scale", "parcel", "message"]


class Findings:
    def __init__(self):
        self._parts: list[pd.DataFrame] = []

    def add(self, code: str, t: pd.DataFrame, idx, /, **values) -> None:
        """Findings for rows `idx` of table frame `t` (old_commune, old_sheet, scale, old_parcel, row);
        `values` fill the message (a scalar or one value per finding); a `row` among them is the
        table row each finding names (default: t's)."""
        idx = np.asarray(idx, dtype=np.int64)
        if not len(idx):
            return
        pick = lambda col: (t[col].to_numpy(object)[idx] if col in t.columns  # noqa: E731
                            else np.full(len(idx), "", dtype=object))
        rows = (np.broadcast_to(np.asarray(values.pop("row"), dtype=object), len(idx)) if "row" in values
                else t["row"].to_numpy()[idx])
        self.add_records(code, "table", rows, pick("old_commune"), pick("old_sheet"),
                         t["scale"].to_numpy()[idx] if "scale" in t.columns else 0, pick("old_parcel"),
                         {"row": rows, **values})

    def add_records(self, code: str, layer: str, rows, commune, sheet, scale, parcel, values: dict) -> None:
        """Findings about records; `values` fill the message (a scalar or one value per finding)."""
        n = len(rows)
        if not n:
            return
        check = cat.check(code)
        columns = {k: np.broadcast_to(np.asarray(v, dtype=object), n) for k, v in values.items()}
        messages = [check.render(**{k: c[i] for k, c in columns.items()}) for i in range(n)]
        self._parts.append(pd.DataFrame({
            "code": code, "severity": check.severity, "layer": layer,
            "row": np.asarray(rows, dtype=np.int64),
            "commune": np.broadcast_to(np.asarray(commune, dtype=object), n),
            "sheet": np.broadcast_to(np.asarray(sheet, dtype=object), n),
            "scale": np.broadcast_to(np.asarray(scale), n).astype(np.int64),
            "parcel": np.broadcast_to(np.asarray(parcel, dtype=object), n),
            "message": messages,
        }))

    def extend(self, frame: pd.DataFrame) -> None:
        if len(frame):
            self._parts.append(frame[FINDING_COLUMNS])

    def frame(self) -> pd.DataFrame:
        if not self._parts:
            return empty_findings()
        return pd.concat(self._parts, ignore_index=True)[FINDING_COLUMNS]


def empty_findings() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=np.int64 if c in ("row", "scale") else object)
                         for c in FINDING_COLUMNS})
