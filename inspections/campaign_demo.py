"""The demo's campaign (专项排查整治): 文山州's 2021 campaign against accounts running without
备案, whose 14 accounts were still open on 12-31 (annex 2 of seed 000). Loading twice
changes nothing; every item gets its rectification task."""

from __future__ import annotations

import datetime

from django.db import transaction

from common.models import upsert
from newmedia.models import Account
from sites.models import Region

from .models import Campaign, CampaignItem
from .rectification import ensure_campaign_tasks


@transaction.atomic
def load_campaigns(data: dict) -> None:
    regions = {r.name: r for r in Region.objects.filter(
        name__in={c["region"] for c in data.get("campaigns", [])})}
    for item in data.get("campaigns", []):
        campaign, _ = upsert(Campaign, {"region": regions[item["region"]], "name": item["name"]}, {
            "started_on": datetime.date.fromisoformat(item["started_on"]),
            "checked_on": datetime.date.fromisoformat(item["checked_on"]),
            "deadline": datetime.date.fromisoformat(item["deadline"]),
            "description": item.get("description", ""),
        })
        _load_items(campaign, item["items"])
        ensure_campaign_tasks(campaign)


def _load_items(campaign: Campaign, rows: list[dict]) -> None:
    """Items in the fixture's order (their pks keep it: annex 2 lists them so)."""
    accounts = {(a.platform, a.name): a for a in Account.objects.filter(
        name__in=[row["name"] for row in rows])}
    existing = {i.account_id: i for i in campaign.items.filter(account__isnull=False)}
    missing = []
    for row in rows:
        account = accounts[(row["platform"], row["name"])]
        item = existing.get(account.pk)
        if item is None:
            missing.append(CampaignItem(campaign=campaign, account=account,
                                        unit_id=account.unit_id, result=row["result"]))
        elif (item.unit_id, item.result) != (account.unit_id, row["result"]):
            item.unit_id, item.result = account.unit_id, row["result"]
            item.save()
    CampaignItem.objects.bulk_create(missing)
