"""备案 on a date: a past quarter's population does not move when an account's filing does."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from inspections.models import Inspection
from inspections.statistics import population
from newmedia.choices import Filing
from newmedia.models import Account

Q3_END, Q4_END, Q1_END = datetime.date(2021, 9, 30), datetime.date(2021, 12, 31), datetime.date(2022, 3, 31)


@pytest.fixture
def unit(demo):
    from sites.models import Unit

    return Unit.objects.get(name="丘北县人民政府办公室")


def new_account(unit, name, **fields) -> Account:
    return Account.objects.create(name=name, platform="wechat", unit=unit, **fields)


def registered(*days) -> list[set[str]]:
    return [
        set(Account.objects.registered_running_on(day).filter(name__startswith="测试")
            .values_list("name", flat=True))
        for day in days
    ]


def test_an_account_filed_without_a_date_counts_for_every_quarter(unit):
    new_account(unit, "测试早已备案")
    assert registered(Q3_END, Q4_END) == [{"测试早已备案"}, {"测试早已备案"}]


def test_filing_an_account_today_does_not_raise_a_past_quarters_population(unit):
    account = new_account(unit, "测试新备案", filing=Filing.UNFILED)
    account.set_filing(Filing.FILED, datetime.date(2022, 1, 15))
    account.save()
    assert account.filed_on == datetime.date(2022, 1, 15)
    assert registered(Q4_END, Q1_END) == [set(), {"测试新备案"}]


def test_withdrawing_a_filing_keeps_the_account_in_past_quarters(unit):
    account = new_account(unit, "测试撤销备案", filed_on=datetime.date(2021, 8, 1))
    account.set_filing(Filing.UNFILED, datetime.date(2022, 1, 15))
    account.save()
    assert (account.filed_on, account.unfiled_on) == (datetime.date(2021, 8, 1), datetime.date(2022, 1, 15))
    assert registered(datetime.date(2021, 6, 30), Q3_END, Q4_END, Q1_END) == [
        set(), {"测试撤销备案"}, {"测试撤销备案"}, set()]


def test_withdrawing_a_filing_of_unknown_date_keeps_the_earlier_quarters(unit):
    account = new_account(unit, "测试早已备案后撤销")
    account.set_filing(Filing.UNFILED, datetime.date(2022, 1, 15))
    account.save()
    assert registered(Q4_END, Q1_END) == [{"测试早已备案后撤销"}, set()]


def test_refiling_keeps_only_the_latest_filed_period(unit):
    """The documented limit: one 备案日期 and one 撤销备案日期, so a second filing forgets the
    first period (the history still shows it)."""
    account = new_account(unit, "测试重新备案", filed_on=datetime.date(2021, 1, 1))
    account.set_filing(Filing.UNFILED, datetime.date(2021, 10, 1))
    account.set_filing(Filing.FILED, datetime.date(2022, 2, 1))
    account.save()
    assert (account.filed_on, account.unfiled_on) == (datetime.date(2022, 2, 1), None)
    assert registered(Q3_END, Q1_END) == [set(), {"测试重新备案"}]


def test_an_account_never_filed_never_counts(unit):
    new_account(unit, "测试未备案", filing=Filing.UNFILED)
    assert registered(Q3_END, Q4_END, Q1_END) == [set(), set(), set()]


@pytest.mark.parametrize(("fields", "message"), [
    ({"filing": Filing.FILED, "unfiled_on": datetime.date(2021, 1, 1)}, "已备案的账号不应有撤销备案日期。"),
    ({"filing": Filing.UNFILED, "filed_on": datetime.date(2021, 1, 1)}, "曾备案的账号请填写撤销备案日期"),
    ({"filing": Filing.UNFILED, "filed_on": datetime.date(2021, 5, 1),
      "unfiled_on": datetime.date(2021, 4, 1)}, "撤销备案日期不能早于备案日期。"),
])
def test_filing_and_its_dates_must_agree(unit, fields, message):
    account = Account(name="测试", platform="wechat", unit=unit, **fields)
    with pytest.raises(ValidationError) as error:
        account.full_clean()
    assert message in error.value.message_dict["unfiled_on"][0]


def test_a_past_checks_statistics_keep_their_population(unit):
    """inspections.statistics counts the same accounts as the check's population."""
    from sites.models import Region

    wenshan = Region.objects.get(name="文山州")
    q4 = Inspection(region=wenshan, year=2021, quarter=4, target="newmedia")
    before = population(q4, wenshan).total
    assert before == Account.objects.within(wenshan).registered_running_on(Q4_END).count()
    unfiled = Account.objects.filter(filing=Filing.UNFILED, status="running").first()
    unfiled.set_filing(Filing.FILED, datetime.date(2022, 1, 15))
    unfiled.save()
    filed = Account.objects.filter(filing=Filing.FILED, status="running").first()
    filed.set_filing(Filing.UNFILED, datetime.date(2022, 1, 15))
    filed.save()
    assert population(q4, wenshan).total == before
    q1 = Inspection(region=wenshan, year=2022, quarter=1, target="newmedia")
    assert population(q1, wenshan).total == before
