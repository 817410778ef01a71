"""Write the committed workbook fixtures of tests/test_register_tables.py under tests/data/.

The tests build XLSX, ODS, CSV and DBF files themselves; these three cannot be made
with what the project installs, so they are made once here and committed:

- register.xls   an Excel 97–2003 register in the form offices use: title rows, a
                 two-row header with merged cells, a column-numbering row, numbers
                 typed as text both ways, codes with leading zeros, a row whose area
                 is text, and a second sheet that is not the register.
- encrypted.xls  a workbook whose stream says it is password-protected (a FILEPASS
                 record after the BOF record; the rest is never reached by a reader).
- encrypted.xlsx a workbook really encrypted with a password (Office agile encryption).

Run by a developer, never by the plugin or the tests. It needs two packages that are
no dependency of the project:

    pip install --target /tmp/fixture-pkgs xlwt msoffcrypto-tool
    PYTHONPATH=/tmp/fixture-pkgs python scripts/make_register_fixtures.py
"""
import io
import struct
from pathlib import Path

import msoffcrypto.format.ooxml
import openpyxl
import xlwt

OUT = Path(__file__).resolve().parents[1] / "tests" / "data"

# The register sheet of register.xls, row by row (row 1 first). Numbers are typed as
# numbers where an office would (STT, sheet and parcel numbers, year of birth).
TITLE = ["ỦY BAN NHÂN DÂN XÃ HOÀNG ĐỒNG", "SỔ MỤC KÊ ĐẤT ĐAI", None]
HEADER_TOP = ["STT", "Mã xã", "Thửa đất", None, None, "Chủ sử dụng", None, None, "Mục đích sử dụng"]
HEADER_LOW = [None, None, "Số tờ", "Số thửa", "Diện tích (m²)", "Họ tên", "Năm sinh", "Số CCCD", None]
NUMBERING = [f"({i})" for i in range(1, 10)]
BODY = [   # rows 7…
    [1, "06073", 1, 1, "1.234,5", "Nguyễn Văn An", 1980, "020080123456", "ONT"],
    [2, "06073", 1, 2.0, "1,234.5", "Trần Thị Bình", 1985, "001185012345", "ONT"],
    [3, "06073", 1, 3, "1234,5", "Lê Văn Cường", 1990, "020090123456", "CLN"],
    None,                                              # a blank row (row 10)
    [4, "06073", 1, 4, " 250 ", "Phạm Thị Dung", 1975, "020175123456", "ONT"],
    [5, "06073", 1, 5, "không rõ", "Hoàng Văn Em", 1970, "020070123456", "ONT"],
    [6, "06073", 1, 6, 300.5, "Vũ Thị Giang", 1995, "020195123456", "LUC"],
]


def register_xls() -> bytes:
    wb = xlwt.Workbook(encoding="utf-8")
    notes = wb.add_sheet("Hướng dẫn")
    notes.write(0, 0, "Nhập mỗi thửa đất trên một dòng.")
    notes.write(1, 0, "Diện tích ghi theo m².")
    ws = wb.add_sheet("Sổ mục kê")
    ws.write_merge(0, 0, 0, 8, TITLE[0])
    ws.write_merge(1, 1, 0, 8, TITLE[1])
    for c in (0, 1, 8):                           # STT, Mã xã, Mục đích: merged down two rows
        ws.write_merge(3, 4, c, c, HEADER_TOP[c])
    ws.write_merge(3, 3, 2, 4, "Thửa đất")
    ws.write_merge(3, 3, 5, 7, "Chủ sử dụng")
    for c, text in enumerate(HEADER_LOW):
        if text:
            ws.write(4, c, text)
    for c, text in enumerate(NUMBERING):
        ws.write(5, c, text)
    for r, values in enumerate(BODY, start=6):
        for c, value in enumerate(values or []):
            ws.write(r, c, value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def encrypted_xls() -> bytes:
    wb = xlwt.Workbook(encoding="utf-8")
    wb.add_sheet("Sổ mục kê").write(0, 0, "Số tờ")
    plain = wb.get_biff_data

    def with_filepass():
        data = plain()
        bof = 4 + struct.unpack("<H", data[2:4])[0]
        # FILEPASS, XOR obfuscation: type 0, key, verifier
        return data[:bof] + struct.pack("<HHHHH", 0x002F, 6, 0, 0x1234, 0x5678) + data[bof:]

    wb.get_biff_data = with_filepass
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def encrypted_xlsx() -> bytes:
    wb = openpyxl.Workbook()
    wb.active.append(["Số tờ", "Số thửa", "Diện tích"])
    wb.active.append([1, 1, 100])
    plain = io.BytesIO()
    wb.save(plain)
    plain.seek(0)
    out = io.BytesIO()
    msoffcrypto.format.ooxml.OOXMLFile(plain).encrypt("matkhau", out)
    return out.getvalue()


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for name, data in (("register.xls", register_xls()), ("encrypted.xls", encrypted_xls()),
                       ("encrypted.xlsx", encrypted_xlsx())):
        (OUT / name).write_bytes(data)
        print(f"{OUT / name}: {len(data)} bytes")


if __name__ == "__main__":
    main()
