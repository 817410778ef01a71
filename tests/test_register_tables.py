"""Register tables as offices send them: XLSX, XLS, ODS, CSV and DBF, with title rows,
headers written on two rows under merged cells, a column-numbering row, numbers typed as
text both ways, codes with leading zeros, and rows that cannot be read — each reported
with the row number the user sees in the spreadsheet.

The files are built here (openpyxl for XLSX, a hand-written content.xml for ODS, GDAL/OGR
for DBF); .xls cannot be written with what the project installs, so tests/data holds a
small one made by scripts/make_register_fixtures.py, with two encrypted workbooks.
"""
import csv
import datetime
import io
import re
import unicodedata
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np
import openpyxl
import pytest
from openpyxl.utils.cell import range_boundaries
from osgeo import gdal, ogr

from casebuilder import P, write_case
from cadastre_cleaner.core.loading import workbooks
from cadastre_cleaner.core.errors import InputError
from cadastre_cleaner.core.pipeline import CheckRequest, compute
from cadastre_cleaner.core.loading.tables import read_table, read_table_header
from cadastre_cleaner.core.loading.vn_encodings import from_unicode

DATA = Path(__file__).resolve().parent / "data"

# --- the register form, as a grid of rows (row 1 first) and its merged ranges -----------


class Formula:
    """A formula cell and the value the spreadsheet program saved with it."""

    def __init__(self, formula: str, cached):
        self.formula, self.cached = formula, cached


HEADER_COLUMNS = ["STT", "Mã xã", "Số tờ (Thửa đất)", "Số thửa (Thửa đất)", "Diện tích (m²) (Thửa đất)",
                  "Họ tên (Chủ sử dụng)", "Năm sinh (Chủ sử dụng)", "Số CCCD (Chủ sử dụng)",
                  "Mục đích sử dụng"]


def form_rows():
    """Rows 1–14 of a register in the form communes use; the body starts on row 7."""
    return [
        ["ỦY BAN NHÂN DÂN XÃ HOÀNG ĐỒNG"],                                               # 1
        ["SỔ MỤC KÊ ĐẤT ĐAI"],                                                           # 2
        [],                                                                              # 3
        ["STT", "Mã xã", "Thửa đất", None, None, "Chủ sử dụng", None, None, "Mục đích sử dụng"],  # 4
        [None, None, "Số tờ", "Số thửa", "Diện tích (m²)", "Họ tên", "Năm sinh", "Số CCCD"],     # 5
        [f"({i})" for i in range(1, 10)],                                                # 6
        [1, "06073", 1, 1, "1.234,5", "Nguyễn Văn An", 1980, "001080012345", "ONT"],    # 7
        [2, "06073", 1, 2.0, "1,234.5", None, 1980, None, "ONT"],                       # 8 (owner merged)
        [3, "06073", 1, 3, "1234,5", "Lê Văn Cường", 1990, "020090123456", "CLN"],       # 9
        [4, "06073", 1, 4, " 250 ", "Phạm Thị Dung", 1975, "020175123456", "ONT"],      # 10
        [5, "06073", 1, 5, Formula("100*2.5", 250), "Hoàng Văn Em", 1970, "020070123456", "ONT"],  # 11
        [],                                                                              # 12
        [6, "06073", 1, 6, "không rõ", "Vũ Thị Giang", 1995, "020195123456", "LUC"],     # 13
        [7, "06073", 1, 7, 300.5, "Đỗ Văn Hùng", 1960, "020060123456", "ONT"],           # 14
    ]


FORM_MERGES = ["A1:I1", "A2:I2", "A4:A5", "B4:B5", "C4:E4", "F4:H4", "I4:I5",
               "F7:F8", "H7:H8"]          # one owner, and one ID, for the parcels of rows 7 and 8
FORM_ROWS = [7, 8, 9, 10, 11, 13, 14]
FORM_AREAS = [1234.5, 1234.5, 1234.5, 250.0, 250.0, np.nan, 300.5]
BROKEN_ROW = 13


def form_parcels():
    return [P("1", n, a if a == a else 100.0) for n, a in zip(range(1, 8), FORM_AREAS)]


# --- file builders ---------------------------------------------------------------------------

