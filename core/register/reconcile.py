"""Map ↔ register reconciliation: match parcels to register rows and flag every disagreement.

Works on prepared frames (see `prepare.py`): one row per map parcel and per register
row with normalised keys. Every step is a bulk pandas/numpy operation; Python loops
run only over flags, which are a small share of the records.

Matching, in order:
1. by key (commune, sheet, parcel), the map's sheet corrected by location first;
2. pairs whose areas disagree beyond tolerance are "suspect";
3. unmatched and suspect records are re-paired where the numbers are a typo or a
   swap of each other and area and land use agree — that is NUMBER_MISMATCH with the
   right number suggested — or where a duplicated number's extra parcel fits a free row.
"""
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..flags import catalogue as cat
from ..flags.flagset import FlagSet, render as _render
from ..reference.sheet_grid import DEFAULT_TOLERANCE_FACTOR, area_tolerance
from ..i18n import PHRASES, QT_TRANSLATE_NOOP, phrase
from .numbers import EDIT_NAMES, INSERTION, NONE, SUBSTITUTION, TRANSPOSITION, edit_relation



@dataclass
class ReconcileOptions:
    tolerance_factor: float = DEFAULT_TOLERANCE_FACTOR
    rounding_slack: float = 0.05        # areas are rounded to 0.1 m² on both sides
    max_gap_ratio: float = 5.0          # sheets whose numbering spans >5× their count are not gap-listed


@dataclass
class ReconcileResult:
    flags: pd.DataFrame                 # one row per flag (flagset.FLAG_COLUMNS)
    pairs: pd.DataFrame                 # map_idx, reg_idx, how ('key'|'swap'|'edit'|'sheet'|'dup')
    notes: list = field(default_factory=list)


def key_codes(m: pd.DataFrame, r: pd.DataFrame, columns) -> tuple[np.ndarray, np.ndarray]:
    """One int64 per record for the combined key, equal across both frames iff the key is."""
    nm = len(m)
    code = np.zeros(nm + len(r), dtype=np.int64)
    for col in columns:
        c, uniq = pd.factorize(np.concatenate([m[col].to_numpy(object), r[col].to_numpy(object)]))
        code = code * (len(uniq) + 1) + c
    return code[:nm], code[nm:]


def _fmt_area(values) -> np.ndarray:
    return np.array(["" if not np.isfinite(v) else f"{v:.1f}" for v in values], dtype=object)


def _greedy_one_to_one(left: np.ndarray, right: np.ndarray, score: np.ndarray) -> np.ndarray:
    """Indices of accepted pairs: repeatedly accept pairs that are the best for both ends."""
    order = np.lexsort((right, left, -score))
    left, right = left[order], right[order]
    alive = np.ones(len(order), dtype=bool)
    accepted = []
    while alive.any():
        idx = np.flatnonzero(alive)
        l_alive, r_alive = left[idx], right[idx]
        _, first_l = np.unique(l_alive, return_index=True)
        _, first_r = np.unique(r_alive, return_index=True)
        best = np.intersect1d(idx[first_l], idx[first_r])
        if len(best) == 0:   # cannot happen (the global best is best for both), but never spin
            break
        accepted.append(best)
        taken_l, taken_r = np.unique(left[best]), np.unique(right[best])
        alive &= ~np.isin(left, taken_l) & ~np.isin(right, taken_r)
    if not accepted:
        return np.array([], dtype=np.int64)
    return order[np.concatenate(accepted)]


