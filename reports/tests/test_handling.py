"""公文处理笺: a county's liaison records how the county handled an issued circular and prints
it on one page; the office sees every county's stage; nobody reaches another county's sheet."""

import datetime
import re
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.assembly import new_circular
from reports.models import Handling, Receipt
from reports.testing import mark_issued
from sites.models import Region
from sites.roles import Role

DOC_NUMBER = "文政办〔2022〕1号"


@pytest.fixture
def draft(demo):
    circular = new_circular(Region.objects.get(name="文山州"), 2021, 4)
    circular.doc_year, circular.doc_number = 2022, 1
    circular.date = datetime.date(2022, 1, 10)
    circular.save()
    return circular


@pytest.fixture
def circular(draft):
    """The draft issued (without its files: the handling pages read only its fields)."""
    return mark_issued(draft)


def url(name, circular, region=None):
    args = [circular.pk] if region is None else [circular.pk, Region.objects.get(name=region).pk]
    return reverse(f"reports:{name}", args=args)


def form_data(instructions=(), loaded="", **fields):
    """The handling form as posted: the fields, the instruction rows and one blank row."""
    data = {"loaded": loaded, "received_on": "", "proposal": "", "proposed_by": "",
            "proposed_on": "", "result": "", "finished_on": "", **fields}
    rows = [*instructions, ("", "", "")]
    data.update({"instructions-TOTAL_FORMS": len(rows), "instructions-INITIAL_FORMS": 0,
                 "instructions-MIN_NUM_FORMS": 0, "instructions-MAX_NUM_FORMS": 1000})
    for index, (leader, date, text) in enumerate(rows):
        data.update({f"instructions-{index}-leader": leader, f"instructions-{index}-date": date,
                     f"instructions-{index}-text": text})
    return data


TWO_INSTRUCTIONS = [("王明", "2022-01-13", "请县政务服务局牵头抓好整改。"),
                    ("李华", "2022-01-14", "同意王明同志意见，限期整改到位。")]
COMPLETE = {
    "received_on": "2022-01-12", "proposal": "呈县政府分管领导阅示，转县政务服务局办理。",
    "proposed_by": "张丽", "proposed_on": "2022-01-12",
    "result": "已组织各单位整改，问题已全部整改到位。", "finished_on": "2022-02-20",
}


def record(circular, region_name, **fields):
    return Handling.objects.create(circular=circular, region=Region.objects.get(name=region_name),
                                   **fields)


def test_a_liaison_records_the_handling_with_two_instructions(client, liaison, circular):
    client.force_login(liaison)
    assert "领导批示" in client.get(url("handling", circular)).content.decode()
    response = client.post(url("handling", circular), form_data(TWO_INSTRUCTIONS, **COMPLETE))
    assert response["Location"] == url("handling_sheet", circular, "丘北县")
    handling = Handling.objects.get()
    assert handling.region.name == "丘北县" and handling.updated_by == liaison
    assert (handling.received_on, handling.proposed_by) == (datetime.date(2022, 1, 12), "张丽")
    assert handling.instructions == [{"leader": leader, "date": date, "text": text}
                                     for leader, date, text in TWO_INSTRUCTIONS]
    assert handling.finished_on == datetime.date(2022, 2, 20) and handling.stage == "已办结"
    page = client.get(url("handling", circular)).content.decode()
    assert "同意王明同志意见，限期整改到位。" in page and 'value="李华"' in page


def test_a_row_marked_for_deletion_or_cleared_is_removed(client, liaison, circular):
    client.force_login(liaison)
    client.post(url("handling", circular), form_data(TWO_INSTRUCTIONS, **COMPLETE))
    handling = Handling.objects.get()
    data = form_data([TWO_INSTRUCTIONS[0], ("", "", "")], loaded=handling.updated_at.isoformat(),
                     **COMPLETE)
    data["instructions-0-DELETE"] = "on"
    client.post(url("handling", circular), data)
    handling.refresh_from_db()
    assert handling.instructions == []


