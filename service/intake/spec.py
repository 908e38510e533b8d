"""The clerk workbook's layout as data: every sheet, every column, tied to the contract path it fills.

The blank workbook, the filled workbook and the reader are all driven by `SHEETS`, so a column
added to the contract is added here once and the three can never drift apart.

Layouts
- "kv": key/value rows (项目 | 内容 | 填写要求); `Column.path` is an absolute contract path.
- "table": row 1 headers, row 2 fill-in hints, row 3 a grey example marked 示例 in column A,
  data from row 4. `Sheet.base` says where a row goes; `[]` is the row's list index. Sheets whose
  base starts with `members[]` but is not the member list itself refer to a member by
  公民身份号码 (`Column.path == MEMBER_REF`).
"""
from __future__ import annotations

from dataclasses import dataclass

MEMBER_REF = "@id"  # the referenced member's 公民身份号码 (not a contract field)
NAME_CHECK = "@name"  # the referenced member's 姓名, only checked against 党员名册

HEADER_ROW, HINT_ROW, EXAMPLE_ROW, FIRST_DATA_ROW = 1, 2, 3, 4
EXAMPLE_MARK = "示例"
MARK_HEADER = "序号"
LAST_VALIDATED_ROW = 5000  # dropdowns and formats reach this far down

# ---- enumerations (contract.md; forms.md appendix for 民族) ------------------------------------
YES, NO = "是", "否"
BOOL = (YES, NO)
GENDER = ("男", "女")
ETHNICITY = tuple(
    "汉族 蒙古族 回族 藏族 维吾尔族 苗族 彝族 壮族 布依族 朝鲜族 满族 侗族 瑶族 白族 土家族 哈尼族 "
    "哈萨克族 傣族 黎族 傈僳族 佤族 畲族 高山族 拉祜族 水族 东乡族 纳西族 景颇族 柯尔克孜族 土族 "
    "达斡尔族 仫佬族 羌族 布朗族 撒拉族 毛南族 仡佬族 锡伯族 阿昌族 普米族 塔吉克族 怒族 乌孜别克族 "
    "俄罗斯族 鄂温克族 德昂族 保安族 裕固族 京族 塔塔尔族 独龙族 鄂伦春族 赫哲族 门巴族 珞巴族 基诺族 "
    "其他".split()
)
EDUCATION = ("研究生", "大学本科", "大学专科", "中专", "高中", "初中及以下")
MEMBER_TYPE = ("正式党员", "预备党员")
PERSON_CATEGORY = ("在岗教职工", "离退休人员", "其他")
PARTY_STATUS = ("正常", "停止党籍")
ORG_TYPE = ("党委", "党总支", "党支部")
OUT_REASON = ("务工经商", "学习进修", "异地居住", "其他")
RELATION_ACTION = ("应转移组织关系", "已转移组织关系", "发放活动证", "保留组织关系")
LOST_SITUATION = ("外出务工经商", "单位改制或破产", "毕业后去向不明", "工作单位改变", "出国（境）", "居住地改变", "其他")
LOST_OUTCOME = ("取得联系", "无法取得联系")
LOST_HANDLING = (
    "恢复正常管理", "转移组织关系", "限期改正", "劝其退党", "除名", "停止党籍",
    "继续查找", "取消预备党员资格", "不再保留预备党员资格", "其他",
)
ABROAD_KIND = ("定居", "留学", "劳务", "其他")
ABROAD_HANDLING = ("保留组织关系", "停止党籍", "不再保留预备党员资格", "其他")
GROUP_ROLE = ("组长", "副组长", "成员")

KINDS = ("text", "id", "phone", "date", "month", "bool", "enum", "int", "lines")


@dataclass(frozen=True)
class Column:
    """One column (table) or one row (kv) of the workbook."""

    header: str
    path: str
    kind: str = "text"
    required: bool = False
    values: tuple[str, ...] = ()
    width: float = 14
    hint: str = ""
    example: object = None

    @property
    def hint_text(self) -> str:
        """What row 2 (or the 填写要求 column) tells the clerk."""
        need = "必填" if self.required else "选填"
        how = {
            "date": "日期，如 2023-07-01",
            "month": "年月，如 2023-07（也可填到日）",
            "bool": "下拉选择 是/否",
            "enum": "下拉选择",
            "id": "18位，末位X大写",
            "phone": "手机号，或带区号的座机号，如 0519-86310611（分机写“转8001”）",
            "lines": "多条分行填写（Alt+回车换行）",
            "int": "整数",
        }.get(self.kind, "")
        return "；".join(part for part in (need, how, self.hint) if part)


