"""Legacy Vietnamese text encodings (TCVN3/ABC and VNI-Windows) to Unicode and back, and
detection of the encoding a column of text was written in.

Old DBF/DGN text was typed with 8-bit Vietnamese fonts. A reader that decodes the bytes
as cp1252 or latin-1 (GDAL/OGR, most DBF readers) shows mojibake: "Lª V¨n Tµi" is TCVN3
for "Lê Văn Tài", "Nguyeãn Vaên An" is VNI for "Nguyễn Văn An". The functions here take
and give that mojibake *text* (the legacy bytes decoded as cp1252); `encode_legacy` and
`decode_legacy` work on the bytes themselves.

- TCVN3 is one byte per letter: a `str.translate` table.
- VNI writes a base letter followed by one diacritic byte (the circumflex or breve and
  the tone share one byte, "aá" = ấ); ơ, ư, đ, ỵ and the toned i are single bytes.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

ENCODINGS = ("tcvn3", "vni")
DETECTED = ("unicode", "tcvn3", "vni", "unknown")

# The five tones in the order every table below uses: sắc, huyền, hỏi, ngã, nặng.
_TONE_MARKS = ("\u0301", "\u0300", "\u0309", "\u0303", "\u0323")
_CIRCUMFLEX, _BREVE, _HORN = "\u0302", "\u0306", "\u031b"

# The 12 vowels of the Vietnamese alphabet; with đ and the five tones they make the 67
# lower-case letters outside ASCII (134 with the capitals).
_VOWELS = "aăâeêioôơuưy"


def _with_tone(vowel: str, tone: int) -> str:
    """The precomposed letter: vowel with tone 0 (none) … 5 (nặng)."""
    if tone == 0:
        return vowel
    return unicodedata.normalize("NFC", vowel + _TONE_MARKS[tone - 1])


def _all_letters() -> list[str]:
    letters = []
    for vowel in _VOWELS:
        for upper in (False, True):
            v = vowel.upper() if upper else vowel
            letters.extend(_with_tone(v, tone) for tone in range(6))
    return letters + ["đ", "Đ"]


VIETNAMESE_LETTERS = tuple(_all_letters())  # 146: 134 outside ASCII + a e i o u y, both cases
_VN_NON_ASCII = frozenset(c for c in VIETNAMESE_LETTERS if not c.isascii())

# -- TCVN3 ------------------------------------------------------------------------------
# Byte values written for this project from the code chart of TCVN 5712:1993. Its table
# VN3 is what the ABC ".VnTime" fonts hold: every lower-case letter and the capitals
# without a tone (Ă Â Ê Ô Ơ Ư Đ), but no toned capitals; the ".VnTimeH" fonts draw the
# lower-case positions as capitals instead. The toned capitals below are those of the
# full table VN1 (the same chart; glibc calls it TCVN5712-1): they sit in positions VN3
# leaves free, 0x80–0x9F, a few spare high positions and C0 control positions.
# Per letter: the bytes for no tone, sắc, huyền, hỏi, ngã, nặng.
_TCVN3_BYTES = {
    "a": (0x61, 0xB8, 0xB5, 0xB6, 0xB7, 0xB9),
    "ă": (0xA8, 0xBE, 0xBB, 0xBC, 0xBD, 0xC6),
    "â": (0xA9, 0xCA, 0xC7, 0xC8, 0xC9, 0xCB),
    "e": (0x65, 0xD0, 0xCC, 0xCE, 0xCF, 0xD1),
    "ê": (0xAA, 0xD5, 0xD2, 0xD3, 0xD4, 0xD6),
    "i": (0x69, 0xDD, 0xD7, 0xD8, 0xDC, 0xDE),
    "o": (0x6F, 0xE3, 0xDF, 0xE1, 0xE2, 0xE4),
    "ô": (0xAB, 0xE8, 0xE5, 0xE6, 0xE7, 0xE9),
    "ơ": (0xAC, 0xED, 0xEA, 0xEB, 0xEC, 0xEE),
    "u": (0x75, 0xF3, 0xEF, 0xF1, 0xF2, 0xF4),
    "ư": (0xAD, 0xF8, 0xF5, 0xF6, 0xF7, 0xF9),
    "y": (0x79, 0xFD, 0xFA, 0xFB, 0xFC, 0xFE),
    "A": (0x41, 0x83, 0x80, 0x81, 0x82, 0x84),
    "Ă": (0xA1, 0xC0, 0xAF, 0xBA, 0xBF, 0x85),
    "Â": (0xA2, 0xC4, 0xC1, 0xC2, 0xC3, 0x86),
    "E": (0x45, 0x8A, 0x87, 0x88, 0x89, 0x8B),
    "Ê": (0xA3, 0xDA, 0xC5, 0xCD, 0xD9, 0x8C),
    "I": (0x49, 0x90, 0x8D, 0x8E, 0x8F, 0x91),
    "O": (0x4F, 0x95, 0x92, 0x93, 0x94, 0x96),
    "Ô": (0xA4, 0xFF, 0xDB, 0xE0, 0xF0, 0x97),
    "Ơ": (0xA5, 0x9B, 0x98, 0x99, 0x9A, 0x9C),
    "U": (0x55, 0x01, 0x9D, 0x9E, 0x9F, 0x02),
    "Ư": (0xA6, 0x11, 0x04, 0x05, 0x06, 0x12),
    "Y": (0x59, 0x16, 0x13, 0x14, 0x15, 0x17),
}
_TCVN3_D = {"đ": 0xAE, "Đ": 0xA7}

# -- VNI-Windows --------------------------------------------------------------------------
# Written for this project from the VNI-Windows keyboard/font chart (VNI Software). Each
# diacritic byte has a lower-case form and a capital form (drawn higher), chosen by the
# case of the letter it follows. Here as the cp1252 characters of those bytes.
_VNI_TONE = ("ù", "ø", "û", "õ", "ï")                       # sắc huyền hỏi ngã nặng
_VNI_CIRCUMFLEX = ("â", "á", "à", "å", "ã", "ä")            # â/ê/ô without tone, then per tone
_VNI_BREVE = ("ê", "é", "è", "ú", "ü", "ë")                 # ă without tone, then per tone
# Letters that are one byte of their own.
_VNI_SINGLE = {"ơ": "ô", "ư": "ö", "đ": "ñ", "í": "í", "ì": "ì", "ỉ": "æ", "ĩ": "ó", "ị": "ò", "ỵ": "î"}


def _byte_as_text(byte: int) -> str:
    """A legacy byte as a cp1252 reader shows it; the five bytes cp1252 leaves undefined
    (0x81 0x8D 0x8F 0x90 0x9D) come out as the latin-1 control character, as Windows does."""
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)


def _is_toned(letter: str) -> bool:
    return any(m in _TONE_MARKS for m in unicodedata.normalize("NFD", letter))


def _tcvn3_tables() -> tuple[dict[int, str], dict[int, str], dict[int, str]]:
    rows = [(_with_tone(v, t), b) for v, codes in _TCVN3_BYTES.items() for t, b in enumerate(codes)]
    rows += list(_TCVN3_D.items())
    byte_of = {letter: byte for letter, byte in rows if not letter.isascii()}
    encode: dict[int, str] = {}       # letter -> mojibake, full table (toned capitals of VN1)
    encode_vn3: dict[int, str] = {}   # letter -> mojibake, toned capitals as their lower case
    decode: dict[int, str] = {}       # mojibake, read as cp1252 or as latin-1 -> letter
    for letter, byte in byte_of.items():
        encode[ord(letter)] = _byte_as_text(byte)
        vn3_byte = byte_of[letter.lower()] if letter.isupper() and _is_toned(letter) else byte
        encode_vn3[ord(letter)] = _byte_as_text(vn3_byte)
        decode[ord(_byte_as_text(byte))] = letter
        decode[byte] = letter
    return encode, encode_vn3, decode


_TCVN3_ENCODE, _TCVN3_ENCODE_VN3, _TCVN3_DECODE = _tcvn3_tables()


def _vni_letter(letter: str) -> str:
    """The VNI mojibake of one Vietnamese letter."""
    if letter.lower() in _VNI_SINGLE:
        single = _VNI_SINGLE[letter.lower()]
        return single.upper() if letter.isupper() else single
    parts = unicodedata.normalize("NFD", letter)
    base, marks = parts[0], parts[1:]
    tone = next((i + 1 for i, m in enumerate(_TONE_MARKS) if m in marks), 0)
    if _HORN in marks:        # ớ = ơ + tone
        code = _VNI_SINGLE["ơ" if base in "oO" else "ư"] + (_VNI_TONE[tone - 1] if tone else "")
    elif _CIRCUMFLEX in marks:
        code = base.lower() + _VNI_CIRCUMFLEX[tone]
    elif _BREVE in marks:
        code = base.lower() + _VNI_BREVE[tone]
    else:
        code = base.lower() + (_VNI_TONE[tone - 1] if tone else "")
    return code.upper() if letter.isupper() else code


def _vni_tables() -> tuple[dict[int, str], dict[str, str]]:
    encode = {ord(c): _vni_letter(c) for c in _VN_NON_ASCII}
    decode = {code: c for c, code in ((chr(k), v) for k, v in encode.items())}
    # Also read forms the fonts display the same and some tools wrote: a diacritic byte in
    # the other case than its letter ("Aùnh"), i and y with a tone byte instead of the
    # single-byte í ì ỉ ĩ ị ỵ ("iù"), the shape and the tone as two bytes ("aâù").
    marks_lower = set(_VNI_TONE + _VNI_CIRCUMFLEX + _VNI_BREVE)
    for base in "aeiouyôö":
        for first in marks_lower | {""}:
            for second in set(_VNI_TONE) | {""}:
                for b in (base, base.upper()):
                    for f in {first, first.upper()}:
                        for s in {second, second.upper()}:
                            key = b + f + s
                            if len(key) < 2 or key in decode:
                                continue
                            letter = _compose_vni(b, f, s)
                            if letter is not None:
                                decode[key] = letter
    return encode, decode


def _compose_vni(base: str, first: str, second: str) -> str | None:
    """The letter base + diacritic byte(s) stands for, or None when that is no letter."""
    upper = base.isupper()
    base = {"ô": "ơ", "ö": "ư"}.get(base.lower(), base.lower())
    shape, tones = "", []
    for mark in (first.lower(), second.lower()):
        if not mark:
            continue
        if mark in _VNI_TONE:
            tones.append(_VNI_TONE.index(mark) + 1)
        elif mark in _VNI_CIRCUMFLEX and not shape:
            shape, t = _CIRCUMFLEX, _VNI_CIRCUMFLEX.index(mark)
            tones += [t] if t else []
        elif mark in _VNI_BREVE and not shape:
            shape, t = _BREVE, _VNI_BREVE.index(mark)
            tones += [t] if t else []
        else:
            return None
    if len(tones) > 1 or (shape and base not in ("a", "e", "o")) or (shape == _BREVE and base != "a"):
        return None
    letter = unicodedata.normalize("NFC", base + shape)
    letter = _with_tone(letter, tones[0] if tones else 0)
    letter = letter.upper() if upper else letter
    return letter if letter in _VN_NON_ASCII else None


_VNI_ENCODE, _VNI_DECODE = _vni_tables()
_VNI_SINGLE_CHARS = "".join(sorted({c for s in _VNI_SINGLE.values() for c in (s, s.upper())}))
_VNI_MARK_CHARS = "".join(sorted({c for s in _VNI_TONE + _VNI_CIRCUMFLEX + _VNI_BREVE
                                  for c in (s, s.upper())}))
# Longest match first: a base letter with up to two diacritic bytes, else a single-byte letter.
_VNI_TOKEN = re.compile(f"[aeiouyAEIOUYôöÔÖ][{_VNI_MARK_CHARS}]{{1,2}}|[{_VNI_SINGLE_CHARS}]")


def _vni_replace(match: re.Match) -> str:
    token = match.group()
    letter = _VNI_DECODE.get(token)
    if letter is not None:
        return letter
    # Not one letter as a whole (e.g. "eê"): read the longest valid start, keep the rest.
    for n in (2, 1):
        letter = _VNI_DECODE.get(token[:n])
        if letter is not None:
            return letter + token[n:]
    return token


# -- Conversion ---------------------------------------------------------------------------
_ASCII_LOWER = re.compile("[a-z]")
_WORD = re.compile(r"[^\W\d_]+")
_VN_LOWER_CHARS = "".join(sorted(c for c in _VN_NON_ASCII if c.islower()))
_CAPITAL_CHARS = "A-Z" + "".join(sorted(c for c in _VN_NON_ASCII if c.isupper()))
# Two capitals in one word with no ASCII lower case between: a cheap test for the only
# values _restore_capitals may change (title-case names are most values and do not match).
_SHOUTED = re.compile(f"[{_CAPITAL_CHARS}][^\\W\\d_a-z]*[{_CAPITAL_CHARS}]")
_VN_LOWER = re.compile(f"[{_VN_LOWER_CHARS}]")
_VN_LETTERS_CLASS = "".join(sorted(_VN_NON_ASCII))
# What from_unicode cannot write: for TCVN3 also the C0 controls that are VN1 capitals.
_UNENCODABLE = {
    "tcvn3": re.compile(f"[^\x00\x03\x07-\x10\x18-\x7f{_VN_LETTERS_CLASS}]"),
    "vni": re.compile(f"[^\x00-\x7f{_VN_LETTERS_CLASS}]"),
}


def _check_encoding(encoding: str) -> str:
    name = str(encoding).lower()
    if name not in ENCODINGS:
        raise ValueError(f"unknown legacy encoding {encoding!r}: use one of {', '.join(ENCODINGS)}")
    return name


def _is_shouted(word: str) -> bool:
    return not _ASCII_LOWER.search(word) and sum(map(str.isupper, word)) >= 2


def _upper_word(match: re.Match) -> str:
    word = match.group()
    return word.upper() if _is_shouted(word) else word


def _restore_capitals(text: str) -> str:
    """Text typed in the .VnTimeH fonts stores toned capitals as lower-case bytes, so
    "NGUYÔN" reads "NGUYễN". A word with at least two capitals and no ASCII lower-case
    letter is taken as written in capitals, and so is the whole value when it has such a
    word and no ASCII lower case at all. "Lª" (Lê) and "§ç Lª" (Đỗ Lê) stay title case:
    one capital per word is not enough to tell."""
    if not any(_is_shouted(w) for w in _WORD.findall(text)):
        return text
    if not _ASCII_LOWER.search(text):
        return text.upper()
    return _WORD.sub(_upper_word, text)


def to_unicode(text: str, encoding: str, *, restore_capitals: bool = True) -> str:
    """Unicode (NFC) for legacy text read as cp1252 or latin-1.

    encoding: "tcvn3" (TCVN 5712: ABC/.VnTime text, and the toned capitals of its full
    table VN1) or "vni" (VNI-Windows). restore_capitals (TCVN3): make the toned letters
    of words written in capitals capitals too (see _restore_capitals).
    """
    name = _check_encoding(encoding)
    if name == "tcvn3":
        out = text.translate(_TCVN3_DECODE)
        if restore_capitals and not out.isascii() and _SHOUTED.search(out) and _VN_LOWER.search(out):
            out = _restore_capitals(out)
    else:
        out = text if text.isascii() else _VNI_TOKEN.sub(_vni_replace, text)
    return out if unicodedata.is_normalized("NFC", out) else unicodedata.normalize("NFC", out)


def from_unicode(text: str, encoding: str, *, errors: str = "strict", vn3_only: bool = False) -> str:
    """The legacy form of Unicode text as a cp1252 reader shows the legacy bytes (the
    five bytes cp1252 leaves undefined as latin-1 control characters).

    errors: "strict" raises ValueError on a character the encoding has no byte for,
    "replace" writes "?" instead. vn3_only (TCVN3): write toned capitals with their
    lower-case byte, as text typed for the ABC .VnTime/.VnTimeH fonts is (lossy: they
    read back as lower case unless their word is in capitals).
    """
    name = _check_encoding(encoding)
    if errors not in ("strict", "replace"):
        raise ValueError(f"errors must be 'strict' or 'replace', not {errors!r}")
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    bad = _UNENCODABLE[name].findall(text)
    if bad:
        if errors == "strict":
            raise ValueError(f"{name} has no byte for {''.join(sorted(set(bad)))!r} (in {text!r})")
        text = _UNENCODABLE[name].sub("?", text)
    if name == "tcvn3":
        return text.translate(_TCVN3_ENCODE_VN3 if vn3_only else _TCVN3_ENCODE)
    return text.translate(_VNI_ENCODE)


def encode_legacy(text: str, encoding: str, **kwargs) -> bytes:
    """The legacy bytes of Unicode text, for writing files the old software's way."""
    # Below 0x100 a character is its own byte (latin-1, and the cp1252 holes); above,
    # it is one of cp1252's extras in 0x80-0x9F.
    return bytes(ord(c) if ord(c) < 0x100 else c.encode("cp1252")[0]
                 for c in from_unicode(text, encoding, **kwargs))


