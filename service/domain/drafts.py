"""The four narrative documents (工作方案, 阶段性小结, 工作总结, 核查情况) as template contexts.

Each function returns the complete dict for its templates_docx/*.docx: title_lines, intro,
sections (lists of paragraph strings, or of {title, paragraphs} subsections), the lists the
template loops over, signature and date. Figures and names come from the data (figures, rules,
effective); a clerk's override replaces a drafted paragraph, never a figures sentence.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Optional

from . import drafts_facts as facts
from . import rules, scope
from .calendar import chinese_date
from .drafts_plan import LONG_TERM_MEASURES, requirements, schedule
from .drafts_text import (count_parts, drafted_or, masked, names, none_of, numbered, secretary_title,
                          subsections, us)
from .figures import campaign_summary, outgoing_summary
from .model import Dataset, Member
from .verification import footer_line

NOTICE = "《关于开展党员组织关系排查工作的通知》"


def _common(ds: Dataset, doc_title: str, when: Optional[date], deadline: date) -> dict:
    """Title, org, signature, 成文日期 (default: the day before the deadline) and the 校验码."""
    o = ds.org
    return {
        "title": f"{o.name}{doc_title}",
        "title_lines": [o.name, doc_title],
        "org": {"code": o.code, "name": o.name, "full_name": o.full_name, "unit_name": o.unit_name,
                "org_type": o.org_type, "secretary": o.secretary, "contact_person": o.contact_person,
                "contact_phone": o.contact_phone},
        "signature": o.full_name,
        "date": chinese_date(when or (deadline - timedelta(days=1) if deadline > date.min else deadline)),
        "verification": footer_line(ds),  # 「校验码 7F3A-92C1」 in every page's footer
    }


def _basic_figures(ds: Dataset, fig: dict) -> str:
    """一、基本情况's figures sentence (A1–A6)."""
    stats = chinese_date(ds.campaign.stats_date)
    text = f"截至{stats}，{us(ds)}共有党员{fig['A1']}名，"
    text += f"其中正式党员{fig['A2']}名、预备党员{fig['A3']}名" if fig["A3"] else "均为正式党员"
    kinds = count_parts([("在岗教职工", fig["A4"]), ("离退休人员", fig["A5"]), ("其他人员", fig["A6"])])
    return text + (f"；按人员类别分，{kinds}。" if kinds else "。")


def _excluded(ds: Dataset) -> list[str]:
    out = scope.excluded(ds)
    if not out:
        return []
    return [f"另有{names(out)}同志于{chinese_date(ds.campaign.cutoff_date)}后入党，不属本次排查对象，"
            "在党员信息动态维护中一并登记。"]


def _zero_sentence(ds: Dataset) -> list[str]:
    cats = facts.categories(ds)
    zero = [label for key, label in facts.ZERO_LABELS.items() if not cats[key]]
    return [none_of(ds, zero)] if zero else []


def _problems(ds: Dataset, fig: dict, by_rule: dict, who=facts._plain) -> list[dict]:
    return subsections([
        ("外出流动党员", facts.outgoing_facts(ds, who)),
        ("“空挂”党员", facts.hanging_facts(ds, who)),
        ("“失联”党员", facts.lost_facts(ds, who)),
        ("出国（境）党员", facts.abroad_facts(ds, who)),
        ("组织关系转出未收到回执", facts.receipt_facts(ds, who)),
        ("信息差错", facts.info_facts(ds, fig, by_rule, who)),
    ])


def _plans(ds: Dataset, by_rule: dict, who=facts._plain) -> list[dict]:
    return subsections([
        ("外出流动党员", facts.outgoing_plan(ds, who)),
        ("“空挂”党员", facts.hanging_plan(ds, who)),
        ("“失联”党员", facts.lost_plan(ds, who)),
        ("出国（境）党员", facts.abroad_plan(ds, who)),
        ("组织关系转出未收到回执", facts.receipt_plan(ds, who)),
        ("其他问题", facts.other_plan(ds, by_rule)),
    ])


def _plan_count(ds: Dataset) -> list[str]:
    cats = facts.categories(ds)
    parts = count_parts([(label, len(cats[k])) for k, label in
                         [*facts.ZERO_LABELS.items(), ("receipt", "转出未收到回执党员")]])
    if not parts:
        return [f"本{us(ds)}排查中未发现需要组织处理的问题，将继续做好党员信息的日常维护。"]
    return [f"需要规范处理的有{parts}，{us(ds)}逐人研究提出初步处理方案如下。"]


# ---------------------------------------------------------------- 工作方案

