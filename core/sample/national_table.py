"""Sheet reference tables in the national land system's layout, for tests and benchmarks.

`national_rows` turns plain rows (old/new commune, sheet, scale, parcel) into the columns the
national system exports ("bảng tham chiếu bản đồ địa chính 2 cấp"): codes with their leading
zeros dropped, the scale as "1/500", the commune's name in ghiChu, parcel columns empty or "0"
when parcel numbers do not change, and the bookkeeping columns filled. `write_national_table`
writes it as the published file (one sheet BANGTHAMCHIEUBANDODIACHINH2CAP, every cell text).
`generate_national_table` builds a full-size table for a province from the shipped tables.
"""
from __future__ import annotations

import os

import numpy as np
import pandas as pd

from ..reference.admin_units import AdminUnits

NATIONAL_COLUMNS = ["Name", "Title", "Description", "bangThamChieuBanDoDiaChinh2CapId", "tinhId", "xaId",
                    "tinhIdCu", "xaIdCu", "soHieuToBanDo", "soHieuToBanDoCu", "ghiChu", "soThuTuThua",
                    "soThuTuThuaCu", "tyLe", "InId", "OutId", "CreatedDate", "ModifiedDate", "CreatedUserId"]
SHEET_NAME = "BANGTHAMCHIEUBANDODIACHINH2CAP"
PLAIN_COLUMNS = ["old_commune", "old_sheet", "scale", "new_commune", "new_sheet", "old_parcel", "new_parcel"]


def _unpadded(codes) -> np.ndarray:
    text = pd.Series(codes, dtype=object).fillna("").astype(str)
    stripped = text.str.lstrip("0")
    return np.where((text != "") & (stripped == ""), "0", stripped).astype(object)


def national_rows(plain: pd.DataFrame, units: AdminUnits | None = None, seed: int = 1) -> pd.DataFrame:
    """PLAIN_COLUMNS (codes as 5-digit text, scale as a number, parcels '' when unchanged) ->
    NATIONAL_COLUMNS, all text."""
    units = units or AdminUnits.load()
    rng = np.random.default_rng(seed)
    n = len(plain)
    u = units.units
    new_province = plain["new_commune"].map(u["province_code"]).fillna("").to_numpy(object)
    old_province = plain["old_commune"].map(u["old_province_code"]).fillna("").to_numpy(object)
    name = plain["new_commune"].map(u["name"]).fillna("").to_numpy(object)
    ids = rng.integers(1_000_000, 9_999_999, n)
    days = rng.integers(0, 60, n)
    created = [f"2025-{7 + d // 30:02d}-{1 + d % 30:02d} 08:{d % 60:02d}:00" for d in days]
    old_parcel = plain["old_parcel"].fillna("").astype(str).to_numpy(object)
    new_parcel = plain["new_parcel"].fillna("").astype(str).to_numpy(object)
    # unchanged parcel numbers: the national export has empty cells or "0"
    zero = (old_parcel == "") & (rng.random(n) < 0.5)
    scale = pd.Series(plain["scale"]).to_numpy()
    return pd.DataFrame({
        "Name": [f"BTC-{i}" for i in ids], "Title": [f"Tờ {s}" for s in plain["new_sheet"]],
        "Description": "", "bangThamChieuBanDoDiaChinh2CapId": [f"{i:08x}-2025" for i in ids],
        "tinhId": _unpadded(new_province), "xaId": _unpadded(plain["new_commune"]),
        "tinhIdCu": _unpadded(old_province), "xaIdCu": _unpadded(plain["old_commune"]),
        "soHieuToBanDo": plain["new_sheet"].astype(str).to_numpy(object),
        "soHieuToBanDoCu": plain["old_sheet"].astype(str).to_numpy(object),
        "ghiChu": name,
        "soThuTuThua": np.where(zero, "0", new_parcel).astype(object),
        "soThuTuThuaCu": np.where(zero, "0", old_parcel).astype(object),
        "tyLe": [f"1/{int(s)}" if s == s and int(s) > 0 else "" for s in scale],
        "InId": [str(i + 1) for i in ids], "OutId": [str(i + 2) for i in ids],
        "CreatedDate": created, "ModifiedDate": created, "CreatedUserId": "1",
    }, columns=NATIONAL_COLUMNS, dtype=object)


def write_national_table(frame: pd.DataFrame, path: str) -> None:
    """As published: XLSX with one sheet BANGTHAMCHIEUBANDODIACHINH2CAP, every cell text; or CSV."""
    os.makedirs(os.path.dirname(os.path.abspath(path)) or ".", exist_ok=True)
    if str(path).lower().endswith(".xlsx"):
        # a normal workbook, as Excel saves one: shared strings and the sheet's dimension
        from openpyxl import Workbook
        wb = Workbook()
        ws = wb.active
        ws.title = SHEET_NAME
        ws.append(list(frame.columns))
        for row in frame.astype(str).itertuples(index=False):
            ws.append(list(row))      # str cells: written as text, never as numbers
        wb.save(path)
    else:
        frame.to_csv(path, index=False, encoding="utf-8-sig")


def merger_plan(units: AdminUnits, province: str) -> list[tuple[str, list[str]]]:
    """(current code, [kept code first, then the closed codes merged wholly into it]) of a province."""
    plan = []
    for code in units.communes(province)["code"]:
        closed = [p for p in units.predecessors(code) if p != code and units.successor(p) == code]
        kept = [code] if code in units.predecessors(code) else []
        plan.append((code, kept + closed))
    return plan


def generate_national_table(province: str = "20", rows: int = 6266, seed: int = 1,
                            units: AdminUnits | None = None) -> pd.DataFrame:
    """A full-size table for a province in PLAIN_COLUMNS: every pre-2025 commune gets sheet series
    at 1/500, 1/1000 and 1/2000 (so old keys repeat across scales); the kept commune keeps its
    numbers, the others are numbered on above it per scale; a few parcel rows and repeated rows,
    as in the published tables. Sheets per commune are scaled to reach about `rows` rows."""
    units = units or AdminUnits.load()
    rng = np.random.default_rng(seed)
    plan = [p for p in merger_plan(units, province) if p[1]]
    olds = sum(len(o) for _, o in plan)
    per_old = max(3, rows // max(olds, 1))
    out = []
    for new, old_codes in plan:
        top = {500: 0, 1000: 0, 2000: 0}
        for j, old in enumerate(old_codes):
            counts = rng.multinomial(per_old, [0.2, 0.5, 0.3])
            for scale, count in zip((500, 1000, 2000), counts):
                for s in range(1, count + 1):
                    new_sheet = s if j == 0 else top[scale] + s
                    out.append((old, str(s), scale, new, str(new_sheet), "", ""))
                top[scale] = max(top[scale], count) if j == 0 else top[scale] + count
    plain = pd.DataFrame(out, columns=PLAIN_COLUMNS, dtype=object)
    if len(plain) > rows:
        plain = plain.iloc[:rows]
    extra = rows - len(plain)
    if extra > 0:     # parcel rows (renumbered parcels) and repeated rows, as the real table has
        picks = plain.sample(extra, replace=True, random_state=seed).reset_index(drop=True)
        parcel = rng.random(extra) < 0.5
        numbers = rng.integers(1, 400, extra)
        picks["old_parcel"] = np.where(parcel, (numbers + 1000).astype(str), "")
        picks["new_parcel"] = np.where(parcel, numbers.astype(str), "")
        plain = pd.concat([plain, picks], ignore_index=True)
    return plain.reset_index(drop=True)
