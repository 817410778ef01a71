"""The national land system's sheet reference table ("bảng tham chiếu bản đồ địa chính 2 cấp").

The national land information system exports, per province, the table that says where each
pre-2025 sheet went: one row per (old commune, old sheet, scale) and, where parcel numbers
change, one row per parcel. The columns as published (every cell text):

    Name, Title, Description, bangThamChieuBanDoDiaChinh2CapId, tinhId, xaId, tinhIdCu, xaIdCu,
    soHieuToBanDo, soHieuToBanDoCu, ghiChu, soThuTuThua, soThuTuThuaCu, tyLe, InId, OutId,
    CreatedDate, ModifiedDate, CreatedUserId

Codes come with their leading zeros dropped (xaId 9427 is commune 09427, tinhId 24 province
24); tyLe is the scale ("1/500"); ghiChu the commune's name; soThuTuThua / soThuTuThuaCu are
empty or "0" when parcel numbers do not change. The old key repeats across scales (a commune
has a sheet series per scale), so the scale is part of the sheet key.

The table is read as it comes (header found under title rows, cells as text: loading.tables),
codes padded to their official width and checked against the shipped official tables. A bad
row is never a crash and never silently dropped: it becomes a finding with a catalogue code
(MERGER_*) and is not applied; everything else is. `MergerTable.sheets` and `.parcels` hold
the rows that are applied.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import InputError
from ..i18n import phrase
from ..reference.admin_units import AdminUnits, normalise_commune_codes
from ..register.fields import fold
from ..register.keys import normalise_key
from .merger_findings import FINDING_COLUMNS, Findings

# role -> folded header names, in the national export and in other provinces' spellings.
# Compared whole (not as prefixes): 'sohieutobando' is the start of 'sohieutobandocu'.
TABLE_HEADERS = {
    "old_province": ("tinhidcu", "matinhcu", "tinhcu", "oldprovince"),
    "old_commune": ("xaidcu", "maxacu", "madvhccu", "xacu", "oldcommune"),
    "old_sheet": ("sohieutobandocu", "sotobandocu", "shbandocu", "sotocu", "tocu", "oldsheet"),
    "old_parcel": ("sothututhuacu", "sothuacu", "shthuacu", "thuacu", "oldparcel"),
    "new_province": ("tinhid", "matinh", "tinhmoi", "matinhmoi", "newprovince"),
    "new_commune": ("xaid", "maxa", "maxamoi", "madvhcmoi", "xamoi", "newcommune"),
    "new_sheet": ("sohieutobando", "sotobando", "shbando", "soto", "sotomoi", "sohieutobandomoi",
                  "newsheet"),
    "new_parcel": ("sothututhua", "sothua", "shthua", "sothuamoi", "newparcel"),
    "scale": ("tyle", "tylebando", "scale"),
    "note": ("ghichu", "note"),
}
REQUIRED_ROLES = ("old_commune", "old_sheet", "new_commune", "new_sheet")
# Headers that tell the national layout from the project's own four-column table.
NATIONAL_ROLES = ("scale", "old_parcel", "new_parcel", "old_province", "new_province")

SHEET_COLUMNS = ["old_commune", "old_sheet", "scale", "new_commune", "new_sheet", "row"]
PARCEL_COLUMNS = ["old_commune", "old_sheet", "scale", "old_parcel", "new_commune", "new_sheet",
                  "new_parcel", "row"]

_SCALE = re.compile(r"^\s*(?:1\s*[:/]\s*)?([0-9][0-9.,\s]*)$")


@dataclass
class MergerTable:
    """An imported table: the rows applied, and what was found wrong with the others."""
    sheets: pd.DataFrame            # SHEET_COLUMNS: one row per old sheet key, applied
    parcels: pd.DataFrame           # PARCEL_COLUMNS: one row per renumbered parcel, applied
    findings: pd.DataFrame          # FINDING_COLUMNS (layer "table")
    rows_read: int = 0
    rows_applied: int = 0           # table rows that went into sheets / parcels (repeats included)
    status: pd.Series | None = None  # per table row (index: row number): "applied", or the code refusing it
    source: str = ""
    notes: list = field(default_factory=list)

    def as_reference(self) -> pd.DataFrame:
        """The sheet rows in the project's reference layout (+ scale), for display and saving."""
        out = self.sheets[["old_commune", "old_sheet", "new_commune", "new_sheet"]].copy()
        out["rule"] = np.where(out["old_commune"] == out["new_commune"], "kept", "renumbered")
        out.insert(2, "scale", [scale_text(s) for s in self.sheets["scale"]])
        return out.reset_index(drop=True)


