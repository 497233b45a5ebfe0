"""The national 2019 schemes (国办秘函〔2019〕19号), the default schemes of every database.

The veto items and the first-level points are sourced (see DOMAIN.md §1–§2); the points of
the second-level items and the bonus items could not be confirmed against the original text
and are marked 【待核实】 in their 说明, for the office to correct in its own copy.
"""

UNCONFIRMED = "【待核实】二级指标分值为暂定值，请对照国办秘函〔2019〕19号原文核对后在复制的指标体系中修改。"

WEBSITE_VETO = [
    ("安全、泄密事故等严重问题",
     "1.出现严重表述错误；2.泄露国家秘密；3.发布或链接反动、暴力、色情等内容；"
     "4.对安全攻击（如页面被挂马、内容被篡改等）没有及时有效处置，造成严重安全事故；"
     "5.存在弄虚作假行为（如伪造发稿日期等）；6.因网站建设管理工作不当引发严重负面舆情。"),
    ("站点无法访问",
     "监测1周，每天间隔性访问不少于20次，超过15秒网站仍无法打开的次数累计占比达到（含）5%。"),
    ("首页不更新",
     "监测2周，首页没有信息更新；首页仅为网站导航页的，所有二级页面均无信息更新。"),
    ("栏目不更新",
     "1.监测时间点前2周内动态、要闻类栏目，以及前6个月内通知公告、政策文件类栏目未更新的数量累计达到（含）5个；"
     "2.应更新但长期未更新的栏目数量达到（含）10个；3.空白栏目数量达到（含）5个。"),
    ("互动回应差",
     "1.未提供有效的在线咨询建言渠道（网上信访、纪检举报等专门渠道除外）；"
     "2.监测时间点前1年内，政务咨询类栏目存在超过3个月未回复的有效留言。"),
    ("服务不实用",
     "1.未提供办事服务；2.办事指南要素缺失（事项名称、设定依据、申请条件、办理材料、办理地点、"
     "办理机构、收费标准、办理时间、联系电话、办理流程等）。"),
]

WEBSITE_GROUPS = [
    ("发布解读", 31, [("概况信息", 4), ("政务动态", 5), ("信息公开", 6), ("政策文件", 5),
                      ("政策解读", 5), ("数据发布", 3), ("回应关切", 3)]),
    ("办事服务", 25, [("服务入口", 5), ("办事指南", 10), ("表格下载", 4), ("在线办理", 6)]),
    ("互动交流", 23, [("政务咨询", 12), ("调查征集", 6), ("在线访谈", 5)]),
    ("功能设计", 21, [("搜索功能", 5), ("页面设计", 4), ("链接可用性", 5), ("网站标识", 3),
                      ("移动端", 4)]),
]

WEBSITE_BONUS = ("加分指标", 30, [
    ("解读形式多样", 8), ("智能搜索问答", 6), ("个性化服务", 6), ("数据开放", 5), ("集约化建设", 5),
])

NEWMEDIA_VETO = [
    ("安全、泄密事故等严重问题",
     "1.出现严重表述错误；2.泄露国家秘密；3.发布或链接反动、暴力、色情等内容；"
     "4.因发布内容不当引发严重负面舆情。"),
    ("内容不更新", "监测时间点前2周内无更新。"),
    ("互动回应差", "未提供有效互动功能，或互动功能长期不能正常使用。"),
]


def create(Scheme, Indicator) -> None:
    """Create both schemes as their defaults; the migration passes its historical models."""
    order = iter(range(1, 1000))

    def add(scheme, name, kind, points=None, rule="", parent=None):
        return Indicator.objects.create(
            scheme=scheme, name=name, kind=kind, max_points=points, rule=rule, parent=parent,
            order=next(order),
        )

    websites = Scheme.objects.create(
        name="国家政府网站检查指标（2019）", target="websites", is_default=True,
        description="国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》：单项否决指标适用于所有"
                    "政府网站；扣分指标（100分）和加分指标（30分）适用于政府门户网站。",
    )
    for name, rule in WEBSITE_VETO:
        add(websites, name, "veto", rule=rule)
    for name, points, children in WEBSITE_GROUPS:
        group = add(websites, name, "deduction", points)
        for child, child_points in children:
            add(websites, child, "deduction", child_points, UNCONFIRMED, group)
    name, points, children = WEBSITE_BONUS
    bonus = add(websites, name, "bonus", points, "扣分指标得分超过80分的，计算加分指标得分。")
    for child, child_points in children:
        add(websites, child, "bonus", child_points, UNCONFIRMED, bonus)

    newmedia = Scheme.objects.create(
        name="国家政务新媒体检查指标（2019）", target="newmedia", is_default=True,
        description="国办秘函〔2019〕19号：政务新媒体出现任一单项否决情形即为不合格。",
    )
    for name, rule in NEWMEDIA_VETO:
        add(newmedia, name, "veto", rule=rule)


def ensure(**kwargs) -> None:
    """After a migrate or a flush leaves no scheme at all, create the national ones again."""
    from .models import Indicator, Scheme

    if not Scheme.objects.exists():
        create(Scheme, Indicator)