def decode_legacy(data: bytes, encoding: str, **kwargs) -> str:
    """Unicode for legacy bytes."""
    return to_unicode("".join(map(_byte_as_text, data)), encoding, **kwargs)


# -- Plausibility of Vietnamese text --------------------------------------------------------
# Vietnamese syllable = initial consonant? + vowel nucleus + final consonant?, spelt.
# Longest initials first: "nghiêng" is ngh + iê + ng.
_INITIALS = ("ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr",
             "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "")
_FINALS = ("ch", "ng", "nh", "c", "m", "n", "p", "t", "")
_STOP_FINALS = ("ch", "c", "p", "t")  # after these only sắc or nặng
# Nuclei that end in a semivowel or are ia/ua/ưa take no final consonant; some take one always.
_OPEN_NUCLEI = frozenset("ai ao au ay âu ây eo êu ia iu oi ôi ơi ua ui uơ ưa ưi ưu "
                         "iêu yêu oai oay oao oeo uây uôi ươi ươu uya uyu".split())
_CLOSED_NUCLEI = frozenset("ă â iê yê uô ươ uyê oă uâ".split())
_FREE_NUCLEI = frozenset("a e ê i o ô ơ u ư y oa oe uê uy".split())  # "oo" (xoong) left out
# In the usual way TCVN3 is misread as VNI and the other way round, these rules are what
# tell the readings apart: "oâ" (VNI ô) read as TCVN3 is "oõ", no syllable.
_SHAPED = "ăâêôơư"


def _tone_in_place(nucleus: str, final: str, pos: int) -> bool:
    """Where the tone mark goes: on the (last) vowel with a shape mark; else on the last
    vowel before a final consonant; else on the first of two vowels (both places for
    oa, oe, uy: old and new style) or the middle of three."""
    shaped = [i for i, c in enumerate(nucleus) if c in _SHAPED]
    if len(nucleus) == 1:
        return pos == 0
    if shaped:
        return pos == shaped[-1]
    if final:
        return pos == len(nucleus) - 1
    if len(nucleus) == 2:
        return pos == 0 or nucleus in ("oa", "oe", "uy")
    return pos == 1


def _final_fits(initial: str, nucleus: str, final: str) -> bool:
    """ch/nh only after a, ê, i, y (anh, ênh, inh, uynh); c/ng never after i or y;
    y alone takes a final only after qu (quýt)."""
    if final in ("ch", "nh"):
        return nucleus[-1] in "aêiy"
    if final in ("c", "ng") and nucleus[-1] in "iy":
        return False
    return not (final and nucleus == "y" and initial != "qu")


@lru_cache(maxsize=65536)
def _is_syllable(word: str) -> bool:
    """A Vietnamese syllable: lower, title or upper case; letters of the alphabet; at
    most one tone, in its place; and spelt initial + nucleus + final as above."""
    if len(word) > 1 and not (word.islower() or word.isupper() or word[1:].islower()):
        return False
    letters = []
    tone, tone_at = 0, -1
    for i, c in enumerate(unicodedata.normalize("NFC", word.lower())):
        parts = unicodedata.normalize("NFD", c)
        marks = [m for m in parts if m in _TONE_MARKS]
        if marks:
            if tone or len(marks) > 1:
                return False
            tone, tone_at = _TONE_MARKS.index(marks[0]) + 1, i
            c = unicodedata.normalize("NFC", "".join(m for m in parts if m not in _TONE_MARKS))
        letters.append(c)
    bare = "".join(letters)
    for initial in _INITIALS:
        if not bare.startswith(initial):
            continue
        rest = bare[len(initial):]
        for final in _FINALS:
            if not rest.endswith(final) or len(rest) == len(final):
                continue
            nucleus = rest[:len(rest) - len(final)]
            if not (nucleus in _FREE_NUCLEI or (nucleus in _OPEN_NUCLEI and not final)
                    or (nucleus in _CLOSED_NUCLEI and final)):
                continue
            if not _final_fits(initial, nucleus, final):
                continue
            if not tone:
                return True
            pos = tone_at - len(initial)
            if not 0 <= pos < len(nucleus):
                continue
            if final in _STOP_FINALS and tone not in (1, 5):
                continue
            if _tone_in_place(nucleus, final, pos):
                return True
    return False


# Characters of everyday text that are not letters and not signs of mojibake.
_NEUTRAL = set("–—‘’“”…•°«»€\u00a0")
# Characters a cp1252/latin-1 reading of legacy bytes can give: \x00-\xff and the cp1252 extras.
_CP1252_EXTRAS = "".join(bytes([b]).decode("cp1252", "ignore") for b in range(0x80, 0xA0))
_NOT_LEGACY = re.compile(f"[^\\x00-\\xff{_CP1252_EXTRAS}]")


def _is_clean_char(c: str) -> bool:
    """Not a sign of mojibake: a Latin letter, a combining mark, ordinary punctuation."""
    if c.isascii():
        return c.isprintable() or c in "\t\r\n"
    if c in _NEUTRAL:
        return True
    o = ord(c)
    latin_letter = (0xC0 <= o <= 0x24F or 0x1E00 <= o <= 0x1EFF) and o not in (0xD7, 0xF7)
    return latin_letter or unicodedata.category(c) == "Mn"


def _assess(text: str) -> tuple[bool, bool, int]:
    """(clean, plausible Vietnamese, score) of one non-ASCII value. Clean: no sign of
    mojibake. Plausible: clean, and at least 4 in 5 of its non-ASCII words are
    Vietnamese syllables. Score: syllables − other non-ASCII words − 2 × mojibake signs.
    Words of one letter prove nothing ("£12" as TCVN3 is "Ê12") and are not counted."""
    text = unicodedata.normalize("NFC", text)
    signs = sum(not _is_clean_char(c) for c in text if not c.isascii() or not c.isprintable())
    good = bad = 0
    for word in _WORD.findall(text):
        if word.isascii() or len(word) == 1:
            continue
        if _is_syllable(word):
            good += 1
        else:
            bad += 1
    plausible = signs == 0 and good > 0 and bad * 4 <= good
    return signs == 0, plausible, good - bad - 2 * signs


_SAMPLE = 5000


def detect(values: Iterable) -> str:
    """The encoding of a column of text: "unicode", "tcvn3", "vni" or "unknown".

    Only non-ASCII values carry evidence (ASCII reads the same in all three: codes such
    as "ONT", numbers, unaccented names are "unicode"). Each distinct non-ASCII value is
    read as is, as TCVN3 and as VNI; a reading scores when it is plausible Vietnamese
    (see _assess). A legacy encoding wins when it makes more values plausible than the
    text as is and at least half of them; otherwise the column is "unicode" when its
    text shows no mojibake, else "unknown". Values holding characters no legacy byte
    gives (ễ, ộ …) count for Unicode.
    """
    distinct = list(dict.fromkeys(v for v in values if isinstance(v, str) and not v.isascii()))
    if not distinct:
        return "unicode"
    if len(distinct) > _SAMPLE:  # evenly spread over the column, not just its head
        step = len(distinct) / _SAMPLE
        distinct = [distinct[int(i * step)] for i in range(_SAMPLE)]
    counts = {"unicode": 0, "tcvn3": 0, "vni": 0}
    scores = dict.fromkeys(counts, 0)
    clean = 0
    for value in distinct:
        is_clean, plausible, score = _assess(value)
        clean += is_clean
        if _NOT_LEGACY.search(value):
            counts["unicode"] += 1
            continue
        counts["unicode"] += plausible
        scores["unicode"] += score
        for name in ENCODINGS:
            _, plausible, score = _assess(to_unicode(value, name))
            counts[name] += plausible
            scores[name] += score
    n = len(distinct)
    best = max(ENCODINGS, key=lambda e: (counts[e], scores[e]))
    other = "vni" if best == "tcvn3" else "tcvn3"
    if counts[best] > counts["unicode"] and 2 * counts[best] >= n:
        if (counts[best], scores[best]) == (counts[other], scores[other]):
            return "unknown"
        return best
    if 2 * counts["unicode"] >= n or 5 * clean >= 4 * n:
        return "unicode"
    return "unknown"


def fix_column(values: Iterable, encoding: str = "auto") -> tuple[list, str, int]:
    """(converted values, encoding used, number of values changed) for a column.

    encoding: "auto" (detect), "tcvn3", "vni", or "unicode"/"unknown" (nothing to do).
    None, NaN and non-text values are kept as they are, and so are values holding
    characters no legacy byte gives (already Unicode in a mixed column).
    """
    values = list(values)
    name = detect(values) if encoding == "auto" else str(encoding).lower()
    if name in ("unicode", "unknown"):
        return values, name, 0
    _check_encoding(name)
    converted: dict[str, str] = {}
    out = []
    changed = 0
    for value in values:
        if not isinstance(value, str):
            out.append(value)
            continue
        new = converted.get(value)
        if new is None:
            new = value if _NOT_LEGACY.search(value) else to_unicode(value, name)
            converted[value] = new
        changed += new != value
        out.append(new)
    return out, name, changed
