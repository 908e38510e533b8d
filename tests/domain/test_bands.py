"""Destination bands relative to 江苏省 常州市 武进区."""
from __future__ import annotations

import pytest

from service.domain.bands import BANDS, bare, destination_band
from service.domain.model import Destination


@pytest.mark.parametrize("dest, band", [
    (Destination("中国", "江苏省", "常州市", "武进区"), "本区内"),
    (Destination("中国", "江苏", "常州", "武进"), "本区内"),
    (Destination("中国", " 江苏省 ", "常州市", "武进区", "湖塘镇"), "本区内"),
    (Destination("中国", "江苏省", "常州市", "新北区"), "市内跨区"),
    (Destination("中国", "江苏", "常州市", "天宁区"), "市内跨区"),
    (Destination("中国", "江苏省", "常州市", None), "市内跨区"),
    (Destination("中国", "江苏省", "南京市", "鼓楼区"), "省内跨市"),
    (Destination("中国", "江苏", "苏州", None), "省内跨市"),
    (Destination("中国", "上海市", "上海市", "浦东新区"), "跨省"),
    (Destination("中国", "上海", None, None), "跨省"),
    (Destination("中国", "广西壮族自治区", "南宁市", None), "跨省"),
    (Destination("中国", "浙江省", "常州市", None), "跨省"),  # the province decides
    (Destination("中国", "香港特别行政区", None, None), "出国（境）"),
    (Destination("中国", "香港", None, None), "出国（境）"),
    (Destination("中国", "澳门", None, None), "出国（境）"),
    (Destination("中国", "台湾省", "台北市", None), "出国（境）"),
    (Destination("中国香港", None, None, None), "出国（境）"),
    (Destination("美国", None, "纽约", None), "出国（境）"),
    (Destination("日本", "东京都", None, None), "出国（境）"),
    (Destination("中华人民共和国", "江苏省", "常州市", "武进区"), "本区内"),
    (Destination(None, "江苏省", "常州市", "武进区"), "本区内"),  # country left out means 中国
])
def test_destination_band(dest, band):
    assert destination_band(dest) == band
    assert band in BANDS


def test_bare_strips_one_suffix():
    assert bare("江苏省") == "江苏" and bare("武进区") == "武进" and bare("新疆维吾尔自治区") == "新疆"
    assert bare("市") == "市" and bare(None) == ""
