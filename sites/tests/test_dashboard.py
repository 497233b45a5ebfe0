"""directory_counts: the home page's figures, in the user's scope."""

import datetime

from newmedia.choices import AccountStatus, Filing, Platform
from newmedia.models import Account
from sites.dashboard import directory_counts
from sites.models import Website


def demo_rows(demo, key: str, region: str | None = None) -> list[dict]:
    return [item for item in demo[key] if region is None or item["region"] == region]


def test_the_counts_cover_the_users_scope_only(demo, liaison, office_admin):
    everything, qiubei = directory_counts(office_admin), directory_counts(liaison)
    assert everything["websites"]["total"] == len(demo_rows(demo, "websites"))
    assert qiubei["websites"]["total"] == len(demo_rows(demo, "websites", "丘北县"))
    assert qiubei["accounts"]["total"] == len(demo_rows(demo, "accounts", "丘北县"))
    assert everything["regions"] == len(demo["regions"]) and qiubei["regions"] == 1
    assert qiubei["units"] == len({i["unit"] for i in demo_rows(demo, "websites", "丘北县")
                                   + demo_rows(demo, "accounts", "丘北县")})


def test_running_unfiled_and_platform_counts_follow_the_records(demo, liaison):
    before = directory_counts(liaison)
    site = Website.objects.visible_to(liaison).get(status="running")
    site.set_status("closed", datetime.date(2022, 1, 1))
    site.save()
    running = Account.objects.visible_to(liaison).filter(status=AccountStatus.RUNNING)
    to_unfile = running.filter(filing=Filing.FILED).first()
    to_unfile.filing = Filing.UNFILED
    to_unfile.save()
    moved = running.exclude(platform=Platform.WEIBO).exclude(pk=to_unfile.pk).first()
    old_label = moved.get_platform_display()
    moved.platform = Platform.WEIBO
    moved.save()
    after = directory_counts(liaison)
    assert (after["websites"]["running"], after["websites"]["total"]) == (
        before["websites"]["running"] - 1, before["websites"]["total"])
    assert after["websites"]["portals"] + after["websites"]["departments"] == after["websites"]["running"]
    assert after["accounts"]["unfiled"] == before["accounts"]["unfiled"] + 1
    platforms, platforms_before = dict(after["accounts"]["by_platform"]), dict(
        before["accounts"]["by_platform"])
    assert platforms["微博"] == platforms_before.get("微博", 0) + 1
    assert platforms.get(old_label, 0) == platforms_before[old_label] - 1
    assert sum(platforms.values()) == after["accounts"]["running"]


def test_a_user_without_scope_counts_nothing(demo, make_user):
    counts = directory_counts(make_user())
    assert (counts["regions"], counts["units"], counts["websites"]["total"],
            counts["accounts"]["total"], counts["accounts"]["by_platform"]) == (0, 0, 0, 0, [])