def test_errors_are_shown_in_place_and_nothing_is_saved(client, liaison, circular):
    client.force_login(liaison)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client.post(url("handling", circular), form_data(
        [("王明", "", "请抓好整改。"), ("", "2022-01-01", "")],
        received_on="2022-01-12", proposal="呈分管领导阅示。", result="已整改。",
        finished_on=tomorrow,
    ))
    page = response.content.decode()
    assert response.status_code == 200 and "未保存" in page
    for message in ("填写了拟办意见，请同时填写拟办人。", "请填写批示日期。", "请填写批示领导的姓名。",
                    "请填写批示内容。", "不能早于收文日期（2022年1月12日）。", "日期不能晚于今天。"):
        assert message in page
    for typed in ("呈分管领导阅示。", "请抓好整改。", 'value="王明"', "已整改。"):
        assert typed in page
    assert not Handling.objects.exists()


def test_a_receipt_date_before_the_circular_is_refused(client, liaison, circular):
    client.force_login(liaison)
    page = client.post(url("handling", circular), form_data(received_on="2022-01-01")).content.decode()
    assert "收文日期不能早于通报的成文日期（2022年1月10日）。" in page
    assert not Handling.objects.exists()


def test_every_version_of_the_sheet_is_kept_with_who_wrote_it(client, liaison, circular):
    client.force_login(liaison)
    client.post(url("handling", circular), form_data(TWO_INSTRUCTIONS, **COMPLETE))
    handling = Handling.objects.get()
    client.post(url("handling", circular), form_data(
        TWO_INSTRUCTIONS[:1], loaded=handling.updated_at.isoformat(),
        **{**COMPLETE, "proposal": "呈县政府主要领导阅示。"}))
    assert [(h.history_type, h.history_user, h.proposal) for h in handling.history.order_by("pk")] == [
        ("+", liaison, COMPLETE["proposal"]), ("~", liaison, "呈县政府主要领导阅示。")]
    page = client.get(url("handling_sheet", circular, "丘北县")).content.decode()
    # The overwritten 拟办意见 and the removed 批示 can be read on the sheet's page.
    assert f"<del>{COMPLETE['proposal']}</del> → 呈县政府主要领导阅示。" in page
    assert "同意王明同志意见，限期整改到位。" in page


def test_a_stale_save_is_refused_and_keeps_what_was_typed(client, liaison, circular):
    client.force_login(liaison)
    client.post(url("handling", circular), form_data(received_on="2022-01-12"))
    loaded = Handling.objects.get().updated_at.isoformat()
    client.post(url("handling", circular), form_data(loaded=loaded, received_on="2022-01-13"))
    page = client.post(url("handling", circular), form_data(
        loaded=loaded, received_on="2022-01-12", proposal="另一个人的意见", proposed_by="赵六",
        proposed_on="2022-01-12")).content.decode()
    assert "其他人刚刚修改了这份处理笺" in page and "另一个人的意见" in page
    assert Handling.objects.get().received_on == datetime.date(2022, 1, 13)


def read_pdf(content: bytes, tmp_path) -> tuple[dict, str]:
    path = tmp_path / "sheet.pdf"
    path.write_bytes(content)
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout
    return dict(re.findall(r"^([\w ]+):\s+(.*)$", info, re.M)), re.sub(r"\s", "", text)


def print_sheet(client, circular, region, tmp_path):
    response = client.get(url("handling_print", circular, region))  # warnings fail (conftest.py)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    info, text = read_pdf(response.content, tmp_path)
    assert info["Pages"] == "1"
    assert re.match(r"595\.\d+ x 841\.\d+ pts \(A4\)", info["Page size"])  # A4 portrait
    return text


def test_the_printed_sheet_is_one_a4_page_with_its_text(client, liaison, circular, tmp_path):
    client.force_login(liaison)
    client.post(url("handling", circular), form_data(TWO_INSTRUCTIONS, **COMPLETE))
    text = print_sheet(client, circular, "丘北县", tmp_path)
    for expected in ("公文处理笺", "丘北县", "文山州人民政府办公室", DOC_NUMBER, "2022年1月12日",
                     "呈县政府分管领导阅示，转县政务服务局办理。", "张丽",
                     "王明2022年1月13日", "李华2022年1月14日", "请县政务服务局牵头抓好整改。",
                     "已组织各单位整改，问题已全部整改到位。", "2022年2月20日"):
        assert expected in text, expected


