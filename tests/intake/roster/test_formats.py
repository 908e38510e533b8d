"""Every format a roster comes in, told apart by content; every file that is none, refused by name."""
from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

import msoffcrypto.format.ooxml
import pytest

from service.errors import BadRoster
from service.intake.roster import SpreadsheetReader, read_roster
from service.intake.roster.sheets import Sheet, kind
from tests.conftest_pdf import needs_soffice
from tests.intake.roster.builders import converted, csv_bytes, id_number, xlsx

WANG = id_number("19900315", 1, True)
LI = id_number("19851201", 2, False)
ROWS = [["序号", "姓名", "性别", "公民身份号码", "出生日期", "入党时间"],
        [1, "王𠮷", "男", WANG, date(1990, 3, 15), date(2015, 7, 1)],
        [2, "李芳", "女", LI, date(1985, 12, 1), date(2010, 6, 18)]]
EXPECTED = [
    {"row": 2, "name": "王𠮷", "gender": "男", "id_number": WANG, "birth_date": "1990-03-15", "join_date": "2015-07-01"},
    {"row": 3, "name": "李芳", "gender": "女", "id_number": LI, "birth_date": "1985-12-01", "join_date": "2010-06-18"},
]
TEXT_ROWS = [[str(v) if isinstance(v, int) else v.isoformat() if isinstance(v, date) else v for v in row]
             for row in ROWS]


def test_sheet_cells_keep_their_kinds():
    content = xlsx([["姓名", "号码", "日期", "时刻", "是否", "空"],
                    ["张三", float(320412198503120021), date(2005, 6, 1), None, True, None]])
    sheet = SpreadsheetReader().read(content, "x.xlsx")[0]
    assert [kind(v) for v in sheet.rows[1][:5]] == ["text", "number", "date", "empty", "bool"]
    assert sheet.rows[1][1] == float(320412198503120021)
    timed = SpreadsheetReader().read(xlsx([["a"], [datetime(2005, 6, 1, 13, 5)]]))[0]
    assert kind(timed.value(2, 1)) == "datetime"


class FakeReader:
    """The Reader seam filled by hand: sheets of cells, whatever file they came from."""

    def __init__(self, sheets):
        self.sheets = sheets

    def read(self, content: bytes, filename: str = ""):
        return self.sheets


def test_any_reader_feeds_the_mapping():
    sheet = Sheet("名单", [["党员名册"], ["姓名", "联系电话", None], [None, "手机号", "固定电话"],
                          ["张伟", None, "0519-86310611"]], merged=((1, 1, 1, 3), (2, 1, 3, 1), (2, 2, 2, 3)))
    assert sheet.shown(3, 1) == "姓名" and sheet.shown(2, 3) == "联系电话" and sheet.value(2, 3) is None
    result = read_roster(b"", "", reader=FakeReader([Sheet("空", []), sheet]))
    assert (result["sheet"], result["header_rows"]) == ("名单", [2, 3])
    assert [(c["header"], c["field"]) for c in result["columns"]] == [
        ("姓名", "name"), ("联系电话/手机号", None), ("联系电话/固定电话", "phone")]
    assert result["members"] == [{"row": 4, "name": "张伟", "phone": "0519-86310611"}]


def test_xlsx():
    result = read_roster(xlsx(ROWS), "花名册.xlsx")
    assert result["members"] == EXPECTED
    assert result["problems"] == []
    assert (result["sheet"], result["header_rows"]) == ("花名册", [1])


def test_utf8_csv_with_and_without_bom():
    for content in (b"\xef\xbb\xbf" + csv_bytes(TEXT_ROWS), csv_bytes(TEXT_ROWS)):
        result = read_roster(content, "名册.csv")
        assert result["members"] == EXPECTED
        assert result["sheet"] == "名册"


def test_gb18030_csv_with_a_name_outside_gbk():
    content = csv_bytes(TEXT_ROWS, "gb18030")
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")
    with pytest.raises(UnicodeEncodeError):
        "王𠮷".encode("gbk")  # 𠮷 is outside GBK: only GB18030 holds it
    assert read_roster(content, "roster.csv")["members"] == EXPECTED


def test_gbk_csv_and_tab_separated_utf16():
    gbk_rows = [[c.replace("𠮷", "伟") for c in row] for row in TEXT_ROWS]  # GBK has no 𠮷
    result = read_roster(csv_bytes(gbk_rows, "gbk"), "gbk.csv")
    assert [m["name"] for m in result["members"]] == ["王伟", "李芳"]
    utf16 = "\ufeff".encode("utf-16-le") + csv_bytes(TEXT_ROWS, "utf-16-le", "\t")
    assert read_roster(utf16, "unicode.txt")["members"] == EXPECTED


@pytest.fixture(scope="module")
def xls_bytes(tmp_path_factory):
    """An Excel 97 file written by LibreOffice from a workbook with a title and a two-row header."""
    rows = [["XX学校党员花名册"], ["填报日期：2023年6月30日"],
            ["姓名", "联系电话", None, "公民身份号码", "入党时间"],
            [None, "手机号", "固定电话", None, None]] + [[r[1], "13912345678", "0519-86310611", r[3], r[5]]
                                                     for r in ROWS[1:]]
    source = xlsx(rows, merges=("A1:E1", "A3:A4", "B3:C3", "D3:D4", "E3:E4"))
    return converted(source, ".xlsx", "xls", tmp_path_factory.mktemp("soffice"))


XLS_MEMBERS = [{"row": r, "name": m["name"], "id_number": m["id_number"], "join_date": m["join_date"],
                "phone": "13912345678"} for r, m in zip((5, 6), EXPECTED)]


