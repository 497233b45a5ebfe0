"""The directory's counts in a user's scope, for the home page."""

from django.db.models import Count, Q

from common.models import RUNNING
from newmedia.choices import Filing, Platform
from newmedia.models import Account

from .choices import WebsiteKind
from .models import Region, Unit, Website


def directory_counts(user) -> dict:
    websites = Website.objects.visible_to(user).aggregate(
        total=Count("pk"),
        running=Count("pk", filter=Q(status=RUNNING)),
        portals=Count("pk", filter=Q(status=RUNNING, kind=WebsiteKind.PORTAL)),
        departments=Count("pk", filter=Q(status=RUNNING, kind=WebsiteKind.DEPARTMENT)),
    )
    accounts = Account.objects.visible_to(user).aggregate(
        total=Count("pk"),
        running=Count("pk", filter=Q(status=RUNNING)),
        unfiled=Count("pk", filter=Q(status=RUNNING, filing=Filing.UNFILED)),
    )
    by_platform = dict(
        Account.objects.visible_to(user).filter(status=RUNNING)
        .values_list("platform").annotate(n=Count("pk")).order_by()
    )
    accounts["by_platform"] = [
        (label, by_platform[value]) for value, label in Platform.choices if value in by_platform
    ]
    return {
        "regions": Region.objects.visible_to(user).count(),
        "units": Unit.objects.visible_to(user).count(),
        "websites": websites,
        "accounts": accounts,
    }
