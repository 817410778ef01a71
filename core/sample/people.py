"""Land users of the sample: Vietnamese names, citizen IDs (CCCD) and addresses.

Names mix Kinh family names with the Tày and Nùng names common in Lạng Sơn; villages
have Tày–Nùng names. A CCCD is built by the rule in DOMAIN.md: province-of-birth code
(mostly 020, Lạng Sơn), century/sex digit matching the birth year, the year's last two
digits, six random digits; IDs are unique within a sample.
"""
from __future__ import annotations

import unicodedata

import numpy as np


def _nfc(words):
    return tuple(unicodedata.normalize("NFC", w) for w in words)


# (name, weight)
_FAMILY = (("Nguyễn", 12), ("Hoàng", 10), ("Nông", 7), ("Vi", 6), ("Lương", 5), ("Triệu", 5),
           ("Trần", 5), ("Lê", 4), ("Hà", 4), ("Lộc", 4), ("Lường", 3), ("Lăng", 3), ("Chu", 3),
           ("Dương", 3), ("Phạm", 3), ("Lý", 3), ("Mã", 2), ("Đinh", 2), ("Vy", 2), ("Hứa", 2),
           ("Bế", 2), ("Đàm", 2), ("Lâm", 2), ("Tô", 2), ("Đặng", 2), ("Vũ", 2), ("Ngô", 1),
           ("Bùi", 1), ("Đỗ", 1))
FAMILY = _nfc(n for n, _ in _FAMILY)
FAMILY_P = np.array([w for _, w in _FAMILY], dtype=float) / sum(w for _, w in _FAMILY)
MIDDLE = {
    0: _nfc(("Văn", "Văn", "Văn", "Văn", "Đức", "Minh", "Quang", "Hữu", "Thế", "Công", "Xuân")),
    1: _nfc(("Thị", "Thị", "Thị", "Thị", "Thu", "Ngọc", "Thanh", "Hồng", "Kim", "Minh")),
}
GIVEN = {
    0: _nfc(("Hùng", "Dũng", "Tuấn", "Sơn", "Thắng", "Hải", "Long", "Cường", "Bình", "Phúc",
             "Toàn", "Nghĩa", "Khánh", "Quân", "Tài", "Lợi", "Sáng", "Chiến", "Thành", "Tú",
             "Hưng", "Lâm", "Trung", "Vinh", "Đông", "Hoan", "Bảo", "Kiên", "Lực", "Mạnh",
             "Pao", "Slay", "Tiến", "Đạt", "Quyết")),
    1: _nfc(("Lan", "Hoa", "Hương", "Mai", "Thảo", "Hằng", "Nga", "Liên", "Nhung", "Duyên",
             "Hạnh", "Phượng", "Thúy", "Vân", "Yến", "Loan", "Huyền", "Linh", "Ngọc", "Thơm",
             "Dung", "Tâm", "Xuân", "Hiền", "Quyên", "Nhàn", "Chiêm", "Mây")),
}
VILLAGES = _nfc((
    "Nà Phải", "Bản Cắm", "Khòn Pát", "Nà Làng", "Pò Mã", "Còn Quan", "Nà Tấng", "Bản Chu",
    "Khau Khem", "Pác Cáp", "Nà Pàn", "Bó Củng", "Lũng Vài", "Nà Lừa", "Pắc Khuông", "Nà Thâm",
    "Kéo Cà", "Pò Nhùng", "Bản Lải", "Nà Slác", "Khuổi Phầy", "Phai Xả", "Nà Mần", "Bản Làn",
    "Pò Lọi", "Khòn Nà", "Nà Cạn", "Nà Danh", "Tềnh Pàn", "Bản Pè", "Nà Pán", "Cốc Nhan",
    "Pác Lạn", "Nà Khau", "Bản Đon", "Lùng Cùng", "Đồng Tâm", "Tân Lập", "Phố Mới", "Cốc Phường"))

# Province-of-birth codes other than Lạng Sơn's own (020), weighted: neighbours and big cities.
OTHER_BIRTH_PROVINCES = (("024", 4), ("004", 3), ("006", 2), ("019", 2), ("022", 2), ("001", 3),
                         ("008", 1), ("025", 1), ("030", 1), ("031", 1), ("036", 1), ("038", 1),
                         ("079", 1))
