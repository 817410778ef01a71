"""The national sheet reference table in the parcel codes dock: preview per commune, then one edit step.

Reads the parcel layer and the sheet frames layer as they stand in QGIS (edit buffer
included), plans the renumbering with core.codes.merger_apply (sheets matched by commune,
sheet number and scale; a parcel's scale from its frame), and writes it into each layer's
edit buffer as one undo command, the old values in MAXA_CU / SHBANDO_CU (/ SHTHUA_CU).
Nothing reaches the files until the user saves the layers.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely
from qgis.core import QgsFeatureRequest, QgsField, QgsVectorLayer
from qgis.PyQt.QtCore import QVariant

from ..core.codes.merger_apply import OLD_PARCEL_FIELD, Applied, apply_table, record_scales, scales_from_frames
from ..core.codes.merger_findings import FINDING_COLUMNS
from ..core.codes.merger_table import MergerTable
from ..core.errors import InputError
from ..core.reference.admin_units import normalise_commune_codes
from ..core.register.fields import MAP_ROLES, SHEET_ROLES, map_fields
from ..core.register.keys import normalise_key

OLD_FIELDS = ("MAXA_CU", "SHBANDO_CU", OLD_PARCEL_FIELD)
COUNT_COLUMNS = ["old_commune", "new_commune", "sheets", "parcels", "renumbered_parcels", "uncovered"]

if hasattr(QVariant, "String"):     # Qt 5 / QGIS 3
    _STRING = QVariant.String
else:                               # Qt 6 / QGIS 4
    from qgis.PyQt.QtCore import QMetaType
    _STRING = QMetaType.Type.QString


@dataclass
class LayerPlan:
    layer: QgsVectorLayer
    fids: np.ndarray
    fields: dict                  # role -> field name
    applied: Applied


@dataclass
class MergerPlan:
    parcels: LayerPlan
    sheets: LayerPlan | None
    counts: pd.DataFrame          # COUNT_COLUMNS, one row per (old commune, new commune)
    findings: pd.DataFrame        # FINDING_COLUMNS: the table's and the layers'


def _read(layer: QgsVectorLayer, names, with_geometry: bool):
    """fids, attributes of `names` (edit buffer included) and geometries (shapely) of a layer."""
    request = QgsFeatureRequest()
    if not with_geometry:
        request.setFlags(QgsFeatureRequest.Flag.NoGeometry)
    idx = [layer.fields().indexOf(n) for n in names]
    fids, values, wkb = [], [[] for _ in names], []
    for f in layer.getFeatures(request):
        fids.append(f.id())
        attrs = f.attributes()
        for k, i in enumerate(idx):
            v = attrs[i] if i >= 0 else None
            values[k].append(None if v is None or (isinstance(v, QVariant) and v.isNull()) else v)
        if with_geometry:
            g = f.geometry()
            wkb.append(bytes(g.asWkb()) if g is not None and not g.isNull() else None)
    frame = pd.DataFrame({n: pd.Series(v, dtype=object) for n, v in zip(names, values)})
    geom = shapely.from_wkb(np.array(wkb, dtype=object)) if with_geometry else None
    return np.asarray(fids, dtype=np.int64), frame, geom


def _fields(layer: QgsVectorLayer, side: str, roles) -> dict:
    names = [n for n in layer.fields().names() if n not in OLD_FIELDS]
    for name in OLD_FIELDS[:2]:
        if name in layer.fields().names():
            raise InputError(f"the layer {layer.name()} already has a field {name}: it looks renumbered already",
                             fix="renumber the original data, or rename that field")
    return map_fields(names, side, roles, required=("commune", "sheet")).fields


def plan_merger(parcels: QgsVectorLayer, sheets: QgsVectorLayer | None, table: MergerTable) -> MergerPlan:
    """What the table would do to the layers, nothing written."""
    sheet_plan, frame_scale = None, None
    if sheets is not None:
        f = _fields(sheets, "sheets", SHEET_ROLES)
        names = [f["commune"], f["sheet"]] + ([f["scale"]] if f.get("scale") else [])
        fids, attrs, geom = _read(sheets, names, True)
        done = apply_table(attrs, table, f["commune"], f["sheet"], None, record_scales(attrs, f.get("scale")),
                           "sheets", fids)
        sheet_plan = LayerPlan(sheets, fids, f, done)
        frame_scale = (normalise_commune_codes(attrs[f["commune"]]).to_numpy(object),
                       normalise_key(attrs[f["sheet"]]).to_numpy(object), done.scale, geom)
    f = _fields(parcels, "map", MAP_ROLES)
    if len(table.parcels) and f.get("parcel") and OLD_PARCEL_FIELD in parcels.fields().names():
        raise InputError(f"the layer {parcels.name()} already has a field {OLD_PARCEL_FIELD} (old parcel numbers) "
                         "and the table renumbers parcels", fix=f"rename {OLD_PARCEL_FIELD} first, so that "
                         "the old numbers it holds are not overwritten")
    names = [f["commune"], f["sheet"]] + ([f["parcel"]] if f.get("parcel") else [])
    fids, attrs, geom = _read(parcels, names, frame_scale is not None)
    scale = np.zeros(len(attrs), dtype=np.int64)
    if frame_scale is not None:
        fc, fs, fk, fgeom = frame_scale
        points = np.full(len(geom), None, dtype=object)
        ok = ~(shapely.is_missing(geom) | shapely.is_empty(geom))
        points[ok] = shapely.point_on_surface(geom[ok])
        scale = scales_from_frames(points, normalise_commune_codes(attrs[f["commune"]]).to_numpy(object),
                                   normalise_key(attrs[f["sheet"]]).to_numpy(object), fgeom, fc, fs, fk)
    done = apply_table(attrs, table, f["commune"], f["sheet"], f.get("parcel"), scale, "parcels", fids)
    parcel_plan = LayerPlan(parcels, fids, f, done)
    findings = pd.concat([x for x in (table.findings, done.findings,
                                      sheet_plan.applied.findings if sheet_plan else None)
                          if x is not None and len(x)] or [table.findings], ignore_index=True)[FINDING_COLUMNS]
    return MergerPlan(parcel_plan, sheet_plan, _counts(parcel_plan, sheet_plan), findings)


def _counts(parcels: LayerPlan, sheets: LayerPlan | None) -> pd.DataFrame:
    """Per (old commune, new commune): sheets and parcels changed, parcels given a new number,
    and per old commune the parcels the table leaves as they are."""
    keys = ["old_commune", "new_commune"]
    ch = parcels.applied.changes
    per = ch.groupby(keys).size().rename("parcels").to_frame()
    per["renumbered_parcels"] = ch[ch["old_parcel"] != ch["new_parcel"]].groupby(keys).size()
    source = sheets.applied.changes if sheets is not None else ch.drop_duplicates(["old_commune", "old_sheet", "scale"])
    per = per.join(source.groupby(keys).size().rename("sheets"), how="outer").reset_index()
    applied = parcels.applied
    left = pd.Series(applied.communes[applied.uncovered]).value_counts()
    missing = left[~left.index.isin(per["old_commune"])]
    per = pd.concat([per, pd.DataFrame({"old_commune": missing.index, "new_commune": ""})], ignore_index=True)
    per["uncovered"] = per["old_commune"].map(left)
    # an old commune's uncovered parcels are counted once, on its first row
    per.loc[per.duplicated("old_commune"), "uncovered"] = 0
    for c in ("sheets", "parcels", "renumbered_parcels", "uncovered"):
        per[c] = per[c].fillna(0).astype(int)
    return per[COUNT_COLUMNS].sort_values(["new_commune", "old_commune"]).reset_index(drop=True)


def write_plan(plan: LayerPlan, text: str) -> bool:
    """One edit command: the new commune, sheet (and parcel) values, the old ones kept beside."""
    layer, applied, f = plan.layer, plan.applied, plan.fields
    rows = applied.changes["row"].to_numpy(dtype=np.int64)
    if not len(rows):
        return True
    roles = [("commune", f["commune"]), ("sheet", f["sheet"])]
    if f.get("parcel") and OLD_FIELDS[2] in applied.frame.columns:
        roles.append(("parcel", f["parcel"]))
    fields = layer.fields()
    targets = []
    for role, name in roles:
        idx = fields.indexOf(name)
        numeric = fields.at(idx).isNumeric()
        values = applied.frame[name].to_numpy(object)[rows]
        if numeric:
            converted = pd.to_numeric(pd.Series(values), errors="coerce")
            if converted.isna().any():
                raise InputError(f"the field {name} of {layer.name()} is numeric and cannot hold "
                                 f"{values[int(np.flatnonzero(converted.isna())[0])]}")
            values = converted.astype(np.int64).to_numpy(object)
        targets.append((idx, values, numeric))
    if not layer.isEditable() and not layer.startEditing():
        return False
    layer.beginEditCommand(text)
    ok = True
    olds = []
    for name in OLD_FIELDS[:len(roles)]:
        if layer.fields().indexOf(name) < 0:
            ok = ok and layer.addAttribute(QgsField(name, _STRING, "String", 50))
        olds.append(layer.fields().indexOf(name))
    for k, i in enumerate(rows if ok else ()):
        fid = int(plan.fids[i])
        feature = layer.getFeature(fid)
        for (idx, values, numeric), old_idx in zip(targets, olds):
            old = feature.attribute(idx)
            new = int(values[k]) if numeric else str(values[k])
            ok = ok and layer.changeAttributeValue(fid, idx, new, old)
            old_text = "" if old is None or (isinstance(old, QVariant) and old.isNull()) else _text(old)
            ok = ok and layer.changeAttributeValue(fid, old_idx, old_text, None)
        if not ok:
            break
    if not ok:
        layer.destroyEditCommand()
        return False
    layer.endEditCommand()
    layer.triggerRepaint()
    return True


def _text(value) -> str:
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    return str(value).strip()


def write_changes(plan: MergerPlan, path: str) -> None:
    """The change table of both layers and the findings, as UTF-8 CSVs (path, path_findings.csv)."""
    parts = []
    for name, lp in (("parcels", plan.parcels), ("sheets", plan.sheets)):
        if lp is None:
            continue
        ch = lp.applied.changes.copy()
        ch.insert(0, "fid", lp.fids[ch["row"].to_numpy()] if len(ch) else np.array([], dtype=np.int64))
        ch.insert(0, "layer", name)
        parts.append(ch.drop(columns="row"))
    os.makedirs(os.path.dirname(os.path.abspath(path)) or ".", exist_ok=True)
    pd.concat(parts, ignore_index=True).to_csv(path, index=False, encoding="utf-8-sig")
    plan.findings.to_csv(os.path.splitext(path)[0] + "_findings.csv", index=False, encoding="utf-8-sig")