def test_a_long_sheet_still_fits_one_page(client, liaison, circular, tmp_path):
    sentence = "对照通报指出的问题逐条建立整改台账，明确责任单位、责任人和完成时限，"
    instructions = [(leader, f"2022-01-{13 + n}", sentence * 4 + f"（{leader}）")
                    for n, leader in enumerate(("王明", "李华", "陈刚"))]
    client.force_login(liaison)
    response = client.post(url("handling", circular), form_data(instructions, **{
        **COMPLETE, "proposal": sentence * 5 + "拟办完。", "result": sentence * 8 + "结果完。"}))
    assert response.status_code == 302
    text = print_sheet(client, circular, "丘北县", tmp_path)
    for expected in ("拟办完。", "（陈刚）", "陈刚2022年1月15日", "结果完。", "2022年2月20日"):
        assert expected in text, expected


def test_an_admin_prints_any_countys_sheet_even_a_blank_one(client, office_admin, circular,
                                                             tmp_path):
    record(circular, "西畴县", proposal="请办理。", proposed_by="周七",
           proposed_on=datetime.date(2022, 1, 12))
    client.force_login(office_admin)
    assert "请办理。" in print_sheet(client, circular, "西畴县", tmp_path)
    assert "公文处理笺" in print_sheet(client, circular, "马关县", tmp_path)
    page = client.get(url("handling_sheet", circular, "西畴县")).content.decode()
    assert "请办理。" in page and "周七" in page and "2022年1月12日" in page


def stage_by_region(page: str) -> dict[str, str]:
    return dict(re.findall(r"<tr[^>]*>\s*<td\s*>(\S+?)</td>.*?<span class=\"badge[^\"]*\">(\S+?)</span>",
                           page, re.S))


def test_the_overview_shows_each_countys_receipt_and_stage(client, office_admin, liaison,
                                                           circular):
    Receipt.objects.create(circular=circular, region=Region.objects.get(name="丘北县"),
                           received_by=liaison)
    record(circular, "丘北县", result="已整改。", finished_on=datetime.date(2022, 2, 1))
    record(circular, "西畴县", instructions=[{"leader": "王明", "date": "2022-01-13", "text": "阅。"}])
    record(circular, "马关县", proposal="请办理。")
    client.force_login(office_admin)
    page = client.get(url("handling_overview", circular)).content.decode()
    stages = stage_by_region(page)
    assert len(stages) == 8
    assert (stages["丘北县"], stages["西畴县"], stages["马关县"], stages["富宁县"]) == (
        "已办结", "已批示", "已拟办", "未处理")
    assert page.count("未签收") == 7
    assert url("handling_print", circular, "西畴县") in page
    assert url("handling_sheet", circular, "西畴县") in page


def test_the_overview_runs_a_bounded_number_of_queries(client, office_admin, circular,
                                                       django_assert_max_num_queries):
    for region in circular.addressed_regions():
        Handling.objects.create(circular=circular, region=region, proposal="请办理。")
        Receipt.objects.create(circular=circular, region=region, received_by=office_admin)
    client.force_login(office_admin)
    with django_assert_max_num_queries(12):  # 10 today, whatever the number of regions
        assert client.get(url("handling_overview", circular)).status_code == 200


@pytest.mark.parametrize("name", ["handling_sheet", "handling_print"])
def test_a_liaison_guessing_another_countys_sheet_gets_404(client, liaison, circular, name):
    record(circular, "西畴县", proposal="西畴县的意见")
    client.force_login(liaison)
    assert client.get(url(name, circular, "西畴县")).status_code == 404
    assert client.get(url(name, circular, "丘北县")).status_code == 200