def work_plan_context(ds: Dataset) -> dict:
    """工作方案 (附件2 提纲): 目标任务, 范围和对象, 组织领导, 方法步骤和时间安排, 工作要求."""
    fig = campaign_summary(ds)
    ctx = _common(ds, "党员组织关系排查工作方案", ds.work_plan.date, ds.campaign.deadlines.work_plan)
    o, self_ = ds.org, us(ds)
    group = ds.work_plan.leading_group or _default_group(ds)
    ctx["intro"] = [f"为贯彻全面从严治党要求，进一步从严从实加强党员队伍管理，根据区委教育工委{NOTICE}部署，"
                    f"结合{o.unit_name}实际，制定本方案。"]
    ctx["sections"] = {
        "goals": [
            "通过开展党员组织关系排查，从严落实党员管理制度，规范党员组织关系管理，从源头上治理党员组织关系"
            "“空挂”“失联”等现象，解决“口袋党员”“隐身党员”等问题，确保每一名党员都纳入党组织的有效管理之中。",
            f"理清{self_}党员基本情况，统一规范党员情况记载和党员名册，及时编入党员组织关系网上接转系统；"
            "摸清流动党员底数和现状，理顺“空挂”党员组织隶属关系，全面排查“失联”党员并区别情况作出组织处理。",
        ],
        "scope": [
            f"排查范围为{o.full_name}全体党员，对象为{chinese_date(ds.campaign.cutoff_date)}前入党、"
            f"组织关系在本{self_}的中共正式党员和预备党员。",
            _basic_figures(ds, fig),
            *_known_cases(ds, fig),
            *_excluded(ds),
        ],
        "leadership": [f"{self_}成立党员组织关系排查工作小组，由{secretary_title(ds)}{o.secretary}同志负总责，"
                       "小组成员及分工如下："],
        "duties": [f"工作小组负责方案制定、人员培训、信息核对和材料报送，{o.contact_person}同志负责具体事务，"
                   f"联系电话{o.contact_phone}。各党小组明确专人，层层落实责任。"],
        "schedule_intro": [f"排查工作从{_year(ds)}年6月起，至{_year(ds)}年10月基本结束，分四个阶段进行。"],
        "requirements": requirements(ds),
    }
    ctx["leading_group"] = [_group_line(ds, g) for g in group]
    ctx["schedule"] = schedule(ds)
    return ctx


def _year(ds: Dataset) -> int:
    return ds.campaign.deadlines.work_plan.year


def _default_group(ds: Dataset) -> list:
    from .model import GroupMember

    group = [GroupMember(ds.org.secretary, "组长", "对排查工作负总责")]
    if ds.org.contact_person != ds.org.secretary:
        group.append(GroupMember(ds.org.contact_person, "成员", "负责信息核对、表格填报和材料报送等具体事务"))
    return group


def _group_line(ds: Dataset, g) -> dict:
    post = f"（{secretary_title(ds)}）" if g.name == ds.org.secretary else ""
    duty = f"，{g.duty.rstrip('。')}" if g.duty else ""
    role = {"组长": "组　长", "成员": "成　员"}.get(g.role, g.role)
    return {"name": g.name, "role": g.role, "duty": g.duty or "", "line": f"{role}：{g.name}{post}{duty}。"}


def _known_cases(ds: Dataset, fig: dict) -> list[str]:
    parts = count_parts([("外出流动党员", fig["C1"]), ("“空挂”党员", fig["D1"]), ("“失联”党员", fig["E1"]),
                         ("出国（境）党员", fig["G1"])])
    if parts:
        return [f"经初步摸排，{us(ds)}现有{parts}，作为本次排查的重点。"]
    return [f"经初步摸排，本{us(ds)}暂未发现外出流动、“空挂”、“失联”和出国（境）党员，排查中逐人核实确认。"]


# ---------------------------------------------------------------- 阶段性小结

