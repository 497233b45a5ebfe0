"""The default scheme of the annual supervision assessment, after the national
《政府网站与政务新媒体监管工作年度考核指标》 (国办秘函〔2019〕19号, annex 2).

Sourced (DOMAIN.md §3): the 100 + 20 structure and the verdict rules; the veto for serious
wording errors (严重表述错误); 我为政府网站找错 −3 per message not handled and −2 per message
handled after more than a month; +5 for moving every website onto an 集约化平台. Everything
else is rebuilt and marked 【待核实】 in its rule, for the office to correct (Django admin).
"""

from __future__ import annotations

NAME = "政府网站与政务新媒体监管工作年度考核指标（2019）"
CHECK = "【待核实】分值为暂定值，请对照国办秘函〔2019〕19号附件2及本省细则核对。"

VETO = [
    ("严重表述错误",
     "国办抽查中，本地区多个政府网站或政务新媒体因严重表述错误被判定为不合格。"),
    ("抽查不合格网站较多",
     "国办抽查中，本地区因其他原因被判定为不合格的政府网站数量超过（含）2个。"
     "【待核实】原文数字无法辨认，暂按2个。"),
]

MESSAGES_UNHANDLED_RULE = ("本年度“我为政府网站找错”平台收到的网民留言，至考核时已超过办理期限仍未办结的，"
                           "每条扣3分（尚在办理期限内的不扣分）。")
MESSAGES_LATE_RULE = "本年度“我为政府网站找错”平台收到的网民留言，办结时间超过一个月的，每条扣2分。"

# (group, points, [(item, points, points_each, source, rule)])
DEDUCTION = [
    ("常态化监管", 30, [
        ("季度检查", 8, 1, "quarterly_checks",
         "每季度对本地区政府网站和政务新媒体各开展一次检查，每缺一次扣1分。" + CHECK),
        ("检查情况通报", 8, 2, "circulars",
         "每季度检查情况以通报形式印发，每缺一个季度扣2分。" + CHECK),
        ("抽查比例", 6, None, "",
         "政务新媒体抽查比例达不到要求的，扣3分；未开展抽查的，扣6分。" + CHECK),
        ("问题整改", 8, None, "",
         "检查发现的问题未按期整改的，每个扣1分。" + CHECK),
    ]),
    ("开办整合与信息报送", 15, [
        ("开办整合", 8, None, "",
         "政府网站开办、变更、关停整合未按规定履行审核、备案程序的，每个扣2分。" + CHECK),
        ("信息报送", 7, None, "",
         "全国政府网站信息报送系统、全国政务新媒体信息报送系统数据不准确、更新不及时的，每处扣1分。" + CHECK),
    ]),
    ("政务新媒体管理", 15, [
        ("备案管理", 8, None, "",
         "政务新媒体未按规定备案即开设的，每个扣1分。" + CHECK),
        ("清理整合", 7, None, "",
         "“僵尸”“空壳”账号未及时清理整合、注销的，每个扣1分。" + CHECK),
    ]),
    ("年度报表", 10, [
        ("年度报表按时发布", 10, 2, "annual_reports",
         "未在规定时间前发布《政府网站工作年度报表》《政府网站监管年度报表》的，每个扣2分"
         "（按本年度内到期的上一年度报表计算）。" + CHECK),
    ]),
    # The 2019 indicators say 上一年度 from where the assessment stands (early in the next
    # year): the messages of the assessed year, which is what interaction.statistics counts.
    # The rules say 本年度 (the assessed year), like 年度报表按时发布 above, whose reports due
    # in the assessed year are the year before's (hence year − 1 in its provider).
    ("互动回应", 15, [
        ("找错留言未办结", 10, 3, "messages_unhandled", MESSAGES_UNHANDLED_RULE + "分值" + CHECK),
        ("找错留言办结超期", 5, 2, "messages_late", MESSAGES_LATE_RULE + "分值" + CHECK),
    ]),
    ("机制建设与安全", 15, [
        ("工作机制", 8, None, "",
         "未建立政府网站与政务新媒体监管工作机制、未明确责任人员的，扣4分至8分。" + CHECK),
        ("安全保障", 7, None, "",
         "发生安全事故，或对安全隐患处置不及时的，每次扣2分。" + CHECK),
    ]),
]

BONUS = ("加分指标", 20, [
    ("集约化平台", 5,
     "本地区政府网站全部迁移至集约化平台，实现资源优化融合、数据互认共享、管理统筹规范的，加5分。"),
    ("创新做法", 10,
     "监管工作创新做法被国务院办公厅或省级政府办公厅通报表扬、推广的，每项加5分。" + CHECK),
    ("典型经验", 5,
     "政府网站或政务新媒体入选省级以上优秀案例、典型经验的，加5分。" + CHECK),
])


def create(Scheme, Item) -> None:
    """Create the default scheme; the migration passes its historical models."""
    order = iter(range(1, 1000))

    def add(scheme, name, kind, points=None, rule="", parent=None, points_each=None, source=""):
        return Item.objects.create(
            scheme=scheme, name=name, kind=kind, max_points=points, rule=rule, parent=parent,
            points_each=points_each, source=source, order=next(order),
        )

    scheme = Scheme.objects.create(
        name=NAME, is_default=True,
        description="单项否决 + 扣分指标（100分）+ 加分指标（20分）。出现任一单项否决情形或得分"
                    "低于60分的为不合格；扣分指标得分超过80分的，计算加分指标得分。",
    )
    for name, rule in VETO:
        add(scheme, name, "veto", rule=rule)
    for group_name, points, items in DEDUCTION:
        group = add(scheme, group_name, "deduction", points)
        for name, item_points, each, source, rule in items:
            add(scheme, name, "deduction", item_points, rule, group, each, source)
    name, points, items = BONUS
    group = add(scheme, name, "bonus", points, "扣分指标得分超过80分的，计算加分指标得分。")
    for item_name, item_points, rule in items:
        add(scheme, item_name, "bonus", item_points, rule, group)


def ensure(**kwargs) -> None:
    """After a migrate or a flush leaves no scheme at all, create the default again."""
    from .models import Item, Scheme

    if not Scheme.objects.exists():
        create(Scheme, Item)
