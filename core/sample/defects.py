"""Defects put into a clean sample, and the answer key that lists each one.

Each defect takes parcels and register rows no other defect touches (nor the parcels
renumbered after a split), so a checker's flag is expected exactly where the key
says. The key has one row per (defect, affected record): the values the record now
shows in commune/sheet/parcel, the true ones in expected_*, map_fid and the
register row (spreadsheet row, first data row = 2) where they apply.

Numbers are chosen so the defects make no numbering gap of their own: a mistyped
parcel number and an extra register row take the next numbers above the sheet's
highest (a typo is one digit changed or two adjacent digits swapped of a real
parcel's number); numbers below are all in use or cancelled.

Defects leave records a checker must pair by area and land use (a parcel without its
row, a row without its parcel). Two such records of different defects on one sheet, or
with one number on two sheets of a commune, that happen to agree in both would be
paired by mistake, so a defect that would create such a coincidence is put elsewhere.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..reference.sheet_grid import area_tolerance

KEY_COLUMNS = ["code", "commune", "sheet", "parcel", "map_fid", "register_row",
               "expected_commune", "expected_sheet", "expected_parcel", "details"]

# (code, Injector method, map parcels touched per instance)
KINDS = (
    ("NUMBER_MISMATCH", "swap", 2),
    ("NUMBER_MISMATCH", "typo", 1),
    ("SHEET_MISMATCH", "sheet_mismatch", 1),
    ("MAP_ONLY", "map_only", 1),
    ("REGISTER_ONLY", "register_only", 1),
    ("DUPLICATE_KEY_MAP", "duplicate_map", 2),
    ("DUPLICATE_KEY_REGISTER", "duplicate_register", 1),
    ("AREA_MISMATCH", "area", 1),
    ("LANDUSE_MISMATCH", "landuse_mismatch", 1),
    ("LANDUSE_INVALID", "landuse_invalid", 1),
    ("COMMUNE_CODE_OBSOLETE", "commune_obsolete", 1),
    ("OWNER_ID_INVALID", "owner_id", 1),
    ("OWNER_MISSING", "owner_missing", 1),
)
# Extra register rows come before typos (both take the numbers above a sheet's highest);
# pairs of parcels are found before single parcels use up the candidates.
ORDER = ("register_only", "swap", "duplicate_map", "sheet_mismatch", "typo", "map_only",
         "duplicate_register", "area", "landuse_mismatch", "landuse_invalid", "commune_obsolete",
         "owner_id", "owner_missing")

# a valid code of another kind for each private land use
LANDUSE_OTHER = {"ONT": ("CLN", "BHK"), "CLN": ("ONT", "BHK", "RSX"), "BHK": ("LUC", "CLN"),
                 "LUC": ("BHK", "NTS"), "LUK": ("BHK", "CLN"), "NTS": ("LUC", "CLN"),
                 "RSX": ("CLN", "BHK")}
# codes no list has: what a typist makes of the real one
_INVALID_FIXED = {"ONT": ("ĐT", "0NT"), "LUC": ("LUA",), "LUK": ("LUA",)}
# first three digits of a CCCD that are no province code
BAD_PROVINCES = ("099", "097", "098", "003", "005")

SWAP_AREA_FACTOR = 3.0        # areas differ by more than 3 × tolerance


@dataclass
class MapState:
    """Map parcels in FID order (fid = index + 1); number and sheet_given are edited."""
    sheet: np.ndarray            # true sheet id
    commune: np.ndarray          # commune index
    number: np.ndarray           # SHTHUA
    sheet_given: np.ndarray      # sheet id written in SHBANDO
    area: np.ndarray             # DIENTICH
    tolerance: np.ndarray        # ΔP at the sheet's scale
    landuse: np.ndarray
    private: np.ndarray          # household land (GDC)
    renumbered: np.ndarray


@dataclass
class RegisterState:
    """Register rows as column arrays; row r of the clean register is parcel r."""
    columns: dict                # name -> object array
    sheet_id: np.ndarray         # sort key: sheet id of the row
    number: np.ndarray           # sort key: parcel number
    extra: list = field(default_factory=list)   # (after_record or -1, sheet id, number, values)
    dropped: set = field(default_factory=set)

    def value(self, rec: int, column: str):
        n = len(self.sheet_id)
        return self.columns[column][rec] if rec < n else self.extra[rec - n][3][column]


@dataclass
class Context:
    sheet_label: list            # sheet id -> SHBANDO text
    sheet_commune: np.ndarray    # sheet id -> commune index
    sheet_frame: np.ndarray      # sheet id -> (left, bottom, right, top)
    sheet_scale: np.ndarray      # sheet id -> scale denominator
    commune_code: list           # commune index -> code
    closed_codes: list           # commune index -> pre-2025 codes merged into it (kept code excluded)
    random_person: object        # (commune index, rng) -> dict of owner columns
    landuse_status: object       # list of codes -> list of 'current'|'obsolete'|'unknown'


def plan_counts(n_parcels: int, rate: float, rng: np.random.Generator) -> list[int]:
    """Instances per kind: rate × parcels map parcels touched, spread evenly over the kinds."""
    per_round = sum(k[2] for k in KINDS)
    instances = int(round(rate * n_parcels * len(KINDS) / per_round))
    base, rest = divmod(instances, len(KINDS))
    counts = [base] * len(KINDS)
    for i in rng.permutation(len(KINDS))[:rest]:
        counts[int(i)] += 1
    return counts


class Injector:
    """Applies defects one kind at a time, each to parcels no defect touched yet, and
    writes the key rows (`keys`, register rows as record ids) and counts by code."""

    def __init__(self, m: MapState, reg: RegisterState, ctx: Context, rng: np.random.Generator):
        self.m, self.reg, self.ctx, self.rng = m, reg, ctx, rng
        n = len(m.number)
        self.touched = m.renumbered.copy()
        # parcels are in (sheet, clean number) order: a sorted key finds a parcel by number
        self._key = m.sheet.astype(np.int64) * (1 << 32) + m.number
        n_sheets = len(ctx.sheet_label)
        self.first = np.searchsorted(m.sheet, np.arange(n_sheets), side="left")
        self.end = np.searchsorted(m.sheet, np.arange(n_sheets), side="right")
        # the highest number a sheet uses anywhere (map, register, old numbers)
        self.top = np.zeros(n_sheets, dtype=np.int64)
        np.maximum.at(self.top, m.sheet, m.number)
        self.clean_top = self.top.copy()
        self.clean_number = m.number.copy()
        self.keys: list[dict] = []
        self.counts: dict[str, int] = {}
        self._order = rng.permutation(n)
        # (area, land use) of map records and register rows left without a partner,
        # by sheet and by (commune, number shown)
        self.free_map: dict = {}
        self.free_reg: dict = {}

    # ------------------------------------------------------------------ helpers

    def find(self, sheet: int, number: int) -> int:
        """Index of the parcel holding this clean number on the sheet, or -1."""
        k = sheet * (1 << 32) + number
        i = int(np.searchsorted(self._key, k))
        return i if i < len(self._key) and self._key[i] == k else -1

    def free(self, i: int) -> bool:
        return i >= 0 and not self.touched[i]

    def candidates(self, mask: np.ndarray | None = None):
        """Untouched parcels in a random order (checked again when used)."""
        order = self._order
        ok = ~self.touched[order]
        if mask is not None:
            ok &= mask[order]
        return order[ok]

    def key(self, code: str, *, commune=None, sheet=None, parcel=None, map_fid=None, rec=None,
            expected_commune=None, expected_sheet=None, expected_parcel=None, details=""):
        self.keys.append({"code": code, "commune": commune, "sheet": sheet, "parcel": parcel,
                          "map_fid": map_fid, "rec": rec, "expected_commune": expected_commune,
                          "expected_sheet": expected_sheet, "expected_parcel": expected_parcel,
                          "details": details})

    def _map_key(self, code, i, rec=None, **kw):
        """A key row for map parcel i as the map shows it now."""
        kw.setdefault("commune", self.ctx.commune_code[self.m.commune[i]])
        kw.setdefault("sheet", self.ctx.sheet_label[self.m.sheet_given[i]])
        kw.setdefault("parcel", int(self.m.number[i]))
        self.key(code, map_fid=i + 1, rec=rec, **kw)

    def _reg_key(self, code, rec, map_index=None, **kw):
        """A key row for register record rec as the register shows it now."""
        kw.setdefault("commune", self.reg.value(rec, "commune"))
        kw.setdefault("sheet", self.reg.value(rec, "sheet"))
        kw.setdefault("parcel", int(self.reg.value(rec, "number")))
        self.key(code, map_fid=None if map_index is None else map_index + 1, rec=rec, **kw)

    def _count(self, code):
        self.counts[code] = self.counts.get(code, 0) + 1

    def _area_apart(self, a: int, b: int) -> bool:
        tol = max(self.m.tolerance[a], self.m.tolerance[b])
        return abs(self.m.area[a] - self.m.area[b]) > SWAP_AREA_FACTOR * tol

    def _neighbour(self, a: int) -> int:
        """An untouched parcel numbered 1–3 apart from a on its sheet, areas far apart, or -1."""
        for d in self.rng.permutation([1, 2, 3, -1, -2, -3]):
            b = self.find(int(self.m.sheet[a]), int(self.clean_number[a] + d))
            if self.free(b) and not self.m.renumbered[b] and self._area_apart(a, b):
                return b
        return -1

    def _places(self, sheet: int, number: int):
        return (("s", sheet), ("n", int(self.ctx.sheet_commune[sheet]), number))

    def _clashes(self, sheet: int, record, pool: dict) -> bool:
        area, landuse, number = record
        scale = self.ctx.sheet_scale[sheet]
        for place in self._places(sheet, number):
            for other, lu in pool.get(place, ()):
                if lu == landuse and abs(other - area) <= 2 * float(
                        area_tolerance(max(area, other), scale)) + 0.2:
                    return True
        return False

    def _free_ok(self, sheet: int, maps=(), regs=()) -> bool:
        """No unpaired map record of this defect looks like an unpaired row of another, and back.
        Records are (area, land use, number shown)."""
        return (not any(self._clashes(sheet, r, self.free_reg) for r in maps)
                and not any(self._clashes(sheet, r, self.free_map) for r in regs))

    def _add_free(self, sheet: int, maps=(), regs=()) -> None:
        for pool, records in ((self.free_map, maps), (self.free_reg, regs)):
            for area, landuse, number in records:
                for place in self._places(sheet, number):
                    pool.setdefault(place, []).append((area, landuse))

    def _map_rec(self, i: int, shown: int | None = None):
        """Map parcel i as a record: area, land use and the number it shows (or will)."""
        return float(self.m.area[i]), self.m.landuse[i], int(self.m.number[i] if shown is None else shown)

    def _reg_rec(self, i: int):
        c = self.reg.columns
        return float(c["area"][i]), c["landuse"][i], int(c["number"][i])

    # ------------------------------------------------------------------ map defects

    def swap(self, count: int):
        done = 0
        for a in self.candidates():
            if done == count:
                break
            if self.touched[a]:
                continue
            b = self._neighbour(a)
            if b < 0:
                continue
            s = int(self.m.sheet[a])
            na, nb = int(self.m.number[a]), int(self.m.number[b])
            maps = [self._map_rec(a, shown=nb), self._map_rec(b, shown=na)]
            regs = [self._reg_rec(a), self._reg_rec(b)]
            if not self._free_ok(s, maps, regs):
                continue
            self._add_free(s, maps, regs)
            self.m.number[a], self.m.number[b] = nb, na
            self.touched[[a, b]] = True
            for i, other, true in ((a, b, na), (b, a, nb)):
                self._map_key("NUMBER_MISMATCH", i, rec=i, expected_parcel=true,
                              details=f"swap: numbers {na} and {nb} exchanged on the map "
                                      f"(fids {a + 1} and {b + 1})")
            done += 1
        self.counts["NUMBER_MISMATCH"] = self.counts.get("NUMBER_MISMATCH", 0) + done

    def duplicate_map(self, count: int):
        done = 0
        for a in self.candidates():
            if done == count:
                break
            if self.touched[a]:
                continue
            b = self._neighbour(a)
            if b < 0:
                continue
            s = int(self.m.sheet[a])
            na, nb = int(self.m.number[a]), int(self.m.number[b])
            maps, regs = [self._map_rec(b, shown=na)], [self._reg_rec(b)]
            if not self._free_ok(s, maps, regs):
                continue
            self._add_free(s, maps, regs)
            self.m.number[b] = na
            self.touched[[a, b]] = True
            self._map_key("DUPLICATE_KEY_MAP", a, rec=a,
                          details=f"parcel {na} (fid {a + 1}); its number also given to fid {b + 1}")
            self._map_key("DUPLICATE_KEY_MAP", b, rec=b, expected_parcel=nb,
                          details=f"parcel {nb} (fid {b + 1}) numbered {na} on the map")
            done += 1
        self.counts["DUPLICATE_KEY_MAP"] = done

    def typo(self, count: int):
        """A parcel's number mistyped into the next number above the sheet's highest."""
        done = 0
        n_sheets = len(self.top)
        for _ in range(4):
            for s in self.rng.permutation(n_sheets):
                if done == count:
                    break
                s = int(s)
                if self.end[s] == self.first[s]:
                    continue
                typed = int(self.top[s]) + 1
                found = self._typo_source(s, typed)
                if found is None:
                    continue
                i, how = found
                self._add_free(s, [self._map_rec(i, shown=typed)], [self._reg_rec(i)])
                true = int(self.m.number[i])
                self.m.number[i] = typed
                self.top[s] = typed
                self.touched[i] = True
                self._map_key("NUMBER_MISMATCH", i, rec=i, expected_parcel=true,
                              details=f"typo: {true} written {typed} on the map ({how})")
                done += 1
            if done == count:
                break
        self.counts["NUMBER_MISMATCH"] = self.counts.get("NUMBER_MISMATCH", 0) + done

    def _typo_source(self, sheet: int, typed: int):
        """A free parcel of the sheet whose number is one edit from `typed`, and the edit."""
        text = str(typed)
        swaps, changes = [], []
        for j in range(len(text) - 1):
            if text[j] != text[j + 1]:
                swaps.append(text[:j] + text[j + 1] + text[j] + text[j + 2:])
        for j in range(len(text)):
            for d in "0123456789":
                if d != text[j]:
                    changes.append(text[:j] + d + text[j + 1:])
        groups = [(swaps, "two digits swapped"), (changes, "one digit changed")]
        if self.rng.random() < 0.5:
            groups.reverse()
        for variants, how in groups:
            numbers = [int(v) for v in variants if not v.startswith("0")]
            hits = [self.find(sheet, n) for n in numbers if 1 <= n <= self.clean_top[sheet]]
            hits = [i for i in hits if self.free(i) and not self.m.renumbered[i]
                    and self._free_ok(sheet, [self._map_rec(i, shown=typed)], [self._reg_rec(i)])]
            if hits:
                return hits[int(self.rng.integers(len(hits)))], how
        return None

    def sheet_mismatch(self, count: int):
        done = 0
        frames = self.ctx.sheet_frame
        for p in self.candidates():
            if done == count:
                break
            if self.touched[p]:
                continue
            s = int(self.m.sheet[p])
            n = int(self.m.number[p])
            c = self.ctx.sheet_commune[s]
            others = np.flatnonzero((self.ctx.sheet_commune == c) & (self.clean_top >= n))
            others = others[others != s]
            if not len(others):
                continue
            f = frames[s]
            o = frames[others]
            touching = ((o[:, 0] <= f[2]) & (o[:, 2] >= f[0]) & (o[:, 1] <= f[3]) & (o[:, 3] >= f[1]))
            chosen = -1
            for group in (others[~touching], others[touching]):
                for t in self.rng.permutation(group):
                    q = self.find(int(t), n)
                    if self.free(q) and not self.m.renumbered[q]:
                        chosen, holder = int(t), q
                        break
                if chosen >= 0:
                    break
            if chosen < 0:
                continue
            self.m.sheet_given[p] = chosen
            # the parcel already numbered n there is left alone by later defects
            self.touched[[p, holder]] = True
            self._map_key("SHEET_MISMATCH", p, rec=p, expected_sheet=self.ctx.sheet_label[s],
                          details=f"sheet {self.ctx.sheet_label[s]} written "
                                  f"{self.ctx.sheet_label[chosen]} on the map")
            done += 1
        self.counts["SHEET_MISMATCH"] = done

    # ------------------------------------------------------------------ register defects

    def register_only(self, count: int):
        done = 0
        n_sheets = len(self.top)
        for _ in range(4):
            for s in self.rng.permutation(n_sheets):
                if done == count:
                    break
                s = int(s)
                lo, hi = self.first[s], self.end[s]
                if hi == lo:
                    continue
                model = int(self.rng.integers(lo, hi))     # a parcel of the sheet to imitate
                c = int(self.m.commune[model])
                landuse = self.m.landuse[model] if self.m.private[model] else "CLN"
                area = round(float(self.m.area[model]) * self.rng.uniform(0.6, 1.4), 1)
                number = int(self.top[s]) + 1
                if not self._free_ok(s, regs=[(area, landuse, number)]):
                    continue
                self._add_free(s, regs=[(area, landuse, number)])
                self.top[s] = number
                values = dict(self.ctx.random_person(c, self.rng))
                values.update(commune=self.ctx.commune_code[c], sheet=self.ctx.sheet_label[s],
                              number=number, landuse=landuse, area=area, old_sheet="", old_number="")
                rec = self._append(-1, s, number, values)
                self._reg_key("REGISTER_ONLY", rec,
                              details=f"register row for parcel {number}, not on the map")
                done += 1
            if done == count:
                break
        self.counts["REGISTER_ONLY"] = done

    def _append(self, after: int, sheet: int, number: int, values: dict) -> int:
        self.reg.extra.append((after, sheet, number, values))
        return len(self.reg.sheet_id) + len(self.reg.extra) - 1

    def _take(self, count: int, mask: np.ndarray | None = None):
        """Up to count untouched parcels (marked touched)."""
        picked = self.candidates(mask)[:count]
        self.touched[picked] = True
        return picked

    def map_only(self, count: int):
        for i in self.candidates():
            if len(self.reg.dropped) == count:
                break
            i = int(i)
            s = int(self.m.sheet[i])
            if self.touched[i] or not self._free_ok(s, maps=[self._map_rec(i)]):
                continue
            self._add_free(s, maps=[self._map_rec(i)])
            self.touched[i] = True
            self.reg.dropped.add(i)
            self._map_key("MAP_ONLY", i, details="register row removed")
        self.counts["MAP_ONLY"] = len(self.reg.dropped)

    def duplicate_register(self, count: int):
        done = 0
        for i in self.candidates():
            if done == count:
                break
            i = int(i)
            s = int(self.m.sheet[i])
            # the copy is a row the map parcel cannot take as well
            if self.touched[i] or not self._free_ok(s, regs=[self._reg_rec(i)]):
                continue
            self._add_free(s, regs=[self._reg_rec(i)])
            self.touched[i] = True
            values = {c: self.reg.columns[c][i] for c in self.reg.columns}
            exact = done % 2 == 0 or not self.m.private[i]      # half exact, half another owner
            if not exact:
                values.update(self.ctx.random_person(int(self.m.commune[i]), self.rng))
            rec = self._append(i, int(self.reg.sheet_id[i]), int(self.reg.number[i]), values)
            what = "exact copy" if exact else "copy naming another owner"
            self._reg_key("DUPLICATE_KEY_REGISTER", i, i, details="original of a duplicated row")
            self._reg_key("DUPLICATE_KEY_REGISTER", rec, i, details=f"{what} inserted after the original")
            done += 1
        self.counts["DUPLICATE_KEY_REGISTER"] = done

    def area(self, count: int):
        col = self.reg.columns["area"]
        done = 0
        for i in self.candidates():
            if done == count:
                break
            i = int(i)
            if self.touched[i]:
                continue
            s = int(self.m.sheet[i])
            old = float(col[i])
            new, how = area_typo(old, float(self.m.area[i]),
                                 SWAP_AREA_FACTOR * float(self.m.tolerance[i]), self.rng)
            maps = [self._map_rec(i)]
            regs = [(new, self.reg.columns["landuse"][i], int(self.reg.columns["number"][i]))]
            if not self._free_ok(s, maps, regs):
                continue
            self._add_free(s, maps, regs)
            self.touched[i] = True
            col[i] = new
            self._reg_key("AREA_MISMATCH", i, i, details=f"register area {old:.1f} written {new:.1f} "
                                                         f"({how}); map {self.m.area[i]:.1f}")
            done += 1
        self.counts["AREA_MISMATCH"] = done

    def landuse_mismatch(self, count: int):
        mask = np.isin(self.m.landuse, list(LANDUSE_OTHER)) & self.m.private
        picked = self._take(count, mask)
        col = self.reg.columns["landuse"]
        for i in picked:
            i = int(i)
            old = col[i]
            choices = LANDUSE_OTHER[old]
            col[i] = choices[int(self.rng.integers(len(choices)))]
            self._reg_key("LANDUSE_MISMATCH", i, i, details=f"{old} on the map, {col[i]} in the register")
        self.counts["LANDUSE_MISMATCH"] = len(picked)

    def landuse_invalid(self, count: int):
        picked = self._take(count)
        col = self.reg.columns["landuse"]
        for i in picked:
            i = int(i)
            old = col[i]
            variants = [old + old[-1]] + list(_INVALID_FIXED.get(old, ()))
            if "O" in old:
                variants.append(old.replace("O", "0"))
            status = self.ctx.landuse_status(variants)
            variants = [v for v, st in zip(variants, status) if st == "unknown"] or ["XXX"]
            col[i] = variants[int(self.rng.integers(len(variants)))]
            self._reg_key("LANDUSE_INVALID", i, i, details=f"{old} written {col[i]}")
        self.counts["LANDUSE_INVALID"] = len(picked)

    def commune_obsolete(self, count: int):
        merged = np.array([bool(c) for c in self.ctx.closed_codes])
        picked = self._take(count, merged[self.m.commune])
        col = self.reg.columns["commune"]
        for i in picked:
            i = int(i)
            current = col[i]
            closed = self.ctx.closed_codes[int(self.m.commune[i])]
            col[i] = closed[int(self.rng.integers(len(closed)))]
            self._reg_key("COMMUNE_CODE_OBSOLETE", i, i, expected_commune=current,
                          details=f"pre-2025 code {col[i]} of a commune merged into {current}")
        self.counts["COMMUNE_CODE_OBSOLETE"] = len(picked)

    def owner_id(self, count: int):
        picked = self._take(count, self.m.private)
        col = self.reg.columns["cccd"]
        for k, i in enumerate(picked):
            i = int(i)
            old = col[i]
            kind = k % 4
            if kind == 0:
                new, how = "", "blank"
            elif kind == 1:
                # a digit dropped after the province code (a lost leading zero is another story)
                j = int(self.rng.integers(3, 12))
                new, how = old[:j] + old[j + 1:], "11 digits"
            elif kind == 2:
                j = int(self.rng.integers(3, 12))
                new, how = old[:j] + "OIZSB"[int(self.rng.integers(5))] + old[j + 1:], "a letter"
            else:
                bad = BAD_PROVINCES[int(self.rng.integers(len(BAD_PROVINCES)))]
                new, how = bad + old[3:], f"province code {bad}"
            col[i] = new
            self._reg_key("OWNER_ID_INVALID", i, i, details=f"CCCD {old} written '{new}' ({how})")
        self.counts["OWNER_ID_INVALID"] = len(picked)

    def owner_missing(self, count: int):
        picked = self._take(count, self.m.private)
        col = self.reg.columns["owner"]
        for i in picked:
            i = int(i)
            old = col[i]
            col[i] = ""
            self._reg_key("OWNER_MISSING", i, i, details=f"owner name ({old}) blank")
        self.counts["OWNER_MISSING"] = len(picked)


def area_typo(area: float, map_area: float, min_diff: float, rng: np.random.Generator):
    """A mistyped area (digits swapped, one digit changed, decimal point shifted) that is
    more than min_diff away from the map area. Returns (value, how)."""
    text = f"{area:.1f}"
    digits = text.replace(".", "")
    point = text.index(".")

    def value(ds):
        return round(int(ds) / 10 ** (len(ds) - point), 1)

    options = {
        "two digits swapped": [digits[:j] + digits[j + 1] + digits[j] + digits[j + 2:]
                               for j in range(len(digits) - 1) if digits[j] != digits[j + 1]],
        "one digit changed": [digits[:j] + d + digits[j + 1:] for j in range(len(digits))
                              for d in "0123456789" if d != digits[j]],
    }
    kinds = ["two digits swapped", "one digit changed", "decimal point shifted"]
    for k in rng.permutation(len(kinds)):
        how = kinds[int(k)]
        if how == "decimal point shifted":
            values = [round(area * 10, 1), round(area / 10, 1)]
        else:
            values = [value(ds) for ds in options[how] if not (ds[0] == "0" and point > 1)]
        values = [v for v in values if v > 0 and abs(v - map_area) > min_diff]
        if values:
            return values[int(rng.integers(len(values)))], how
    return round(area * 10, 1), "decimal point shifted"


def inject(m: MapState, reg: RegisterState, ctx: Context, rate: float,
           rng: np.random.Generator) -> Injector:
    """Put the planned defects in; the Injector holds the key rows and counts."""
    inj = Injector(m, reg, ctx, rng)
    planned = dict(zip((k[1] for k in KINDS), plan_counts(len(m.number), rate, rng)))
    inj.counts = {code: 0 for code, _, _ in KINDS}
    for method in ORDER:
        getattr(inj, method)(planned[method])
    return inj


def key_frame(keys: list[dict], row_of_record: dict) -> pd.DataFrame:
    """The answer key with register records turned into spreadsheet rows."""
    rows = []
    for k in keys:
        row = {c: k.get(c) for c in KEY_COLUMNS}
        rec = k.get("rec")
        row["register_row"] = row_of_record.get(rec) if rec is not None else None
        rows.append(row)
    frame = pd.DataFrame(rows, columns=KEY_COLUMNS)
    for c in ("parcel", "map_fid", "register_row", "expected_parcel"):
        frame[c] = frame[c].astype("Int64")
    order = {code: i for i, code in enumerate(dict.fromkeys(k[0] for k in KINDS))}
    frame["_o"] = frame["code"].map(order)
    frame = frame.sort_values("_o", kind="stable").drop(columns="_o").reset_index(drop=True)
    return frame
