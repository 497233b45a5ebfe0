"""The demo directory: 文山州 with its 8 counties and cities (seed 000), read from
fixtures/demo/wenshan.json. Loading twice changes nothing."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction

from common.models import sync_rows, upsert
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
        level = Region.level_below(parent.level if parent else None, item["name"])
        region, _ = Region.objects.get_or_create(
            name=item["name"], parent=parent, defaults={"code": item["code"], "level": level},
        )
        regions[region.name] = region
    region_names = {region.pk: name for name, region in regions.items()}
    unit_rows = {
        (item["unit"], regions[item["region"]].pk): {
            "name": item["unit"], "region_id": regions[item["region"]].pk
        }
        for item in data["websites"] + data["accounts"]
    }
    synced = sync_rows(Unit, ("name", "region_id"), list(unit_rows.values()))
    Unit.fill_paths(synced.values())
    units = {(region_names[region_id], name): unit.pk for (name, region_id), unit in synced.items()}
    sync_rows(Website, ("site_code",), [{
        "site_code": item["site_code"], "name": item["name"], "url": item["url"],
        "kind": item["kind"], "unit_id": units[(item["region"], item["unit"])],
    } for item in data["websites"]])
    sync_rows(Account, ("platform", "name"), [{
        "platform": item["platform"], "name": item["name"],
        "account_type": item.get("account_type", ""), "subject": item.get("subject", ""),
        "unit_id": units[(item["region"], item["unit"])], "filing": item["filing"],
        "status": item.get("status", "running"), "closed_on": _date(item.get("closed_on")),
    } for item in data["accounts"]])


@transaction.atomic
def load_users(data: dict) -> None:
    regions = {r.name: r for r in Region.objects.all()}
    for item in data["users"]:
        user, _ = upsert(User, {"username": item["username"]}, {
            "last_name": item["last_name"], "first_name": item["first_name"],
            # Not staff: the Django admin is for superusers only (a database loaded before
            # that rule had the demo admin as staff).
            "region": regions[item["region"]], "is_staff": False,
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
