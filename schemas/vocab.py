"""The contract's enumerations, exactly as the forms print them (contract.md, forms.md appendix)."""
from __future__ import annotations

ETHNICITIES = tuple(
    """汉族 蒙古族 回族 藏族 维吾尔族 苗族 彝族 壮族 布依族 朝鲜族 满族 侗族 瑶族 白族 土家族 哈尼族
    哈萨克族 傣族 黎族 傈僳族 佤族 畲族 高山族 拉祜族 水族 东乡族 纳西族 景颇族 柯尔克孜族 土族
    达斡尔族 仫佬族 羌族 布朗族 撒拉族 毛南族 仡佬族 锡伯族 阿昌族 普米族 塔吉克族 怒族 乌孜别克族
    俄罗斯族 鄂温克族 德昂族 保安族 裕固族 京族 塔塔尔族 独龙族 鄂伦春族 赫哲族 门巴族 珞巴族 基诺族
    其他""".split()
)
assert len(ETHNICITIES) == 57

ORG_TYPES = ("党委", "党总支", "党支部")
GENDERS = ("男", "女")
EDUCATIONS = ("研究生", "大学本科", "大学专科", "中专", "高中", "初中及以下")
MEMBER_TYPES = ("正式党员", "预备党员")
PERSON_CATEGORIES = ("在岗教职工", "离退休人员", "其他")
PARTY_STATUSES = ("正常", "停止党籍")

OUTGOING_REASONS = ("务工经商", "学习进修", "异地居住", "其他")
RELATION_ACTIONS = ("应转移组织关系", "已转移组织关系", "发放活动证", "保留组织关系")

LOST_SITUATIONS = ("外出务工经商", "单位改制或破产", "毕业后去向不明", "工作单位改变", "出国（境）", "居住地改变", "其他")
CONTACTED, UNREACHABLE = "取得联系", "无法取得联系"
LOST_OUTCOMES = (CONTACTED, UNREACHABLE)
LOST_HANDLING = {
    CONTACTED: ("恢复正常管理", "转移组织关系", "限期改正", "劝其退党", "除名", "停止党籍", "其他"),
    UNREACHABLE: ("继续查找", "停止党籍", "取消预备党员资格", "不再保留预备党员资格", "其他"),
}
ALL_LOST_HANDLING = tuple(dict.fromkeys(LOST_HANDLING[CONTACTED] + LOST_HANDLING[UNREACHABLE]))

ABROAD_KINDS = ("定居", "留学", "劳务", "其他")
ABROAD_HANDLING = ("保留组织关系", "停止党籍", "不再保留预备党员资格", "其他")

GROUP_ROLES = ("组长", "副组长", "成员")

# 学校党组织名 becomes part of file names on Windows.
FILE_NAME_FORBIDDEN = '\\/:*?"<>|'