def test_a_region_the_circular_is_not_addressed_to_is_not_found(client, office_admin, circular):
    client.force_login(office_admin)
    wenshan = Region.objects.get(name="文山州").pk  # the issuing region itself
    for region in (wenshan, Region.objects.order_by("pk").last().pk + 1):
        assert client.get(reverse("reports:handling_sheet", args=[circular.pk, region])).status_code == 404


def test_a_liaison_of_another_prefecture_does_not_find_the_circular(client, make_user, circular):
    honghe = Region.objects.create(name="红河州", level="city")
    county = Region.objects.create(name="蒙自市", level="county", parent=honghe)
    client.force_login(make_user(Role.LIAISON, region=county))
    qiubei = Region.objects.get(name="丘北县").pk
    for name, args in (("handling", []), ("handling_overview", []), ("handling_sheet", [qiubei]),
                       ("handling_print", [qiubei])):
        assert client.get(reverse(f"reports:{name}", args=[circular.pk, *args])).status_code == 404
    assert client.post(url("handling", circular), form_data(**COMPLETE)).status_code == 404
    assert not Handling.objects.exists()


def test_another_prefectures_admin_does_not_find_the_sheets(client, make_user, circular):
    client.force_login(make_user(Role.ADMIN, region=Region.objects.create(name="红河州", level="city")))
    assert client.get(url("handling_overview", circular)).status_code == 404
    assert client.get(url("handling_print", circular, "丘北县")).status_code == 404


def test_a_liaison_records_only_for_their_own_county(client, liaison, other_liaison, circular):
    mine = record(circular, "丘北县", proposal="丘北县的意见", proposed_by="张丽",
                  proposed_on=datetime.date(2022, 1, 12))
    client.force_login(other_liaison)
    data = form_data(**COMPLETE, region=mine.region_id, circular=circular.pk)  # ignored
    assert client.post(url("handling", circular), data).status_code == 302
    mine.refresh_from_db()
    assert mine.proposal == "丘北县的意见"
    assert Handling.objects.get(proposed_by="张丽", region__name="西畴县").updated_by == other_liaison
    page = client.get(url("handling", circular)).content.decode()
    assert "西畴县" in page and "丘北县的意见" not in page


def test_a_draft_circular_has_no_handling_page(client, office_admin, liaison, draft):
    qiubei = Region.objects.get(name="丘北县").pk
    for user in (liaison, office_admin):
        client.force_login(user)
        for name, args in (("handling", []), ("handling_overview", []),
                           ("handling_sheet", [qiubei]), ("handling_print", [qiubei])):
            assert client.get(reverse(f"reports:{name}", args=[draft.pk, *args])).status_code == 404
    assert client.post(url("handling", draft), form_data(**COMPLETE)).status_code == 404


def test_the_office_records_nothing_and_leaders_may_only_read(client, office_admin, circular,
                                                              django_user_model):
    client.force_login(office_admin)  # the circular's own office receives nothing
    assert client.get(url("handling", circular)).status_code == 404
    client.force_login(django_user_model.objects.get(username="leader"))
    assert client.get(url("handling", circular)).status_code == 403
    assert client.get(url("handling_overview", circular)).status_code == 200


def test_the_circular_page_links_to_the_sheet_or_the_overview(client, liaison, office_admin,
                                                              circular):
    client.force_login(liaison)
    page = client.get(circular.get_absolute_url()).content.decode()
    assert "填写处理笺" in page and url("handling_print", circular, "丘北县") in page
    assert url("handling_overview", circular) not in page
    client.force_login(office_admin)
    page = client.get(circular.get_absolute_url()).content.decode()
    assert url("handling_overview", circular) in page and "填写处理笺" not in page


def test_the_overview_downloads(client, office_admin, circular):
    record(circular, "丘北县", proposal="请办理。")
    client.force_login(office_admin)
    response = client.get(url("handling_overview", circular), {"export": "csv"})
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0] == "地区,签收人,签收时间,处理情况,最后填写"  # no link column
    assert "丘北县,未签收,,已拟办," in "\n".join(lines) and len(lines) == 9