@dataclass(frozen=True)
class Sheet:
    name: str
    layout: str  # "kv" | "table"
    base: str  # table: "members[]", "members[].outgoing", "work_plan.leading_group[]" …; kv: ""
    columns: tuple[Column, ...]
    required: bool = False  # the workbook must have this sheet
    note: str = ""  # one line shown on 填写说明

    @property
    def refers_to_member(self) -> bool:
        return self.layout == "table" and self.base.startswith("members[].")

    def column(self, header: str) -> Column:
        return next(c for c in self.columns if c.header == header)


def _c(header, path, kind="text", required=False, values=(), width=14, hint="", example=None):
    if kind == "bool":
        values = BOOL
    return Column(header, path, kind, required, tuple(values), width, hint, example)


EX_ID, EX_NAME = "32041219850312002X", "张三"  # a valid example number (check digit X)

_REF = (
    _c("公民身份号码", MEMBER_REF, "id", True, width=22, hint="与党员名册一致", example=EX_ID),
    _c("姓名", NAME_CHECK, width=10, hint="便于核对", example=EX_NAME),
)

ORG = Sheet("党组织信息", "kv", "", (
    _c("学校党组织编号", "org.code", required=True, hint="区里统一编号，字母和数字，如 WJ017", example="WJ017"),
    _c("学校党组织名", "org.name", required=True, hint="用于文件命名，如 湖塘桥实验小学党支部"),
    _c("党组织全称", "org.full_name", required=True, hint="与公章一致，如 中共常州市武进区湖塘桥实验小学支部委员会"),
    _c("学校名称", "org.unit_name", required=True, hint="如 常州市武进区湖塘桥实验小学"),
    _c("党组织类型", "org.org_type", "enum", True, ORG_TYPE),
    _c("书记", "org.secretary", required=True),
    _c("联系人（党务干事）", "org.contact_person", required=True),
    _c("联系电话", "org.contact_phone", "phone", True),
    _c("填表人", "org.filled_by", hint="不填则为联系人"),
    _c("审核人", "org.reviewed_by", hint="不填则为书记"),
    _c("填报日期", "org.fill_date", "date", hint="不填则为当天"),
    _c("入党截止日期", "campaign.cutoff_date", "date", hint="不填则为 2023-06-30（此后入党的不列入表格）"),
    _c("统计截止日期", "campaign.stats_date", "date", hint="不填则为 2023-06-30"),
    _c("查找结束日期", "campaign.search_end_date", "date", hint="不填则为 2023-07-15（计算失联时长）"),
    _c("上级党组织", "campaign.superior_org", hint="不填则为 中共常州市武进区委教育工作委员会"),
    _c("工作方案报送截止日", "campaign.deadlines.work_plan", "date", hint="不填则为 2023-06-20"),
    _c("相关表格报送截止日", "campaign.deadlines.tables", "date", hint="不填则为 2023-07-15"),
    _c("阶段性小结报送截止日", "campaign.deadlines.stage_summary", "date", hint="不填则为 2023-07-25"),
    _c("工作总结报送截止日", "campaign.deadlines.final_report", "date", hint="不填则为 2023-10-15"),
), required=True, note="本党组织的基本信息，每项填在“内容”列。")