# ------------------------------------------------------------------ reading

def table_from_reference(reference: pd.DataFrame, source: str = "") -> MergerTable:
    """A checked reference table in the project's own layout (merger.validate_reference) as a
    MergerTable: no scale (it holds for every scale), no parcel rows."""
    n = len(reference)
    rows = np.arange(2, n + 2)
    sheets = pd.DataFrame({"old_commune": reference["old_commune"].to_numpy(object),
                           "old_sheet": reference["old_sheet"].to_numpy(object), "scale": np.zeros(n, np.int64),
                           "new_commune": reference["new_commune"].to_numpy(object),
                           "new_sheet": reference["new_sheet"].to_numpy(object), "row": rows})
    parcels = pd.DataFrame({c: pd.Series(dtype=np.int64 if c in ("scale", "row") else object)
                            for c in PARCEL_COLUMNS})
    return MergerTable(sheets=sheets, parcels=parcels, findings=Findings().frame(), rows_read=n,
                       rows_applied=n, status=pd.Series("applied", index=rows), source=source)


def is_national_table(columns) -> bool:
    """Whether a header is the national layout (scale, parcel or province columns)."""
    roles = _roles(columns)
    return all(r in roles.values() for r in REQUIRED_ROLES) and any(r in roles.values() for r in NATIONAL_ROLES)


def read_merger_table(path: str, units: AdminUnits | None = None) -> MergerTable:
    """Read and check a national sheet reference table (XLSX, XLS, ODS or CSV; all cells text)."""
    from ..loading.tables import read_table
    frame = read_table(path, role="sheet reference table")
    table = build_merger_table(frame.attrs, units, source=path, rows=np.asarray(frame.rows))
    table.notes.extend(frame.notes)
    return table


def build_merger_table(raw: pd.DataFrame, units: AdminUnits | None = None, source: str = "",
                       rows: np.ndarray | None = None) -> MergerTable:
    """Normalise and check a table already read (cells as text). `rows` are the row numbers a
    user sees (default: header on row 1, data from row 2). Raises InputError only when a
    needed column is missing: bad rows become findings."""
    units = units or AdminUnits.load()
    roles = _roles(raw.columns)
    missing = [r for r in REQUIRED_ROLES if r not in roles.values()]
    if missing:
        raise InputError(f"the sheet reference table has no column for {', '.join(missing)}", source,
                         fix="the national table's columns are xaIdCu, soHieuToBanDoCu, xaId, "
                             f"soHieuToBanDo, tyLe… (columns found: {', '.join(map(str, raw.columns))})")
    raw = raw.rename(columns=roles).reset_index(drop=True)
    n = len(raw)
    rows = np.arange(2, n + 2) if rows is None else np.asarray(rows, dtype=np.int64)

    def text(role):
        if role not in raw.columns:
            return pd.Series("", index=raw.index, dtype=object)
        s = raw[role]
        return s.astype(object).where(s.notna(), "").astype(str).str.strip()

    t = pd.DataFrame({
        "row": rows,
        "old_province": normalise_province_codes(text("old_province")).to_numpy(object),
        "old_commune": normalise_commune_codes(text("old_commune")).to_numpy(object),
        "old_sheet": normalise_key(text("old_sheet")).to_numpy(object),
        "old_parcel": _parcel(text("old_parcel")).to_numpy(object),
        "new_province": normalise_province_codes(text("new_province")).to_numpy(object),
        "new_commune": normalise_commune_codes(text("new_commune")).to_numpy(object),
        "new_sheet": normalise_key(text("new_sheet")).to_numpy(object),
        "new_parcel": _parcel(text("new_parcel")).to_numpy(object),
        "scale_text": text("scale").to_numpy(object),
    })
    t["scale"] = parse_scales(t["scale_text"]).to_numpy(np.int64)
    findings = Findings()
    ok = np.ones(n, dtype=bool)
    status = np.full(n, "applied", dtype=object)
    for check, code in ((lambda: _check_complete(t, findings), "MERGER_ROW_INCOMPLETE"),
                        (lambda: _check_codes(t, units, findings, ok), "MERGER_CODE_NOT_OFFICIAL"),
                        (lambda: _check_successors(t, units, findings, ok), "MERGER_NOT_SUCCESSOR")):
        passed = check()
        status[ok & ~passed] = code
        ok &= passed
    _check_provinces(t, units, findings, ok)

    # a row that names an old parcel but no new one (or "0") keeps the parcel's number
    t["new_parcel"] = np.where(t["old_parcel"] != "", np.where(t["new_parcel"] != "", t["new_parcel"],
                                                                t["old_parcel"]), "")
    good = t[ok].copy()
    good["level"] = np.where(good["old_parcel"] == "", "sheet", "parcel")
    good = _drop_repeats(good, findings)
    good, refused = _drop_conflicts(good, findings)
    status = pd.Series(status, index=rows)
    status[list(refused)] = list(refused.values())
    sheets, parcels = _split_levels(good)
    applied = int((status == "applied").sum())
    return MergerTable(sheets=sheets, parcels=parcels, findings=findings.frame(), rows_read=n,
                       rows_applied=applied, status=status, source=source)


