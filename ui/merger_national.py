"""The 2025 merger's sheet reference table in the parcel codes dock: preview per commune, then one edit step.

Reads the parcel layer and the sheet frames layer as they stand in QGIS (edit buffer
included) and runs the same renumbering as Processing (core.codes.merger_run.run_table:
sheets matched by commune, sheet number and scale; a parcel's scale from its frame). Then
it writes each layer's edit buffer as one undo command, with the old values in MAXA_CU /
SHBANDO_CU (/ SHTHUA_CU). A register file, if given, gets a corrected copy beside it.
Nothing reaches the layers' files until the user saves them.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely
from qgis.core import QgsFeatureRequest, QgsField, QgsVectorLayer
from qgis.PyQt.QtCore import QVariant

from ..core.codes.merger_apply import OLD_PARCEL_FIELD, Applied
from ..core.codes.merger_run import run_table
from ..core.codes.merger_table import MergerTable
from ..core.errors import InputError
from ..core.frames import LayerFrame
from ..core.register.fields import SHEET_ROLES, map_fields

OLD_FIELDS = ("MAXA_CU", "SHBANDO_CU", OLD_PARCEL_FIELD)
PARCEL_ROLES = ("commune", "sheet", "parcel", "scale", "area", "landuse")
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
    register: pd.DataFrame | None = None      # the register with the new values (a copy is written)
    register_source: str | None = None
    register_changed: int = 0
    register_changes: pd.DataFrame | None = None   # layer, fid (register row), the change columns


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


def _layer_frame(layer: QgsVectorLayer, side: str, roles, with_geometry: bool) -> LayerFrame:
    """The layer's role fields as the engine reads a file (fids, geometry), refusing a layer that
    carries the merger's old-value fields already."""
    for name in OLD_FIELDS[:2]:
        if name in layer.fields().names():
            raise InputError(f"the layer {layer.name()} already has a field {name}: it looks renumbered already",
                             fix="renumber the original data, or rename that field")
    names = [n for n in layer.fields().names() if n not in OLD_FIELDS]
    fields = map_fields(names, side, roles, required=("commune", "sheet")).fields
    fids, attrs, geom = _read(layer, list(dict.fromkeys(fields.values())), with_geometry)
    return LayerFrame(attrs=attrs, source=layer.name(), geometry=geom, fids=fids, rows=fids)


def plan_merger(parcels: QgsVectorLayer, sheets: QgsVectorLayer | None, table: MergerTable,
                register: str | None = None) -> MergerPlan:
    """What the table would do to the layers (and to a register file), nothing written. The same
    run as Processing's (core.codes.merger_run.run_table) on what the layers hold now."""
    from ..core.loading.tables import read_table
    inputs = {"parcels": _layer_frame(parcels, "parcels", PARCEL_ROLES, sheets is not None or register is not None)}
    if sheets is not None:
        inputs["sheets"] = _layer_frame(sheets, "sheets", SHEET_ROLES, True)
    if len(table.parcels) and OLD_PARCEL_FIELD in parcels.fields().names():
        raise InputError(f"the layer {parcels.name()} already has a field {OLD_PARCEL_FIELD} (old parcel numbers) "
                         "and the table renumbers parcels", fix=f"rename {OLD_PARCEL_FIELD} first, so that "
                         "the old numbers it holds are not overwritten")
    if register:
        inputs["register"] = read_table(register)
    run = run_table(inputs, table, None, {})
    plans = {name: LayerPlan(layer, inputs[name].fids, run.fields[name], run.applied[name])
             for name, layer in (("parcels", parcels), ("sheets", sheets)) if layer is not None}
    plan = MergerPlan(plans["parcels"], plans.get("sheets"), pd.DataFrame(), run.findings)
    if register:
        plan.register, plan.register_source = run.outputs["register"], register
        plan.register_changed = run.counts["register"][1]
        reg = run.changes[run.changes["layer"] == "register"].rename(columns={"source_row": "fid"})
        plan.register_changes = reg
    plan.counts = _counts(plan.parcels, plan.sheets)
    return plan


def register_copy_path(register: str) -> str:
    """Where the corrected register goes: beside the source, never over it."""
    stem = os.path.splitext(register.split("|")[0])[0]
    return f"{stem}_merged.xlsx"


def write_register(plan: MergerPlan) -> str | None:
    if plan.register is None:
        return None
    from ..core.codes.merger import _write_table_file
    path = register_copy_path(plan.register_source)
    _write_table_file(plan.register, path)
    return path


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
    """The change table of the layers (and the register) and the findings, as UTF-8 CSVs
    (path, path_findings.csv); `fid` is the register's row for the register."""
    parts = []
    for name, lp in (("parcels", plan.parcels), ("sheets", plan.sheets)):
        if lp is None:
            continue
        ch = lp.applied.changes.copy()
        ch.insert(0, "fid", lp.fids[ch["row"].to_numpy()] if len(ch) else np.array([], dtype=np.int64))
        ch.insert(0, "layer", name)
        parts.append(ch.drop(columns="row"))
    if plan.register is not None and plan.register_changes is not None:
        parts.append(plan.register_changes)
    os.makedirs(os.path.dirname(os.path.abspath(path)) or ".", exist_ok=True)
    pd.concat(parts, ignore_index=True).to_csv(path, index=False, encoding="utf-8-sig")
    plan.findings.to_csv(os.path.splitext(path)[0] + "_findings.csv", index=False, encoding="utf-8-sig")
