"""A clerk's PDF buttons with a real LibreOffice pool: the file arrives, named, and reads right."""
from __future__ import annotations

import io
import zipfile
from urllib.parse import quote

import pytest

from service.intake.workbook import filled_workbook
from tests.conftest_pdf import needs_soffice, page_texts, pdf_app, squash

pytestmark = needs_soffice
ORG = "WJ017-星河实验小学党支部"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """One app and its LibreOffice pool of two (2373/2473) for the module: the pool is what is slow."""
    with pdf_app(tmp_path_factory.mktemp("up"), 2, 2373, 2473) as app:
        yield app


def test_clerk_downloads_pdfs_from_the_result_page(client, sample_data):
    resp = client.post("/upload", data={"file": (io.BytesIO(filled_workbook(sample_data)), "星河.xlsx")},
                       content_type="multipart/form-data")
    url = resp.headers["Location"]
    page = client.get(url).get_data(as_text=True)
    link = f"{url}/documents/work_plan?format=pdf"
    assert link in page  # the button the clerk clicks

    pdf = client.get(link)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert quote(f"{ORG}-党员组织关系排查工作方案.pdf") in pdf.headers["Content-Disposition"]
    assert "党员组织关系排查工作方案" in squash("".join(page_texts(pdf.data)))

    zipped = client.get(f"{url}/packages/tables?format=pdf")
    names = zipfile.ZipFile(io.BytesIO(zipped.data)).namelist()
    assert f"{ORG}-附件4-党员名册.pdf" in names and len(names) == 7