def _roles(columns) -> dict:
    """{column: role} for the columns that name a role (first column wins a role)."""
    out, taken = {}, set()
    for column in columns:
        folded = fold(column)
        for role, names in TABLE_HEADERS.items():
            if role not in taken and (folded in names or folded == fold(role)):
                out[column] = role
                taken.add(role)
                break
    return out


def normalise_province_codes(values: pd.Series) -> pd.Series:
    """Province codes as 2-digit text: 24, '24', '024', '8.0' -> '24', '08'; '' for blanks."""
    text = pd.Series(values).astype(object).where(pd.Series(values).notna(), "").astype(str).str.strip()
    text = text.str.replace(r"\.0*$", "", regex=True)
    digits = text.str.fullmatch(r"[0-9]+").fillna(False).to_numpy(bool)
    out = text.copy()
    stripped = text[digits].str.lstrip("0")
    out[digits] = stripped.str.zfill(2).where(stripped.str.len() <= 2, text[digits])
    return out.astype(object)


def parse_scales(values: pd.Series) -> pd.Series:
    """Scale denominators: '1/500', '1:1.000', '2000', 2000.0 -> 500, 1000, 2000; 0 where blank,
    -1 where the cell is not a scale."""
    text = pd.Series(values).astype(object).where(pd.Series(values).notna(), "").astype(str).str.strip()
    uniques = text.unique()
    parsed = {}
    for u in uniques:
        if u == "":
            parsed[u] = 0
            continue
        m = _SCALE.match(u)
        digits = re.sub(r"[.,\s]", "", m.group(1)) if m else ""
        if m and re.fullmatch(r"[0-9]+\.0{1,2}", m.group(1).strip()):   # 2000.0 from a number cell; 1.000 is 1000
            digits = m.group(1).strip().split(".")[0]
        parsed[u] = int(digits) if digits.isdigit() and int(digits) > 0 else -1
    return text.map(parsed).astype(np.int64)


def scale_text(scale) -> str:
    scale = int(scale) if scale == scale else 0
    return f"1/{scale}" if scale > 0 else phrase("any scale")


def _parcel(values: pd.Series) -> pd.Series:
    keys = normalise_key(values)
    return keys.where(keys != "0", "")


# ------------------------------------------------------------------ checks (vectorised over rows)

def _check_complete(t: pd.DataFrame, findings: Findings) -> np.ndarray:
    ok = np.ones(len(t), dtype=bool)
    checks = [
        (t["old_commune"] == "", phrase("the old commune code (xaIdCu) is empty")),
        (t["old_sheet"] == "", phrase("the old sheet number (soHieuToBanDoCu) is empty")),
        (t["new_commune"] == "", phrase("the new commune code (xaId) is empty")),
        (t["new_sheet"] == "", phrase("the new sheet number (soHieuToBanDo) is empty")),
        ((t["old_parcel"] == "") & (t["new_parcel"] != ""),
         phrase("a new parcel number is given without the old one (soThuTuThuaCu)")),
        (t["scale"] < 0, phrase("the scale (tyLe) is not a scale such as 1/500")),
    ]
    for mask, what in checks:
        idx = np.flatnonzero(mask.to_numpy(bool) & ok)
        ok[idx] = False
        findings.add("MERGER_ROW_INCOMPLETE", t, idx, what=what)
    return ok


