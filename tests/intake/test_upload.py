"""Upload safety: only a real XLSX or a JSON object, no zip bombs, no oversize files, clean file names."""
from __future__ import annotations

import io
import json
import zipfile

import pytest

from service.errors import BadUpload, TooLarge
from service.intake import upload
from service.intake import zipped as zipped_limits
from service.intake.workbook import blank_workbook


def zipped(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in entries.items():
            zf.writestr(name, body)
    return out.getvalue()


def test_real_workbook_and_json_accepted():
    assert upload.check(blank_workbook(), "数据采集表.xlsx") == "xlsx"
    assert upload.check(json.dumps({"a": 1}).encode(), "x.json") == "json"
    assert upload.check("\ufeff{\"a\": 1}".encode("utf-8"), "noext") == "json"


@pytest.mark.parametrize("content, words", [
    (b"", "空的"),
    (b"hello world", "不是这两种格式"),
    (b"%PDF-1.7 ...", "不是这两种格式"),
    (upload.OLE_MAGIC + b"\0" * 100, ".xls"),
    (b"PK\x03\x04garbage", "损坏"),
    (zipped({"word/document.xml": b"<w/>", "[Content_Types].xml":
             b"<Types><Override ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>"}),
     "不是 Excel 工作簿"),
    (zipped({"a.txt": b"x"}), "不是 Excel 工作簿"),
    (zipped({"[Content_Types].xml": upload.MACRO_MAIN.encode()}), ".xlsm"),
    ("[1, 2]".encode(), "对象"),
    (b"{\"a\": ", "JSON 格式错误"),
    ("{\"a\": \"中\"}".encode("gbk"), "UTF-8"),
])
def test_refused_with_a_chinese_reason(content, words):
    with pytest.raises(BadUpload) as info:
        upload.check(content, "upload.bin")
    assert words in info.value.message


def test_too_big():
    with pytest.raises(TooLarge) as info:
        upload.check(b"PK\x03\x04" + b"0" * 2000, "big.xlsx", limit=1000)
    assert "文件太大" in info.value.message


def test_zip_bomb_by_size():
    bomb = zipped({"[Content_Types].xml": upload.SPREADSHEET_MAIN.encode(), "xl/worksheets/sheet1.xml": b"0" * (60 * 1024 * 1024)})
    assert len(bomb) < 200 * 1024
    with pytest.raises(BadUpload) as info:
        upload.check(bomb, "bomb.xlsx")
    assert "压缩炸弹" in info.value.message


def test_zip_bomb_by_ratio():
    bomb = zipped({"[Content_Types].xml": upload.SPREADSHEET_MAIN.encode(), "xl/sharedStrings.xml": b" " * (20 * 1024 * 1024)})
    with pytest.raises(BadUpload):
        upload.check(bomb, "bomb.xlsx")


def test_too_many_entries():
    many = zipped({f"x/{i}.xml": b"" for i in range(zipped_limits.MAX_ENTRIES + 1)})
    with pytest.raises(BadUpload) as info:
        upload.check(many, "many.xlsx")
    assert "内部文件" in info.value.message


def test_the_clerks_file_name_is_kept_without_paths_or_control_characters():
    assert upload.safe_name("C:\\Users\\clerk\\数据<1>.json") == "数据1.json"
    assert upload.safe_name("../../etc/passwd") == "passwd"
    assert upload.safe_name("a\x00b\x1f.xlsx") == "ab.xlsx"
    assert len(upload.safe_name("名" * 300 + ".xlsx")) == 120
