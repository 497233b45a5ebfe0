"""Helpers for tests of the directory workbook: rows as offices fill them, a generated
province-sized workbook, and a snapshot of the whole directory to compare imports by."""

from __future__ import annotations

from newmedia.models import Account

from .models import Region, Unit, Website

REGION_HEADER = ["地区名称", "上级地区", "区划代码"]
WEBSITE_HEADER = ["网站标识码", "网站名称", "首页网址", "主办单位", "所属地区", "网站类型", "运行状态"]
ACCOUNT_HEADER = ["账号名称", "平台", "账号类型", "账号ID", "主办单位", "所属地区", "备案状态", "运行状态"]


def good_account(name="丘北发布", platform="微信公众号", **changes) -> list:
    """A valid 政务新媒体 row of 丘北县; `changes` replace cells by their header."""
    row = dict(zip(ACCOUNT_HEADER, [name, platform, "订阅号", "", "丘北县人民政府办公室", "丘北县",
                                    "已备案", "运行"], strict=True))
    row.update(changes)
    return [row[h] for h in ACCOUNT_HEADER]


def good_website(code="5326260009", **changes) -> list:
    """A valid 政府网站 row of 丘北县; `changes` replace cells by their header."""
    row = dict(zip(WEBSITE_HEADER, [code, "丘北县某局", "www.a.gov.cn", "丘北县人民政府办公室",
                                    "丘北县", "部门网站", "运行"], strict=True))
    row.update(changes)
    return [row[h] for h in WEBSITE_HEADER]


COUNTIES = ["文山市", "砚山县", "西畴县", "麻栗坡县", "马关县", "丘北县", "广南县", "富宁县"]
PLATFORM_NAMES = ["微信公众号", "微博", "抖音", "今日头条", "快手", "小程序", "客户端", "其他",
                  "微信订阅号", "新浪微博", "头条号", "抖音短视频"]


def big_workbook(websites: int = 40, accounts: int = 232) -> dict:
    """A directory workbook as a prefecture sends it: two new regions, `websites` websites
    and `accounts` accounts over every county, with every optional cell filled or not."""
    regions = ["测试新区", "测试园区"]
    places = COUNTIES + regions
    region_rows = [REGION_HEADER] + [
        [name, "文山州", f"53269{i}"] for i, name in enumerate(regions)
    ]
    website_rows = [WEBSITE_HEADER] + [
        [f"53269{i:05d}", f"测试网站{i}", f"www.t{i}.gov.cn", f"{places[i % 10]}第{i % 25}局",
         places[i % 10], "门户网站" if i < 10 else "部门网站", ["运行", "关停", ""][i % 3]]
        for i in range(websites)
    ]
    account_rows = [ACCOUNT_HEADER] + [
        [f"测试账号{i}", PLATFORM_NAMES[i % 12], ["", "订阅号", "服务号", ""][i % 4],
         f"id{i}" if i % 4 else "", f"{places[i % 10]}第{i % 25}局", places[i % 10],
         ["已备案", "未备案", ""][i % 3 if i % 5 else 1], ["运行", "关停", "注销", ""][i % 4]]
        for i in range(accounts)
    ]
    return {"地区": region_rows, "政府网站": website_rows, "政务新媒体": account_rows}


def _natural_lookups(field) -> list[str]:
    """How a snapshot names a field's value: related rows by name (ids differ between runs)."""
    if not field.is_relation:
        return [field.name]
    lookups = [f"{field.name}__name"]
    if field.related_model is Unit:
        lookups.append(f"{field.name}__region__name")
    return lookups


def full_snapshot() -> dict:
    """Every stored field of regions, units, websites and accounts, as sorted rows."""
    snapshot = {}
    for model in (Region, Unit, Website, Account):
        lookups = [
            lookup for field in model._meta.concrete_fields if field.name not in ("id", "path")
            for lookup in _natural_lookups(field)
        ]
        rows = model.objects.values_list(*lookups)
        snapshot[model.__name__] = sorted(rows, key=lambda row: tuple(map(str, row)))
    return snapshot