def reconcile(m: pd.DataFrame, r: pd.DataFrame, opts: ReconcileOptions | None = None,
              flags: FlagSet | None = None) -> ReconcileResult:
    """Reconcile prepared map rows `m` and register rows `r`.

    m columns: commune, sheet (effective, location-corrected), sheet_given, parcel, area,
      landuse, landuse_state, scale, key_ok.
    r columns: row, commune, sheet, parcel, area, area_bad, landuse, landuse_state,
      key_ok, old_sheet, old_parcel, exact_dup_of (reg index of an identical row or -1).
    m also has fid (the feature id, for stable flag identities).
    Both indexed 0..n-1 (positions are the map_idx / reg_idx of the flags).
    """
    opts = opts or ReconcileOptions()
    flags = flags if flags is not None else FlagSet()
    notes: list[str] = []
    nm, nr = len(m), len(r)

    # ---- keys --------------------------------------------------------------------------
    mk, rk = key_codes(m, r, ("commune", "sheet", "parcel"))
    m_ok, r_ok = m["key_ok"].to_numpy(), r["key_ok"].to_numpy()

    m_count = pd.Series(mk[m_ok]).value_counts()
    r_count = pd.Series(rk[r_ok]).value_counts()
    m_dup = m_ok & (pd.Series(mk).map(m_count).fillna(0).to_numpy() > 1)
    r_dup = r_ok & (pd.Series(rk).map(r_count).fillna(0).to_numpy() > 1)

    m_area = m["area"].to_numpy(float)
    r_area = r["area"].to_numpy(float)
    m_scale = m["scale"].to_numpy(float)
    m_lu = m["landuse"].to_numpy(object)
    r_lu = r["landuse"].to_numpy(object)
    m_lu_ok = (m["landuse_state"] != "unknown").to_numpy() & (m["landuse"] != "").to_numpy()
    r_lu_ok = (r["landuse_state"] != "unknown").to_numpy() & (r["landuse"] != "").to_numpy()

    def pair_metrics(mi, ri):
        """Area agreement and land-use agreement of candidate pairs (arrays of indices)."""
        base = np.where(np.isfinite(m_area[mi]), m_area[mi], r_area[ri])
        tol = area_tolerance(base, m_scale[mi], opts.tolerance_factor) + opts.rounding_slack
        diff = np.abs(m_area[mi] - r_area[ri])
        known = np.isfinite(diff)
        area_ok = ~known | (diff <= tol)
        closeness = np.where(known, 1.0 - np.minimum(diff / np.maximum(tol, 1e-9), 1.0), 0.5)
        both_lu = m_lu_ok[mi] & r_lu_ok[ri]
        lu_ok = ~both_lu | (m_lu[mi] == r_lu[ri])
        return area_ok, known, lu_ok, closeness, diff, tol

    # ---- 1. match by key -----------------------------------------------------------------
    mv = pd.DataFrame({"mi": np.flatnonzero(m_ok), "k": mk[m_ok]})
    rv = pd.DataFrame({"ri": np.flatnonzero(r_ok), "k": rk[r_ok]})
    kp = mv.merge(rv, on="k")
    kmi, kri = kp["mi"].to_numpy(), kp["ri"].to_numpy()
    area_ok, known, lu_ok, closeness, _, _ = pair_metrics(kmi, kri)
    score = area_ok * 2.0 + lu_ok * 1.0 + closeness
    acc = _greedy_one_to_one(kmi, kri, score)
    key_mi, key_ri = kmi[acc], kri[acc]
    suspect = known[acc] & ~area_ok[acc]

    partner_of_m = np.full(nm, -1, np.int64)
    partner_of_r = np.full(nr, -1, np.int64)
    partner_of_m[key_mi] = key_ri
    partner_of_r[key_ri] = key_mi
    m_suspect = np.zeros(nm, bool)
    r_suspect = np.zeros(nr, bool)
    m_suspect[key_mi[suspect]] = True
    r_suspect[key_ri[suspect]] = True

    # ---- 2. re-pair unmatched and suspect records ------------------------------------------
    m_pool = m_ok & ((partner_of_m < 0) | m_suspect)
    r_pool = r_ok & ((partner_of_r < 0) | r_suspect)
    cand = _candidates(m, r, m_pool, r_pool, m_area, r_area, m_scale, opts)
    repairs = pd.DataFrame(columns=["mi", "ri", "how", "edit", "score", "alternatives"])
    if len(cand):
        cmi, cri = cand["mi"].to_numpy(), cand["ri"].to_numpy()
        a_ok, _, l_ok, close, _, _ = pair_metrics(cmi, cri)
        keep = a_ok & l_ok
        cand = cand[keep].reset_index(drop=True)
        cmi, cri, close = cmi[keep], cri[keep], close[keep]
        same_sheet = (m["sheet"].to_numpy(object)[cmi] == r["sheet"].to_numpy(object)[cri])
        edit = edit_relation(m["parcel"].to_numpy(object)[cmi], r["parcel"].to_numpy(object)[cri])
        # A swap: m ~ r while m's key partner ~ r's key partner, both suspect.
        pm, pr = partner_of_m[cmi], partner_of_r[cri]
        both_suspect = m_suspect[cmi] & r_suspect[cri]
        pair_ids = pd.Index(cmi.astype(np.int64) * (nr + 1) + cri)
        mate_ids = pd.Index(pr * (nr + 1) + pm)
        swap = both_suspect & (pm >= 0) & (pr >= 0) & np.asarray(mate_ids.isin(pair_ids))
        free_m, free_r = partner_of_m[cmi] < 0, partner_of_r[cri] < 0
        typo = same_sheet & (edit != NONE) & free_m & free_r
        sheet_typo = ~same_sheet & free_m & free_r   # same parcel number by construction
        dup = same_sheet & free_m & free_r & (m_dup[cmi] | r_dup[cri]) & ~typo
        # An extra copy that fits the parcel (or row) of its own number is just a copy:
        # it must not be handed to another record.
        dup &= ~_fits_own_key(cmi, cri, m_dup, r_dup, mk, rk, partner_of_m, partner_of_r, pair_metrics)
        how = np.select([swap, typo, sheet_typo, dup], ["swap", "edit", "sheet", "dup"], "")
        weight = np.select([swap, edit == TRANSPOSITION, edit == SUBSTITUTION, edit == INSERTION,
                            sheet_typo, dup], [10, 8, 7, 6, 6, 4], 0)
        lu_equal = (m_lu[cmi] == r_lu[cri]) & (m_lu[cmi] != "")
        score = weight + lu_equal * 1.0 + close
        ok = how != ""
        if ok.any():
            cmi, cri, how, edit, score = cmi[ok], cri[ok], how[ok], edit[ok], score[ok]
            # How many rows could each parcel take: ambiguity lowers confidence.
            alternatives = pd.Series(cmi).map(pd.Series(cmi).value_counts()).to_numpy()
            acc = _greedy_one_to_one(cmi, cri, score)
            repairs = pd.DataFrame({"mi": cmi[acc], "ri": cri[acc], "how": how[acc],
                                    "edit": edit[acc], "score": score[acc],
                                    "alternatives": alternatives[acc]})
            # A swap is only a swap when both halves were accepted; otherwise keep the key match.
            sw = repairs["how"] == "swap"
            if sw.any():
                s_mi, s_ri = repairs.loc[sw, "mi"].to_numpy(), repairs.loc[sw, "ri"].to_numpy()
                halves = pd.Index(s_mi * (nr + 1) + s_ri)
                mate = partner_of_r[s_ri] * (nr + 1) + partner_of_m[s_mi]
                whole = halves.isin(mate)
                repairs = repairs[~sw | np.isin(repairs.index, repairs.index[sw][whole])]

    # final pairs: key matches not broken by a swap, plus re-pairs
    rep_mi, rep_ri = repairs["mi"].to_numpy(np.int64), repairs["ri"].to_numpy(np.int64)
    broken = np.isin(key_mi, rep_mi) | np.isin(key_ri, rep_ri)
    pairs = pd.concat([
        pd.DataFrame({"map_idx": key_mi[~broken], "reg_idx": key_ri[~broken], "how": "key"}),
        pd.DataFrame({"map_idx": rep_mi, "reg_idx": rep_ri, "how": repairs["how"].to_numpy(object)}),
    ], ignore_index=True)
    paired_m = np.zeros(nm, bool)
    paired_r = np.zeros(nr, bool)
    paired_m[pairs["map_idx"].to_numpy()] = True
    paired_r[pairs["reg_idx"].to_numpy()] = True

    reg_of_m = np.full(nm, -1, np.int64)
    reg_of_m[pairs["map_idx"].to_numpy()] = pairs["reg_idx"].to_numpy()
    map_of_r = np.full(nr, -1, np.int64)
    map_of_r[pairs["reg_idx"].to_numpy()] = pairs["map_idx"].to_numpy()

    ms, mp, mc = (m["sheet"].to_numpy(object), m["parcel"].to_numpy(object),
                  m["commune"].to_numpy(object))
    msg_given = m["sheet_given"].to_numpy(object)
    rs, rp, rc = r["sheet"].to_numpy(object), r["parcel"].to_numpy(object), r["commune"].to_numpy(object)
    rrow = r["row"].to_numpy(np.int64)

    # ---- NUMBER_MISMATCH ------------------------------------------------------------------
    # A duplicated number's extra record is reported once, as the duplicate (with the suggestion).
    nmm = repairs[repairs["how"].isin(["swap", "edit", "sheet"]).to_numpy()
                  & ~m_dup[rep_mi] & ~r_dup[rep_ri]]
    if len(nmm):
        i, j = nmm["mi"].to_numpy(np.int64), nmm["ri"].to_numpy(np.int64)
        how, edit = nmm["how"].to_numpy(object), nmm["edit"].to_numpy()
        names = {"swap": phrase("numbers swapped with another parcel of the sheet"),
                 "sheet": phrase("same parcel number on another sheet"),
                 **{k: phrase(v) for k, v in EDIT_NAMES.items()}}
        template = phrase("{0}; area {1:.1f} ≈ {2:.1f} m², land use {3}")
        evidence = [template.format(names.get(h) if h in names else names.get(int(e), ""), a1, a2, l1 or "—")
                    for h, e, a1, a2, l1 in zip(how, edit, m_area[i], r_area[j], m_lu[i])]
        conf = np.select([how == "swap", edit == TRANSPOSITION, edit == SUBSTITUTION, how == "sheet"],
                         [0.95, 0.9, 0.8, 0.75], 0.7)
        conf = conf / np.sqrt(nmm["alternatives"].to_numpy(float).clip(1))
        target_sheet = how == "sheet"
        t_sheet = phrase("register row {0}: set sheet {1} (the parcel lies on sheet {1})")
        t_number = phrase("set parcel number {0} (register row {1})")
        suggestion = np.where(target_sheet, [t_sheet.format(rw, s) for rw, s in zip(rrow[j], ms[i])],
                              [t_number.format(p, rw) for p, rw in zip(rp[j], rrow[j])])
        flags.add("NUMBER_MISMATCH", len(i), messages=_render(
                      "NUMBER_MISMATCH", sheet=ms[i], parcel=mp[i], row=rrow[j], reg_sheet=rs[j],
                      reg_parcel=rp[j], evidence=evidence),
                  ident_extra="", commune=mc[i], sheet=ms[i], parcel=mp[i], map_idx=i, reg_idx=j,
                  suggestion=suggestion, target=np.where(target_sheet, "register", "map"),
                  s_sheet=np.where(target_sheet, ms[i], rs[j]),
                  s_parcel=np.where(target_sheet, "", rp[j]), confidence=conf,
                  map_value=[f"{s}/{p}" for s, p in zip(ms[i], mp[i])],
                  register_value=[f"{s}/{p}" for s, p in zip(rs[j], rp[j])], geom_ref=i)

    # ---- duplicates ----------------------------------------------------------------------
    dup_m = np.flatnonzero(m_dup)
    if len(dup_m):
        counts = pd.Series(mk[dup_m]).map(m_count).to_numpy()
        rep_of = pd.Series(rep_ri, index=rep_mi)
        suggest_r = pd.Series(dup_m).map(rep_of).fillna(-1).astype(np.int64).to_numpy()
        has = suggest_r >= 0
        keeps = (reg_of_m[dup_m] >= 0) & ~has
        t_fit = phrase("set parcel number {0} (register row {1} fits its area and land use)")
        sugg = np.where(has, [t_fit.format(rp[x], rrow[x]) if x >= 0 else "" for x in suggest_r],
                        np.where(keeps, phrase("keep: this parcel fits the register row of the number"), ""))
        flags.add("DUPLICATE_KEY_MAP", len(dup_m), messages=_render(
                      "DUPLICATE_KEY_MAP", parcel=mp[dup_m], count=counts, sheet=ms[dup_m]),
                  ident_extra=[f"m{x}" for x in m["fid"].to_numpy()[dup_m]],
                  commune=mc[dup_m], sheet=ms[dup_m], parcel=mp[dup_m], map_idx=dup_m,
                  reg_idx=reg_of_m[dup_m], suggestion=sugg, target=np.where(has, "map", ""),
                  s_parcel=np.where(has, [rp[x] if x >= 0 else "" for x in suggest_r], ""),
                  confidence=np.where(has, 0.7, np.nan), geom_ref=dup_m)

    dup_r = np.flatnonzero(r_dup)
    if len(dup_r):
        groups = pd.Series(rrow[dup_r]).groupby(rk[dup_r]).agg(lambda s: ", ".join(map(str, s)))
        rows_text = pd.Series(rk[dup_r]).map(groups).to_numpy(object)
        counts = pd.Series(rk[dup_r]).map(r_count).to_numpy()
        exact = r["exact_dup_of"].to_numpy(np.int64)[dup_r]
        unmatched = ~paired_r[dup_r]
        delete = unmatched & (exact >= 0)
        t_del = phrase("delete row {0}: identical to row {1}")
        sugg = np.where(delete, [t_del.format(rrow[i], rrow[e]) if e >= 0 else ""
                                 for i, e in zip(dup_r, exact)], "")
        geom_kind = np.where(map_of_r[dup_r] >= 0, "map", "sheet")
        flags.add("DUPLICATE_KEY_REGISTER", len(dup_r), messages=_render(
                      "DUPLICATE_KEY_REGISTER", sheet=rs[dup_r], parcel=rp[dup_r], count=counts,
                      rows=rows_text),
                  ident_extra=[f"r{x}" for x in rrow[dup_r]], commune=rc[dup_r], sheet=rs[dup_r],
                  parcel=rp[dup_r], map_idx=map_of_r[dup_r], reg_idx=dup_r, suggestion=sugg,
                  target=np.where(delete, "register", ""), confidence=np.where(delete, 0.9, np.nan),
                  geom_kind=geom_kind, geom_ref=np.where(map_of_r[dup_r] >= 0, map_of_r[dup_r], dup_r))

    # ---- MAP_ONLY / REGISTER_ONLY -----------------------------------------------------------
    only_m = np.flatnonzero(m_ok & ~paired_m & ~m_dup)
    flags.add("MAP_ONLY", len(only_m), messages=_render("MAP_ONLY", sheet=ms[only_m], parcel=mp[only_m]),
              ident_extra="", commune=mc[only_m], sheet=ms[only_m], parcel=mp[only_m],
              map_idx=only_m, geom_ref=only_m)
    only_r = np.flatnonzero(r_ok & ~paired_r & ~r_dup)
    flags.add("REGISTER_ONLY", len(only_r), messages=_render(
                  "REGISTER_ONLY", row=rrow[only_r], sheet=rs[only_r], parcel=rp[only_r]),
              ident_extra=[f"r{x}" for x in rrow[only_r]], commune=rc[only_r], sheet=rs[only_r],
              parcel=rp[only_r], reg_idx=only_r, geom_kind="sheet", geom_ref=only_r)

    # ---- AREA / LANDUSE on final pairs -------------------------------------------------------
    pmi, pri = pairs["map_idx"].to_numpy(np.int64), pairs["reg_idx"].to_numpy(np.int64)
    a_ok, known, l_ok, _, diff, tol = pair_metrics(pmi, pri)
    bad = known & ~a_ok
    i, j = pmi[bad], pri[bad]
    hint = _area_typo_hint(m_area[i], r_area[j])
    flags.add("AREA_MISMATCH", len(i), messages=_render(
                  "AREA_MISMATCH", map_area=_fmt_area(m_area[i]), reg_area=_fmt_area(r_area[j]),
                  diff=_fmt_area(diff[bad]), tol=_fmt_area(tol[bad]),
                  hint=[f" — {phrase(h)}" if h else "" for h in hint]),
              ident_extra="", commune=mc[i], sheet=ms[i], parcel=mp[i], map_idx=i, reg_idx=j,
              suggestion=[phrase("set register area {0:.1f} m²").format(a) for a in m_area[i]], target="register",
              s_value=_fmt_area(m_area[i]), confidence=np.where(hint != "", 0.9, 0.6),
              map_value=_fmt_area(m_area[i]), register_value=_fmt_area(r_area[j]), geom_ref=i)
    lu_bad = m_lu_ok[pmi] & r_lu_ok[pri] & (m_lu[pmi] != r_lu[pri])
    i, j = pmi[lu_bad], pri[lu_bad]
    flags.add("LANDUSE_MISMATCH", len(i), messages=_render(
                  "LANDUSE_MISMATCH", map_value=m_lu[i], reg_value=r_lu[j]),
              ident_extra="", commune=mc[i], sheet=ms[i], parcel=mp[i], map_idx=i, reg_idx=j,
              map_value=m_lu[i], register_value=r_lu[j], geom_ref=i)

    # ---- per-record checks (no pairing needed) ------------------------------------------------
    _landuse_invalid(flags, m, r, map_of_r)
    _numbering_gaps(flags, m, r, opts, notes)

    return ReconcileResult(flags=flags.frame(), pairs=pairs, notes=notes)


