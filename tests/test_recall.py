"""On a generated 10 000-parcel commune, every injected defect is flagged with its code and
the right suggestion, and clean parcels stay clean (the answer key says which is which)."""
import pandas as pd
import pytest

from cadastre_cleaner.core.sample.answer_key import score
from cadastre_cleaner.core.pipeline import CheckRequest, _flag_rows, compute
from cadastre_cleaner.core.sample import SampleSpec, generate_sample

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def commune(tmp_path_factory):
    out = tmp_path_factory.mktemp("commune10k")
    return generate_sample(out, SampleSpec(parcels=10_000, seed=7, defect_rate=0.03, write_xlsx=True))


@pytest.fixture(scope="module")
def scored(commune, tmp_path_factory):
    req = CheckRequest(parcels=f"{commune.gpkg}|layername=parcels",
                       sheets=f"{commune.gpkg}|layername=sheets", register=str(commune.register_xlsx),
                       out=str(tmp_path_factory.mktemp("flags") / "flags.gpkg"))
    result, _ = compute(req)
    key = pd.read_csv(commune.answer_key, dtype=str, keep_default_na=False).replace("", None)
    return score(_flag_rows(result), key, result.m["fid"].to_numpy(), result.r["row"].to_numpy()), result


def test_every_defect_kind_was_injected(commune):
    key = pd.read_csv(commune.answer_key, dtype=str)
    assert {"MAP_ONLY", "REGISTER_ONLY", "NUMBER_MISMATCH", "SHEET_MISMATCH", "DUPLICATE_KEY_MAP",
            "DUPLICATE_KEY_REGISTER", "AREA_MISMATCH", "LANDUSE_MISMATCH", "LANDUSE_INVALID",
            "COMMUNE_CODE_OBSOLETE", "OWNER_ID_INVALID", "OWNER_MISSING"} <= set(key["code"])


def test_recall_is_at_least_99_percent(scored):
    s, _ = scored
    assert s.recall >= 0.99, "\n".join(s.lines()) + "\n" + s.missed.head(20).to_string()


def test_swaps_and_typos_get_the_right_number(scored):
    s, _ = scored
    nm = s.by_code.set_index("code").loc["NUMBER_MISMATCH", "suggestion_right"]
    right, checked = map(int, nm.split("/"))
    assert checked > 0 and right / checked >= 0.99, nm
    assert s.suggestions_right / s.suggestions_checked >= 0.99, "\n".join(s.lines())


def test_no_more_than_half_a_percent_of_clean_parcels_flagged(scored):
    s, _ = scored
    assert s.false_parcel_rate <= 0.005, "\n".join(s.lines()) + "\n" + s.false_flags.head(20).to_string()
    assert s.false_row_rate <= 0.005, "\n".join(s.lines())


def test_matching_covers_the_clean_register(scored, commune):
    s, result = scored
    assert len(result.pairs) >= 0.97 * len(result.m)
