"""工作方案's fixed parts: the notice's four phases with dates, the 工作要求, and the default
长效化管理措施 of the 工作总结. Dates come from the campaign settings, so the year is the
campaign's (2023), never the notice's misprinted 2024.
"""
from __future__ import annotations

from .calendar import chinese_date
from .drafts_text import paragraphs, subsections, us
from .model import Dataset
from . import naming


def _md(d) -> str:
    return f"{d.month}月{d.day}日"


def schedule(ds: Dataset) -> list[dict]:
    """（一）…（四） phases: the clerk's schedule when given, else the notice's."""
    if ds.work_plan.schedule:
        return subsections([
            (f"{p.phase}（{chinese_date(p.start)}至{chinese_date(p.end)}）",
             paragraphs(p.tasks) or [f"按照区委教育工委部署完成{p.phase}各项工作。"])
            for p in ds.work_plan.schedule
        ])
    dl, y, self_ = ds.campaign.deadlines, ds.campaign.deadlines.work_plan.year, us(ds)
    cutoff = chinese_date(ds.campaign.cutoff_date)
    return subsections([
        (f"动员部署阶段（{y}年6月）", [
            f"1．制定工作方案。{y}年6月中旬，根据区委教育工委部署要求，制定本{self_}工作方案，明确排查内容、方法措施、"
            f"时间进度和责任主体，于{_md(dl.work_plan)}前报局组织人事科，经同意后组织实施。",
            f"2．组建工作队伍。{y}年6月中旬，建立书记负总责、专人具体操作的工作责任制度，召开党员大会进行动员部署。",
            f"3．参加专题培训。{y}年6月下旬，党务干事参加区委教育工委组织的集中培训。",
        ]),
        (f"集中排查阶段（{y}年7月）", [
            f"4．开展自查。{y}年7月上旬，全面梳理党员在册情况和交纳党费、参加组织生活、接转组织关系情况，"
            f"组织{cutoff}前入党的正式党员、预备党员本人填写《党员基本情况登记表》，经{self_}审核后归入工作档案；"
            f"填写《党员名册》等六张表，于{_md(dl.tables)}前报送附件3—附件9。",
            f"5．配合核查。{y}年7月下旬，配合区委教育工委做好“三查三核”，形成核查情况专门材料，"
            f"于{_md(dl.stage_summary)}前报送阶段性小结。",
        ]),
        (f"整改规范阶段（{y}年8月下旬至9月）", [
            f"6．规范组织关系管理。{y}年9月底前，对转出未收到回执、外出流动、“空挂”以及出国（境）未办理手续的党员，"
            "按照规定逐人理顺、落实组织关系。",
            f"7．稳妥处理“失联”党员。{y}年9月底前，按照《武进区处置不合格党员实施办法》，做好预审后报上级党组织审批，"
            "确保程序规范、定性准确、处置恰当。",
        ]),
        (f"巩固提升阶段（{y}年10月起长期坚持）", [
            f"8．检查总结。{y}年10月，全面总结排查工作，于{_md(dl.final_report)}前报送工作总结，配合区委教育工委检查验收。",
            "9．巩固提升。研究制定定期排查、组织关系规范化管理和流动党员管理等长效化流程，巩固排查成果。",
        ]),
    ])


def _doc_name(ds: Dataset, key: str) -> str:
    return naming.file_name(ds.org, key, "").rstrip(".")


def requirements(ds: Dataset) -> list[str]:
    """五、工作要求: responsibility, 真摸实报, 信息安全, deadlines with the exact file names."""
    dl, self_ = ds.campaign.deadlines, us(ds)
    out = [
        f"1．落实工作责任。{self_}书记履行第一责任人职责，工作小组成员各司其职，确保排查全覆盖、无遗漏，"
        "坚决防止把党内统计数据简单翻新、应付了事。",
        "2．坚持真摸实报。坚持实事求是、严谨细致，是什么情况就报什么情况，有多少就报多少，确保排查数据真实准确完整；"
        "对与党组织失去联系的党员逐人核对查实、建档造册，查找过程详细记录在案，以备查验。",
        "3．确保信息安全。党员身份证号码、联系电话、家庭住址等个人信息由专人管理，电子材料加密存放，"
        "纸质材料妥善保管，不得擅自扩散或用于排查以外的用途。",
        f"4．按时报送材料。{_md(dl.work_plan)}前报送工作方案，命名为“{_doc_name(ds, 'work_plan')}”；"
        f"{_md(dl.tables)}前报送附件3—附件9，电子稿命名为“{_doc_name(ds, 'tables')}”打包上传，"
        "纸质稿加盖党组织公章交局组人科1110室（《党员基本情况登记表》留存学校备查）；"
        f"{_md(dl.stage_summary)}前报送阶段性小结，命名为“{_doc_name(ds, 'stage_summary')}”；"
        f"{_md(dl.final_report)}前报送工作总结，命名为“{_doc_name(ds, 'final_report')}”。"
        "以上材料均上传网盘对应文件夹。",
        "5．及时请示报告。排查中遇到的重要情况及时报告，对把握不准的问题及时向区委教育工委请示。",
    ]
    return out + paragraphs(ds.work_plan.extra)


LONG_TERM_MEASURES = [
    "党员信息动态维护。党员信息发生变化的，由党员本人及时报告，党务干事一周内更新党员名册和信息管理台账，每半年全面核对一次。",
    "组织关系应转尽转和回执跟踪。党员工作调动或外出6个月以上且地点相对固定的，及时转移正式组织关系；转出后逐笔登记，一个月内未收到回执的主动联系接收党组织。",
    "流动党员定期联系。建立外出流动党员联系台账，支部每季度至少联系一次，督促其持流动党员活动证参加流入地党组织活动。",
    "失联预警。党员连续3个月未参加组织生活或未交纳党费的，及时谈心提醒、查明原因，防止出现新的“失联”党员。",
    "党费按月交纳台账。建立党费按月交纳台账，每月核对交纳情况，逾期未交的及时提醒。",
    "组织生活考勤。对“三会一课”、主题党日等组织生活实行考勤登记，缺席的及时了解原因并做好补课。",
    "出国（境）党员报告。党员出国（境）定居、留学、从事劳务的，出国（境）前向党组织报告，按照规定办理组织关系相应手续。",
]