HOME_PROVINCE_SHARE = 0.88


class People:
    """A pool of persons; arrays aligned by person index."""

    def __init__(self, name, sex, birth_year, cccd, address):
        self.name, self.sex, self.birth_year, self.cccd, self.address = (
            name, sex, birth_year, cccd, address)

    def __len__(self) -> int:
        return len(self.name)


def make_people(n: int, places: np.ndarray, rng: np.random.Generator,
                home_code: str = "020", valid_codes: set[str] | None = None) -> People:
    """n persons living at `places` (address text per person, already chosen)."""
    sex = (rng.random(n) < 0.35).astype(np.int8)           # certificates name men more often
    birth_year = np.round(rng.triangular(1940, 1968, 2005, n)).astype(np.int64)
    family = np.array(FAMILY, dtype=object)[rng.choice(len(FAMILY), n, p=FAMILY_P)]
    middle = np.empty(n, dtype=object)
    given = np.empty(n, dtype=object)
    for s in (0, 1):
        idx = np.flatnonzero(sex == s)
        middle[idx] = np.array(MIDDLE[s], dtype=object)[rng.integers(0, len(MIDDLE[s]), len(idx))]
        given[idx] = np.array(GIVEN[s], dtype=object)[rng.integers(0, len(GIVEN[s]), len(idx))]
    name = family + " " + middle + " " + given
    others = [(c, w) for c, w in OTHER_BIRTH_PROVINCES
              if c != home_code and (valid_codes is None or c in valid_codes)]
    codes = np.array([int(home_code)] + [int(c) for c, _ in others], dtype=np.int64)
    weights = np.array([w for _, w in others], dtype=float)
    p = np.concatenate([[HOME_PROVINCE_SHARE], (1 - HOME_PROVINCE_SHARE) * weights / weights.sum()])
    province = codes[rng.choice(len(codes), n, p=p)]
    century_sex = (birth_year >= 2000) * 2 + sex
    head = province * 10**9 + century_sex * 10**8 + (birth_year % 100) * 10**6
    ids = head + rng.integers(0, 10**6, n)
    # six random digits may repeat: draw again until every ID is unique
    while True:
        _, first = np.unique(ids, return_index=True)
        dup = np.ones(n, dtype=bool)
        dup[first] = False
        if not dup.any():
            break
        ids[dup] = head[dup] + rng.integers(0, 10**6, int(dup.sum()))
    cccd = np.char.zfill(ids.astype(str), 12).astype(object)
    return People(name, sex, birth_year, cccd, places)


def commune_words(name: str) -> tuple[str, str]:
    """('xã', 'Đoàn Kết') from 'Xã Đoàn Kết'; wards give 'phường'."""
    head, _, rest = name.partition(" ")
    if head.lower() in ("xã", "phường", "thị") and rest:
        if head.lower() == "thị":            # 'Thị trấn X'
            word, _, rest2 = rest.partition(" ")
            return "thị trấn", rest2 or rest
        return head.lower(), rest
    return "xã", name


def addresses(n: int, commune_name: str, province_name: str, rng: np.random.Generator,
              n_villages: int = 12) -> np.ndarray:
    """'Thôn Nà Phải, xã Đoàn Kết, tỉnh Lạng Sơn' (wards: 'Khối 3, phường …')."""
    word, short = commune_words(commune_name)
    province = province_name[:1].lower() + province_name[1:] if province_name else ""
    tail = f", {word} {short}" + (f", {province}" if province else "")
    if word == "phường":
        places = np.array([f"Khối {k}{tail}" for k in range(1, n_villages + 1)], dtype=object)
    else:
        chosen = rng.choice(len(VILLAGES), min(n_villages, len(VILLAGES)), replace=False)
        places = np.array([f"Thôn {VILLAGES[i]}{tail}" for i in sorted(chosen)], dtype=object)
    return places[rng.integers(0, len(places), n)]


def committee(commune_name: str) -> str:
    """'UBND xã Đoàn Kết': the commune People's Committee, user of roads, rivers and public land."""
    word, short = commune_words(commune_name)
    return f"UBND {word} {short}"