def stage_summary_context(ds: Dataset) -> dict:
    """阶段性小结: 基本情况, 三查三核, 问题, 初步处理方案, 下一步工作安排."""
    fig, by_rule = campaign_summary(ds), rules.findings_by_rule(ds)
    inp, self_, y = ds.stage_summary, us(ds), _year(ds)
    ctx = _common(ds, "党员组织关系排查工作阶段性小结", inp.date, ds.campaign.deadlines.stage_summary)
    ctx["intro"] = [f"按照区委教育工委{NOTICE}部署，{self_}认真开展党员组织关系排查工作，现将前一阶段“三查三核”"
                    "开展情况和初步处理方案小结如下。"]
    progress = [f"6月，{self_}制定排查工作方案，成立工作小组，明确专人负责；7月上旬，组织党员逐人填写《党员基本情况登记表》，"
                f"由{self_}审核后归档，填报附件3—附件9并按时报送。"]
    checks = [f"{self_}对照“三查三核”要求，逐人核对党员基本信息，逐月核对党费交纳和组织生活记录，逐笔核对组织关系接转情况，"
              "对流动、“空挂”、“失联”党员逐人核准数量、去向和现状。"]
    ctx["sections"] = {
        "basic": [_basic_figures(ds, fig), *_excluded(ds), *drafted_or(inp.progress, progress)],
        "checks": [*drafted_or(inp.checks, checks), *_check_counts(ds, fig, by_rule)],
        "problems_intro": _zero_sentence(ds),
        "problems": _problems(ds, fig, by_rule),
        "problems_analysis": drafted_or(inp.problems, [
            "从排查情况看，问题主要集中在党员外出、调动后组织关系未及时转接，个别党员长期不与党组织联系，"
            f"{self_}对党员动态信息掌握还不够及时。" if any(facts.categories(ds).values()) else
            f"从排查情况看，{self_}党员组织关系隶属清楚，党员管理总体规范。"]),
        "plan_intro": _plan_count(ds),
        "plan": [] if inp.plan else _plans(ds, by_rule),
        "next_steps": drafted_or(inp.next_steps, [
            f"一是配合区委教育工委做好{y}年8月上旬的专题研究，按照处理意见逐人落实。",
            f"二是{y}年9月底前完成组织关系理顺工作，稳妥处理“失联”党员，履行预审和报批程序。"
            if any(facts.categories(ds).values()) else f"二是{y}年9月底前进一步完善党员信息管理台账，巩固排查成果。",
            f"三是{y}年10月全面总结排查工作，于{chinese_date(ds.campaign.deadlines.final_report)}前报送工作总结，"
            "同步研究制定长效化管理措施。"]),
    }
    if inp.plan:
        ctx["sections"]["plan_intro"] = [*ctx["sections"]["plan_intro"], *drafted_or(inp.plan, [])]
    return ctx


def _check_counts(ds: Dataset, fig: dict, by_rule: dict) -> list[str]:
    """The findings' counts by 三查三核 item: the figures of section 二, never overridden."""
    total = sum(len(v) for v in by_rule.values())
    if not total:
        return [f"经“三查三核”，未发现需要整改的问题，{fig['A1']}名党员信息齐全、组织关系隶属清楚。"]
    parts = "、".join(f"{rules.RULES[rid].title}{len(hits)}项" for rid, hits in by_rule.items() if hits)
    return [f"经“三查三核”，共发现需要规范的事项{total}项，其中{parts}。",
            f"“三核”核准：外出流动党员{fig['C1']}名，“空挂”党员{fig['D1']}名，“失联”党员{fig['E1']}名。"
            if fig["C1"] or fig["D1"] or fig["E1"] else none_of(ds, ["外出流动党员", "“空挂”党员", "“失联”党员"])]


# ---------------------------------------------------------------- 工作总结

def final_report_context(ds: Dataset) -> dict:
    """工作总结: 开展情况, 排查结果 (附件9 in prose), 问题处置, 做法成效, 问题不足, 长效化管理措施."""
    from .drafts_summary import handling_sections, results_sections

    fig = campaign_summary(ds)
    inp, self_, y = ds.final_report, us(ds), _year(ds)
    ctx = _common(ds, "党员组织关系排查工作总结", inp.date, ds.campaign.deadlines.final_report)
    ctx["intro"] = [f"按照区委教育工委{NOTICE}部署，{y}年6月至10月，{self_}开展党员组织关系排查工作。"
                    "现将有关情况总结如下。"]
    open_items = _open_items(ds, fig)
    ctx["sections"] = {
        "work_done": [
            f"本次排查共涉及党员{fig['A1']}名，已逐人核实{fig['B1']}名。",
            *drafted_or(inp.work_done, [
                f"{self_}按照动员部署、集中排查、整改规范、巩固提升四个阶段推进：6月制定工作方案，成立由"
                f"{secretary_title(ds)}负总责的工作小组；7月组织党员填写《党员基本情况登记表》，完成附件3—附件9填报，"
                "配合区委教育工委开展“三查三核”并报送阶段性小结；8月至9月逐人逐项理顺组织关系、处理“失联”党员；"
                "10月全面总结，研究制定长效化管理措施。"]),
        ],
        "results": results_sections(ds, fig),
        "results_comment": drafted_or(inp.results, [
            f"总体看，{self_}党员底数已经摸清，党员名册和党员信息管理台账已按统一要求规范，"
            "排查数据真实准确完整。"]),
        "handling_intro": [] if any(facts.categories(ds).values()) else
        [f"本{us(ds)}排查中未发现需要组织处理的问题。"],
        "handling": handling_sections(ds),
        "practices": [
            *drafted_or(inp.practices, [
                f"一是压实责任。{secretary_title(ds)}负总责，专人具体操作，做到全覆盖、无遗漏。",
                "二是真摸实报。坚持是什么情况就报什么情况，逐人核对、建档造册，查找过程详细记录在案。",
                "三是边查边改。坚持边排查边规范，及时更新党员信息管理台账，理顺组织关系隶属。"]),
            *_achievements(ds, fig),
        ],
        "shortcomings": [
            *drafted_or(inp.shortcomings, [
                "排查中也发现，党员动态信息更新还不够及时，对外出、调动党员的跟踪联系还不够经常，"
                "组织关系接转的回执跟踪需要进一步加强。"]),
            *open_items,
        ],
        "measures_intro": [f"为巩固排查成果，{self_}研究制定以下长效化管理措施："],
    }
    ctx["long_term_measures"] = numbered(inp.long_term_measures or LONG_TERM_MEASURES)
    return ctx


