import pytest


@pytest.fixture
def demo_campaign(demo, demo_inspections):
    """The demo's checks and its 2021 campaign: 14 unfiled accounts, each with an open task."""
    from inspections.campaign_demo import load_campaigns
    from inspections.models import Campaign

    load_campaigns(demo)
    return Campaign.objects.get(name="2021年上半年专项排查整治")