def _fits_own_key(cmi, cri, m_dup, r_dup, mk, rk, partner_of_m, partner_of_r, pair_metrics):
    """For candidate pairs, whether the duplicate side fits the record that holds its own key."""
    out = np.zeros(len(cmi), bool)
    # the map parcel that took a register key, and the register row that took a map key
    key_owner_m = pd.Series(np.flatnonzero(partner_of_m >= 0), index=mk[partner_of_m >= 0])
    key_owner_m = key_owner_m[~key_owner_m.index.duplicated()]
    key_owner_r = pd.Series(np.flatnonzero(partner_of_r >= 0), index=rk[partner_of_r >= 0])
    key_owner_r = key_owner_r[~key_owner_r.index.duplicated()]
    for is_dup, own_idx, lookup, reg_side in ((r_dup[cri], cri, key_owner_m, True),
                                             (m_dup[cmi], cmi, key_owner_r, False)):
        sel = np.flatnonzero(is_dup)
        if not len(sel):
            continue
        keys = (rk if reg_side else mk)[own_idx[sel]]
        other = pd.Series(keys).map(lookup).to_numpy()
        has = ~pd.isna(other)
        if not has.any():
            continue
        other = other[has].astype(np.int64)
        mine = own_idx[sel][has]
        a_ok, _, l_ok, _, _, _ = pair_metrics(other, mine) if reg_side else pair_metrics(mine, other)
        out[sel[has]] |= a_ok & l_ok
    return out


