"""Field roles and automatic field mapping from the names offices actually use.

Headers are compared after folding case, accents and punctuation ("Số tờ" ->
"soto"), so SHBANDO, "Số tờ", "so_to" and "Tờ bản đồ" all find the sheet role.
"""
import re
import unicodedata
from dataclasses import dataclass

from ..errors import InputError

# role -> synonyms, best first. Folded forms (see fold()).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "commune": ("maxa", "madvhc", "madonvihanhchinh", "maxaphuong", "madvhcxa", "xaid", "commune"),
    "sheet": ("shbando", "sohieutobando", "sotobando", "tobando", "soto", "sotobd", "shbd",
              "tobd", "toso", "sheet"),
    "parcel": ("shthua", "sothututhua", "sothua", "sothuthuthua", "thuaso", "sttthua",
               "thua", "parcel"),
    "area": ("dientichphaply", "dtpl", "dientich", "dtich", "dt", "area"),
    "landuse": ("khloaidat", "loaidat", "mucdichsudung", "mdsd", "madmd", "kyhieumucdich",
                "mucdich", "landuse"),
    "owner": ("tenchusudung", "chusudung", "tenchu", "chuho", "hoten", "tenchusd", "owner"),
    "owner_kind": ("loaidoituong", "madoituong", "doituongsudung", "doituong"),
    "owner_id": ("socccd", "cccd", "sodinhdanh", "madinhdanhcanhan", "socmnd", "cmnd",
                 "sogiayto", "giayto"),
    "address": ("diachi", "diachithuadat", "address"),
    # the register's own "Số tờ cũ" / "Số thửa cũ" (renumbered after a split) rank before
    # SHBANDO_CU / SHTHUA_CU, which the merger writes beside them (codes.merger)
    "old_sheet": ("sohieutobandocu", "sotobandocu", "tobandocu", "sotocu", "shbandocu", "shbdcu"),
    "old_parcel": ("sothututhuacu", "sothuacu", "shthuacu", "thuacu"),
    "scale": ("tyle", "tylebando", "mauso", "scale"),
}

MAP_ROLES = ("commune", "sheet", "parcel", "area", "landuse")
REGISTER_ROLES = ("commune", "sheet", "parcel", "area", "landuse", "owner", "owner_kind",
                  "owner_id", "address", "old_sheet", "old_parcel")
SHEET_ROLES = ("commune", "sheet", "scale")
REQUIRED = ("sheet", "parcel")


def fold(name: str) -> str:
    """Case-, accent- and punctuation-free form of a header: 'Số tờ (cũ)' -> 'sotocu'."""
    text = unicodedata.normalize("NFKD", str(name)).replace("đ", "d").replace("Đ", "D")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]", "", text.lower())


@dataclass
class FieldMapping:
    """Which source field plays which role, and why (auto or override)."""
    side: str                       # "map" | "register" | "sheets"
    fields: dict                    # role -> source field name
    how: dict                       # role -> "auto" | "override"

    def get(self, role: str) -> str | None:
        return self.fields.get(role)

    def describe(self) -> list[str]:
        return [f"{self.side}.{role} ← {name} ({self.how[role]})"
                for role, name in self.fields.items()]


def _score(folded: str, synonym: str, rank: int) -> float | None:
    # Exact match beats a prefix match ("Diện tích (m²)" -> dientichm2 starts with dientich);
    # earlier synonyms beat later ones; a longer prefix beats a shorter one.
    if folded == synonym:
        return 1000 - rank
    if len(synonym) >= 4 and folded.startswith(synonym):
        return 500 + len(synonym) * 5 - rank
    return None


def map_fields(columns, side: str, roles, overrides: dict | None = None,
               source: str = "", required=REQUIRED) -> FieldMapping:
    """Choose a field for each role; overrides are {"role": "FIELD"} for this side.

    Raises InputError when an override names no field, when a required role has
    no field, or when the chosen field name appears twice (duplicate headers).
    """
    columns = [str(c) for c in columns]
    overrides = {k: v for k, v in (overrides or {}).items() if v}
    chosen, how = {}, {}
    for role, name in overrides.items():
        if role not in roles:
            raise InputError(f"unknown field role '{side}.{role}'", source,
                             fix=f"roles are: {', '.join(roles)}")
        match = [c for c in columns if c == name] or [c for c in columns if fold(c) == fold(name)]
        if not match:
            raise InputError(f"field '{name}' given for {side}.{role} does not exist", source,
                             fix=f"fields are: {', '.join(columns)}")
        chosen[role], how[role] = match[0], "override"

    taken = set(chosen.values())
    candidates = []
    for col in columns:
        folded = fold(col)
        for role in roles:
            if role in chosen:
                continue
            for rank, syn in enumerate(SYNONYMS[role]):
                score = _score(folded, syn, rank)
                if score is not None:
                    candidates.append((score, col, role))
                    break
    for score, col, role in sorted(candidates, key=lambda c: -c[0]):
        if role in chosen or col in taken:
            continue
        chosen[role], how[role] = col, "auto"
        taken.add(col)

    for role, col in chosen.items():
        # Readers keep duplicated headers apart as 'NAME#2'; using such a field is ambiguous.
        twins = [c for c in columns if c == col or c.split("#")[0] == col.split("#")[0]]
        if len(twins) > 1:
            raise InputError(f"the header '{col.split('#')[0]}' (for {side}.{role}) appears {len(twins)} times",
                             source, fix="rename the duplicated columns or pick one with --field")
    missing = [r for r in required if r not in chosen]
    if missing:
        raise InputError(
            f"no field found for {', '.join(side + '.' + r for r in missing)}", source,
            fix=f"fields are: {', '.join(columns) or '(none)'}; name one with "
                f"--field {side}.{missing[0]}=FIELD")
    ordered = {r: chosen[r] for r in roles if r in chosen}
    return FieldMapping(side, ordered, {r: how[r] for r in ordered})


def parse_overrides(text_or_items) -> dict[str, dict[str, str]]:
    """'map.sheet=SOTO;register.area=DT' or ['map.sheet=SOTO', ...] -> {'map': {'sheet': 'SOTO'}, ...}."""
    items = text_or_items
    if isinstance(items, str):
        items = [p for p in re.split(r"[;\n]", items) if p.strip()]
    if isinstance(items, dict):
        items = [f"{k}={v}" for k, v in items.items()]
    out: dict[str, dict[str, str]] = {}
    for item in items or []:
        if "=" not in item or "." not in item.split("=", 1)[0]:
            raise InputError(f"field override '{item}' is not of the form side.role=FIELD",
                             fix="e.g. map.sheet=SOTO or register.area=DTPL")
        key, value = item.split("=", 1)
        side, role = key.strip().split(".", 1)
        out.setdefault(side.strip(), {})[role.strip()] = value.strip()
    return out