def write_xlsx(path: Path, sheets: dict) -> Path:
    """sheets: name -> (rows, merges). Formula cells keep their saved value, as Excel's do
    (openpyxl writes none, so it is put into the sheet's XML afterwards)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    cached = {}
    for name, (rows, merges) in sheets.items():
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if isinstance(value, Formula):
                    cached[f"<f>{value.formula}</f><v></v>"] = f"<f>{value.formula}</f><v>{value.cached}</v>"
                    value = "=" + value.formula
                if value is not None:
                    ws.cell(r, c, value)
        for ref in merges:
            ws.merge_cells(ref)
    buf = io.BytesIO()
    wb.save(buf)
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                text = data.decode("utf-8")
                for old, new in cached.items():
                    text = text.replace(old, new)
                data = text.encode("utf-8")
            dst.writestr(item, data)
    return path


ODS_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
          'xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2" office:version="1.2"')


def _ods_text(text: str) -> str:
    # ODF collapses spaces in text:p: a space to keep is written <text:s/>, as LibreOffice does
    body = escape(text.strip(" "))
    lead, trail = len(text) - len(text.lstrip(" ")), len(text) - len(text.rstrip(" "))
    return "<text:s/>" * lead + body + "<text:s/>" * trail


def _ods_cell(value, span) -> str:
    attrs = ""
    if span:
        attrs += f' table:number-rows-spanned="{span[0]}" table:number-columns-spanned="{span[1]}"'
    if value is None:
        return f"<table:table-cell{attrs}/>"
    if isinstance(value, Formula):
        return (f'<table:table-cell{attrs} table:formula="of:={value.formula}" office:value-type="float" '
                f'office:value="{value.cached}"><text:p>{value.cached}</text:p></table:table-cell>')
    if isinstance(value, datetime.date):
        return (f'<table:table-cell{attrs} office:value-type="date" office:date-value="{value.isoformat()}">'
                f"<text:p>{value:%d/%m/%Y}</text:p></table:table-cell>")
    if isinstance(value, (int, float)):
        return (f'<table:table-cell{attrs} office:value-type="float" office:value="{value}">'
                f"<text:p>{value}</text:p></table:table-cell>")
    return (f'<table:table-cell{attrs} office:value-type="string">'
            f"<text:p>{_ods_text(value)}</text:p></table:table-cell>")


def write_ods(path: Path, sheets: dict, rest: int = 1048560) -> Path:
    """An OpenDocument spreadsheet as LibreOffice writes one: merged cells as spans over
    covered cells, and the rest of the sheet as `rest` repeated empty rows."""
    tables = []
    for name, (rows, merges) in sheets.items():
        spans, covered = {}, set()
        for ref in merges:
            c1, r1, c2, r2 = range_boundaries(ref)
            spans[(r1 - 1, c1 - 1)] = (r2 - r1 + 1, c2 - c1 + 1)
            covered |= {(r, c) for r in range(r1 - 1, r2) for c in range(c1 - 1, c2)} - {(r1 - 1, c1 - 1)}
        width = max(len(r) for r in rows)
        xml_rows = []
        for r, row in enumerate(rows):
            cells = []
            for c in range(width):
                if (r, c) in covered:
                    cells.append("<table:covered-table-cell/>")
                else:
                    cells.append(_ods_cell(row[c] if c < len(row) else None, spans.get((r, c))))
            cells.append('<table:table-cell table:number-columns-repeated="1015"/>')
            xml_rows.append(f"<table:table-row>{''.join(cells)}</table:table-row>")
        xml_rows.append(f'<table:table-row table:number-rows-repeated="{rest}">'
                        '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>')
        tables.append(f'<table:table table:name="{escape(name)}">'
                      f'<table:table-column table:number-columns-repeated="1024"/>{"".join(xml_rows)}'
                      "</table:table>")
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODS_NS}>'
               f"<office:body><office:spreadsheet>{''.join(tables)}</office:spreadsheet></office:body>"
               "</office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("META-INF/manifest.xml", manifest)
        zf.writestr("content.xml", content)
    return path


def write_dbf(path: Path, fields: list, records: list, encoding: str, cpg: bool = True,
              ldid: int | None = None, deleted=()) -> Path:
    """A dBase table written by OGR: `fields` (name, ogr type), text recoded to `encoding`.
    Without cpg the .cpg is removed and `ldid` put in the header, as old software left them;
    records in `deleted` are marked deleted (dBase keeps them until the file is packed)."""
    # QGIS sets SHAPE_ENCODING="" (no recoding) for the whole process: ask for it here
    saved = gdal.GetThreadLocalConfigOption("SHAPE_ENCODING", None)
    gdal.SetThreadLocalConfigOption("SHAPE_ENCODING", encoding)
    try:
        ds = ogr.GetDriverByName("ESRI Shapefile").CreateDataSource(str(path))
        layer = ds.CreateLayer(path.stem, geom_type=ogr.wkbNone, options=[f"ENCODING={encoding}"])
        for name, kind in fields:
            layer.CreateField(ogr.FieldDefn(name, kind))
        for record in records:
            feat = ogr.Feature(layer.GetLayerDefn())
            for (name, _), value in zip(fields, record):
                if value is not None:
                    feat.SetField(name, value)
            layer.CreateFeature(feat)
        ds = None
    finally:
        gdal.SetThreadLocalConfigOption("SHAPE_ENCODING", saved)
    data = bytearray(path.read_bytes())
    if not cpg:
        path.with_suffix(".cpg").unlink(missing_ok=True)
    if ldid is not None:
        data[29] = ldid
    header_len, record_len = int.from_bytes(data[8:10], "little"), int.from_bytes(data[10:12], "little")
    for i in deleted:
        data[header_len + i * record_len] = ord("*")
    path.write_bytes(bytes(data))
    return path


def to_cp1258(text: str) -> bytes:
    """Windows-1258 keeps Â Ê Ô Ă Ơ Ư Đ whole but writes tones as separate marks."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out, base = [], -1
    for ch in unicodedata.normalize("NFD", text):
        if base >= 0 and ch not in tones and unicodedata.combining(ch):
            out[base] = unicodedata.normalize("NFC", out[base] + ch)
        else:
            out.append(ch)
            if not unicodedata.combining(ch):
                base = len(out) - 1
    return "".join(out).encode("cp1258")