def _candidates(m, r, m_pool, r_pool, m_area, r_area, m_scale, opts) -> pd.DataFrame:
    """Pairs (mi, ri) of pooled records on the same sheet with compatible areas (band join),
    plus pairs with the same parcel number on different sheets of one commune."""
    mi = np.flatnonzero(m_pool)
    ri = np.flatnonzero(r_pool)
    if len(mi) == 0 or len(ri) == 0:
        return pd.DataFrame(columns=["mi", "ri"])
    parts = []
    # same sheet: sort register rows by (sheet group, area); each map parcel takes the rows
    # whose area lies within its tolerance.
    group_codes, _ = pd.factorize(pd.concat([m["commune"].iloc[mi] + "\x1f" + m["sheet"].iloc[mi],
                                             r["commune"].iloc[ri] + "\x1f" + r["sheet"].iloc[ri]],
                                            ignore_index=True))
    gm, gr = group_codes[:len(mi)].astype(float), group_codes[len(mi):].astype(float)
    ra = np.nan_to_num(r_area[ri], nan=-1.0)
    ma = m_area[mi]
    tol = area_tolerance(np.nan_to_num(ma, nan=0.0), m_scale[mi], opts.tolerance_factor) \
        + opts.rounding_slack
    span = 1e9  # wider than any area: keeps sheet groups apart on one sorted axis
    r_key = gr * span + ra
    order = np.argsort(r_key, kind="stable")
    r_sorted = r_key[order]
    known_m = np.isfinite(ma)
    lo = np.searchsorted(r_sorted, np.where(known_m, gm * span + ma - tol, gm * span - 2), "left")
    hi = np.searchsorted(r_sorted, np.where(known_m, gm * span + ma + tol, gm * span + span - 2),
                         "right")
    counts = hi - lo
    if counts.sum():
        rep_m = np.repeat(np.arange(len(mi)), counts)
        offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        rep_r = order[np.repeat(lo, counts) + offsets]
        parts.append(pd.DataFrame({"mi": mi[rep_m], "ri": ri[rep_r]}))
    # other sheet, same commune and parcel number (a mistyped sheet number)
    left = pd.DataFrame({"mi": mi, "c": m["commune"].to_numpy(object)[mi],
                         "p": m["parcel"].to_numpy(object)[mi], "s": m["sheet"].to_numpy(object)[mi]})
    right = pd.DataFrame({"ri": ri, "c": r["commune"].to_numpy(object)[ri],
                          "p": r["parcel"].to_numpy(object)[ri], "s": r["sheet"].to_numpy(object)[ri]})
    other = left.merge(right, on=["c", "p"])
    other = other[other["s_x"] != other["s_y"]]
    parts.append(other[["mi", "ri"]])
    out = pd.concat(parts, ignore_index=True).drop_duplicates()
    return out.reset_index(drop=True)