@needs_soffice[0]
@needs_soffice[1]
@pytest.mark.parametrize("filename", ["名册.xls", "名册.et", "名册.xlsx", "no-extension"])
def test_excel97_written_by_libreoffice_whatever_its_name(xls_bytes, filename):
    assert xls_bytes.startswith(b"\xd0\xcf\x11\xe0")
    result = read_roster(xls_bytes, filename)
    assert result["header_rows"] == [3, 4]
    assert [(c["column"], c["header"], c["field"]) for c in result["columns"]] == [
        ("A", "姓名", "name"), ("B", "联系电话/手机号", "phone"), ("C", "联系电话/固定电话", None),
        ("D", "公民身份号码", "id_number"), ("E", "入党时间", "join_date")]
    assert result["members"] == XLS_MEMBERS
    assert result["problems"] == []


@needs_soffice[0]
@needs_soffice[1]
def test_ods_written_by_libreoffice(tmp_path):
    content = converted(xlsx(ROWS), ".xlsx", "ods", tmp_path)
    assert read_roster(content, "名册.ods")["members"] == EXPECTED


def encrypted(content: bytes, password: str = "secret") -> bytes:
    out = io.BytesIO()
    msoffcrypto.format.ooxml.OOXMLFile(io.BytesIO(content)).encrypt(password, out)
    return out.getvalue()


def test_password_protected_workbook():
    content = encrypted(xlsx(ROWS))
    assert content.startswith(b"\xd0\xcf\x11\xe0")
    with pytest.raises(BadRoster) as caught:
        read_roster(content, "名册.xlsx")
    assert caught.value.code == "bad_roster"
    assert caught.value.message.startswith("工作簿设有密码")


def zipped(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, body in entries.items():
            zf.writestr(name, body)
    return out.getvalue()


@pytest.mark.parametrize("content, found", [
    (b"", "上传的文件是空的（0 字节）"),
    (b"%PDF-1.7\n%\xe2\xe3", "（它是PDF 文件）"),
    (b"\x89PNG\r\n\x1a\n\0\0", "（它是PNG 图片）"),
    (zipped({"word/document.xml": b"<w/>"}), "（它是 Word 文档（.docx））"),
    (zipped({"notes.txt": b"x"}), "（它是一个压缩包（zip），里面没有工作簿）"),
    (b"PK\x03\x04broken", "文件已损坏"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "文件已损坏"),
    (bytes(range(256)) * 4, "（它是无法识别的二进制文件）"),
    (b"<html><body><table><tr><td>\xe5\xa7\x93\xe5\x90\x8d</td></tr></table></body></html>", "它是网页（HTML）"),
    (b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>', "Excel 2003 XML"),
    (b"\xff\xd8\xff\xe0", "（它是JPEG 图片）"),
])
def test_not_a_spreadsheet(content, found):
    with pytest.raises(BadRoster) as caught:
        read_roster(content, "名册.xlsx")
    assert found in caught.value.message


@needs_soffice[0]
@needs_soffice[1]
def test_word97_file_is_named(tmp_path):
    content = converted("这是一份通知".encode("utf-8"), ".txt", "doc", tmp_path)
    assert content.startswith(b"\xd0\xcf\x11\xe0")
    with pytest.raises(BadRoster) as caught:
        read_roster(content, "名册.xls")
    assert caught.value.message.startswith("上传的文件不是电子表格（它是 Word 97–2003 文档（.doc））")


def test_a_stray_value_far_away_is_refused_before_it_is_laid_out():
    content = xlsx([["姓名", "性别"], ["张伟", "男"]])
    far = xlsx([["姓名", "性别"], ["张伟", "男"]] + [[None]] * 19997 + [[None] * 16383 + ["x"]])
    assert len(far) < 10_000  # a few KB that would ask calamine for 10 GB
    with pytest.raises(BadRoster) as caught:
        read_roster(far, "名册.xlsx")
    assert caught.value.message.startswith("工作簿中有工作表的内容一直延伸到 XFD20000 单元格（20000 行 × 16384 列）")
    assert read_roster(content)["members"] == [{"row": 2, "name": "张伟", "gender": "男"}]


def test_a_format_far_away_is_no_content():
    from openpyxl import load_workbook
    from openpyxl.styles import Font
    book = load_workbook(io.BytesIO(xlsx(ROWS)))
    book.active["XFD20000"].font = Font(bold=True)
    out = io.BytesIO()
    book.save(out)
    assert read_roster(out.getvalue())["members"] == EXPECTED


@needs_soffice[0]
@needs_soffice[1]
def test_an_excel97_value_far_away_is_refused(tmp_path):
    content = converted(xlsx([["姓名", "性别"], ["张伟", "男"]] + [[None]] * 65533 + [[None] * 255 + ["x"]]),
                        ".xlsx", "xls", tmp_path)
    with pytest.raises(BadRoster, match="一直延伸到 IV65536 单元格（65536 行 × 256 列）"):
        read_roster(content, "名册.xls")


def test_an_opendocument_value_repeated_far_away_is_refused():
    content = zipped({
        "mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
        "content.xml": ('<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
                        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
                        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
                        '<table:table table:name="名册"><table:table-row table:number-rows-repeated="100000">'
                        '<table:table-cell table:number-columns-repeated="10000" office:value-type="string">'
                        '<text:p>x</text:p></table:table-cell></table:table-row></table:table>'
                        '</office:spreadsheet></office:body></office:document-content>').encode()})
    with pytest.raises(BadRoster, match="一直延伸到 NTP100000 单元格（100000 行 × 10000 列）"):
        read_roster(content, "名册.ods")
