"""Renumbering parcels, sheet frames and register with the national sheet reference table.

The run behind `merger.run_merger` when the table is the national one (merger_table): sheets
are matched by commune, sheet number and scale. The scale of a sheet frame is its scale field
(else its size); of a parcel, its scale field, else the table (one scale for that sheet),
else the frame that holds it; of a register row, its scale field, else the table, else the
map parcel with the same commune, sheet and number (several: the one whose area is closest).
Corrected copies only: the sources are read, never written.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely

from ..reference.admin_units import AdminUnits, normalise_commune_codes
from ..register.fields import map_fields
from ..register.keys import normalise_key, parse_numbers
from .merger_apply import CHANGE_COLUMNS, apply_table, record_scales, scales_from_frames
from .merger_findings import FINDING_COLUMNS
from .merger_table import MergerTable


@dataclass
class TableRun:
    outputs: dict          # name -> the records with new values, old ones in the *_CU fields
    changes: pd.DataFrame  # layer, source_row (fid / register row), CHANGE_COLUMNS but row
    findings: pd.DataFrame  # FINDING_COLUMNS: the table's and every layer's
    counts: dict           # name -> (records, records changed)
    applied: dict          # name -> merger_apply.Applied
    fields: dict           # name -> {role: field}


def run_table(inputs: dict, table: MergerTable, commune: str | None, overrides: dict,
              units: AdminUnits | None = None) -> TableRun:
    """inputs: {"parcels": LayerFrame, "sheets": LayerFrame?, "register": LayerFrame?}; overrides
    {name: {role: field}}. Nothing is written."""
    from ..errors import InputError
    from ..register.prepare import FRAME_SIDE_M
    roles = {"parcels": ("commune", "sheet", "parcel", "scale", "area", "landuse"),
             "sheets": ("commune", "sheet", "scale"),
             "register": ("commune", "sheet", "parcel", "scale", "area", "landuse", "old_sheet")}
    mapped = {}
    for name, frame in inputs.items():
        fields = map_fields(frame.attrs.columns, name, roles[name], overrides.get(name), frame.source,
                            required=("sheet",))
        if not fields.get("commune") and not commune:
            raise InputError(f"the {name} have no commune code field", frame.source,
                             fix="name the commune field, or give the commune code of the layer")
        mapped[name] = fields

    def keys(name):
        frame, f = inputs[name], mapped[name]
        attrs = frame.attrs.reset_index(drop=True)
        c = (normalise_commune_codes(attrs[f.get("commune")]).to_numpy(object) if f.get("commune")
             else np.full(len(attrs), normalise_commune_codes(pd.Series([commune]))[0], dtype=object))
        s = normalise_key(attrs[f.get("sheet")]).to_numpy(object)
        p = (normalise_key(attrs[f.get("parcel")]).to_numpy(object) if f.get("parcel")
             else np.full(len(attrs), "", dtype=object))
        return c, s, p

    outputs, changes, findings, counts, applied = {}, [], [table.findings], {}, {}

    def apply(name, scale):
        frame, f = inputs[name], mapped[name]
        idents = np.asarray(frame.rows if name == "register" else frame.fids)
        done = apply_table(frame.attrs.reset_index(drop=True), table, f.get("commune") or "MAXA", f.get("sheet"),
                           f.get("parcel") if name != "sheets" else None, scale, name, idents, commune)
        report = done.changes.copy()
        report.insert(0, "source_row", idents[report["row"].to_numpy()].astype(np.int64) if len(report)
                      else np.array([], dtype=np.int64))
        report.insert(0, "layer", name)
        changes.append(report.drop(columns="row"))
        findings.append(done.findings)
        outputs[name] = done.frame
        counts[name] = (len(done.frame), len(done.changes))
        applied[name] = done
        return done

    frame_scale = None
    if "sheets" in inputs:
        sheets = inputs["sheets"]
        scale = record_scales(sheets.attrs.reset_index(drop=True), mapped["sheets"].get("scale"))
        if (scale == 0).any() and sheets.geometry is not None:
            side = np.sqrt(np.nan_to_num(shapely.area(sheets.geometry), nan=0.0))
            sides = np.array(list(FRAME_SIDE_M.values()), dtype=float)
            inferred = np.array(list(FRAME_SIDE_M.keys()))[np.abs(side[:, None] - sides[None, :]).argmin(axis=1)]
            scale = np.where((scale == 0) & (side > 0), inferred, scale)
        frame_scale = apply("sheets", scale).scale

    parcels = inputs["parcels"]
    pc, ps, pp = keys("parcels")
    scale = record_scales(parcels.attrs.reset_index(drop=True), mapped["parcels"].get("scale"))
    if frame_scale is not None and parcels.geometry is not None and (scale == 0).any():
        fc, fs, _ = keys("sheets")
        todo = np.flatnonzero(scale == 0)
        geom = parcels.geometry[todo]
        points = np.full(len(todo), None, dtype=object)
        ok = ~(shapely.is_missing(geom) | shapely.is_empty(geom))
        points[ok] = shapely.point_on_surface(geom[ok])
        scale[todo] = scales_from_frames(points, pc[todo], ps[todo], inputs["sheets"].geometry, fc, fs,
                                         np.asarray(frame_scale, dtype=np.int64))
    parcel_scale = apply("parcels", scale).scale

    if "register" in inputs:
        register = inputs["register"]
        rc, rs, rp = keys("register")
        scale = record_scales(register.attrs.reset_index(drop=True), mapped["register"].get("scale"))
        todo = np.flatnonzero(scale == 0)
        if len(todo):
            map_area = _areas(parcels, mapped["parcels"].get("area"))
            reg_area = _areas(register, mapped["register"].get("area"))
            scale[todo] = scales_from_map(rc[todo], rs[todo], rp[todo], reg_area[todo],
                                          pc, ps, pp, parcel_scale, map_area,
                                          _landuse(register, mapped["register"].get("landuse"))[todo],
                                          _landuse(parcels, mapped["parcels"].get("landuse")))
        done = apply("register", scale)
        _follow_old_sheet(outputs, register, mapped["register"], rc, done.scale, table)

    change_frame = pd.concat(changes, ignore_index=True) if changes else pd.DataFrame(
        columns=["layer", "source_row"] + CHANGE_COLUMNS[1:])
    finding_frame = pd.concat([f for f in findings if len(f)] or [findings[0]], ignore_index=True)[FINDING_COLUMNS]
    return TableRun(outputs, change_frame, finding_frame, counts, applied,
                    {name: dict(f.fields) for name, f in mapped.items()})


def _follow_old_sheet(outputs, register, fields, commune, scale, table) -> None:
    """The register's "Số tờ cũ" (the sheet of a parcel before a split renumbering) names a sheet
    in the old commune's numbering: it follows the table like the row's own sheet."""
    name = fields.get("old_sheet")
    if not name:
        return
    old = register.attrs[name].reset_index(drop=True)
    given = np.flatnonzero(normalise_key(old).to_numpy(object) != "")
    if not len(given):
        return
    part = pd.DataFrame({"c": commune[given], "s": old.to_numpy(object)[given]})
    done = apply_table(part, table, "c", "s", None, scale[given], "register")
    new = outputs["register"][name].astype(object).to_numpy().copy()
    changed = done.changes["row"].to_numpy()
    new[given[changed]] = done.frame["s"].to_numpy(object)[changed]
    outputs["register"][name] = new


def _landuse(frame, field) -> np.ndarray:
    if not field:
        return np.full(len(frame), "", dtype=object)
    values = frame.attrs[field].reset_index(drop=True)
    return values.astype(object).where(values.notna(), "").astype(str).str.strip().str.upper().to_numpy(object)


def _areas(frame, field) -> np.ndarray:
    if field:
        values, _ = parse_numbers(frame.attrs[field].reset_index(drop=True))
        return values.to_numpy(float)
    if frame.geometry is not None:
        return shapely.area(frame.geometry).astype(float)
    return np.full(len(frame), np.nan)


def scales_from_map(rc, rs, rp, r_area, mc, ms, mp, m_scale, m_area, r_landuse=None, m_landuse=None) -> np.ndarray:
    """Each register row's scale from the map parcel with its commune, sheet and number. Old sheet
    numbers repeat across scales, so several parcels may qualify: rows and parcels are then paired
    one to one, same land use and closest areas first (as an office would tell them apart).
    0 where none."""
    from ..register.reconcile import _greedy_one_to_one
    reg = pd.DataFrame({"i": np.arange(len(rc)), "c": rc, "s": rs, "p": rp, "ra": r_area,
                        "rl": "" if r_landuse is None else r_landuse})
    mp_ = pd.DataFrame({"j": np.arange(len(mc)), "c": mc, "s": ms, "p": mp,
                        "k": np.asarray(m_scale, dtype=np.int64), "ma": m_area,
                        "ml": "" if m_landuse is None else m_landuse})
    mp_ = mp_[(mp_["k"] > 0) & (mp_["p"] != "")]
    hits = reg[reg["p"] != ""].merge(mp_, on=["c", "s", "p"], how="inner")
    out = np.zeros(len(rc), dtype=np.int64)
    if hits.empty:
        return out
    d = (hits["ra"] - hits["ma"]).abs().to_numpy(float)
    other_use = (hits["rl"] != hits["ml"]).to_numpy() & (hits["rl"] != "").to_numpy() & (hits["ml"] != "").to_numpy()
    score = -np.where(np.isfinite(d), d, 1e12) - 1e13 * other_use
    accepted = _greedy_one_to_one(hits["i"].to_numpy(np.int64), hits["j"].to_numpy(np.int64), score)
    out[hits["i"].to_numpy()[accepted]] = hits["k"].to_numpy(np.int64)[accepted]
    return out


# ------------------------------------------------------------------ the check, keyed by the table

OLD_VALUE_FIELDS = ("MAXA_CU", "SHBANDO_CU", "SHTHUA_CU")


def follow_table(parcels, sheets, register, table: MergerTable, overrides: dict, commune: str | None,
                 units: AdminUnits | None = None):
    """For `check` with a reference table: records still keyed by their pre-merger commune and
    numbers are keyed by the new ones, so a register keyed by old numbers matches a map already
    renumbered (and the other way round). A layer renumbered already (it has MAXA_CU and
    SHBANDO_CU, as the merger writes them) is kept as it is; its old values serve to tell the
    scale of the others' records. Returns (parcels, sheets, register, notes); nothing is written."""
    import dataclasses
    given = {"parcels": parcels, "sheets": sheets, "register": register}
    given = {k: v for k, v in given.items() if v is not None}
    roles = {"parcels": ("commune", "sheet", "parcel"), "sheets": ("commune", "sheet"),
             "register": ("commune", "sheet", "parcel")}
    renumbered, views = {}, {}
    for name, frame in given.items():
        attrs = frame.attrs
        done = all(f in attrs.columns for f in OLD_VALUE_FIELDS[:2])
        renumbered[name] = done
        if not done:
            views[name] = frame
            continue
        fields = map_fields([c for c in attrs.columns if c not in OLD_VALUE_FIELDS], name, roles[name],
                            overrides.get(name), frame.source, required=("sheet",))
        old = attrs.drop(columns=[c for c in OLD_VALUE_FIELDS if c in attrs.columns]).copy()
        for field_, role in zip(OLD_VALUE_FIELDS, ("commune", "sheet", "parcel")):
            target = fields.get(role)
            if target and field_ in attrs.columns:
                kept = attrs[field_].astype(object)
                blank = kept.isna() | (kept.astype(str).str.strip() == "")
                old[target] = kept.where(~blank, attrs[target])       # the dock keeps old values of changed rows only
        views[name] = dataclasses.replace(frame, attrs=old)
    if all(renumbered.values()):
        return parcels, sheets, register, []
    run = run_table(views, table, commune, overrides, units)
    outputs, findings, counts = run.outputs, run.findings, run.counts
    out = {}
    for name, frame in given.items():
        if renumbered[name]:
            out[name] = frame
            continue
        attrs = outputs[name].drop(columns=[c for c in OLD_VALUE_FIELDS if c in outputs[name].columns
                                            and c not in frame.attrs.columns])
        out[name] = dataclasses.replace(frame, attrs=attrs)
    notes = [f"reference table {table.source}: {counts[name][1]} of {counts[name][0]} {name} record(s) keyed "
             "by their new commune and numbers" for name in given if not renumbered[name]]
    if len(findings):
        listed = ", ".join(f"{code} ×{n}" for code, n in findings["code"].value_counts().items())
        notes.append(f"reference table findings: {listed}")
    return out.get("parcels"), out.get("sheets"), out.get("register"), notes