def _area_typo_hint(map_area: np.ndarray, reg_area: np.ndarray) -> np.ndarray:
    """Name the typo when the register area is the map area with the point shifted or digits swapped."""
    out = np.full(len(map_area), "", dtype=object)
    if len(map_area) == 0:
        return out
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = reg_area / map_area
    for factor in (10.0, 100.0, 0.1, 0.01):
        near = np.isfinite(ratio) & (np.abs(ratio / factor - 1) < 0.02)
        out[near & (out == "")] = QT_TRANSLATE_NOOP(PHRASES, "decimal point shifted?")
    a = np.array([f"{v:.1f}".replace(".", "") for v in map_area], dtype=object)
    b = np.array([f"{v:.1f}".replace(".", "") for v in reg_area], dtype=object)
    rel = edit_relation(a, b)
    out[(rel == TRANSPOSITION) & (out == "")] = QT_TRANSLATE_NOOP(PHRASES, "digits swapped?")
    out[(rel == SUBSTITUTION) & (out == "")] = QT_TRANSLATE_NOOP(PHRASES, "one digit mistyped?")
    return out


def _landuse_invalid(flags: FlagSet, m, r, map_of_r):
    for side, df in (("map", m), ("register", r)):
        state = df["landuse_state"].to_numpy(object)
        idx = np.flatnonzero(np.isin(state, ["unknown", "obsolete"]))
        if not len(idx):
            continue
        values = df["landuse"].to_numpy(object)[idx]
        unknown = state[idx] == "unknown"
        words = np.where(unknown, phrase("not in the land-use code list"), phrase("an obsolete code (older list)"))
        is_map = side == "map"
        flags.add("LANDUSE_INVALID", len(idx),
                  severity=np.where(unknown, cat.ERROR, cat.WARNING),
                  messages=_render("LANDUSE_INVALID", side=phrase("Map") if side == "map" else phrase("Register"),
                                   value=values, state=words),
                  ident_extra=[f"{side[0]}{x}" for x in (df["fid"].to_numpy()[idx] if is_map
                                                         else df["row"].to_numpy()[idx])],
                  commune=df["commune"].to_numpy(object)[idx], sheet=df["sheet"].to_numpy(object)[idx],
                  parcel=df["parcel"].to_numpy(object)[idx],
                  map_idx=idx if is_map else map_of_r[idx], reg_idx=-1 if is_map else idx,
                  map_value=values if is_map else "", register_value="" if is_map else values,
                  geom_kind="map" if is_map else np.where(map_of_r[idx] >= 0, "map", "sheet"),
                  geom_ref=idx if is_map else np.where(map_of_r[idx] >= 0, map_of_r[idx], idx))


