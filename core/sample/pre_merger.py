"""A generated commune as it was before the 2025 merger, with the table that renumbers it.

`make_pre_merger` takes a generated sample (its commune has a current code that closed
communes were merged into) and writes the same map and register as they stood before: the
sheets shared out among the kept commune and the closed ones, each old commune numbering its
sheets per scale from 1 (so old sheet numbers repeat across scales), a few parcels carrying
the numbers they had before. Beside it, the sheet reference table in the national system's
layout that takes it back to the generated (post-merger) sample, which is the answer.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError
from ..reference.admin_units import AdminUnits
from ..progress import Progress
from . import writers
from .national_table import PLAIN_COLUMNS, national_rows, write_national_table

PARCEL_OFFSET = 9000          # a renumbered parcel's old number: its new number + this


@dataclass
class PreMerger:
    gpkg: Path                    # layers parcels, sheets (old codes and numbers)
    register_csv: Path
    table: Path                   # national layout
    plain: pd.DataFrame           # the table's rows in PLAIN_COLUMNS (before repeats)
    sheets: pd.DataFrame          # per sheet frame: old_commune, old_sheet, scale, new_commune, new_sheet


def make_pre_merger(sample_dir, out_dir, table_name: str = "bang_tham_chieu.xlsx",
                    renumbered_parcels: int = 6, repeats: int = 3, seed: int = 1) -> PreMerger:
    from ..loading.vector import read_vector
    units = AdminUnits.load()
    rng = np.random.default_rng(seed)
    sample_dir, out = Path(sample_dir), Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    gpkg = sample_dir / "commune.gpkg"
    parcels = read_vector(f"{gpkg}|layername=parcels", role="parcels")
    frames = read_vector(f"{gpkg}|layername=sheets", role="sheets")
    sa = frames.attrs.reset_index(drop=True)

    sheets = pd.DataFrame({"new_commune": sa["MAXA"].astype(str), "new_sheet": sa["SHBANDO"].astype(str),
                           "scale": sa["TYLE"].astype(np.int64)})
    sheets["old_commune"], sheets["old_sheet"] = "", ""
    for new, group in sheets.groupby("new_commune"):
        olds = [new] + [p for p in units.predecessors(new) if p != new and units.successor(p) == new]
        if len(olds) < 2:
            raise InputError(f"commune {new} of the sample was not formed by a merger",
                             fix="generate the sample for a province whose communes were merged (e.g. 20)")
        for scale, part in group.groupby("scale"):
            order = part.index[np.argsort(part["new_sheet"].astype(int).to_numpy(), kind="stable")]
            for j, chunk in enumerate(np.array_split(order, len(olds))):
                sheets.loc[chunk, "old_commune"] = olds[j]
                # the kept commune keeps its numbers; the others number each scale from 1
                sheets.loc[chunk, "old_sheet"] = (sheets.loc[chunk, "new_sheet"] if j == 0
                                                  else [str(k) for k in range(1, len(chunk) + 1)])
    by_new = sheets.set_index(["new_commune", "new_sheet"])[["old_commune", "old_sheet"]]

    pa = parcels.attrs.reset_index(drop=True)
    key = pd.MultiIndex.from_arrays([pa["MAXA"].astype(str), pa["SHBANDO"].astype(str)])
    old = by_new.reindex(key)
    # renumbered parcels: on the first sheet of a closed commune, a few parcels had other numbers
    closed = sheets[sheets["old_commune"] != sheets["new_commune"]].iloc[0]
    on_sheet = np.flatnonzero((pa["MAXA"].astype(str) == closed["new_commune"]).to_numpy()
                              & (pa["SHBANDO"].astype(str) == closed["new_sheet"]).to_numpy())
    picked = np.sort(rng.choice(on_sheet, size=min(renumbered_parcels, len(on_sheet)), replace=False))
    new_number = pa["SHTHUA"].astype(np.int64).to_numpy()
    old_number = new_number.copy()
    old_number[picked] += PARCEL_OFFSET
    writers.write_gpkg(out / "commune.gpkg", {
        "MAXA": old["old_commune"].to_numpy(object), "SHBANDO": old["old_sheet"].to_numpy(object),
        "SHTHUA": old_number.tolist(), "DIENTICH": pa["DIENTICH"].tolist(),
        "KHLOAIDAT": pa["KHLOAIDAT"].to_numpy(object), "geometry": parcels.geometry,
    }, {
        "SHBANDO": sheets["old_sheet"].tolist(), "MAXA": sheets["old_commune"].tolist(),
        "TYLE": sheets["scale"].tolist(), "MAHIEU": sa["MAHIEU"].tolist(), "geometry": frames.geometry,
    }, Progress())

    register = pd.read_csv(sample_dir / "register.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    rkey = pd.MultiIndex.from_arrays([register["Mã xã"], register["Số tờ"]])
    rold = by_new.reindex(rkey)
    known = rold["old_commune"].notna().to_numpy()
    renumbered = pd.MultiIndex.from_arrays([pa["MAXA"].astype(str).to_numpy()[picked],
                                            pa["SHBANDO"].astype(str).to_numpy()[picked],
                                            pa["SHTHUA"].astype(str).to_numpy()[picked]])
    hit = pd.MultiIndex.from_arrays([register["Mã xã"], register["Số tờ"], register["Số thửa"]]).isin(renumbered)
    register["Số thửa"] = np.where(hit, (pd.to_numeric(register["Số thửa"], errors="coerce").fillna(0)
                                         .astype(np.int64) + PARCEL_OFFSET).astype(str), register["Số thửa"])
    register["Mã xã"] = np.where(known, rold["old_commune"].to_numpy(object), register["Mã xã"])
    register["Số tờ"] = np.where(known, rold["old_sheet"].to_numpy(object), register["Số tờ"])
    # "Số tờ cũ" (the sheet of a parcel renumbered after a split) was written in the old numbering too
    split = known & (register["Số tờ cũ"] != "").to_numpy()
    register["Số tờ cũ"] = np.where(split, rold["old_sheet"].to_numpy(object), register["Số tờ cũ"])
    register.to_csv(out / "register.csv", index=False, encoding="utf-8-sig", lineterminator="\n")

    plain = sheets[["old_commune", "old_sheet", "scale", "new_commune", "new_sheet"]].copy()
    plain["old_parcel"], plain["new_parcel"] = "", ""
    parcel_rows = pd.DataFrame({
        "old_commune": closed["old_commune"], "old_sheet": closed["old_sheet"], "scale": closed["scale"],
        "new_commune": closed["new_commune"], "new_sheet": closed["new_sheet"],
        "old_parcel": old_number[picked].astype(str), "new_parcel": new_number[picked].astype(str)})
    plain = pd.concat([plain, parcel_rows], ignore_index=True)[PLAIN_COLUMNS]
    published = pd.concat([plain, plain.iloc[:repeats]], ignore_index=True)   # repeated rows, as published
    write_national_table(national_rows(published, units, seed), str(out / table_name))
    return PreMerger(out / "commune.gpkg", out / "register.csv", out / table_name, plain,
                     sheets[["old_commune", "old_sheet", "scale", "new_commune", "new_sheet"]])
