"""A 校验码 read off a document the service rendered for a stored version finds that version again."""
from __future__ import annotations

import html
import io
import re
import zipfile


from tests.api.test_branches import changed, put
from tests.conftest import make_app

PRINTED = re.compile(r"校验码\s*([0-9A-F]{4}-[0-9A-F]{4})")


def printed_codes(package: bytes) -> dict[str, set[str]]:
    """{document name: codes printed in it} for every DOCX/XLSX in a zip (zips inside it included),
    read from every XML part — body, headers and footers (Excel's page footer too, whose text is all
    character references); a code split over runs is joined when the tags go."""
    out = {}
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        for name in archive.namelist():
            data = archive.read(name)
            if name.endswith(".zip"):
                out.update(printed_codes(data))
                continue
            with zipfile.ZipFile(io.BytesIO(data)) as document:
                text = "".join(html.unescape(re.sub(r"<[^>]+>", "", document.read(part).decode("utf-8")))
                               for part in document.namelist() if part.endswith(".xml"))
            out[name] = set(PRINTED.findall(text))
    return out


def test_the_code_on_every_rendered_document_finds_the_version_it_came_from(tmp_path, db_url, sample_data):
    api = make_app(tmp_path, DATABASE_URL=db_url).test_client()
    put(api, "WJ017", sample_data)
    first = api.get("/api/v1/branches/WJ017/packages/all").data
    codes = printed_codes(first)
    assert len(codes) == 10 and all(codes.values()), {name: found for name, found in codes.items() if not found}
    (code,) = set().union(*codes.values())
    put(api, "WJ017", changed(sample_data)[0])
    (match,) = api.get(f"/api/v1/verify/{code.lower().replace('-', '')}").get_json()["matches"]
    assert (match["code"], match["version"], match["is_latest_valid"], match["latest_valid_version"]) == (
        "WJ017", 1, False, 2)