MEMBERS = Sheet("党员名册", "table", "members[]", (
    _c("姓名", "name", required=True, width=10, example=EX_NAME),
    _c("性别", "gender", "enum", True, GENDER, 7, example="女"),
    _c("民族", "ethnicity", "enum", True, ETHNICITY, 9, example="汉族"),
    _c("公民身份号码", "id_number", "id", True, width=22, example=EX_ID),
    _c("出生日期", "birth_date", "date", width=12, hint="不填则按身份证号"),
    _c("学历", "education", "enum", True, EDUCATION, 11, example="大学本科"),
    _c("党员类别", "member_type", "enum", True, MEMBER_TYPE, 10, example="正式党员"),
    _c("入党时间", "join_date", "date", True, width=12, hint="支部大会通过之日", example="2010-06-18"),
    _c("转正时间", "full_member_date", "date", width=12, hint="正式党员必填，预备党员不填", example="2011-06-18"),
    _c("人员类别", "person_category", "enum", True, PERSON_CATEGORY, 11, example="在岗教职工"),
    _c("工作岗位（职务）", "job_post", width=14, example="专任教师"),
    _c("联系电话", "phone", "phone", width=15, example="13912345678"),
    _c("家庭住址", "home_address", width=26, example="江苏省常州市武进区湖塘镇××路8号"),
    _c("党籍状态", "party_status", "enum", False, PARTY_STATUS, 9, hint="不填为正常"),
    _c("最近参加组织生活日期", "last_org_life_date", "date", width=13, example="2023-06-28"),
    _c("最近交纳党费月份", "last_dues_date", "month", width=12, example="2023-06"),
    _c("已核实", "verified", "bool", width=10, hint="三查已核实", example=YES),
    _c("信息更正情况", "corrections", "lines", width=22, hint="核查中发现并更正的信息"),
    _c("备注", "remarks", width=18),
), required=True, note="本支部组织关系所在的全体党员，每人一行（含流动、失联、空挂、出国（境）、转出待回执的党员）。")

OUTGOING = Sheet("外出流动", "table", "members[].outgoing", _REF + (
    _c("外出时间", "left_date", "month", True, width=11, example="2022-09"),
    _c("外出地点：国家（地区）", "destination.country", width=11, hint="不填为中国"),
    _c("省（区、市）", "destination.province", width=11, hint="国内必填", example="上海市"),
    _c("市", "destination.city", width=10, example="上海市"),
    _c("县（区）", "destination.county", width=10, example="浦东新区"),
    _c("详细地点", "destination.detail", width=18, example="随子女居住"),
    _c("外出原因", "reason", "enum", True, OUT_REASON, 10, example="异地居住"),
    _c("地点是否固定", "fixed_place", "bool", True, width=8, example=YES),
    _c("是否持流动党员活动证", "has_flow_card", "bool", True, width=10, example=NO),
    _c("活动证编号", "flow_card_no", width=12),
    _c("流入地党组织", "host_org", width=18),
    _c("是否保持联系", "in_contact", "bool", True, width=8, example=YES),
    _c("联系方式", "contact", width=14, example="微信"),
    _c("组织关系处理", "relation_action", "enum", False, RELATION_ACTION, 14, hint="不填则按规定自动拟定"),
), note="外出流动党员，每人一行。")

LOST = Sheet("失联查找", "table", "members[].lost_contact", _REF + (
    _c("最后联系时间", "since", "month", width=11, hint="不填则取最近组织生活、党费的较晚者", example="2021-03"),
    _c("失去联系情形", "situation", "enum", True, LOST_SITUATION, 14, example="工作单位改变"),
    _c("情形说明", "situation_note", width=14, hint="情形为“其他”时必填，其他情形不填"),
    _c("排查结果", "outcome", "enum", True, LOST_OUTCOME, 12, example="取得联系"),
    _c("查找结束日期", "search_end_date", "date", width=12, hint="不填则为 2023-07-15"),
    _c("取得联系日期", "contacted_date", "date", width=12, hint="取得联系的必填", example="2023-07-08"),
    _c("现工作单位或居住地（最后已知去向）", "current_whereabouts", width=22, example="江苏省无锡市某科技有限公司"),
    _c("联系方式", "contact", width=14),
    _c("处理情况", "handling", "enum", False, LOST_HANDLING, 16, hint="不填则按规定自动拟定"),
), note="失联（长期不与党组织联系，6个月以上）党员，每人一行；无法取得联系的，须在“查找记录”表逐次登记。")

SEARCHES = Sheet("查找记录", "table", "members[].lost_contact.search_record[]", _REF + (
    _c("查找日期", "date", "date", True, width=12, example="2023-07-03"),
    _c("查找方式", "method", required=True, width=20, example="拨打预留电话"),
    _c("查找情况", "result", required=True, width=28, example="号码已停机"),
), note="对无法取得联系的失联党员的每一次查找一行（同一党员可有多行；取得联系的不填）。")