def check(tmp_path, register, parcels=None):
    """The full check of `register` against a map of `parcels` (sheet 1, parcels 1–7)."""
    case = write_case(tmp_path / "map", parcels or form_parcels(), [])
    result, _ = compute(CheckRequest(parcels=str(case.parcels), register=str(register),
                                     out=str(tmp_path / "flags.gpkg")))
    return result


def flags(result, code):
    return result.flags[result.flags["code"] == code]


# --- XLSX -----------------------------------------------------------------------------------

@pytest.fixture
def form_xlsx(tmp_path):
    return write_xlsx(tmp_path / "so_muc_ke.xlsx", {"Sổ mục kê": (form_rows(), FORM_MERGES)})


def test_xlsx_header_under_title_rows_is_joined_from_two_merged_rows(form_xlsx):
    frame = read_table(str(form_xlsx))
    assert list(frame.attrs.columns) == HEADER_COLUMNS
    assert "header rows 4–5" in frame.notes and "column-numbering row 6 skipped" in frame.notes


def test_xlsx_rows_are_the_spreadsheet_rows_below_numbering_and_blank_rows(form_xlsx):
    assert list(read_table(str(form_xlsx)).rows) == FORM_ROWS


def test_xlsx_cells_are_read_as_text_keeping_leading_zeros_and_dropping_dot_zero(form_xlsx):
    attrs = read_table(str(form_xlsx)).attrs
    assert set(attrs["Mã xã"]) == {"06073"}
    assert attrs["Số CCCD (Chủ sử dụng)"].iloc[0] == "001080012345"
    assert list(attrs["Số thửa (Thửa đất)"])[:2] == ["1", "2"]          # 2.0 typed as a number
    assert attrs["Năm sinh (Chủ sử dụng)"].iloc[0] == "1980"


def test_xlsx_formulas_give_their_saved_values(form_xlsx):
    attrs = read_table(str(form_xlsx)).attrs
    assert attrs["Diện tích (m²) (Thửa đất)"].iloc[4] == "250"


def test_xlsx_value_merged_down_the_body_is_repeated_on_every_row(form_xlsx):
    attrs = read_table(str(form_xlsx)).attrs
    assert list(attrs["Họ tên (Chủ sử dụng)"])[:2] == ["Nguyễn Văn An", "Nguyễn Văn An"]
    assert list(attrs["Số CCCD (Chủ sử dụng)"])[:2] == ["001080012345", "001080012345"]


