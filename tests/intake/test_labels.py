"""Contract paths named as the workbook names them, for the district's diffs."""
from __future__ import annotations

import pytest

from service.intake.labels import label


@pytest.mark.parametrize("path, member, named", [
    ("phone", True, "党员名册 · 联系电话"),
    ("outgoing.destination.city", True, "外出流动 · 市"),
    ("lost_contact.search_record[1].result", True, "查找记录 · 查找情况（第2条）"),
    ("corrections[0]", True, "党员名册 · 信息更正情况（第1条）"),
    ("org.contact_person", False, "党组织信息 · 联系人（党务干事）"),
    ("campaign.deadlines.tables", False, "党组织信息 · 相关表格报送截止日"),
    ("work_plan.leading_group[1].name", False, "工作小组 · 姓名（第2条）"),
    ("final_report.long_term_measures[2]", False, "文稿信息 · 总结：长效化管理措施（第3条）"),
    ("schema_version", False, "schema_version"),  # no cell for it: the path itself
])
def test_labels(path, member, named):
    assert label(path, member) == named
