"""Cleaning progress from a flags file's sheet_summary table (one row per sheet per run).

`newest_figures` gives, per sheet and per commune, the figures of the newest run that
covered them; `clean_history` gives the clean share per run (all sheets together), for a
chart of clean % over runs. No widgets here.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .store import SHEET_FIELDS, SHEETS_TABLE

FIGURES = ["parcels", "matched", "flagged", "clean"]
REVIEW = ["open_errors", "reviewed"]      # after review decisions; NaN in files from before
COLUMNS = ["level", "commune", "sheet", "run_id", "taken_at", *FIGURES, *REVIEW, "clean_pct"]


def read_sheet_summary(path: str) -> pd.DataFrame:
    """The sheet_summary table of the flags file `path` (empty frame when absent)."""
    from ..loading.vector import read_vector
    frame = read_vector(f"{path}|layername={SHEETS_TABLE}", role="flags", with_geometry=False).attrs
    return normalise(frame)


def normalise(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    for name, _ in SHEET_FIELDS:
        if name not in frame:
            frame[name] = None
    for name in ("run_id", *FIGURES):
        frame[name] = pd.to_numeric(frame[name], errors="coerce").fillna(0).astype(np.int64)
    for name in ("clean_pct", *REVIEW):
        frame[name] = pd.to_numeric(frame[name], errors="coerce")
    for name in ("commune", "sheet", "taken_at"):
        frame[name] = frame[name].where(frame[name].notna(), "").astype(str)
    return frame


def _pct(clean, parcels):
    clean = np.asarray(clean, dtype=float)
    parcels = np.asarray(parcels, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(parcels > 0, np.round(100.0 * clean / parcels, 1), np.nan)


def newest_figures(frame: pd.DataFrame) -> pd.DataFrame:
    """Per sheet the row of its newest run, then per commune the sum over its sheets' rows."""
    frame = normalise(frame)
    if frame.empty:
        return pd.DataFrame(columns=COLUMNS)
    newest = (frame.sort_values(["run_id", "taken_at"], kind="stable")
              .drop_duplicates(["commune", "sheet"], keep="last"))
    sheets = newest.assign(level="sheet")
    sheets["clean_pct"] = sheets["clean_pct"].where(sheets["clean_pct"].notna(),
                                                    _pct(sheets["clean"], sheets["parcels"]))
    communes = (newest.groupby("commune", sort=True)
                .agg(run_id=("run_id", "max"), taken_at=("taken_at", "max"),
                     **{f: (f, "sum") for f in FIGURES}).reset_index())
    review = newest.groupby("commune", sort=True)[REVIEW].sum(min_count=1).reset_index()
    communes = communes.merge(review, on="commune", how="left")
    communes["level"], communes["sheet"] = "commune", ""
    communes["clean_pct"] = _pct(communes["clean"], communes["parcels"])
    out = pd.concat([communes[COLUMNS], sheets[COLUMNS]], ignore_index=True)
    out["_lv"] = (out["level"] == "sheet").astype(int)
    out["_o"] = out["sheet"].map(_natural)
    out = out.sort_values(["commune", "_lv", "_o"], kind="stable")
    return out.drop(columns=["_lv", "_o"]).reset_index(drop=True)


def _natural(text: str):
    text = str(text)
    return (0, int(text), "") if text.isdigit() else (1, 0, text)


def clean_history(frame: pd.DataFrame, commune: str | None = None) -> pd.DataFrame:
    """Clean % per run over every sheet of the run (or of `commune`): run_id, taken_at, clean_pct."""
    frame = normalise(frame)
    if commune is not None:
        frame = frame[frame["commune"] == str(commune)]
    if frame.empty:
        return pd.DataFrame(columns=["run_id", "taken_at", "parcels", "clean", "clean_pct"])
    runs = (frame.groupby("run_id", sort=True)
            .agg(taken_at=("taken_at", "max"), parcels=("parcels", "sum"), clean=("clean", "sum"))
            .reset_index())
    runs["clean_pct"] = _pct(runs["clean"], runs["parcels"])
    return runs
