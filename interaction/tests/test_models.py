"""Channels and messages: the shipped channels, who sees and edits them, names unique per
region, the stored deadline (provisional or not) and its recomputation, and the rules a
message obeys."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from interaction.channels import ensure
from interaction.choices import ChannelKind, MessageStatus
from interaction.models import Channel, HolidayOverride, HolidayYear, Message
from sites.roles import Role

D = datetime.date


@pytest.fixture
def qiubei_column(demo, region):
    return Channel.objects.create(name="丘北县百姓信箱", kind=ChannelKind.PORTAL, reply_days=5,
                                  region=region("丘北县"))


def test_the_national_and_provincial_channels_ship_with_every_database(db):
    assert sorted(Channel.objects.values_list("name", "kind", "reply_days", "region")) == [
        ("我为政府网站找错", "national", 3, None),
        ("省政府网站曝光平台", "provincial", 3, None),
    ]
    ensure()
    assert Channel.objects.count() == 2


def test_shared_channels_are_seen_by_everyone_regional_ones_by_their_region(
        qiubei_column, liaison, other_liaison, django_user_model):
    assert set(Channel.objects.visible_to(liaison).values_list("name", flat=True)) == {
        "我为政府网站找错", "省政府网站曝光平台", "丘北县百姓信箱"}
    assert "丘北县百姓信箱" not in Channel.objects.visible_to(other_liaison).values_list(
        "name", flat=True)
    assert not Channel.objects.visible_to(django_user_model(username="nobody")).exists()
    superuser = django_user_model.objects.create_superuser("root", password="pw")
    assert Channel.objects.visible_to(superuser).count() == 3


def test_only_the_top_office_edits_the_shared_channels(qiubei_column, office_admin, make_user,
                                                       region):
    qiubei_admin = make_user(Role.ADMIN, region=region("丘北县"))
    assert Channel.objects.editable_by(office_admin).count() == 3
    assert list(Channel.objects.editable_by(qiubei_admin)) == [qiubei_column]


def test_a_portal_column_needs_a_region_and_takes_its_websites(demo):
    from sites.models import Website

    with pytest.raises(ValidationError) as error:
        Channel(name="栏目", kind=ChannelKind.PORTAL, reply_days=5).full_clean()
    assert "region" in error.value.message_dict
    column = Channel(name="栏目", kind=ChannelKind.PORTAL, reply_days=5,
                     website=Website.objects.get(name="丘北县人民政府"))
    column.full_clean()
    assert column.region.name == "丘北县"


def test_saving_a_message_stores_its_deadline_and_a_reply_closes_it(channel, unit, add_message):
    message = add_message(channel(), "1", unit("丘北县人民政府办公室"), "2021-09-30",
                          status=MessageStatus.IN_PROGRESS)
    assert message.deadline == D(2021, 10, 11)
    message.replied_at = D(2021, 10, 12)
    message.save()
    assert message.status == MessageStatus.HANDLED
    assert message.state_label(D(2021, 12, 31)) == "已办结（逾期）"


@pytest.mark.parametrize(("changes", "field"), [
    ({"replied_at": D(2021, 9, 29)}, "replied_at"),
    ({"status": MessageStatus.HANDLED}, "replied_at"),
    ({"unit": "西畴县人民政府办公室"}, "unit"),
])
def test_a_message_refuses_what_cannot_be(qiubei_column, unit, changes, field):
    values = {"channel": qiubei_column, "external_id": "1", "unit": unit("丘北县人民政府办公室"),
              "received_at": D(2021, 9, 30), "deadline": D(2021, 10, 13)}
    values.update(changes)
    if isinstance(values["unit"], str):
        values["unit"] = unit(values["unit"])
    with pytest.raises(ValidationError) as error:
        Message(**values).full_clean()
    assert field in error.value.message_dict


def test_a_holiday_entered_later_moves_the_deadlines_it_falls_in(channel, unit, add_message):
    before = add_message(channel(), "1", unit("丘北县人民政府办公室"), "2027-02-03")
    after = add_message(channel(), "2", unit("丘北县人民政府办公室"), "2027-02-08")
    assert before.deadline == D(2027, 2, 8)
    override = HolidayOverride.objects.create(day=D(2027, 2, 8), is_working_day=False)
    before.refresh_from_db()
    after.refresh_from_db()
    assert (before.deadline, after.deadline) == (D(2027, 2, 9), D(2027, 2, 11))
    override.day = D(2027, 2, 15)  # moved past both deadlines: only the old day matters
    override.save()
    before.refresh_from_db()
    assert before.deadline == D(2027, 2, 8)
    HolidayOverride.objects.create(day=D(2027, 2, 5), is_working_day=False)
    before.refresh_from_db()
    assert before.deadline == D(2027, 2, 9)
    HolidayOverride.objects.filter(day=D(2027, 2, 5)).delete()
    before.refresh_from_db()
    assert before.deadline == D(2027, 2, 8)


def test_a_changed_time_limit_moves_the_channels_deadlines(qiubei_column, unit, add_message):
    message = add_message(qiubei_column, "1", unit("丘北县人民政府办公室"), "2021-09-30")
    assert message.deadline == D(2021, 10, 13)  # 10-08, the Saturday 10-09, 10-11, 10-12, 10-13
    qiubei_column.reply_days = 3
    qiubei_column.save()
    message.refresh_from_db()
    assert message.deadline == D(2021, 10, 11)


def test_the_recompute_command_catches_up_after_a_library_upgrade(channel, unit, add_message,
                                                                   capsys):
    message = add_message(channel(), "1", unit("丘北县人民政府办公室"), "2021-09-30")
    Message.objects.filter(pk=message.pk).update(deadline=D(2021, 10, 5))  # as if stale
    call_command("recompute_deadlines")
    message.refresh_from_db()
    assert message.deadline == D(2021, 10, 11)
    assert "1 条" in capsys.readouterr().out


# Provisional deadlines and the confirmed years

def test_a_message_due_in_a_year_without_a_schedule_is_provisional_until_it_is_entered(
        channel, unit, add_message, office_admin):
    # Received Tuesday 2026-12-29: 3 working days reach 2027, which chinesecalendar 1.11
    # does not cover, so New Year's Day counts as a plain Friday.
    message = add_message(channel(), "1", unit("丘北县公安局"), "2026-12-29")
    assert (message.deadline, message.deadline_provisional) == (D(2027, 1, 1), True)
    assert message.state_label(D(2027, 1, 5)) == "未办理（逾期，期限暂定）"
    assert Message.objects.unconfirmed_years() == [2027]
    HolidayOverride.objects.create(day=D(2027, 1, 1), is_working_day=False, note="元旦")
    message.refresh_from_db()
    assert (message.deadline, message.deadline_provisional) == (D(2027, 1, 4), True)
    confirmation = HolidayYear.objects.create(year=2027, confirmed_by=office_admin)
    message.refresh_from_db()
    assert (message.deadline, message.deadline_provisional) == (D(2027, 1, 4), False)
    assert message.state_label(D(2027, 1, 5)) == "未办理（逾期）"
    assert Message.objects.unconfirmed_years() == []
    confirmation.delete()  # withdrawn: a guess again
    message.refresh_from_db()
    assert message.deadline_provisional


def test_confirming_a_year_touches_only_the_deadlines_counted_over_it(channel, unit, add_message):
    inside = add_message(channel(), "1", unit("丘北县公安局"), "2027-06-01")
    across = add_message(channel(), "2", unit("丘北县公安局"), "2027-12-30")  # into 2028
    before = add_message(channel(), "3", unit("丘北县公安局"), "2026-12-01")
    assert (inside.deadline_provisional, across.deadline_provisional) == (True, True)
    assert not before.deadline_provisional
    assert set(HolidayYear(year=2027).affected_messages()) == {inside, across}
    HolidayYear.objects.create(year=2027)
    inside.refresh_from_db()
    across.refresh_from_db()
    assert not inside.deadline_provisional and across.deadline_provisional


def test_the_migration_marks_the_provisional_deadlines_already_stored(channel, unit, add_message):
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "interaction.migrations.0002_holiday_years_provisional_deadlines_imports")
    message = add_message(channel(), "1", unit("丘北县公安局"), "2026-12-29")
    Message.objects.update(deadline_provisional=False)  # as stored before the field existed
    migration.mark_provisional_deadlines(apps, None)
    message.refresh_from_db()
    assert message.deadline_provisional


# Channel names

def test_two_counties_may_each_have_a_channel_of_the_same_name(demo, region):
    for county in ("丘北县", "西畴县"):
        Channel(name="百姓信箱", kind=ChannelKind.PORTAL, reply_days=5,
                region=region(county)).full_clean()
        Channel.objects.create(name="百姓信箱", kind=ChannelKind.PORTAL, reply_days=5,
                               region=region(county))
    with pytest.raises(ValidationError, match="该地区已有同名的留言渠道"):
        Channel(name="百姓信箱", kind=ChannelKind.PORTAL, reply_days=5,
                region=region("丘北县")).full_clean()
    with pytest.raises(ValidationError, match="已有同名的各地区共用渠道"):
        Channel(name="我为政府网站找错", kind=ChannelKind.NATIONAL, reply_days=3).full_clean()
