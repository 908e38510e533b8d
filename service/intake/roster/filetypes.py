"""What an uploaded roster really is, told by its content, never by its name.

Excel 97 and WPS (.xls, .et) files are OLE2 containers with a BIFF workbook stream, whatever their
extension; a password-protected .xlsx is an OLE2 container too (an `EncryptionInfo` stream before
the encrypted package); .xlsx, .xlsb and .ods are zips. Anything else must be text to be a CSV.
Each refusal says, in Chinese, what the file is instead.
"""
from __future__ import annotations


import olefile

from service.errors import BadRoster
from service.intake.upload import OLE_MAGIC
from service.intake.zipped import ZipRefused, open_measured

XLSX, XLSB, ODS, XLS, CSV = "xlsx", "xlsb", "ods", "xls", "csv"
ACCEPTED = "请上传党员名册的 Excel（.xlsx、.xls）、WPS 表格（.et）、OpenDocument（.ods）或 CSV 文件"
PASSWORD = ("工作簿设有密码（打开时要输入密码），无法读取。请在 Excel 或 WPS 中用密码打开它，"
            "在“文件 → 信息 → 保护工作簿”（WPS：“文件 → 文档加密”）中清除密码并保存，再上传")
ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"

# Magic numbers of files clerks pick by mistake, named the way they know them.
_OTHER_FILES = (
    (b"%PDF", "PDF 文件"), (b"\x89PNG", "PNG 图片"), (b"\xff\xd8\xff", "JPEG 图片"), (b"GIF8", "GIF 图片"),
    (b"Rar!", "RAR 压缩包"), (b"7z\xbc\xaf", "7z 压缩包"), (b"\x1f\x8b", "gzip 压缩包"), (b"{\\rtf", "RTF 文档"),
)


def not_a_roster(found: str) -> BadRoster:
    return BadRoster(f"上传的文件不是电子表格（{found}）。{ACCEPTED}")


def identify(content: bytes) -> str:
    """XLSX, XLSB, ODS, XLS (calamine reads them) or CSV; BadRoster naming what the file is otherwise."""
    if not content:
        raise BadRoster(f"上传的文件是空的（0 字节）。{ACCEPTED}")
    if content.startswith(b"PK\x03\x04"):
        return _check_zip(content)
    if content.startswith(OLE_MAGIC):
        _check_ole(content)
        return XLS
    for magic, name in _OTHER_FILES:
        if content.startswith(magic):
            raise not_a_roster(f"它是{name}")
    return CSV


def _check_zip(content: bytes) -> str:
    """A zip holding a workbook (.xlsx, .xlsm, .xlsb, .ods), small enough when unpacked."""
    try:
        archive = open_measured(content)
    except ZipRefused as refused:
        if refused.kind == "entries":
            raise not_a_roster(f"它是包含 {refused.count} 个文件的压缩包") from None
        raise BadRoster({
            "damaged": "文件已损坏：它以 Excel 工作簿（.xlsx）的格式开头，但无法打开。请重新保存后上传",
            "bomb": "文件解压后异常巨大（疑似“压缩炸弹”），已拒绝。请上传正常保存的党员名册"}[refused.kind]) from None
    names = {entry.filename for entry in archive.infolist()}
    if "xl/workbook.xml" in names:
        return XLSX
    if "xl/workbook.bin" in names:
        return XLSB
    if "mimetype" in names:
        mime = archive.read("mimetype").strip()
        if mime == ODS_MIME:
            return ODS
        raise not_a_roster("它是 OpenDocument 文本或演示文稿" if b"opendocument" in mime else "它是一个压缩包")
    if "word/document.xml" in names:
        raise not_a_roster("它是 Word 文档（.docx）")
    if any(name.startswith("ppt/") for name in names):
        raise not_a_roster("它是 PowerPoint 演示文稿（.pptx）")
    raise not_a_roster("它是一个压缩包（zip），里面没有工作簿")


def _check_ole(content: bytes) -> None:
    """An Excel 97 / WPS workbook; an encrypted workbook or a Word 97 file is named as such."""
    try:
        with olefile.OleFileIO(content) as ole:
            streams = {"/".join(path) for path in ole.listdir(streams=True, storages=True)}
    except (OSError, ValueError, IndexError, TypeError) as exc:  # olefile raises OSError for a bad header
        raise BadRoster("文件已损坏：它以 Excel 97–2003（.xls）的格式开头，但无法打开。请重新保存后上传") from exc
    if "EncryptionInfo" in streams or "EncryptedPackage" in streams:
        raise BadRoster(PASSWORD)
    if "Workbook" in streams or "Book" in streams:
        return
    if "WordDocument" in streams:
        raise not_a_roster("它是 Word 97–2003 文档（.doc）")
    if "PowerPoint Document" in streams:
        raise not_a_roster("它是 PowerPoint 97–2003 演示文稿（.ppt）")
    raise not_a_roster("它是 Office 97–2003 格式的文件，但里面没有工作簿")
