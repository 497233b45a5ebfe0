"""The demo directory: 文山州 with its 8 counties and cities (seed 000), read from
fixtures/demo/wenshan.json. Loading twice changes nothing."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction

from common.models import upsert
from newmedia.models import Account

from .models import Region, Unit, User, Website

DEMO_FILE = Path(settings.BASE_DIR) / "fixtures" / "demo" / "wenshan.json"


def demo_data() -> dict:
    return json.loads(DEMO_FILE.read_text(encoding="utf-8"))


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


@transaction.atomic
def load_directory(data: dict) -> None:
    regions: dict[str, Region] = {}
    for item in data["regions"]:
        parent = regions.get(item["parent"]) if item["parent"] else None
        region, _ = Region.objects.get_or_create(
            name=item["name"], parent=parent,
            defaults={"code": item["code"], "level": Region.level_below(parent, item["name"])},
        )
        regions[region.name] = region
    units: dict[tuple[str, str], Unit] = {}

    def unit(name: str, region: str) -> Unit:
        if (region, name) not in units:
            units[(region, name)] = Unit.objects.get_or_create(
                name=name, region=regions[region]
            )[0]
        return units[(region, name)]

    for item in data["websites"]:
        upsert(Website, {"site_code": item["site_code"]}, {
            "name": item["name"], "url": item["url"], "kind": item["kind"],
            "unit": unit(item["unit"], item["region"]),
        })
    for item in data["accounts"]:
        upsert(Account, {"platform": item["platform"], "name": item["name"]}, {
            "account_type": item.get("account_type", ""),
            "subject": item.get("subject", ""),
            "unit": unit(item["unit"], item["region"]),
            "filing": item["filing"],
            "status": item.get("status", "running"),
            "closed_on": _date(item.get("closed_on")),
        })


@transaction.atomic
def load_users(data: dict) -> None:
    regions = {r.name: r for r in Region.objects.all()}
    for item in data["users"]:
        user, _ = upsert(User, {"username": item["username"]}, {
            "last_name": item["last_name"], "first_name": item["first_name"],
            "region": regions[item["region"]], "is_staff": item.get("is_staff", False),
        })
        if not user.check_password(item["password"]):
            user.set_password(item["password"])
            user.save(update_fields=["password"])
        user.groups.set([Group.objects.get(name=item["role"])])


def login_lines(data: dict) -> list[str]:
    return [
        f"  {item['role']}（{item['region']}）  用户名 {item['username']}  密码 {item['password']}"
        for item in data["users"]
    ]