def test_an_area_merged_over_rows_is_a_total_and_stays_on_its_first_row(tmp_path):
    rows = [["Số tờ", "Số thửa", "Diện tích", "Chủ sử dụng"],
            [1, 1, 500, "Nguyễn Văn An"], [1, 2, None, None]]
    path = write_xlsx(tmp_path / "r.xlsx", {"S": (rows, ["C2:C3", "D2:D3"])})
    attrs = read_table(str(path)).attrs
    assert list(attrs["Diện tích"]) == ["500", None]
    assert list(attrs["Chủ sử dụng"]) == ["Nguyễn Văn An", "Nguyễn Văn An"]


def test_xlsx_full_check_parses_both_number_conventions_and_flags_the_broken_row(tmp_path, form_xlsx):
    result = check(tmp_path, form_xlsx)
    assert list(result.r["row"]) == FORM_ROWS
    np.testing.assert_array_equal(result.r["area"].to_numpy(), FORM_AREAS)
    invalid = flags(result, "VALUE_INVALID")
    assert len(invalid) == 1
    assert f"row {BROKEN_ROW} " in invalid["message"].iloc[0] and "không rõ" in invalid["message"].iloc[0]
    assert invalid["ident"].iloc[0].endswith(f"|r{BROKEN_ROW}")
    assert flags(result, "OWNER_MISSING").empty and flags(result, "OWNER_ID_INVALID").empty
    assert len(result.pairs) == 7


def test_header_alone_gives_the_names_read_table_gives(form_xlsx, tmp_path):
    ods = write_ods(tmp_path / "r.ods", {"Sổ mục kê": (form_rows(), FORM_MERGES)})
    for path in (form_xlsx, ods, DATA / "register.xls"):
        assert read_table_header(str(path)) == list(read_table(str(path)).attrs.columns) == HEADER_COLUMNS


