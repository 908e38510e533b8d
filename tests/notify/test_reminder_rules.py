"""The reminder rules on the notice's calendar (工作方案 6月20日, 附件3–9 7月15日, 阶段性小结 7月25日,
工作总结 10月15日), in Beijing days: before, on and after each deadline; never the same key twice
unless a channel failed; the 退回 and the hand reminder."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from service.domain.catalog import DELIVERABLE_IDS
from service.clock import beijing_day
from service.domain.model import Deadlines
from service.domain.reminder_text import GROUP_BYTES
from service.domain.reminders import Branch, Key, by_hand, plan, returned
from service.notify.dispatch import run
from service.notify.message import MAIL

from .fakes import Recorder

DUE = Deadlines()
DONE = Branch("WJ001", "武进区星辰实验学校党支部", ("xc@example.cn",), frozenset(DELIVERABLE_IDS))
MAILED = Branch("WJ017", "湖塘实验中学党支部", ("htsy@example.cn",))
NO_MAIL = Branch("WJ023", "礼嘉中学党总支")
BRANCHES = [DONE, MAILED, NO_MAIL]
TITLES = {"work_plan": "「党员组织关系排查工作方案」", "tables": "「党员组织关系排查相关表格」",
          "stage_summary": "「阶段性小结」", "final_report": "「党员组织关系排查工作总结」"}


def due_soon(deliverable, today, log=(), days=(3, 1)):
    return [r for r in plan(DUE, today, BRANCHES, days, log) if r.key.kind == "due_soon" and
            r.key.deliverable == deliverable]


def accepted(reminders):
    """The log rows of a run in which every channel took every reminder."""
    return run(reminders, [Recorder("wecom"), Recorder("email", MAIL)])


@pytest.mark.parametrize("deliverable", DELIVERABLE_IDS)
def test_before_on_and_after_each_deadline(deliverable):
    d = getattr(DUE, deliverable)
    day = lambda n: d - timedelta(days=n)  # noqa: E731
    assert due_soon(deliverable, day(4)) == []
    three = due_soon(deliverable, day(3))
    assert [(r.key, r.audience, r.to) for r in three] == [
        (Key("*", deliverable, "due_soon", day(3)), "group", ()),
        (Key("WJ017", deliverable, "due_soon", day(3)), "mail", ("htsy@example.cn",)),
        (Key("WJ023", deliverable, "due_soon", day(3)), "mail", ())]  # logged as having no address
    group = three[0].body
    assert f"{TITLES[deliverable]}报送截止日期为{d.month}月{d.day}日（还有3天）" in group
    assert "湖塘实验中学党支部、礼嘉中学党总支（共2个）" in group and "星辰" not in group  # it has sent
    log = accepted(three)
    assert due_soon(deliverable, day(2), log) == []  # sent: not again
    catch_up = due_soon(deliverable, day(2))  # the run of D−3 did not happen: D−2 sends it, keyed D−3
    assert {r.key.day for r in catch_up} == {day(3)} and "（还有2天）" in catch_up[0].body
    one = due_soon(deliverable, day(1), log)
    assert {r.key.day for r in one} == {day(1)} and "（明天截止）" in one[0].body
    log += accepted(one)
    assert due_soon(deliverable, day(0), log) == []
    on_the_day = due_soon(deliverable, day(0), log[:3])  # the 1-day reminder never went: on the day itself
    assert {r.key.day for r in on_the_day} == {day(1)} and "（今天截止）" in on_the_day[0].body
    assert due_soon(deliverable, day(-1), log) == []
    (digest,) = [r for r in plan(DUE, day(-1), BRANCHES, (3, 1), log) if r.key.kind == "overdue"]
    assert digest.key == Key("*", "*", "overdue", day(-1)) and digest.audience == "group"
    assert f"{TITLES[deliverable]}（{d.month}月{d.day}日截止）：湖塘实验中学党支部、礼嘉中学党总支（共2个）" in digest.body


def test_the_deadline_day_is_a_beijing_day():
    last_minute = datetime(2023, 6, 20, 15, 59, tzinfo=timezone.utc)  # 23:59 北京时间, 6月20日
    next_day = datetime(2023, 6, 20, 16, 0, tzinfo=timezone.utc)  # 00:00 北京时间, 6月21日
    kinds = lambda moment: {r.key.kind for r in plan(DUE, beijing_day(moment), BRANCHES, (3, 1, 0))}  # noqa: E731
    assert kinds(last_minute) == {"due_soon"}  # 0: the deadline's own day
    assert kinds(next_day) == {"overdue"}


def test_the_overdue_digest_goes_once_a_day_and_names_every_late_deliverable():
    today = date(2023, 7, 26)  # 工作方案, tables and 阶段性小结 overdue
    late = [Branch("WJ017", "湖塘实验中学党支部", sent=frozenset({"work_plan"})), NO_MAIL, DONE]
    (digest,) = plan(DUE, today, late, (3, 1))
    assert digest.subject == "【党员组织关系排查】逾期未报情况"
    assert digest.body == ("截至7月26日，以下党组织逾期未报：\n"
                           "「党员组织关系排查工作方案」（6月20日截止）：礼嘉中学党总支（共1个）\n"
                           "「党员组织关系排查相关表格」（7月15日截止）：湖塘实验中学党支部、礼嘉中学党总支（共2个）\n"
                           "「阶段性小结」（7月25日截止）：湖塘实验中学党支部、礼嘉中学党总支（共2个）\n"
                           "请以上党组织尽快报送。")
    log = accepted([digest])
    assert plan(DUE, today, late, (3, 1), log) == []
    assert [r.key for r in plan(DUE, today + timedelta(days=1), late, (3, 1), log)] == [
        Key("*", "*", "overdue", today + timedelta(days=1))]
    assert plan(DUE, today, [DONE], (3, 1)) == []  # nothing overdue, no digest


def test_a_failed_channel_is_sent_again_and_only_it():
    today = date(2023, 6, 17)
    wecom, dingtalk = Recorder("wecom"), Recorder("dingtalk", refuse=lambda m: "errcode 45009")
    log = run(plan(DUE, today, BRANCHES, (3, 1)), [wecom, dingtalk])
    assert [(r.channel, r.result) for r in log if r.channel != "none"] == [
        ("wecom", "accepted"), ("dingtalk", "failed")]
    again = plan(DUE, today, BRANCHES, (3, 1), log)
    assert [(r.key.branch, r.done) for r in again] == [("*", frozenset({"wecom"}))]
    dingtalk.refuse = None
    log += run(again, [wecom, dingtalk])
    assert len(wecom.sent) == 1 and len(dingtalk.sent) == 2  # the group that had it is not sent it twice
    assert plan(DUE, today, BRANCHES, (3, 1), log) == []


def test_a_return_goes_to_the_branch_and_the_group_once_a_day():
    today = date(2023, 7, 3)
    reminders = returned(MAILED, "tables", DUE, today)
    assert [(r.key, r.audience, r.to) for r in reminders] == [
        (Key("WJ017", "tables", "returned", today), "mail", ("htsy@example.cn",)),
        (Key("WJ017", "tables", "returned", today), "group", ())]
    assert reminders[1].body == ("湖塘实验中学党支部报送的「党员组织关系排查相关表格」已退回修改，"
                                 "请登录排查文书服务查看退回意见，修改后于7月15日前重新报送。")
    log = accepted(reminders)
    assert returned(MAILED, "tables", DUE, today, log) == []
    late = returned(MAILED, "work_plan", DUE, today, log)
    assert "修改后尽快重新报送" in late[0].body  # its deadline has passed
    assert "尽快" in returned(MAILED, "*", DUE, today)[1].body  # a whole submission: no one deadline


def test_a_reminder_by_hand_reaches_the_branch_itself():
    today = date(2023, 7, 20)
    partly = Branch("WJ017", "湖塘实验中学党支部", ("htsy@example.cn",), frozenset({"work_plan"}))
    (mail,) = by_hand(partly, DUE, today)
    assert (mail.key, mail.audience) == (Key("WJ017", "*", "by_hand", today), "mail")
    assert ("贵党组织尚未报送：「党员组织关系排查相关表格」（7月15日截止，已逾期）、「阶段性小结」（7月25日截止）、"
            "「党员组织关系排查工作总结」（10月15日截止）。") in mail.body
    assert by_hand(partly, DUE, today, accepted([mail])) == []  # a double click sends it once
    (group,) = by_hand(NO_MAIL, DUE, today)  # no address: the group is where its clerk is
    assert group.audience == "group" and group.body.startswith("请礼嘉中学党总支尽快报送：")
    assert by_hand(DONE, DUE, today) == []


def test_a_group_message_fits_a_robot_for_thousands_of_branches():
    many = [Branch(f"B{i:04d}", f"武进区第{i}实验学校党支部") for i in range(3000)]
    for today in (date(2023, 6, 17), date(2023, 10, 16)):
        for r in plan(DUE, today, many, (3, 1)):
            if r.audience == "group":
                assert len(f"{r.subject}\n{r.body}".encode()) <= GROUP_BYTES
                assert "等3000个党组织" in r.body