def _numbering_gaps(flags: FlagSet, m, r, opts, notes):
    """Numbers 1…max of a sheet used neither on the map, in the register, nor as an old number."""
    def whole_numbers(values: pd.Series) -> pd.Series:
        num = pd.to_numeric(values, errors="coerce")
        return num.where((num >= 1) & (num < 10_000_000) & (num == np.floor(num)))

    mnum = whole_numbers(m["parcel"])
    use = m["key_ok"] & mnum.notna()
    if not use.any():
        return
    # sheets as integer groups shared by both frames
    old_sheet = r["old_sheet"].where(r["old_sheet"] != "", r["sheet"])
    both = pd.concat([m["commune"] + "\x1f" + m["sheet"], r["commune"] + "\x1f" + r["sheet"],
                      r["commune"] + "\x1f" + old_sheet], ignore_index=True)
    gcode, gnames = pd.factorize(both)
    nm, nr = len(m), len(r)
    g_m, g_r, g_o = gcode[:nm], gcode[nm:nm + nr], gcode[nm + nr:]
    sheet_key = pd.Series(g_m, index=m.index)
    mm = pd.DataFrame({"g": g_m[use.to_numpy()], "n": mnum[use].astype(np.int64).to_numpy()})
    stats = mm.groupby("g")["n"].agg(["max", "count"])
    too_sparse = stats["max"] > opts.max_gap_ratio * stats["count"] + 50
    if too_sparse.any():
        notes.append(f"{int(too_sparse.sum())} sheet(s) number far beyond their parcel count; "
                     "their gaps are not listed")
    stats = stats[~too_sparse]
    if stats.empty:
        return
    gid = pd.Series(np.arange(len(stats)), index=stats.index)
    maxes = stats["max"].to_numpy(np.int64)
    full_g = np.repeat(np.arange(len(stats)), maxes)
    full_n = np.arange(maxes.sum()) - np.repeat(np.cumsum(maxes) - maxes, maxes) + 1
    rnum, onum = whole_numbers(r["parcel"]), whole_numbers(r["old_parcel"])
    used = pd.concat([
        pd.DataFrame({"gi": mm["g"].map(gid), "n": mm["n"]}),
        pd.DataFrame({"gi": pd.Series(g_r).map(gid), "n": rnum.to_numpy()}),
        pd.DataFrame({"gi": pd.Series(g_o).map(gid), "n": onum.to_numpy()}),
    ], ignore_index=True).dropna().astype(np.int64)
    span = int(maxes.max()) + 2
    used_ids = np.unique(used["gi"].to_numpy() * span + used["n"].to_numpy())
    full_ids = full_g.astype(np.int64) * span + full_n
    missing = ~np.isin(full_ids, used_ids, assume_unique=False)
    g, n = full_g[missing], full_n[missing]
    if not len(g):
        return
    # consecutive missing numbers of a sheet form one flag ("57–60")
    new_run = np.ones(len(g), bool)
    new_run[1:] = (g[1:] != g[:-1]) | (n[1:] != n[:-1] + 1)
    run_id = np.cumsum(new_run) - 1
    starts = n[new_run]
    ends = pd.Series(n).groupby(run_id).max().to_numpy()
    groups = g[new_run]
    keys = stats.index.to_numpy()[groups]
    names = np.asarray(gnames, dtype=object)[keys]
    commune = np.array([k.split("\x1f")[0] for k in names], dtype=object)
    sheet = np.array([k.split("\x1f")[1] for k in names], dtype=object)
    numbers = np.array([str(a) if a == b else f"{a}–{b}" for a, b in zip(starts, ends)], dtype=object)
    # locate on the sheet: geom_ref is the first map row of that sheet
    first_row = pd.Series(np.arange(nm), index=sheet_key.to_numpy()).groupby(level=0).first()
    flags.add("NUMBERING_GAP", len(groups), messages=_render("NUMBERING_GAP", sheet=sheet, numbers=numbers),
              ident_extra="", commune=commune, sheet=sheet, parcel=numbers,
              geom_kind="sheet_of_map", geom_ref=first_row.reindex(keys).to_numpy(np.int64))
