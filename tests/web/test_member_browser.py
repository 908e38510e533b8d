"""Members' own 登记表 in chromium: the clerk invites (desktop), a member opens their link at phone width in
WeChat's user agent, five wrong checks lock it, the clerk unlocks it, the right check opens the form, a
wrong date is refused at its field, a corrected post is confirmed; the clerk accepts it, and the next
version's 附件3 carries the change. Then a wrong cell fixed on the result page, no re-upload. axe-core
finds nothing on each new page, nothing reaches past the phone's edge, the strict CSP reports nothing,
and each step is photographed under test-artifacts/member-*.png."""
from __future__ import annotations

import io
import os
from pathlib import Path

import openpyxl
import pytest

from .browsing import CHROMIUM, DEVICES, SAMPLE, axe_report, overflow, sample_workbook, shot, small_targets, with_errors

pytestmark = pytest.mark.browser
if not Path(CHROMIUM).exists() and not os.environ.get("CI"):  # CI installs chromium and never skips
    pytest.skip("Debian chromium not installed (apt-get install chromium)", allow_module_level=True)

ZHOU = SAMPLE["members"][0]


def check(page, name: str, violations: list, phone: bool = False) -> None:
    shot(page, f"member-{name}.png")
    count, report = axe_report(page)
    assert count == 0, f"{name}: {report}"
    seen = overflow(page)
    assert seen["scroll"] <= seen["inner"] and seen["past"] == [], (name, seen)
    if phone:
        assert small_targets(page) == [], name
    assert violations == [], violations


def watch(page) -> list:
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    return violations


def docx_text(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_a_member_checks_and_confirms_on_a_phone_and_the_clerk_accepts(browser, server):
    assert server.app.test_client().put("/api/v1/branches/WJ017/dataset", json=SAMPLE).status_code == 201
    clerk = server.sign_in(browser.new_context(locale="zh-CN", **DEVICES["desktop"])).new_page()
    clerk_seen = watch(clerk)
    clerk.goto(server + "/members")
    check(clerk, "clerk-empty", clerk_seen)
    clerk.get_by_role("button", name="生成邀请链接和通知条").click()
    clerk.wait_for_load_state()
    slip = clerk.locator(".slip", has_text=ZHOU["name"])
    assert slip.locator("svg").count() == 1
    link = slip.locator(".url").inner_text()
    check(clerk, "slips", clerk_seen)

    phone = browser.new_context(locale="zh-CN", **DEVICES["wechat"]).new_page()
    seen = watch(phone)
    phone.goto(link)
    assert phone.locator("h1").inner_text() == "请先核对身份"
    check(phone, "phone-check", seen, phone=True)
    for left in (4, 3, 2, 1):
        phone.get_by_label("本人公民身份号码的后六位").fill("00000X")
        phone.get_by_role("button", name="下一步").click()
        phone.wait_for_load_state()
        assert f"还可以再试 {left} 次" in phone.locator("#check-error").inner_text()
    check(phone, "phone-check-wrong", seen, phone=True)
    phone.get_by_label("本人公民身份号码的后六位").fill("00000X")
    phone.get_by_role("button", name="下一步").click()
    phone.wait_for_load_state()
    assert "已锁定" in phone.locator("#check-error").inner_text()
    assert phone.get_by_label("本人公民身份号码的后六位").count() == 0
    check(phone, "phone-locked", seen, phone=True)

    clerk.goto(server + "/members")
    clerk.locator("#invited tr", has_text=ZHOU["name"]).get_by_role("button", name="解锁并续期").click()
    clerk.wait_for_load_state()
    phone.goto(link)
    phone.get_by_label("本人公民身份号码的后六位").fill(ZHOU["id_number"][-6:])
    phone.get_by_role("button", name="下一步").click()
    phone.wait_for_load_state()
    assert phone.locator("h1").inner_text() == f"{ZHOU['name']}，请核对您的登记表"
    assert phone.locator("#f-id_number").inner_text() == ZHOU["id_number"]
    check(phone, "phone-form", seen, phone=True)

    phone.get_by_label("工作岗位（职务）").fill("副校长")
    phone.get_by_label("转正时间").fill("1995-01-01")  # before 入党: the contract refuses it
    phone.get_by_label("以上信息经本人核对无误").check()
    phone.get_by_role("button", name="确认并提交").click()
    phone.wait_for_load_state()
    assert "转正时间" in phone.locator("#e-full_member_date").inner_text()
    check(phone, "phone-form-error", seen, phone=True)
    phone.get_by_label("转正时间").fill(ZHOU["full_member_date"])
    phone.get_by_label("以上信息经本人核对无误").check()
    phone.get_by_role("button", name="确认并提交").click()
    phone.wait_for_load_state()
    assert "已提交" in phone.locator("#saved").inner_text()
    check(phone, "phone-confirmed", seen, phone=True)

    clerk.goto(server + "/members")
    answer = clerk.locator(".answer", has_text=ZHOU["name"])
    assert "副校长" in answer.locator(".after").first.inner_text()
    check(clerk, "clerk-answer", clerk_seen)
    answer.get_by_role("button", name="采用，保存为新版本").click()
    clerk.wait_for_load_state()
    assert clerk.url.startswith(server + "/result/")
    # 附件3 of the new version, as the clerk downloads it
    register = clerk.locator("tr", has_text="党员基本情况登记表").locator("a", has_text="Word").get_attribute("href")
    text = docx_text(clerk.request.get(server + register).body())
    assert "副校长" in text
    phone.goto(link)
    assert "已采用" in phone.locator("#state").inner_text()


def test_a_wrong_cell_is_fixed_on_the_result_page(browser, server, tmp_path):
    original = openpyxl.load_workbook(io.BytesIO(sample_workbook()))
    (tmp_path / "有错误的表.xlsx").write_bytes(with_errors(SAMPLE))
    page = server.sign_in(browser.new_context(locale="zh-CN", **DEVICES["phone"])).new_page()
    seen = watch(page)
    page.goto(server + "/")
    page.set_input_files("input[type=file]", str(tmp_path / "有错误的表.xlsx"))
    page.get_by_role("button", name="上传并检查").click()
    page.wait_for_load_state()
    assert page.locator("#fix-form").count() == 1
    check(page, "fix-before", seen)
    page.get_by_label("E6「公民身份号码」改为").fill(original["党员名册"]["E6"].value)
    day = original["党员名册"]["I8"].value
    page.get_by_label("I8「入党时间」改为").fill(day.strftime("%Y-%m-%d") if hasattr(day, "strftime") else str(day))
    page.get_by_label("F4「回执是否已收到」改为").select_option(original["转出待回执"]["F4"].value)
    page.get_by_role("button", name="修改后重新检查").click()
    page.wait_for_load_state()
    assert "数据检查通过" in page.locator("main .box.good").inner_text()
    check(page, "fix-after", seen)