def _check_codes(t: pd.DataFrame, units: AdminUnits, findings: Findings, ok: np.ndarray) -> np.ndarray:
    good = np.ones(len(t), dtype=bool)
    known = t["old_commune"].map(units.is_known).to_numpy(bool)
    current = t["new_commune"].map(units.is_current).to_numpy(bool)
    provinces = units.provinces
    old_provinces = set(provinces.index[provinces["old_name"] != ""])
    new_provinces = set(provinces.index[provinces["current"] == "1"])
    checks = [
        (~known, "old_commune", phrase("old commune code"), phrase("a commune code in force before the 2025 merger")),
        (~current, "new_commune", phrase("new commune code"), phrase("a commune code in force since 1 July 2025")),
        ((t["old_province"] != "") & ~t["old_province"].isin(old_provinces), "old_province",
         phrase("old province code"), phrase("a province code in force before the 2025 merger")),
        ((t["new_province"] != "") & ~t["new_province"].isin(new_provinces), "new_province",
         phrase("new province code"), phrase("a province code in force since 1 July 2025")),
    ]
    for mask, column, what, expected in checks:
        idx = np.flatnonzero(np.asarray(mask, dtype=bool) & ok & good)
        good[idx] = False
        findings.add("MERGER_CODE_NOT_OFFICIAL", t, idx, what=what, value=t[column].to_numpy(object)[idx],
                     expected=expected)
    return good


def _successor_pairs(units: AdminUnits) -> set:
    u = units.units
    pairs = {(c, s) for c, s in zip(u["code"], u["successor_code"]) if s}
    pairs |= {(c, s) for c, split in zip(u["code"], u["split_into"]) if split for s in split.split("|")}
    pairs |= {(c, c) for c, cur in zip(u["code"], u["current"]) if cur == "1"}
    return pairs


def _check_successors(t: pd.DataFrame, units: AdminUnits, findings: Findings, ok: np.ndarray) -> np.ndarray:
    pairs = _successor_pairs(units)
    distinct = t.loc[ok, ["old_commune", "new_commune"]].drop_duplicates()
    bad_pairs = {(o, n) for o, n in zip(distinct["old_commune"], distinct["new_commune"]) if (o, n) not in pairs}
    good = np.ones(len(t), dtype=bool)
    if not bad_pairs:
        return good
    key = pd.Series(list(zip(t["old_commune"], t["new_commune"])))
    idx = np.flatnonzero(key.isin(bad_pairs).to_numpy(bool) & ok)
    good[idx] = False
    official = [" / ".join(units.successor_candidates(o)) or
                (o if units.is_current(o) else phrase("no commune")) for o in t["old_commune"].to_numpy(object)[idx]]
    findings.add("MERGER_NOT_SUCCESSOR", t, idx, old=t["old_commune"].to_numpy(object)[idx],
                 new=t["new_commune"].to_numpy(object)[idx], official=np.array(official, dtype=object))
    return good


def _check_provinces(t: pd.DataFrame, units: AdminUnits, findings: Findings, ok: np.ndarray) -> None:
    u = units.units
    for commune, province, official, what in (
            ("old_commune", "old_province", u["old_province_code"], phrase("old commune")),
            ("new_commune", "new_province", u["province_code"], phrase("new commune"))):
        real = t[commune].map(official).fillna("").to_numpy(object)
        given = t[province].to_numpy(object)
        idx = np.flatnonzero(ok & (given != "") & (real != "") & (given != real))
        findings.add("MERGER_PROVINCE_MISMATCH", t, idx, what=what, code=t[commune].to_numpy(object)[idx],
                     official=real[idx], given=given[idx])


_KEY = ["old_commune", "old_sheet", "scale", "old_parcel"]
_TARGET = ["new_commune", "new_sheet", "new_parcel"]


def _drop_repeats(good: pd.DataFrame, findings: Findings) -> pd.DataFrame:
    """Rows saying the same thing twice are applied once (and listed)."""
    cols = _KEY + _TARGET
    gid = good.groupby(cols, sort=False).ngroup().to_numpy()
    size = np.bincount(gid) if len(gid) else np.array([], dtype=np.int64)
    first = ~pd.Series(gid).duplicated().to_numpy()
    out = good[first].copy()
    out["n_rows"] = size[gid[first]]
    rows = good["row"].to_numpy()
    lists = {g: [r] for g, r in zip(gid[first], rows[first])}
    for g, r in zip(gid[~first], rows[~first]):
        lists[g].append(r)
    out["rows"] = [lists[g] for g in gid[first]]
    repeated = out[out["n_rows"] > 1]
    if len(repeated):
        findings.add("MERGER_ROW_REPEATED", repeated, np.arange(len(repeated)),
                     rows=[_rows_text(r) for r in repeated["rows"]], key=_key_text(repeated),
                     target=_target_text(repeated), row=repeated["row"].to_numpy())
    return out