HANGING = Sheet("空挂", "table", "members[].hanging", _REF + (
    _c("空挂原因", "reason", required=True, width=30, example="已调离本校，组织关系未转出"),
    _c("是否已理顺", "resolved", "bool", True, width=9, example=YES),
    _c("理顺情况", "resolution", width=26, hint="已理顺的必填", example="已转至××党支部"),
    _c("理顺日期", "resolved_date", "date", width=12, hint="已理顺的必填", example="2023-07-06"),
), note="组织关系“空挂”的党员，每人一行。")

ABROAD = Sheet("出国（境）", "table", "members[].abroad", _REF + (
    _c("类别", "kind", "enum", True, ABROAD_KIND, 8, example="留学"),
    _c("出国（境）时间", "since", "month", True, width=12, example="2022-09"),
    _c("国家（地区）", "country", required=True, width=12, example="英国"),
    _c("是否已按规定办理手续", "procedures_done", "bool", True, width=10, example=YES),
    _c("处理情况", "handling", "enum", False, ABROAD_HANDLING, 16, hint="不填则按规定自动拟定"),
), note="出国（境）定居、留学、劳务等党员，每人一行。")

TRANSFER = Sheet("转出待回执", "table", "members[].transfer_out", _REF + (
    _c("转出日期", "date", "date", True, width=12, example="2023-03-15"),
    _c("接收党组织", "to_org", required=True, width=30, example="常州市武进区××中学党支部"),
    _c("回执是否已收到", "receipt_received", "bool", True, width=10, example=NO),
), note="正式组织关系已转出、等待回执的党员，每人一行。")

DOCS = Sheet("文稿信息", "kv", "", (
    _c("工作方案成文日期", "work_plan.date", "date", hint="不填则按报送期限自动确定"),
    _c("工作方案补充工作要求", "work_plan.extra", hint="加在“工作要求”之后"),
    _c("阶段性小结成文日期", "stage_summary.date", "date"),
    _c("小结：工作进展", "stage_summary.progress", hint="填写则替换自动生成的段落，数字仍按数据"),
    _c("小结：三查三核开展情况", "stage_summary.checks"),
    _c("小结：排查发现的问题", "stage_summary.problems"),
    _c("小结：初步处理方案", "stage_summary.plan"),
    _c("小结：下一步工作安排", "stage_summary.next_steps"),
    _c("工作总结成文日期", "final_report.date", "date"),
    _c("总结：工作开展情况", "final_report.work_done", hint="填写则替换自动生成的段落"),
    _c("总结：排查结果", "final_report.results"),
    _c("总结：主要做法和成效", "final_report.practices"),
    _c("总结：存在的问题和不足", "final_report.shortcomings"),
    _c("总结：长效化管理措施", "final_report.long_term_measures", "lines", hint="每条一行；不填则用默认措施"),
), note="工作方案、阶段性小结、工作总结的成文日期和需要自己写的段落；都可不填，系统按数据起草。")

GROUP = Sheet("工作小组", "table", "work_plan.leading_group[]", (
    _c("姓名", "name", required=True, width=10, example=EX_NAME),
    _c("职务", "role", "enum", True, GROUP_ROLE, 9, example="组长"),
    _c("分工", "duty", width=30, example="全面负责排查工作"),
), note="工作方案中的工作小组；不填则书记任组长、联系人任成员。")

SCHEDULE = Sheet("工作安排", "table", "work_plan.schedule[]", (
    _c("阶段", "phase", required=True, width=16, example="动员部署阶段"),
    _c("开始日期", "start", "date", True, width=12, example="2023-06-01"),
    _c("结束日期", "end", "date", True, width=12, example="2023-06-30"),
    _c("主要任务", "tasks", width=40, example="制定工作方案，组建工作队伍"),
), note="工作方案中的方法步骤和时间安排；不填则按通知的四个阶段。")

SHEETS: tuple[Sheet, ...] = (ORG, MEMBERS, OUTGOING, LOST, SEARCHES, HANGING, ABROAD, TRANSFER, DOCS, GROUP, SCHEDULE)
GUIDE_SHEET = "填写说明"
LISTS_SHEET = "下拉选项"
WORKBOOK_NAME = "数据采集表.xlsx"
WORKBOOK_ASCII_NAME = "paicha-workbook.xlsx"


def sheet(name: str) -> Sheet:
    return next(s for s in SHEETS if s.name == name)
