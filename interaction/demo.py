"""The demo's citizen messages: 文山州's 2021 Q4, read from fixtures/demo/messages.json
(some unhandled, some late, one received during the National Day holiday). Needs the demo
directory (sites.demo.load_directory) first; loading twice changes nothing."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from django.conf import settings
from django.db import transaction

from common.models import sync_rows
from sites.models import Region, Unit, Website

from .choices import MessageStatus
from .models import Channel, Message
from .workdays import WorkCalendar

MESSAGES_FILE = Path(settings.BASE_DIR) / "fixtures" / "demo" / "messages.json"


def message_data() -> dict:
    return json.loads(MESSAGES_FILE.read_text(encoding="utf-8"))


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


@transaction.atomic
def load_messages(data: dict | None = None) -> None:
    """`data` is the content of messages.json, read from the file when omitted."""
    data = data or message_data()
    regions = {region.name: region.pk for region in Region.objects.all()}
    websites = dict(Website.objects.values_list("site_code", "pk"))
    channels = sync_rows(Channel, ("name", "region_id"), [{
        "name": item["name"], "kind": item["kind"], "reply_days": item["reply_days"],
        "website_id": websites[item["website"]] if item["website"] else None,
        "region_id": regions[item["region"]] if item["region"] else None,
    } for item in data["channels"]])
    channels = {name: channel for (name, _), channel in channels.items()}  # the demo's are unique
    units = {(unit.region_id, unit.name): unit.pk for unit in Unit.objects.all()}
    calendar = WorkCalendar()
    rows = []
    for item in data["messages"]:
        channel = channels[item["channel"]]
        received, replied = _date(item["received_at"]), _date(item.get("replied_at"))
        deadline = channel.deadline_for(received, calendar)
        rows.append({
            "channel_id": channel.pk, "external_id": item["external_id"],
            "unit_id": units[(regions[item["region"]], item["unit"])],
            "received_at": received, "replied_at": replied,
            "deadline": deadline.day, "deadline_provisional": deadline.provisional,
            "status": MessageStatus.HANDLED if replied else item["status"],
            "note": item.get("note", ""),
        })
    sync_rows(Message, ("channel_id", "external_id"), rows)