def test_a_title_directly_above_the_header_is_not_taken_for_a_group_name(tmp_path):
    rows = [["ỦY BAN NHÂN DÂN XÃ HOÀNG ĐỒNG", None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
            ["STT", "Số tờ", "Số thửa", "Diện tích"], [1, 1, 1, 100]]
    frame = read_table(str(write_xlsx(tmp_path / "r.xlsx", {"S": (rows, ["A1:C1", "D1:F1"])})))
    assert list(frame.attrs.columns) == ["STT", "Số tờ", "Số thửa", "Diện tích"]
    assert list(frame.rows) == [3]


def test_a_header_may_continue_on_the_row_below_it(tmp_path):
    # 'Chủ sử dụng' merged over three columns named on the next row; the rest merged down
    rows = [["STT", "Số tờ", "Số thửa", "Chủ sử dụng", None, None, "Ghi chú"],
            [None, None, None, "Họ tên", "Năm sinh", "Số CCCD"],
            [1, 1, 1, "Nguyễn Văn An", 1980, "001080012345", None]]
    merges = ["A1:A2", "B1:B2", "C1:C2", "D1:F1", "G1:G2"]
    frame = read_table(str(write_xlsx(tmp_path / "r.xlsx", {"S": (rows, merges)})))
    assert list(frame.attrs.columns) == ["STT", "Số tờ", "Số thửa", "Họ tên (Chủ sử dụng)",
                                         "Năm sinh (Chủ sử dụng)", "Số CCCD (Chủ sử dụng)", "Ghi chú"]
    assert list(frame.rows) == [3]


def test_a_workbook_whose_saved_size_is_wrong_is_read_whole(tmp_path, form_xlsx):
    # some exporters write <dimension ref="A1"/> whatever the size of the sheet
    broken = tmp_path / "a1.xlsx"
    with zipfile.ZipFile(form_xlsx) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1"/>', data)
            dst.writestr(item, data)
    frame = read_table(str(broken))
    assert list(frame.attrs.columns) == HEADER_COLUMNS and list(frame.rows) == FORM_ROWS


@pytest.mark.parametrize("writer", [write_xlsx, write_ods])
def test_dates_and_numbers_typed_as_numbers_read_as_a_person_would_type_them(tmp_path, writer):
    rows = [["Số tờ", "Số thửa", "Diện tích", "Ngày cấp"],
            [12.0, 7, 1234.5, datetime.date(2019, 5, 1)], [3, 1e3, 0.1, None]]
    attrs = read_table(str(writer(tmp_path / f"r.{writer.__name__[6:]}", {"S": (rows, [])}))).attrs
    assert attrs.values.tolist() == [["12", "7", "1234.5", "01/05/2019"], ["3", "1000", "0.1", None]]


# --- several sheets -------------------------------------------------------------------------

@pytest.fixture
def workbook(tmp_path):
    guide = [["Hướng dẫn nhập sổ mục kê"], ["Mỗi thửa đất một dòng; diện tích theo m²."]]
    summary = [["TỔNG HỢP"], ["Số tờ", "Số thửa", "Diện tích"], [1, 2, 1000]]
    register = [["Số tờ", "Số thửa", "Diện tích"]] + [[1, n, 100 + n] for n in range(1, 6)]
    return write_xlsx(tmp_path / "book.xlsx", {"Hướng dẫn": (guide, []), "Tổng hợp": (summary, []),
                                               "Sổ mục kê": (register, [])})


def test_the_register_like_sheet_with_most_rows_is_taken(workbook):
    frame = read_table(str(workbook))
    assert len(frame) == 5 and list(frame.rows) == [2, 3, 4, 5, 6]
    assert any("'Sổ mục kê' read" in n and "Tổng hợp" in n for n in frame.notes)


@pytest.mark.parametrize("suffix", ["|sheet=Tổng hợp", "|layername=Tổng hợp", "|sheet=tong hop"])
def test_a_named_sheet_is_taken(workbook, suffix):
    frame = read_table(str(workbook) + suffix)
    assert len(frame) == 1 and list(frame.rows) == [3]


def test_an_unknown_sheet_name_lists_the_sheets(workbook):
    with pytest.raises(InputError, match="has no sheet 'Sheet9'.*sheets are: Hướng dẫn, Tổng hợp, Sổ mục kê"):
        read_table(str(workbook) + "|sheet=Sheet9")


# --- ODS ------------------------------------------------------------------------------------

@pytest.fixture
def form_ods(tmp_path):
    other = [["Ghi chú"], ["Bản sao gửi phòng Tài nguyên"]]
    return write_ods(tmp_path / "so_muc_ke.ods", {"Ghi chú": (other, []),
                                                  "Sổ mục kê": (form_rows(), FORM_MERGES)})


def test_ods_builder_writes_a_real_spreadsheet(tmp_path):
    # GDAL 3.6's ODS driver refuses LibreOffice's million repeated rows: fewer here
    path = write_ods(tmp_path / "r.ods", {"Sổ mục kê": (form_rows(), FORM_MERGES)}, rest=1000)
    ds = gdal.OpenEx(str(path), gdal.OF_VECTOR, allowed_drivers=["ODS"])
    layer = ds.GetLayer(0)
    assert layer.GetName() == "Sổ mục kê" and layer.GetFeatureCount() >= 14


def test_ods_form_is_read_like_the_xlsx_one(form_ods, form_xlsx):
    ods, xlsx = read_table(str(form_ods)), read_table(str(form_xlsx))
    assert list(ods.attrs.columns) == HEADER_COLUMNS
    assert list(ods.rows) == FORM_ROWS
    assert ods.attrs.fillna("").equals(xlsx.attrs.fillna(""))


def test_ods_full_check_flags_the_broken_row_with_its_row_number(tmp_path, form_ods):
    result = check(tmp_path, form_ods)
    np.testing.assert_array_equal(result.r["area"].to_numpy(), FORM_AREAS)
    invalid = flags(result, "VALUE_INVALID")
    assert len(invalid) == 1 and invalid["ident"].iloc[0].endswith(f"|r{BROKEN_ROW}")


# --- XLS (committed fixture, see scripts/make_register_fixtures.py) -------------------------

XLS_ROWS = [7, 8, 9, 11, 12, 13]        # row 10 is blank; row 12 holds 'không rõ' as its area


def test_xls_form_is_read_from_its_register_sheet():
    frame = read_table(str(DATA / "register.xls"))
    assert list(frame.attrs.columns) == HEADER_COLUMNS
    assert list(frame.rows) == XLS_ROWS
    assert "sheet 'Sổ mục kê' read" in frame.notes
    assert set(frame.attrs["Mã xã"]) == {"06073"}
    assert frame.attrs["Số CCCD (Chủ sử dụng)"].iloc[1] == "001185012345"
    assert list(frame.attrs["Số thửa (Thửa đất)"]) == ["1", "2", "3", "4", "5", "6"]


def test_xls_full_check_flags_the_broken_row_with_its_row_number(tmp_path):
    parcels = [P("1", n, a) for n, a in zip(range(1, 7), [1234.5, 1234.5, 1234.5, 250, 100, 300.5])]
    result = check(tmp_path, DATA / "register.xls", parcels)
    np.testing.assert_array_equal(result.r["area"].to_numpy(), [1234.5, 1234.5, 1234.5, 250, np.nan, 300.5])
    invalid = flags(result, "VALUE_INVALID")
    assert len(invalid) == 1 and invalid["ident"].iloc[0].endswith("|r12")


# --- CSV ------------------------------------------------------------------------------------

CSV_LINES = [
    ["SỔ MỤC KÊ ĐẤT ĐAI"],
    [],
    ["STT", "Thửa đất", "", "", "Chủ sử dụng", "", "Mục đích sử dụng"],
    ["", "Số tờ", "Số thửa", "Diện tích", "Họ tên", "Số CCCD", ""],
    ["1", "2", "3", "4", "5", "6", "7"],
    ["1", "1", "1", "1.234,5", "Nguyễn Văn An", "001080012345", "ONT"],
    ["2", "1", "2", " 250 ", "Trần Thị Bình", "020090123456", "ONT"],
    ["3", "1", "3", "abc", "Lê Văn Cường", "020090123457", "ONT"],
]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1258"])
def test_csv_with_a_two_row_header_and_numbering_row(tmp_path, encoding):
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(CSV_LINES)
    path = tmp_path / "register.csv"
    path.write_bytes(to_cp1258(out.getvalue()) if encoding == "cp1258" else out.getvalue().encode(encoding))
    frame = read_table(str(path))
    assert list(frame.attrs.columns) == ["STT", "Số tờ (Thửa đất)", "Số thửa (Thửa đất)", "Diện tích (Thửa đất)",
                                         "Họ tên (Chủ sử dụng)", "Số CCCD (Chủ sử dụng)", "Mục đích sử dụng"]
    assert list(frame.rows) == [6, 7, 8]
    assert frame.attrs["Họ tên (Chủ sử dụng)"].iloc[0] == "Nguyễn Văn An"
    result = check(tmp_path, path, [P("1", 1, 1234.5), P("1", 2, 250), P("1", 3)])
    np.testing.assert_array_equal(result.r["area"].to_numpy(), [1234.5, 250, np.nan])
    assert flags(result, "VALUE_INVALID")["ident"].tolist()[0].endswith("|r8")


# --- DBF ------------------------------------------------------------------------------------

DBF_FIELDS = [("MAXA", ogr.OFTString), ("SHBANDO", ogr.OFTString), ("SHTHUA", ogr.OFTInteger),
              ("DIENTICH", ogr.OFTString), ("TENCHU", ogr.OFTString)]


def test_dbf_in_windows_1258_is_decoded_and_rows_are_record_numbers(tmp_path):
    records = [["06073", "1", 1, "1.234,5", "Nguyễn Văn An"],
               ["06073", "1", 9, "100", "Bản ghi đã xoá"],
               ["06073", "1", 2, "1,234.5", "Trần Thị Bình"],
               ["06073", "1", 3, "???", "Lê Văn Cường"]]
    path = write_dbf(tmp_path / "smk.dbf", DBF_FIELDS, records, "CP1258", deleted=[1])
    assert path.with_suffix(".cpg").read_text().strip() == "CP1258"
    assert to_cp1258("Nguyễn Văn An") in path.read_bytes()
    frame = read_table(str(path))
    assert list(frame.rows) == [1, 3, 4]                  # record 2 is deleted
    assert list(frame.attrs["TENCHU"]) == ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"]
    assert list(frame.attrs["MAXA"]) == ["06073"] * 3
    result = check(tmp_path, path, [P("1", 1, 1234.5), P("1", 2, 1234.5), P("1", 3)])
    np.testing.assert_array_equal(result.r["area"].to_numpy(), [1234.5, 1234.5, np.nan])
    invalid = flags(result, "VALUE_INVALID")
    assert len(invalid) == 1 and invalid["ident"].iloc[0].endswith("|r4")


@pytest.mark.parametrize("legacy", ["tcvn3", "vni"])
def test_dbf_with_legacy_vietnamese_text_is_converted_and_counted(tmp_path, legacy):
    names = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung"]
    # What the old software stored: the legacy bytes, here written through their cp1252 reading,
    # in a table with no .cpg and the 'ANSI' language driver id.
    records = [["06073", "1", i + 1, "100", from_unicode(n, legacy)] for i, n in enumerate(names)]
    path = write_dbf(tmp_path / "old.dbf", DBF_FIELDS, records, "CP1252", cpg=False, ldid=0x57)
    assert from_unicode(names[0], legacy).encode("cp1252") in path.read_bytes()
    frame = read_table(str(path))
    assert list(frame.attrs["TENCHU"]) == names
    assert f"column 'TENCHU': 4 value(s) converted from {legacy.upper()} to Unicode" in frame.notes


def test_xlsx_typed_with_a_tcvn3_font_is_converted_too(tmp_path):
    # Excel keeps what the .VnTime font showed: the TCVN3 bytes read as Windows-1252
    rows = [[from_unicode(h, "tcvn3") for h in ("Số tờ", "Số thửa", "Họ tên")]]
    rows += [[1, 1, from_unicode("Nguyễn Văn An", "tcvn3")], [1, 2, from_unicode("Lê Văn Cường", "tcvn3")]]
    frame = read_table(str(write_xlsx(tmp_path / "abc.xlsx", {"S": (rows, [])})))
    assert list(frame.attrs["Họ tên"]) == ["Nguyễn Văn An", "Lê Văn Cường"]
    assert "column 'Họ tên': 2 value(s) converted from TCVN3 to Unicode" in frame.notes


# --- errors: one line naming the file, the sheet and the fix -------------------------------

def one_line(source) -> str:
    with pytest.raises(InputError) as err:
        read_table(str(source))
    text = err.value.one_line()
    assert "\n" not in text and " — " in text, text       # a fix is always given
    return text


@pytest.mark.parametrize("name", ["encrypted.xlsx", "encrypted.xls"])
def test_encrypted_workbooks(name):
    text = one_line(DATA / name)
    assert name in text and "password-protected" in text and "remove the password" in text


def test_corrupt_workbooks(tmp_path):
    xlsx = tmp_path / "broken.xlsx"
    xlsx.write_bytes(b"PK\x03\x04 truncated zip")
    assert "cannot read as an Excel workbook" in one_line(xlsx)
    xls = tmp_path / "broken.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    assert "cannot read as an Excel 97–2003 workbook" in one_line(xls)
    ods = tmp_path / "broken.ods"
    ods.write_bytes(b"PK\x03\x04 nope")
    assert "cannot read as an OpenDocument spreadsheet" in one_line(ods)


def test_a_web_page_saved_as_xls(tmp_path):
    page = tmp_path / "export.xls"
    page.write_text("<html><body><table><tr><td>Số tờ</td></tr></table></body></html>")
    assert "web page" in one_line(page) and "save it as .xlsx" in one_line(page)


def test_an_empty_sheet_is_named(tmp_path):
    book = write_xlsx(tmp_path / "book.xlsx", {"Sổ mục kê": ([["Số tờ", "Số thửa"], [1, 1]], []),
                                               "Trống": ([], [])})
    text = one_line(f"{book}|sheet=Trống")
    assert "sheet 'Trống': the sheet is empty" in text and "book.xlsx|sheet=NAME" in text
    assert "Sổ mục kê" in text


def test_a_workbook_with_nothing_in_it(tmp_path):
    book = write_xlsx(tmp_path / "empty.xlsx", {"Sheet1": ([], []), "Sheet2": ([], [])})
    assert "no data in any sheet" in one_line(book)


def test_no_header_found(tmp_path):
    book = write_xlsx(tmp_path / "numbers.xlsx", {"Data": ([[1, 2, 100.5], [1, 3, 200]], [])})
    text = one_line(book)
    assert "sheet 'Data': no header row found" in text and "'Số tờ'" in text


def test_xls_without_a_reader(monkeypatch):
    monkeypatch.setattr(workbooks, "_xls_driver", lambda: None)
    text = one_line(DATA / "register.xls")
    assert "register.xls" in text and "no XLS driver" in text and "save it as .xlsx" in text
