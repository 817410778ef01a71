"""The one catalogue of check codes: severity, title, message template, fix methods.

Every front end (CLI, Processing, docks, reports) lists checks from here, so a
code means the same thing everywhere. Codes are stable: never rename one.
"""
from dataclasses import dataclass, field

from ..i18n import QT_TRANSLATE_NOOP, tr

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITIES = (ERROR, WARNING, INFO)

# Flag review states, in the flags file.
OPEN, FIXED, EXCEPTION, OBSOLETE = "open", "fixed", "exception", "obsolete"
STATUSES = (OPEN, FIXED, EXCEPTION, OBSOLETE)

_CTX = "Catalogue"


@dataclass(frozen=True)
class Check:
    code: str
    severity: str            # default; a flag may carry a milder one (e.g. obsolete vs unknown code)
    group: str               # "register" (map ↔ register) | "topology" | "load" | "codes"
    title: str               # short, translatable
    message: str             # template with {named} fields, translatable
    fixes: tuple = field(default_factory=tuple)   # named fix methods the UI/Processing list

    def title_tr(self) -> str:
        return tr(_CTX, self.title)

    def render(self, **values) -> str:
        """The message in the user's language, values filled in."""
        return tr(_CTX, self.message).format(**values)


_CHECKS = [
    Check("KEY_MISSING", ERROR, "register",
          QT_TRANSLATE_NOOP(_CTX, "Sheet or parcel number missing"),
          QT_TRANSLATE_NOOP(_CTX, "{side} record has no {missing}: it cannot be matched."),
          ("enter_number",)),
    Check("MAP_ONLY", ERROR, "register",
          QT_TRANSLATE_NOOP(_CTX, "Parcel not in the register"),
          QT_TRANSLATE_NOOP(_CTX, "Parcel {sheet}/{parcel} on the map has no register row."),
          ("link_register_row",)),
    Check("REGISTER_ONLY", ERROR, "register",
          QT_TRANSLATE_NOOP(_CTX, "Register row without a parcel"),
          QT_TRANSLATE_NOOP(_CTX, "Register row {row} ({sheet}/{parcel}) has no parcel on the map."),
          ("link_map_parcel",)),
    Check("DUPLICATE_KEY_MAP", ERROR, "register",
          QT_TRANSLATE_NOOP(_CTX, "Parcel number used twice on a sheet"),
          QT_TRANSLATE_NOOP(_CTX, "Number {parcel} is used by {count} parcels on sheet {sheet}."),
          ("set_parcel_number",)),
    Check("DUPLICATE_KEY_REGISTER", ERROR, "register",
          QT_TRANSLATE_NOOP(_CTX, "Parcel listed twice in the register"),
          QT_TRANSLATE_NOOP(_CTX, "Parcel {sheet}/{parcel} has {count} register rows: {rows}."),
          ("delete_register_row", "set_parcel_number")),
    Check("SHEET_MISMATCH", ERROR, "register",
          QT_TRANSLATE_NOOP(_CTX, "Parcel lies on another sheet"),
          QT_TRANSLATE_NOOP(_CTX, "Parcel {sheet}/{parcel} lies {where} sheet {located}."),
          ("set_sheet_number",)),
    Check("NUMBER_MISMATCH", ERROR, "register",
          QT_TRANSLATE_NOOP(_CTX, "Sheet or parcel number differs from the register"),
          QT_TRANSLATE_NOOP(_CTX, "Map parcel {sheet}/{parcel} matches register row {row} "
                                  "({reg_sheet}/{reg_parcel}): {evidence}."),
          ("set_parcel_number", "set_sheet_number")),
    Check("AREA_MISMATCH", WARNING, "register",
          QT_TRANSLATE_NOOP(_CTX, "Area differs beyond tolerance"),
          QT_TRANSLATE_NOOP(_CTX, "Map area {map_area} m² vs register {reg_area} m² "
                                  "(difference {diff} m², tolerance {tol} m²){hint}."),
          ("set_register_area",)),
    Check("LANDUSE_MISMATCH", WARNING, "register",
          QT_TRANSLATE_NOOP(_CTX, "Land use differs"),
          QT_TRANSLATE_NOOP(_CTX, "Land use on the map {map_value} vs register {reg_value}."),
          ("set_map_landuse", "set_register_landuse")),
    Check("LANDUSE_INVALID", ERROR, "register",
          QT_TRANSLATE_NOOP(_CTX, "Land-use code not in the list"),
          QT_TRANSLATE_NOOP(_CTX, "{side} land-use code {value} is {state}."),
          ("set_landuse",)),
    Check("COMMUNE_CODE_INVALID", ERROR, "register",
          QT_TRANSLATE_NOOP(_CTX, "Commune code unknown"),
          QT_TRANSLATE_NOOP(_CTX, "{side} commune code {value} is not an official commune code."),
          ("set_commune_code",)),
    Check("COMMUNE_CODE_OBSOLETE", WARNING, "register",
          QT_TRANSLATE_NOOP(_CTX, "Commune code closed in the 2025 merger"),
          QT_TRANSLATE_NOOP(_CTX, "{side} commune code {value} was closed on 1 July 2025; "
                                  "the commune is now {new_code} {new_name}."),
          ("set_commune_code",)),
    Check("OWNER_ID_INVALID", WARNING, "register",
          QT_TRANSLATE_NOOP(_CTX, "Citizen ID invalid"),
          QT_TRANSLATE_NOOP(_CTX, "Register row {row}: citizen ID {value} — {reason}."),
          ("set_owner_id",)),
    Check("OWNER_MISSING", WARNING, "register",
          QT_TRANSLATE_NOOP(_CTX, "Owner missing"),
          QT_TRANSLATE_NOOP(_CTX, "Register row {row} ({sheet}/{parcel}) names no land user."),
          ()),
    Check("NUMBERING_GAP", INFO, "register",
          QT_TRANSLATE_NOOP(_CTX, "Gap in the parcel numbering"),
          QT_TRANSLATE_NOOP(_CTX, "Sheet {sheet}: number {numbers} used neither on the map nor "
                                  "in the register, and not recorded as an old number."),
          ()),
    Check("VALUE_INVALID", WARNING, "register",
          QT_TRANSLATE_NOOP(_CTX, "Value cannot be read"),
          QT_TRANSLATE_NOOP(_CTX, "{side} {field} {value!r} is not a number; the check that needs it "
                                  "was skipped for this record."),
          ("enter_value",)),
    # ---- topology (core/topology/checks.py) ---------------------------------------------------
    Check("GEOM_EMPTY", ERROR, "topology",
          QT_TRANSLATE_NOOP(_CTX, "Parcel without geometry"),
          QT_TRANSLATE_NOOP(_CTX, "Parcel {sheet}/{parcel} has {what} geometry."),
          ("delete_feature",)),
    Check("GEOM_INVALID", ERROR, "topology",
          QT_TRANSLATE_NOOP(_CTX, "Invalid geometry"),
          QT_TRANSLATE_NOOP(_CTX, "Parcel {sheet}/{parcel}: {reason} at {where}."),
          ("make_valid",)),
    Check("MULTIPART", WARNING, "topology",
          QT_TRANSLATE_NOOP(_CTX, "Parcel in several pieces"),
          QT_TRANSLATE_NOOP(_CTX, "Parcel {sheet}/{parcel} is made of {parts} separate pieces "
                                  "(smallest {smallest} m²)."),
          ("split_parts",)),
    Check("OVERLAP", ERROR, "topology",
          QT_TRANSLATE_NOOP(_CTX, "Parcels overlap"),
          QT_TRANSLATE_NOOP(_CTX, "Parcels {sheet}/{parcel} and {other} overlap by {area} m² "
                                  "(width {width} m, tolerance {tol} m)."),
          ("overlap_longest_edge", "overlap_register_area", "overlap_chosen")),
    Check("GAP", ERROR, "topology",
          QT_TRANSLATE_NOOP(_CTX, "Gap between parcels"),
          QT_TRANSLATE_NOOP(_CTX, "A gap of {area} m² (width {width} m) that no parcel covers, "
                                  "between {neighbours}."),
          ("gap_merge_longest_edge", "gap_split", "gap_new_parcel")),
    Check("DUPLICATE_GEOMETRY", ERROR, "topology",
          QT_TRANSLATE_NOOP(_CTX, "Same polygon twice"),
          QT_TRANSLATE_NOOP(_CTX, "Parcels {sheet}/{parcel} and {other} have {how} polygon "
                                  "({share} % shared)."),
          ("delete_duplicate",)),
    Check("SLIVER", WARNING, "topology",
          QT_TRANSLATE_NOOP(_CTX, "Sliver parcel"),
          QT_TRANSLATE_NOOP(_CTX, "Parcel {sheet}/{parcel} is a sliver: {area} m², mean width "
                                  "{width} m (limits {min_width} m, {min_area} m²)."),
          ("merge_into_neighbour",)),
    Check("SPIKE", WARNING, "topology",
          QT_TRANSLATE_NOOP(_CTX, "Spike"),
          QT_TRANSLATE_NOOP(_CTX, "Parcel {sheet}/{parcel} has {count} spike(s): a vertex with an "
                                  "angle of {angle}° at {where}."),
          ("remove_spike",)),
    Check("REPEATED_VERTEX", INFO, "topology",
          QT_TRANSLATE_NOOP(_CTX, "Repeated vertex"),
          QT_TRANSLATE_NOOP(_CTX, "Parcel {sheet}/{parcel} repeats {count} vertex/vertices "
                                  "(first at {where})."),
          ("remove_repeated",)),
    Check("NOT_NODED", WARNING, "topology",
          QT_TRANSLATE_NOOP(_CTX, "Shared boundary not noded"),
          QT_TRANSLATE_NOOP(_CTX, "{what}: {count} vertex/vertices lie {how} without a matching "
                                  "vertex{extra}."),
          ("snap",)),
    Check("OUTSIDE_SHEET", WARNING, "topology",
          QT_TRANSLATE_NOOP(_CTX, "Parcel outside the sheet frames"),
          QT_TRANSLATE_NOOP(_CTX, "Parcel {sheet}/{parcel}: {outside} m² ({share} %) lies outside "
                                  "every sheet frame."),
          ()),
    Check("CROSSES_SHEET", INFO, "topology",
          QT_TRANSLATE_NOOP(_CTX, "Parcel spans two sheets"),
          QT_TRANSLATE_NOOP(_CTX, "Parcel {sheet}/{parcel} spans sheets {parts}; it belongs on "
                                  "sheet {best}, which holds its larger part."),
          ("set_sheet_number",)),
    # ---- parcel identification codes (core/codes/identification.py) ------------------------------
    Check("PARCEL_CODE_DUPLICATE", ERROR, "codes",
          QT_TRANSLATE_NOOP(_CTX, "Identification code used twice"),
          QT_TRANSLATE_NOOP(_CTX, "Parcel {sheet}/{parcel}: identification code {value} is also used "
                                  "by {count} other parcel(s), e.g. {other}."),
          ("assign_code",)),
    Check("PARCEL_CODE_STALE", WARNING, "codes",
          QT_TRANSLATE_NOOP(_CTX, "Identification code out of date"),
          QT_TRANSLATE_NOOP(_CTX, "Parcel {sheet}/{parcel}: the stored identification code {stored} is "
                                  "not the code of its current geometry ({current}): the parcel was "
                                  "edited since the code was given."),
          ("assign_code",)),
    # ---- the 2025 merger: the national sheet reference table (core/codes/merger_table.py) --------
    Check("MERGER_ROW_INCOMPLETE", ERROR, "merger",
          QT_TRANSLATE_NOOP(_CTX, "Reference table row incomplete"),
          QT_TRANSLATE_NOOP(_CTX, "Reference table row {row}: {what}. The row is not applied."),
          ("edit_reference_table",)),
    Check("MERGER_CODE_NOT_OFFICIAL", ERROR, "merger",
          QT_TRANSLATE_NOOP(_CTX, "Code in the reference table is not official"),
          QT_TRANSLATE_NOOP(_CTX, "Reference table row {row}: {what} {value} is not {expected}. "
                                  "The row is not applied."),
          ("edit_reference_table",)),
    Check("MERGER_NOT_SUCCESSOR", ERROR, "merger",
          QT_TRANSLATE_NOOP(_CTX, "New commune is not the successor of the old one"),
          QT_TRANSLATE_NOOP(_CTX, "Reference table row {row}: old commune {old} went to {official} in the "
                                  "merger, not to {new}. The row is not applied."),
          ("edit_reference_table",)),
    Check("MERGER_PROVINCE_MISMATCH", WARNING, "merger",
          QT_TRANSLATE_NOOP(_CTX, "Province code does not match the commune"),
          QT_TRANSLATE_NOOP(_CTX, "Reference table row {row}: {what} {code} belongs to province {official}, "
                                  "not {given}."),
          ("edit_reference_table",)),
    Check("MERGER_KEY_CONFLICT", ERROR, "merger",
          QT_TRANSLATE_NOOP(_CTX, "Old sheet or parcel sent to two targets"),
          QT_TRANSLATE_NOOP(_CTX, "Reference table rows {rows}: {key} is sent to {targets}. "
                                  "None of these rows is applied."),
          ("edit_reference_table",)),
    Check("MERGER_TARGET_CONFLICT", ERROR, "merger",
          QT_TRANSLATE_NOOP(_CTX, "Two old sheets or parcels sent to one target"),
          QT_TRANSLATE_NOOP(_CTX, "Reference table rows {rows}: {sources} are all sent to {target}. "
                                  "None of these rows is applied."),
          ("edit_reference_table",)),
    Check("MERGER_ROW_REPEATED", INFO, "merger",
          QT_TRANSLATE_NOOP(_CTX, "Reference table row repeated"),
          QT_TRANSLATE_NOOP(_CTX, "Reference table rows {rows} say the same ({key} to {target}); "
                                  "applied once."),
          ()),
    Check("MERGER_SCALE_AMBIGUOUS", WARNING, "merger",
          QT_TRANSLATE_NOOP(_CTX, "Sheet scale unknown, the table has several"),
          QT_TRANSLATE_NOOP(_CTX, "{layer} {ident}: sheet {sheet} of commune {commune} is in the reference "
                                  "table at scales {scales} and its own scale is not known. Left unchanged."),
          ("set_scale",)),
    Check("MERGER_SHEET_UNCOVERED", WARNING, "merger",
          QT_TRANSLATE_NOOP(_CTX, "Sheet not in the reference table"),
          QT_TRANSLATE_NOOP(_CTX, "{layer}: sheet {sheet} ({scale}) of commune {commune} is not in the "
                                  "reference table ({count} record(s)). Left unchanged."),
          ("edit_reference_table",)),
    Check("MERGER_PARCEL_UNCOVERED", WARNING, "merger",
          QT_TRANSLATE_NOOP(_CTX, "Renumbered parcel not found"),
          QT_TRANSLATE_NOOP(_CTX, "Reference table row {row}: parcel {parcel} of sheet {sheet} ({scale}) of "
                                  "commune {commune} is not in the {layer}."),
          ()),
    # ---- loading sheet files (core/loading/load.py) ------------------------------------------
    Check("FILE_UNREADABLE", ERROR, "load",
          QT_TRANSLATE_NOOP(_CTX, "Sheet file cannot be read"),
          QT_TRANSLATE_NOOP(_CTX, "{file} cannot be read: {reason}. Nothing was loaded from it."),
          ()),
    Check("SHEET_NUMBER_CONFLICT", WARNING, "load",
          QT_TRANSLATE_NOOP(_CTX, "Sheet number sources disagree"),
          QT_TRANSLATE_NOOP(_CTX, "{file}: {what}; sheet {used} was used ({source})."),
          ("set_sheet_number",)),
    Check("CRS_SUSPECT", WARNING, "load",
          QT_TRANSLATE_NOOP(_CTX, "Coordinate system doubtful"),
          QT_TRANSLATE_NOOP(_CTX, "{file}: {problem}."),
          ()),
    Check("LABEL_MISSING", ERROR, "load",
          QT_TRANSLATE_NOOP(_CTX, "Polygon without a parcel number"),
          QT_TRANSLATE_NOOP(_CTX, "Sheet {sheet} ({file}): the polygon of {area} m² at {where}, closed by "
                                  "the boundary lines, holds no parcel-number label (level/layer {levels})."),
          ("enter_number",)),
    Check("LABEL_MULTIPLE", ERROR, "load",
          QT_TRANSLATE_NOOP(_CTX, "Several parcel numbers in one polygon"),
          QT_TRANSLATE_NOOP(_CTX, "Sheet {sheet} ({file}): the polygon at {where} holds {count} parcel "
                                  "numbers ({numbers}); {used} was used."),
          ("set_parcel_number",)),
    Check("LINE_DANGLE", WARNING, "load",
          QT_TRANSLATE_NOOP(_CTX, "Boundary line closes no parcel"),
          QT_TRANSLATE_NOOP(_CTX, "Sheet {sheet} ({file}): a boundary line of {length} m {how} "
                                  "(at {where})."),
          ()),
]

CATALOGUE: dict[str, Check] = {c.code: c for c in _CHECKS}


def check(code: str) -> Check:
    return CATALOGUE[code]


def codes(group: str | None = None) -> list[str]:
    return [c.code for c in _CHECKS if group is None or c.group == group]
