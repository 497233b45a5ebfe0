"""Circular pages: draft, edit with preview, downloads, issuing, 签收, and who sees what."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from inspections.assessments import Entry, save_entry
from inspections.scoring import SchemeTree
from reports.assembly import new_circular
from reports.models import Circular, CircularFile, Receipt
from reports.testing import mark_issued
from sites.models import Region, User
from sites.roles import Role


@pytest.fixture
def admin(office_admin, client):
    client.force_login(office_admin)
    return office_admin


def form_data(circular, **changes):
    data = {
        "title": circular.title, "doc_prefix": circular.doc_prefix, "doc_year": circular.doc_year,
        "doc_number": circular.doc_number, "addressees": circular.addressees, "opening": "",
        "overview": "", "achievements": "", "problems": "", "requirements": circular.requirements,
        "annexes": circular.annexes, "average_decimals": 1, "previous_average_decimals": 2,
        "signer": circular.signer, "date": "2022-01-10", "contact": "联系人：李虹霞；电话：2851097",
        "cc": "", "printer": circular.printer, "print_date": "2022-01-10",
        "version": circular.version,
    }
    data.update(changes)
    return data


def test_an_admin_drafts_a_circular_for_a_quarter(client, admin, demo_inspections):
    response = client.post(reverse("reports:circular_add"), {"year": 2021, "quarter": 4})
    circular = Circular.objects.get()
    assert response["Location"] == reverse("reports:circular_edit", args=[circular.pk])
    assert circular.title == "文山州人民政府办公室关于2021年第四季度全州政府网站和政府系统政务新媒体检查情况的通报"
    assert circular.doc_prefix == "文政办" and circular.doc_number == 1
    assert circular.addressees == "各县（市）人民政府，州直有关部门"
    second = new_circular(Region.objects.get(name="文山州"), 2021, 4)
    assert second.doc_number == 2  # the next free number is suggested


def test_the_circular_page_previews_the_document(client, admin, circular):
    page = client.get(circular.get_absolute_url()).content.decode()
    for text in ("文政办〔", "登记在运行政府网站10个", "平均得分84分", "较三季度74.9分",
                 "2021年四季度全州在运行政府网站检查得分情况", "23.94"):
        assert text in page


def test_editing_saves_the_text_and_keeps_what_was_typed_on_a_stale_save(client, admin, circular):
    url = reverse("reports:circular_edit", args=[circular.pk])
    response = client.post(url, form_data(circular, achievements="各县（市）工作开展力度大。"))
    assert response.status_code == 302
    circular.refresh_from_db()
    assert circular.achievements == "各县（市）工作开展力度大。" and circular.version == 1
    stale = client.post(url, form_data(circular, version=0, achievements="另一个人的修改"))
    page = stale.content.decode()
    assert "其他人已修改了这份通报" in page and "另一个人的修改" in page
    circular.refresh_from_db()
    assert circular.achievements == "各县（市）工作开展力度大。"


def test_an_overwritten_paragraph_can_be_read_back_on_the_circular_page(client, admin, circular):
    url = reverse("reports:circular_edit", args=[circular.pk])
    client.post(url, form_data(circular, achievements="各县（市）工作开展力度大。"))
    circular.refresh_from_db()
    client.post(url, form_data(circular, achievements="各地整改及时。"))
    assert [h.achievements for h in circular.history.order_by("pk")][-2:] == [
        "各县（市）工作开展力度大。", "各地整改及时。"]
    page = client.get(circular.get_absolute_url()).content.decode()
    assert "<del>各县（市）工作开展力度大。</del> → 各地整改及时。" in page


def test_a_taken_document_number_is_refused(client, admin, circular):
    other = new_circular(Region.objects.get(name="文山州"), 2021, 4)
    other.save()
    response = client.post(reverse("reports:circular_edit", args=[other.pk]),
                           form_data(other, doc_number=circular.doc_number))
    assert "发文字号已被使用" in response.content.decode()


def test_the_live_preview_renders_what_is_typed_without_saving(client, admin, circular):
    response = client.post(reverse("reports:circular_preview", args=[circular.pk]),
                           form_data(circular, title="试写的标题<script>"))
    html = response.content.decode()
    assert "试写的标题&lt;script&gt;" in html and "<html" not in html
    circular.refresh_from_db()
    assert circular.title != "试写的标题<script>"


@pytest.mark.parametrize("fmt", ["html", "xlsx"])
def test_a_draft_downloads_in_every_format(client, admin, circular, fmt):
    response = client.get(reverse("reports:circular_download", args=[circular.pk, fmt]) + "?download")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(content))["附件1"]
        values = [c for row in sheet.iter_rows(values_only=True) for c in row]
        assert 26.4 in values and 23.94 in values and 74.9 in values


def edit_a_score(demo_inspections):
    q4 = demo_inspections[4]
    q4.status = "scoring"
    q4.save()
    tree = SchemeTree.of(q4.scheme)
    site = q4.assessments.get(website__name="丘北县人民政府")
    entry = Entry(points={tree.by_name[g]: Decimal(v) for g, v in
                          (("发布解读", 10), ("办事服务", 10), ("互动交流", 10), ("功能设计", 10))})
    save_entry(site, entry, tree, user=User.objects.get(username="admin"),
               loaded_version=site.version)


def test_issuing_freezes_the_files_and_the_figures(client, admin, circular, demo_inspections):
    response = client.post(reverse("reports:circular_issue", args=[circular.pk]))
    job_url = response["Location"]
    status = client.get(job_url + "?json").json()
    assert status["done"] and not status["error"], status
    circular.refresh_from_db()
    assert circular.is_issued and circular.issued_by == admin
    files = {f.format: (f.sha256, f.file.read()) for f in circular.files.filter(issued=True)}
    assert set(files) == {"html", "pdf", "xlsx", "docx"}
    edit_a_score(demo_inspections)  # 丘北县 drops from 92 to 40 after issuing
    page = client.get(circular.get_absolute_url()).content.decode()
    assert "平均得分84分" in page and files["html"][0] in page
    html = client.get(reverse("reports:circular_download", args=[circular.pk, "html"]))
    assert b"".join(html.streaming_content) == files["html"][1]
    assert html["X-Content-SHA256"] == files["html"][0]
    assert client.get(reverse("reports:circular_edit", args=[circular.pk])).status_code == 403
    again = client.post(reverse("reports:circular_issue", args=[circular.pk]), follow=True)
    assert "该通报已签发" in again.content.decode()
    assert CircularFile.objects.filter(issued=True).count() == 4


def issue_now(circular):
    from reports.issuing import issue

    return issue(circular, User.objects.get(username="admin"))


def test_liaisons_see_only_issued_circulars_addressed_to_them(client, circular, liaison, make_user,
                                                              region):
    client.force_login(liaison)
    assert client.get(circular.get_absolute_url()).status_code == 404  # a draft
    issue_now(circular)
    assert client.get(circular.get_absolute_url()).status_code == 200
    assert "签收" in client.get(circular.get_absolute_url()).content.decode()
    elsewhere = Region.objects.create(name="红河州", level="city")
    outsider = make_user(Role.LIAISON, region=elsewhere)
    client.force_login(outsider)
    assert client.get(circular.get_absolute_url()).status_code == 404
    assert client.get(reverse("reports:circular_download", args=[circular.pk, "pdf"])).status_code == 404
    assert "文政办" not in client.get(reverse("reports:circular_list")).content.decode()


def test_a_liaison_acknowledges_and_admins_see_who_has_not(client, circular, liaison, office_admin):
    issue_now(circular)
    client.force_login(liaison)
    client.post(reverse("reports:circular_receive", args=[circular.pk]))
    receipt = Receipt.objects.get()
    assert (receipt.region.name, receipt.received_by) == ("丘北县", liaison)
    client.post(reverse("reports:circular_receive", args=[circular.pk]))
    assert Receipt.objects.count() == 1
    client.force_login(office_admin)
    page = client.get(circular.get_absolute_url()).content.decode()
    assert page.count("未签收") == 7 + 12 and "丘北县" in page  # 8 counties, 12 州直 departments


def test_liaisons_cannot_draft_edit_or_issue(client, circular, liaison):
    client.force_login(liaison)
    assert client.post(reverse("reports:circular_add"), {"year": 2021, "quarter": 4}).status_code == 403
    assert client.get(reverse("reports:circular_edit", args=[circular.pk])).status_code in (403, 404)
    assert client.post(reverse("reports:circular_issue", args=[circular.pk])).status_code in (403, 404)
    circular.refresh_from_db()
    assert not circular.is_issued


def test_another_regions_admin_cannot_reach_the_circular(client, circular, make_user):
    other = make_user(Role.ADMIN, region=Region.objects.create(name="红河州", level="city"))
    client.force_login(other)
    for name in ("reports:circular", "reports:circular_edit"):
        assert client.get(reverse(name, args=[circular.pk])).status_code == 404
    assert client.post(reverse("reports:circular_issue", args=[circular.pk])).status_code == 404


def test_render_circular_without_any_circular_drafts_one(demo_inspections, tmp_path):
    out = tmp_path / "q4.html"
    call_command("render_circular", year=2021, quarter=4, fmt="html", output=out,
                 stdout=io.StringIO())
    html = out.read_text(encoding="utf-8")
    assert "登记在运行政府网站10个" in html and "74.9" in html
    assert not Circular.objects.exists()


def test_render_circular_outputs_the_issued_original(circular, tmp_path):
    issued = issue_now(circular)
    out = tmp_path / "q4.xlsx"
    call_command("render_circular", year=2021, quarter=4, fmt="xlsx", output=out,
                 stdout=io.StringIO())
    assert out.read_bytes() == issued.files.get(format="xlsx", issued=True).file.read()


def test_the_circular_list_runs_a_bounded_number_of_queries(client, admin, demo_inspections,
                                                            django_assert_max_num_queries):
    for quarter in (3, 4):
        new_circular(Region.objects.get(name="文山州"), 2021, quarter).save()
    with django_assert_max_num_queries(10):
        assert client.get(reverse("reports:circular_list")).status_code == 200


def test_a_checks_page_shows_the_circular_that_issued_its_results(client, admin, circular):
    pages = {target: reverse("inspections:inspection", args=[check.pk]) for target, check in (
        ("websites", circular.website_inspection), ("newmedia", circular.newmedia_inspection))}
    assert "已在通报中签发" not in client.get(pages["websites"]).content.decode()  # a draft
    mark_issued(circular)
    for url in pages.values():
        page = client.get(url).content.decode()
        assert "本次检查的结果已在通报中签发" in page
        assert f'<a href="{circular.get_absolute_url()}">{circular.doc_number_text}</a>' in page
