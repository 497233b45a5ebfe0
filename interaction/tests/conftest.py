"""Fixtures of the 政民互动 tests: the demo channels and messages."""

import datetime

import pytest


@pytest.fixture
def demo_messages(demo):
    """The demo's 36 messages of 文山州's 2021 Q4 (fixtures/demo/messages.json)."""
    from interaction.demo import load_messages

    load_messages()


@pytest.fixture
def add_message(db):
    """add_message(channel, external_id, unit, received, replied=None, **extra)."""
    from interaction.models import Message

    def add(channel, external_id, unit, received, replied=None, **extra):
        return Message.objects.create(
            channel=channel, external_id=external_id, unit=unit,
            received_at=datetime.date.fromisoformat(received),
            replied_at=datetime.date.fromisoformat(replied) if replied else None, **extra,
        )

    return add


@pytest.fixture
def channel(db):
    """channel(name) → a shipped channel: 我为政府网站找错 or 省政府网站曝光平台."""
    from interaction.models import Channel

    return lambda name="我为政府网站找错": Channel.objects.get(name=name)


@pytest.fixture
def unit(demo):
    """unit(name) → a demo unit."""
    from sites.models import Unit

    return lambda name: Unit.objects.get(name=name)
