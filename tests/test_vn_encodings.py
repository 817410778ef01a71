"""Legacy Vietnamese encodings (TCVN3, VNI-Windows): every letter round-trips, real text
converts both ways, a column's encoding is detected, and fixing a column counts changes."""
import math
import shutil
import subprocess
import time

import pytest

from cadastre_cleaner.core.loading.vn_encodings import (
    VIETNAMESE_LETTERS, decode_legacy, detect, encode_legacy, fix_column, from_unicode, to_unicode,
)

VOWELS = "aăâeêioôơuưy"
TONES = ("", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323")  # none, sắc, huyền, hỏi, ngã, nặng

SENTENCES = [
    "Nguyễn Thị Hồng Nhung",
    "Đường Lê Lợi, phường Bến Thành",
    "Ủy ban nhân dân xã Tân Hòa",
    "Đất trồng lúa nước còn lại",
]
NAMES = [
    "Nguyễn Thị Hồng Nhung", "Trần Văn Bình", "Lê Thị Mai", "Phạm Quốc Việt", "Hoàng Minh Tuấn",
    "Vũ Đức Thắng", "Đặng Thị Thu Hà", "Bùi Xuân Trường", "Đỗ Văn Hùng", "Hồ Thị Lan",
    "Ngô Quang Huy", "Dương Thị Yến", "Lý Văn Sơn", "Võ Thị Kim Anh", "Trịnh Đình Khoa",
    "Mai Văn Tâm", "Đinh Thị Ngọc", "Lương Văn Phúc", "Tạ Thị Hương", "Chu Văn An",
]


def all_letters():
    import unicodedata
    letters = [unicodedata.normalize("NFC", v + t) for v in VOWELS for t in TONES] + ["đ"]
    return letters + [c.upper() for c in letters]


# -- Letters -----------------------------------------------------------------------------


def test_the_alphabet_has_134_letters_outside_ascii_in_each_case_pair():
    letters = all_letters()
    assert len(letters) == 146 and len(set(letters)) == 146
    assert sum(not c.isascii() for c in letters) == 134
    assert set(letters) == set(VIETNAMESE_LETTERS)


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_every_letter_round_trips(encoding):
    wrong = [c for c in all_letters() if to_unicode(from_unicode(c, encoding), encoding) != c]
    assert wrong == []


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_every_letter_has_its_own_legacy_form(encoding):
    forms = [from_unicode(c, encoding) for c in all_letters()]
    assert len(set(forms)) == len(forms)


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_every_letter_round_trips_through_bytes(encoding):
    wrong = [c for c in all_letters() if decode_legacy(encode_legacy(c, encoding), encoding) != c]
    assert wrong == []


def test_tcvn3_is_one_byte_per_letter():
    assert all(len(encode_legacy(c, "tcvn3")) == 1 for c in all_letters())


def test_tcvn3_lower_case_bytes_are_those_of_the_abc_fonts():
    # Known .VnTime bytes: ê 0xAA, ă 0xA8, à 0xB5, đ 0xAE, Đ 0xA7, ư 0xAD, ợ 0xEE, ỵ 0xFE.
    assert encode_legacy("êăàđĐượỵ", "tcvn3") == bytes([0xAA, 0xA8, 0xB5, 0xAE, 0xA7, 0xAD, 0xEE, 0xFE])


@pytest.mark.skipif(shutil.which("iconv") is None, reason="no iconv")
def test_tcvn3_table_agrees_with_glibc_tcvn5712_1():
    data = b"".join(encode_legacy(c, "tcvn3") for c in all_letters())
    run = subprocess.run(["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"], input=data, capture_output=True)
    if run.returncode != 0:
        pytest.skip("iconv has no TCVN5712-1")
    assert run.stdout.decode("utf-8") == "".join(all_letters())


def test_vni_writes_base_letter_and_diacritic_byte():
    assert from_unicode("á ấ ắ ơ ớ ư đ Đ ỵ ị", "vni") == "aù aá aé ô ôù ö ñ Ñ î ò"
    assert from_unicode("Ấ Ắ Ớ Ỵ", "vni") == "AÁ AÉ ÔÙ Î"


# -- Real text -----------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
@pytest.mark.parametrize("text", SENTENCES)
def test_names_and_addresses_round_trip(text, encoding):
    legacy = from_unicode(text, encoding)
    assert legacy != text
    assert to_unicode(legacy, encoding) == text


def test_known_tcvn3_mojibake():
    assert to_unicode("Lª V¨n Tµi", "tcvn3") == "Lê Văn Tài"
    assert to_unicode("§Êt trång lóa n\xadíc cßn l¹i", "tcvn3") == "Đất trồng lúa nước còn lại"
    assert from_unicode("Nguyễn Thị Hồng Nhung", "tcvn3") == "NguyÔn ThÞ Hång Nhung"


def test_known_vni_mojibake():
    assert to_unicode("Nguyeãn Vaên An", "vni") == "Nguyễn Văn An"
    assert to_unicode("Vieät Nam", "vni") == "Việt Nam"
    assert to_unicode("Thaønh phoá Hoà Chí Minh", "vni") == "Thành phố Hồ Chí Minh"
    assert to_unicode("Ñaø Naüng, Laïng Sôn, Quaûng Ninh", "vni") == "Đà Nẵng, Lạng Sơn, Quảng Ninh"
    assert to_unicode("THAØNH PHOÁ HOÀ CHÍ MINH", "vni") == "THÀNH PHỐ HỒ CHÍ MINH"


def test_vni_diacritic_in_the_other_case_or_as_two_bytes_is_read():
    assert to_unicode("Aùnh", "vni") == "Ánh"
    assert to_unicode("aâù", "vni") == "ấ"


def test_output_is_nfc_and_decomposed_input_is_accepted():
    import unicodedata
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Hồng Nhung")
    for encoding in ("tcvn3", "vni"):
        back = to_unicode(from_unicode(decomposed, encoding), encoding)
        assert back == "Nguyễn Thị Hồng Nhung" and unicodedata.is_normalized("NFC", back)


def test_tcvn3_read_as_latin1_or_cp1252_gives_the_same_text():
    # Ả is 0x81 (undefined in cp1252), Ò 0x92 (’ in cp1252, U+0092 in latin-1).
    data = encode_legacy("ẢNH HÒA", "tcvn3")
    assert to_unicode(data.decode("latin-1"), "tcvn3") == "ẢNH HÒA"
    assert to_unicode(data.replace(b"\x81", b"").decode("cp1252"), "tcvn3") == "NH HÒA"
    assert decode_legacy(data, "tcvn3") == "ẢNH HÒA"


def test_tcvn3_toned_capitals_typed_in_vntimeh_come_back_as_capitals():
    # .VnTimeH text stores Ễ and Ò with the lower-case bytes of ễ and ò.
    assert to_unicode("NGUYÔN V¡N AN", "tcvn3") == "NGUYỄN VĂN AN"
    assert to_unicode("UBND x· T©N HßA", "tcvn3") == "UBND xã TÂN HÒA"
    assert to_unicode("NGUYÔN V¡N AN", "tcvn3", restore_capitals=False) == "NGUYễN VĂN AN"


def test_tcvn3_title_case_stays_title_case():
    assert to_unicode("Lª V¨n Tµi", "tcvn3") == "Lê Văn Tài"
    assert to_unicode("§ç Lª", "tcvn3") == "Đỗ Lê"
    assert to_unicode("ñy ban", "tcvn3") == "ủy ban"


def test_tcvn3_vn3_only_writes_toned_capitals_as_the_abc_fonts_do():
    assert from_unicode("ỦY BAN NHÂN DÂN XÃ", "tcvn3", vn3_only=True) == "ñY BAN NH¢N D¢N X·"
    assert to_unicode("ñY BAN NH¢N D¢N X·", "tcvn3") == "ỦY BAN NHÂN DÂN XÃ"
    # Lossy where capitals cannot be told from the text: a title-case toned capital.
    assert to_unicode(from_unicode("Ủy ban", "tcvn3", vn3_only=True), "tcvn3") == "ủy ban"


def test_ascii_is_unchanged():
    for encoding in ("tcvn3", "vni"):
        assert to_unicode("ONT+CLN 12/3", encoding) == "ONT+CLN 12/3"
        assert from_unicode("ONT+CLN 12/3", encoding) == "ONT+CLN 12/3"


def test_a_character_without_legacy_byte_is_refused_or_replaced():
    with pytest.raises(ValueError, match="no byte"):
        from_unicode("naïve", "tcvn3")
    assert from_unicode("naïve", "vni", errors="replace") == "na?ve"


def test_unknown_encoding_name_is_refused():
    with pytest.raises(ValueError, match="unknown legacy encoding"):
        to_unicode("x", "viscii")


# -- Detection -------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_detects_a_column_of_legacy_names(encoding):
    assert detect(from_unicode(n, encoding) for n in NAMES) == encoding


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_detects_a_column_of_legacy_names_in_capitals(encoding):
    assert detect(from_unicode(n.upper(), encoding) for n in NAMES) == encoding


def test_detects_hand_typed_legacy_values():
    assert detect(["Lª V¨n Tµi", "§Êt trång lóa n\xadíc cßn l¹i", "x· T©n Hßa"]) == "tcvn3"
    assert detect(["Nguyeãn Vaên An", "Vieät Nam", "Ñaø Naüng"]) == "vni"


def test_short_vni_values_are_told_from_tcvn3_by_syllable_rules():
    # Read as TCVN3, "Leâ" is "Leõ": a tone on the o of "eo" is in the wrong place.
    assert detect(["Leâ", "Ngoâ", "Taâm"]) == "vni"


def test_unicode_vietnamese_is_unicode():
    assert detect(NAMES + SENTENCES) == "unicode"


def test_unicode_vietnamese_with_only_latin1_letters_is_unicode():
    # Every letter here also is a TCVN3 byte read as cp1252 ("Tân Hòa" would read "Tõn Hũa").
    assert detect(["Tân Hòa", "Hà Nam", "Võ Thành", "Lê Chí", "Cà Mau", "Phú Yên", "Ông Ích Khiêm"]) == "unicode"


def test_english_is_not_legacy():
    assert detect(["Main Street", "John Smith", "Parcel 12", "Café René", "naïve façade"]) == "unicode"


def test_codes_and_numbers_are_unicode():
    assert detect(["ONT", "LUC", "CLN", "ONT+CLN", "1", "23.5", 42, 3.5, None, math.nan]) == "unicode"
    assert detect([]) == "unicode"


def test_mostly_tcvn3_with_ascii_values_is_tcvn3():
    column = [from_unicode(n, "tcvn3") for n in NAMES[:8]] + ["ONT", "LUC", "Chu Van An", "12", ""] * 3
    assert detect(column) == "tcvn3"


def test_mojibake_that_is_no_known_encoding_is_unknown():
    assert detect(["Ã¡Â»â€", "Ãƒâ€ Ã‚Â°", "Â¢Â£Â¤"]) == "unknown"


# -- Fixing a column -------------------------------------------------------------------------


def test_fix_column_converts_and_counts_changed_values():
    column = [from_unicode(n, "tcvn3") for n in NAMES[:5]] + ["ONT", None, math.nan, "Chu Van An"]
    fixed, used, changed = fix_column(column)
    assert used == "tcvn3" and changed == 5
    assert fixed[:5] == NAMES[:5]
    assert fixed[5] == "ONT" and fixed[6] is None and math.isnan(fixed[7]) and fixed[8] == "Chu Van An"


def test_fix_column_with_a_given_encoding():
    fixed, used, changed = fix_column([from_unicode(n, "vni") for n in NAMES[:3]], encoding="vni")
    assert (fixed, used, changed) == (NAMES[:3], "vni", 3)


def test_fix_column_leaves_unicode_values_of_a_mixed_column_alone():
    column = [from_unicode(n, "tcvn3") for n in NAMES[:6]] + ["Nguyễn Văn Tư"]
    fixed, used, changed = fix_column(column)
    assert used == "tcvn3" and changed == 6 and fixed == NAMES[:6] + ["Nguyễn Văn Tư"]


def test_fix_column_does_nothing_to_unicode():
    column = NAMES + ["ONT"]
    assert fix_column(column) == (column, "unicode", 0)


# -- Speed -----------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_time_to_convert_a_million_short_strings(encoding, capsys):
    values = SENTENCES + NAMES + ["ONT", "LUC", "NGUYỄN VĂN AN"]
    column = [from_unicode(values[i % len(values)], encoding) for i in range(1_000_000)]
    start = time.perf_counter()
    converted = [to_unicode(v, encoding) for v in column]
    per_value = time.perf_counter() - start
    start = time.perf_counter()
    fixed, used, _ = fix_column(column)
    whole_column = time.perf_counter() - start
    assert converted[: len(values)] == values and used == encoding and fixed == converted
    with capsys.disabled():
        print(f"\n{encoding}: 1 M strings, to_unicode one by one {per_value:.2f} s, "
              f"fix_column (detect + distinct values) {whole_column:.2f} s")