def _achievements(ds: Dataset, fig: dict) -> list[str]:
    parts = [p for p in (
        f"理顺“空挂”党员组织关系{fig['D2']}名" if fig["D2"] else "",
        f"与{fig['E2']}名“失联”党员恢复联系" if fig["E2"] else "",
        f"更正党员信息差错{fig['B2']}名" if fig["B2"] else "",
        f"核准外出流动党员{fig['C1']}名" if fig["C1"] else "",
    ) if p]
    return [f"通过排查，{'，'.join(parts)}。"] if parts else []


def _open_items(ds: Dataset, fig: dict) -> list[str]:
    parts = [p for p in (
        f"{fig['E3']}名“失联”党员无法取得联系" if fig["E3"] else "",
        f"{fig['D3']}名“空挂”党员组织关系尚未理顺" if fig["D3"] else "",
        f"{fig['C3']}名外出流动党员应转未转组织关系" if fig["C3"] else "",
        f"{fig['B3']}名党员组织关系转出后尚未收到回执" if fig["B3"] else "",
        f"{fig['G3']}名出国（境）党员尚未办理相应手续" if fig["G3"] else "",
    ) if p]
    if not parts:
        return ["排查发现的问题均已处置到位。"]
    return [f"目前仍有{'，'.join(parts)}，需持续跟进。"]


# ---------------------------------------------------------------- 核查情况

def verification_context(ds: Dataset) -> dict:
    """核查情况: 三查 and 三核 results by rule, members with masked ID numbers, 初步处理方案."""
    from .drafts_summary import finding_groups, three_checks, three_confirms

    fig, by_rule = campaign_summary(ds), rules.findings_by_rule(ds)
    ctx = _common(ds, "党员组织关系排查核查情况", ds.stage_summary.date, ds.campaign.deadlines.stage_summary)
    ctx["intro"] = [f"根据区委教育工委{NOTICE}“三查三核”要求，现将{ds.org.full_name}党员组织关系核查情况报告如下。"]
    total = sum(len(v) for v in by_rule.values())
    ctx["sections"] = {
        "basic": [_basic_figures(ds, fig), *_excluded_masked(ds),
                  f"经核查，已核实党员信息{fig['B1']}名"
                  + "".join(f"，{p}" for p in [count_parts([("信息有误已更正", fig["B2"]),
                                                            ("转出未收到回执", fig["B3"])])] if p) + "。"],
        "three_checks": three_checks(ds, fig, by_rule),
        "three_confirms": three_confirms(ds, fig),
        "findings_intro": [f"核查共发现需要规范的事项{total}项，按规则分列如下。" if total else
                           "核查未发现需要规范的事项。"],
        "plan_intro": _plan_count(ds),
        "plan": _plans(ds, by_rule, masked),
    }
    ctx["finding_groups"] = finding_groups(ds, by_rule)
    ctx["outgoing_figures"] = outgoing_summary(ds)
    return ctx


def _excluded_masked(ds: Dataset) -> list[str]:
    """Named only: their ID numbers are in the table of 四 (不属本次排查对象)."""
    out: list[Member] = scope.excluded(ds)
    if not out:
        return []
    return [f"另有{names(out)}同志于{chinese_date(ds.campaign.cutoff_date)}后入党，不属本次排查对象。"]


_BUILDERS = {
    "work_plan": work_plan_context,
    "stage_summary": stage_summary_context,
    "final_report": final_report_context,
    "verification_report": verification_context,
}


def narrative_context(ds: Dataset, doc_id: str) -> dict:
    """The template context of one narrative document; KeyError for an id that is not one."""
    return _BUILDERS[doc_id](ds)
