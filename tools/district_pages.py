"""Regenerate docs/district-*.png: the district's pages over a synthetic district of twelve branches
(some late, one with errors, some with “失联” members, one returned), as chromium shows them at a
desktop width and on a phone. Needs the [test] extras (Playwright) and Debian's chromium.

    .venv/bin/python tools/district_pages.py
"""
from __future__ import annotations

import json
import sys
import tempfile
import threading
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from werkzeug.serving import make_server  # noqa: E402

from service import create_app  # noqa: E402
from service.access import accounts, passwords  # noqa: E402
from service.clock import BEIJING  # noqa: E402
from service.intake.received import from_json_body  # noqa: E402
from service.store import branches, database, reviews, submissions  # noqa: E402
from tools.synthetic import synthetic_branch  # noqa: E402

LOGIN, PASSWORD = "wang", "district-pages-" + __import__("secrets").token_hex(8)  # a throw-away account
SCHOOLS = ("湖塘桥实验小学", "星河实验小学", "人民路小学", "采菱小学", "刘海粟小学", "城西小学",
           "礼河实验学校", "星辰实验学校", "洛阳初级中学", "湟里中学", "湖塘实验中学", "礼嘉中学")
CHROMIUM = "/usr/bin/chromium"
SHOTS = {  # file → (path, viewport, full page)
    "district-list.png": ("/district/", {"width": 1280, "height": 1000}, False),
    "district-branch.png": ("/district/branches/WJ005?from=1&to=2#diff", {"width": 1280, "height": 1000}, False),
    "district-phone.png": ("/district/", {"width": 375, "height": 812}, False),
}


def branch(i: int, members: int) -> dict:
    data = synthetic_branch(members, seed=3000 + i)
    school = SCHOOLS[i - 1]
    data["org"].update(code=f"WJ{i:03d}", name=f"{school}党支部", full_name=f"中共常州市武进区{school}支部委员会",
                       unit_name=f"常州市武进区{school}")
    return data


def store(app) -> None:
    """Twelve branches at moments that make every status show up once at least."""
    db = database(app)

    def put(data: dict, *when: int) -> None:
        raw = json.dumps(data, ensure_ascii=False).encode()
        submissions.submit(db, from_json_body(raw), "upload", datetime(*when, tzinfo=BEIJING),
                           actor=f"{data['org']['name']} 党务干事")

    for i in range(1, 13):
        members = 30 if i in (3, 8) else 5 + i % 3  # under 8 members: nobody 失联 (tools/synthetic.py)
        day = (6, 10 + i) if i not in (4, 9) else (7, 18 + i // 4)  # WJ004, WJ009 late
        if i == 11:  # never valid: overdue
            put({**branch(i, members), "members": []}, 2023, 6, 16, 10, 0)
            continue
        put(branch(i, members), 2023, *day, 9, 30)
        if i == 5:  # a second version with one member more
            put(branch(i, members + 1), 2023, 6, 19, 16, 45)
        if i == 7:  # a newer version that failed validation
            put({**branch(i, members), "members": []}, 2023, 7, 2, 11, 5)
    reviewed = datetime(2023, 6, 20, 15, 0, tzinfo=BEIJING)
    with db.writing() as session:
        for code, decision, reason in (("WJ001", "verified", None), ("WJ002", "verified", None),
                                       ("WJ006", "verified", None),
                                       ("WJ010", "returned", "外出流动党员的外出地点不全，请补充")):
            sub = branches.version(session, branches.get(session, code), 1)
            reviews.add(session, sub, decision, reason, f"{LOGIN}（王老师）", reviewed)
        accounts.create(session, LOGIN, "district", None, reviewed, display_name="王老师")
        made = accounts.by_login(session, LOGIN)
        made.password_hash, made.must_change_password = passwords.hash_password(PASSWORD), False


def main() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"INSTANCE_DIR": tmp, "PDF_ENABLED": False, "LOG_LEVEL": "WARNING"})
        store(app)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
                for name, (path, viewport, full) in SHOTS.items():
                    phone = viewport["width"] < 600
                    context = browser.new_context(locale="zh-CN", viewport=viewport, device_scale_factor=1,
                                                  is_mobile=phone, has_touch=phone)
                    page = context.new_page()
                    page.goto(base + "/login")
                    page.fill("#login", LOGIN)
                    page.fill("#password", PASSWORD)
                    page.click("button[type=submit]")
                    page.wait_for_load_state()
                    page.goto(base + path)
                    page.screenshot(path=str(ROOT / "docs" / name), full_page=full)
                    context.close()
                    print(f"docs/{name}")
                browser.close()
        finally:
            server.shutdown()


if __name__ == "__main__":
    main()
