"""The directory in a real browser: sign in, filter websites by region, download the XLSX;
upload a directory workbook."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from openpyxl import load_workbook

from common.testing import workbook_bytes
from sites.testing import big_workbook, full_snapshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_filter_websites_by_region_and_download_the_export(page, live_server, demo, tmp_path, sign_in):
    sign_in("admin", "wenshan-admin")
    page.get_by_role("navigation").get_by_role("link", name="政府网站", exact=True).click()
    page.wait_for_url("**/directory/websites/")
    assert page.locator("table tbody tr").count() == 10

    page.get_by_label("地区").select_option(label="丘北县")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url("**/directory/websites/?*region=*")
    rows = page.locator("table tbody tr")
    assert rows.count() == 1
    assert "丘北县人民政府" in rows.first.inner_text()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="导出 Excel").click()
    download = download_info.value
    assert download.suggested_filename.startswith("政府网站-")
    path = tmp_path / "export.xlsx"
    download.save_as(path)
    sheet = load_workbook(path).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0][:4] == ["网站标识码", "网站名称", "所属地区", "主办单位"]
    assert values[1][:4] == ["5326260001", "丘北县人民政府", "丘北县", "丘北县人民政府办公室"]
    assert len(values) == 2


def test_a_liaison_is_not_offered_other_regions(page, live_server, demo, sign_in):
    sign_in("liaison", "qiubei-liaison")
    page.goto(f"{live_server.url}/directory/websites/")
    options = page.get_by_label("地区").locator("option").all_inner_texts()
    assert [o for o in options if o.strip("- ")] == ["丘北县"]
    assert "名录导入" not in page.locator("nav").inner_text()


def test_a_workbook_uploaded_in_the_browser_imports_as_through_the_command(
        page, live_server, demo, tmp_path, sign_in):
    """Issue 2's "done when": 40 websites and 232 accounts, the same either way."""
    path = tmp_path / "名录.xlsx"
    path.write_bytes(workbook_bytes(big_workbook(websites=40, accounts=232)))
    with transaction.atomic():
        call_command("import_directory", str(path), stdout=io.StringIO())
        by_command = full_snapshot()
        transaction.set_rollback(True)
    assert full_snapshot() != by_command

    sign_in("admin", "wenshan-admin")
    page.get_by_role("navigation").get_by_role("link", name="名录导入").click()
    page.get_by_label("工作簿（.xlsx）").set_input_files(path)
    page.get_by_role("button", name="上传并导入").click()
    page.locator(".msg-success").wait_for()
    assert "政务新媒体：新增 232" in page.locator(".msg-success").inner_text()
    assert full_snapshot() == by_command
