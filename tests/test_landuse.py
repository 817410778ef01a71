"""Land-use type codes: normalising register values and classifying them against the shipped list."""
import numpy as np
import pandas as pd
import pytest

from cadastre_cleaner.core.errors import InputError
from cadastre_cleaner.core.reference.landuse import LandUseCodes, normalise_landuse

# Circular 27/2018 list as given in DOMAIN.md.
TT27_2018 = """LUC LUK LUN BHK NHK CLN RSX RPH RDD NTS LMU NKH ONT ODT TSC DTS DVH DYT DGD DTT DKH DXH
DNG DSK CQP CAN SKK SKT SKN TMD SKC SKS SKX DGT DTL DDT DDL DSH DKV DNL DBV DCH DRA DCK TON TIN
NTD SON MNC PNK BCS DCS NCS""".split()
TT08_2024_NAMED_IN_DOMAIN = "CNT DCT DPC DDD DKT DMT CGT MCS".split()


def codes():
    return LandUseCodes.load()


def test_every_2018_code_is_current_with_names():
    table = codes().table
    assert len(TT27_2018) == 53
    result = codes().classify(pd.Series(TT27_2018))
    assert (result == "current").all()
    assert (table.loc[TT27_2018, "source"] == "TT27/2018").all()
    assert (table.loc[TT27_2018, "name_vi"] != "").all()
    assert (table.loc[TT27_2018, "name_en"] != "").all()


def test_2024_codes_are_listed():
    table = codes().table
    assert set(TT08_2024_NAMED_IN_DOMAIN) <= set(table.index)
    assert (table.loc[TT08_2024_NAMED_IN_DOMAIN, "source"] == "TT08/2024").all()
    unnamed = table.loc[TT08_2024_NAMED_IN_DOMAIN]
    assert (unnamed.loc[unnamed["name_vi"] == "", "name_en"].str.contains("unconfirmed")).all()


def test_official_names():
    assert codes().name("LUC") == "Đất chuyên trồng lúa nước"
    assert codes().name("NCS") == "Núi đá không có rừng cây"
    assert codes().name("ont", lang="en") == "Rural residential land"
    assert codes().name("ONTT") == ""


def test_typo_is_unknown():
    assert list(codes().classify(pd.Series(["ONTT"]))) == ["unknown"]


def test_normalise_multi_use_values():
    values = pd.Series(["ONT+CLN", "ONT, CLN", "ONT/CLN", "ont + cln", "CLN+ONT", " ont ; cln "])
    assert list(normalise_landuse(values)) == ["CLN+ONT"] * 6


def test_normalise_blanks_and_case():
    values = pd.Series([None, np.nan, "", "   ", " luc ", "ONT+ONT"], index=list("abcdef"), dtype=object)
    result = normalise_landuse(values)
    assert list(result.index) == list("abcdef")
    assert list(result) == ["", "", "", "", "LUC", "ONT"]


def test_classify_multi_use_takes_the_worst_part(tmp_path):
    path = tmp_path / "landuse.csv"
    path.write_text("code,name_vi,name_en,source,status\n"
                    "ONT,Đất ở tại nông thôn,Rural residential land,TT27/2018,current\n"
                    "CLN,Đất trồng cây lâu năm,Perennial crop land,TT27/2018,obsolete\n", encoding="utf-8")
    user = LandUseCodes.load(path)
    values = pd.Series(["ONT", "CLN", "ONT+CLN", "ONT+XYZ", "CLN+XYZ", "", None])
    assert list(user.classify(values)) == ["current", "obsolete", "obsolete", "unknown", "unknown", "", ""]


def test_classify_blank_is_empty_string():
    assert list(codes().classify(pd.Series([None, "", " "]))) == ["", "", ""]


def test_user_list_extends_the_codes(tmp_path):
    shipped = (codes().table.to_csv(index=False)
               + "XYZ,Đất thử,Test land,local,current\n")
    path = tmp_path / "landuse.csv"
    path.write_text(shipped, encoding="utf-8")
    user = LandUseCodes.load(path)
    assert list(user.classify(pd.Series(["XYZ", "ONT+XYZ"]))) == ["current", "current"]
    assert list(codes().classify(pd.Series(["XYZ"]))) == ["unknown"]


def test_bad_user_list_is_an_input_error(tmp_path):
    path = tmp_path / "landuse.csv"
    path.write_text("code,name_vi\nONT,Đất ở\n", encoding="utf-8")
    with pytest.raises(InputError, match="missing column"):
        LandUseCodes.load(path)
    path.write_text("code,name_vi,name_en,source,status\nONT,,,x,retired\n", encoding="utf-8")
    with pytest.raises(InputError, match="status"):
        LandUseCodes.load(path)


def test_large_series_runs():
    values = pd.Series(np.random.default_rng(2).choice(np.array(["ONT", "ont+cln", "XX", None], dtype=object),
                                                       1_000_000))
    result = codes().classify(values)
    assert len(result) == 1_000_000
    assert set(result.unique()) == {"current", "unknown", ""}
