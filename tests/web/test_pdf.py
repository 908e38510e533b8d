"""A clerk's PDF buttons with a real LibreOffice pool: the file arrives, named, and reads right."""
from __future__ import annotations

import io
import zipfile
from urllib.parse import quote

import pytest

from service import create_app
from service.intake.workbook import filled_workbook
from service.pdf.runtime import KEY
from tests.conftest_pdf import assert_no_orphans, needs_soffice, page_texts, port, squash

pytestmark = needs_soffice
PORT, UNO_PORT = port(2373), port(2473)
ORG = "WJ017-星河实验小学党支部"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    app = create_app({"TESTING": True, "INSTANCE_DIR": str(tmp_path_factory.mktemp("up")), "PDF_POOL_SIZE": 2,
                      "PDF_POOL_BASE_PORT": PORT, "PDF_POOL_BASE_UNO_PORT": UNO_PORT})
    yield app.test_client()
    pool = app.extensions.get(KEY)
    if pool is not None:
        pool.stop()
    assert_no_orphans([PORT, PORT + 1])


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