def _drop_conflicts(good: pd.DataFrame, findings: Findings) -> pd.DataFrame:
    """One old key sent to two targets, or two old keys sent to one target: none applied."""
    drop = np.zeros(len(good), dtype=bool)
    refused = {}
    good = good.reset_index(drop=True)
    for level in ("sheet", "parcel"):
        part = good["level"].to_numpy() == level
        key = _KEY if level == "parcel" else _KEY[:3]
        target = _TARGET if level == "parcel" else _TARGET[:2]
        new_key = ["scale"] + target
        for cols, other, code in ((key, target, "MERGER_KEY_CONFLICT"), (new_key, key, "MERGER_TARGET_CONFLICT")):
            sub = good[part & ~drop]
            dup = sub.duplicated(cols, keep=False).to_numpy()
            if not dup.any():
                continue
            clash = sub[dup]
            groups = list(clash.groupby(cols, sort=False).groups.values())
            first = clash.loc[[g[0] for g in groups]]
            rows = [_rows_text(sorted(r for i in g for r in clash.at[i, "rows"])) for g in groups]
            if code == "MERGER_KEY_CONFLICT":
                targets = [", ".join(_target_text(clash.loc[g])) for g in groups]
                findings.add(code, first, np.arange(len(first)), rows=rows, key=_key_text(first),
                             targets=targets, row=[min(r for i in g for r in clash.at[i, "rows"]) for g in groups])
            else:
                sources = [", ".join(_key_text(clash.loc[g])) for g in groups]
                findings.add(code, first, np.arange(len(first)), rows=rows, sources=sources,
                             target=_target_text(first),
                             row=[min(r for i in g for r in clash.at[i, "rows"]) for g in groups])
            for rows_ in clash["rows"]:
                refused.update({r: code for r in rows_})
            drop[np.flatnonzero(part & ~drop)[dup]] = True
    return good[~drop].reset_index(drop=True), refused


def _split_levels(good: pd.DataFrame):
    sheet_rows = good[good["level"] == "sheet"]
    parcel_rows = good[good["level"] == "parcel"]
    # a sheet given only through its parcels' rows goes where they all go (if they agree)
    covered = pd.MultiIndex.from_frame(sheet_rows[_KEY[:3]])
    lone = parcel_rows[~pd.MultiIndex.from_frame(parcel_rows[_KEY[:3]]).isin(covered)]
    if len(lone):
        targets = lone.drop_duplicates(_KEY[:3] + _TARGET[:2])
        agree = targets[~targets.duplicated(_KEY[:3], keep=False)]
        sheet_rows = pd.concat([sheet_rows, agree], ignore_index=True)
    sheets = sheet_rows[SHEET_COLUMNS].reset_index(drop=True)
    parcels = parcel_rows[PARCEL_COLUMNS].reset_index(drop=True)
    sheets["scale"] = sheets["scale"].astype(np.int64)
    parcels["scale"] = parcels["scale"].astype(np.int64)
    return sheets, parcels


def _rows_text(rows) -> str:
    return ", ".join(str(int(r)) for r in rows)


def _key_text(t: pd.DataFrame) -> list:
    return [(phrase("parcel {0} of ").format(p) if p else "") +
            phrase("sheet {0} ({1}) of commune {2}").format(s, scale_text(k), c)
            for c, s, k, p in zip(t["old_commune"], t["old_sheet"], t["scale"], t["old_parcel"])]


def _target_text(t: pd.DataFrame) -> list:
    return [(phrase("parcel {0} of ").format(p) if p else "") +
            phrase("sheet {0} of commune {1}").format(s, c)
            for c, s, p in zip(t["new_commune"], t["new_sheet"], t["new_parcel"])]


def write_findings_csv(findings: pd.DataFrame, path: str) -> None:
    """The findings as a CSV Excel opens (UTF-8 with BOM)."""
    os.makedirs(os.path.dirname(os.path.abspath(path)) or ".", exist_ok=True)
    findings[FINDING_COLUMNS].to_csv(path, index=False, encoding="utf-8-sig")
