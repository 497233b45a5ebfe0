"""Score entry through the browser's forms: one target, and the group-score matrix."""

import io
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from inspections.models import Assessment, Score, Screenshot
from inspections.scoring import SchemeTree
from sites.models import User
from sites.roles import Role


@pytest.fixture
def scoring(scoring_check):
    return scoring_check


@pytest.fixture
def tree(scoring):
    return SchemeTree.of(scoring.scheme)


@pytest.fixture
def inspector(demo):
    return User.objects.get(username="inspector")


def site(scoring, name="丘北县人民政府") -> Assessment:
    return scoring.assessments.get(website__name=name)


def post_scores(client, assessment, tree, version=None, **by_name):
    data = {"version": assessment.version if version is None else version, "save": ""}
    for name, value in by_name.items():
        data[f"points-{tree.by_name[name]}"] = value
    return client.post(reverse("inspections:assessment", args=[assessment.pk]), data)


def test_the_entry_page_shows_the_schemes_groups(client, inspector, scoring):
    client.force_login(inspector)
    page = client.get(site(scoring).get_absolute_url()).content.decode()
    for text in ("发布解读（31分）", "办事服务（25分）", "互动交流（23分）", "功能设计（21分）",
                 "加分指标（30分）", "首页不更新", "保存并评下一个"):
        assert text in page


def test_saving_computes_the_total_and_keeps_who_changed_what(client, inspector, scoring, tree):
    client.force_login(inspector)
    a = site(scoring)
    response = post_scores(client, a, tree, 发布解读="31", 办事服务="21", 互动交流="20", 功能设计="20")
    assert response.status_code == 302
    a.refresh_from_db()
    assert (a.total, a.passed, a.scored_by, a.version) == (D(92), True, inspector, 1)
    post_scores(client, a, tree, 发布解读="30", 办事服务="21", 互动交流="20", 功能设计="20")
    change = Score.history.filter(assessment_id=a.pk, indicator__name="发布解读").first()
    assert (change.points, change.history_user) == (D(30), inspector)
    page = client.get(a.get_absolute_url()).content.decode()
    assert "评分变更记录" in page and "31" in page


def test_any_error_saves_nothing_and_shows_every_error_in_place(client, inspector, scoring, tree):
    client.force_login(inspector)
    a = site(scoring)
    data = {"version": 0, "save": "", f"points-{tree.by_name['发布解读']}": "32",
            f"points-{tree.by_name['办事服务']}": "二十", f"points-{tree.by_name['互动交流']}": "20",
            f"veto-{tree.by_name['首页不更新']}": "on"}
    response = client.post(a.get_absolute_url(), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "“发布解读”的得分不能超过分值31分" in page
    assert "“二十”不是数字" in page
    assert "勾选“首页不更新”时须填写发现的问题" in page
    assert 'value="二十"' in page  # what was typed is still there
    a.refresh_from_db()
    assert not a.scores.exists() and a.scored_at is None and a.version == 0


def test_a_veto_needs_a_finding_and_fails_the_target(client, inspector, scoring, tree):
    client.force_login(inspector)
    a = site(scoring)
    client.post(a.get_absolute_url(), {
        "version": 0, "save": "", f"veto-{tree.by_name['首页不更新']}": "on",
        f"finding-{tree.by_name['首页不更新']}": "首页自2月1日起未更新",
        f"points-{tree.by_name['发布解读']}": "30",
    })
    a.refresh_from_db()
    assert a.vetoed and a.passed is False
    assert a.findings.get().description == "首页自2月1日起未更新"


def test_the_later_of_two_concurrent_saves_is_refused(client, inspector, scoring, tree):
    client.force_login(inspector)
    a = site(scoring)
    loaded = a.version
    post_scores(client, a, tree, version=loaded, 发布解读="31")
    response = post_scores(client, a, tree, version=loaded, 发布解读="10")
    assert response.status_code == 409
    page = response.content.decode()
    assert "保存失败" in page and "已于" in page and 'value="10"' in page
    assert a.scores.get().points == 31


def test_save_and_next_opens_the_next_unscored_target(client, inspector, scoring, tree):
    client.force_login(inspector)
    a = site(scoring, "文山州人民政府")
    response = client.post(a.get_absolute_url(), {"version": 0, "next": ""})
    following = Assessment.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    assert following.inspection == scoring and following.pk != a.pk and not following.is_scored


@pytest.mark.parametrize("who", ["unassigned_inspector", "liaison", "leader"])
def test_only_assigned_inspectors_and_admins_may_score(client, scoring, tree, make_user, who):
    users = {
        "unassigned_inspector": lambda: make_user(Role.INSPECTOR, region=scoring.region),
        "liaison": lambda: User.objects.get(username="liaison"),
        "leader": lambda: User.objects.get(username="leader"),
    }
    client.force_login(users[who]())
    a = site(scoring)
    assert post_scores(client, a, tree, 发布解读="31").status_code == 403
    matrix = client.post(reverse("inspections:matrix", args=[scoring.pk]),
                         {f"cell-{a.pk}-{tree.by_name['发布解读']}": "31", f"version-{a.pk}": 0})
    assert matrix.status_code in (403, 404)
    assert not a.scores.exists()


def test_an_admin_may_score_and_a_closed_check_is_locked(client, scoring, tree):
    client.force_login(User.objects.get(username="admin"))
    a = site(scoring)
    assert post_scores(client, a, tree, 发布解读="31").status_code == 302
    scoring.status = "closed"
    scoring.save()
    a.refresh_from_db()
    assert post_scores(client, a, tree, 发布解读="20").status_code == 403
    assert "检查已结束，评分已锁定" in client.get(a.get_absolute_url()).content.decode()


def test_a_liaison_reads_their_own_countys_result_and_not_anothers(client, scoring, liaison):
    client.force_login(liaison)
    assert client.get(site(scoring).get_absolute_url()).status_code == 200
    assert client.get(site(scoring, "西畴县人民政府").get_absolute_url()).status_code == 404


# The matrix

def matrix_data(scoring, tree, rows: dict):
    data = {"save": ""}
    for a in scoring.assessments.all():
        data[f"version-{a.pk}"] = a.version
    for name, values in rows.items():
        a = site(scoring, name)
        for group, value in values.items():
            data[f"cell-{a.pk}-{tree.by_name[group]}"] = value
    return data


def test_the_matrix_saves_every_row(client, inspector, scoring, tree):
    client.force_login(inspector)
    url = reverse("inspections:matrix", args=[scoring.pk])
    response = client.post(url, matrix_data(scoring, tree, {
        "丘北县人民政府": {"发布解读": "31", "办事服务": "21", "互动交流": "20", "功能设计": "20"},
        "富宁县人民政府": {"发布解读": "21", "办事服务": "21", "互动交流": "23", "功能设计": "20"},
    }))
    assert response.status_code == 302
    assert site(scoring).total == 92 and site(scoring, "富宁县人民政府").total == 85
    page = client.get(url).content.decode()
    assert "发布解读（31分）" in page and 'value="31"' in page


def test_one_bad_cell_saves_no_row(client, inspector, scoring, tree):
    client.force_login(inspector)
    response = client.post(reverse("inspections:matrix", args=[scoring.pk]), matrix_data(scoring, tree, {
        "丘北县人民政府": {"发布解读": "31"},
        "富宁县人民政府": {"发布解读": "40"},
    }))
    assert response.status_code == 400
    assert "“发布解读”的得分不能超过分值31分" in response.content.decode()
    assert not Score.objects.filter(assessment__inspection=scoring).exists()


def test_a_row_changed_meanwhile_saves_no_row(client, inspector, scoring, tree):
    client.force_login(inspector)
    data = matrix_data(scoring, tree, {"丘北县人民政府": {"发布解读": "31"},
                                       "富宁县人民政府": {"发布解读": "20"}})
    post_scores(client, site(scoring, "富宁县人民政府"), tree, 发布解读="25")
    response = client.post(reverse("inspections:matrix", args=[scoring.pk]), data)
    assert response.status_code == 400
    assert "保存失败" in response.content.decode()
    assert not site(scoring).scores.exists()
    assert site(scoring, "富宁县人民政府").scores.get().points == 25


def test_the_matrix_runs_a_bounded_number_of_queries(client, inspector, scoring,
                                                     django_assert_max_num_queries):
    client.force_login(inspector)
    with django_assert_max_num_queries(15):
        client.get(reverse("inspections:matrix", args=[scoring.pk]))


# Findings and screenshots

def png_bytes(size=(20, 10)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "white").save(out, "PNG")
    return out.getvalue()


def add_finding(client, assessment, **files):
    data = {"description": "栏目“通知公告”半年未更新", "url": "www.ynqb.gov.cn/tzgg",
            "post_dates_text": "2022-01-05；2022.1.9", **files}
    return client.post(reverse("inspections:finding_add", args=[assessment.pk]), data)


def test_a_finding_with_a_screenshot_is_stored_and_served_in_scope(client, inspector, scoring,
                                                                   other_liaison, liaison):
    client.force_login(inspector)
    a = site(scoring)
    add_finding(client, a, screenshots=SimpleUploadedFile("../../首页.png", png_bytes()))
    finding = a.findings.get()
    assert finding.post_dates == ["2022-01-05", "2022-01-09"]
    shot = Screenshot.objects.get()
    assert shot.content_type == "image/png" and len(shot.sha256) == 64
    assert ".." not in shot.image.name and shot.image.name.startswith("findings/")
    url = reverse("inspections:screenshot", args=[shot.pk])
    client.force_login(liaison)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"
    client.force_login(other_liaison)
    assert client.get(url).status_code == 404


def test_a_program_renamed_png_is_refused(client, inspector, scoring):
    client.force_login(inspector)
    a = site(scoring)
    response = add_finding(client, a, screenshots=SimpleUploadedFile("shot.png", b"MZ\x90\x00" * 100))
    assert response.status_code == 302
    assert not a.findings.exists()
    page = client.get(a.get_absolute_url()).content.decode()
    assert "不是可识别的图片" in page


def test_an_oversized_screenshot_is_refused(client, inspector, scoring, monkeypatch):
    from inspections import screenshots

    monkeypatch.setattr(screenshots, "MAX_BYTES", 100)
    client.force_login(inspector)
    add_finding(client, site(scoring), screenshots=SimpleUploadedFile("big.png", png_bytes((400, 400))))
    assert not site(scoring).findings.exists()


@pytest.mark.parametrize("limit", ["ours", "pillows"])
def test_a_decompression_bomb_is_refused_in_chinese(client, inspector, scoring, monkeypatch, limit):
    from PIL import Image

    from inspections import screenshots

    if limit == "ours":
        monkeypatch.setattr(screenshots, "MAX_PIXELS", 100)
    else:  # Pillow refuses to open more than twice its limit before we can look
        monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 50)
    client.force_login(inspector)
    a = site(scoring)
    response = add_finding(client, a, screenshots=SimpleUploadedFile("bomb.png", png_bytes((20, 10))))
    assert response.status_code == 302 and not a.findings.exists()
    assert "截图“bomb.png”的像素过多" in client.get(a.get_absolute_url()).content.decode()


def test_changing_the_pass_mark_rescores_the_open_checks(client, inspector, scoring, tree):
    from inspections.assessments import rescore_open_checks

    client.force_login(inspector)
    a = site(scoring)
    post_scores(client, a, tree, 发布解读="31", 办事服务="20", 互动交流="10", 功能设计="9")
    a.refresh_from_db()
    assert a.total == 70 and a.passed
    scheme = scoring.scheme
    scheme.pass_mark = 75
    scheme.save()
    rescore_open_checks(scheme)
    a.refresh_from_db()
    assert a.passed is False


def test_every_screenshot_is_checked_not_only_the_first(client, inspector, scoring):
    client.force_login(inspector)
    a = site(scoring)
    response = client.post(reverse("inspections:finding_add", args=[a.pk]), {
        "description": "栏目空白", "post_dates_text": "",
        "screenshots": [SimpleUploadedFile("a.png", png_bytes()),
                        SimpleUploadedFile("b.png", b"MZ\x90\x00" * 100)],
    })
    assert response.status_code == 302
    assert not a.findings.exists() and not Screenshot.objects.exists()


# A veto indicator's finding is the veto: every path that adds or withdraws one agrees.

def add_veto_finding(client, assessment, tree, name="首页不更新", text="首页自2月1日起未更新"):
    return client.post(reverse("inspections:finding_add", args=[assessment.pk]),
                       {"indicator": tree.by_name[name], "description": text, "post_dates_text": ""})


def test_a_veto_finding_added_with_the_form_fails_the_target(client, inspector, scoring, tree):
    from inspections.statistics import inspection_statistics

    client.force_login(inspector)
    a = site(scoring)
    post_scores(client, a, tree, 发布解读="31", 办事服务="21", 互动交流="20", 功能设计="20")
    a.refresh_from_db()
    assert (a.total, a.passed, a.version) == (D(92), True, 1)
    assert add_veto_finding(client, a, tree).status_code == 302
    a.refresh_from_db()
    assert (a.total, a.vetoed, a.passed, a.version) == (D(92), True, False, 2)
    assert a.findings.get().task.unit == a.unit  # it opened its rectification task
    stats = inspection_statistics(scoring)
    assert (stats.this_quarter.passed, stats.this_quarter.failed) == (0, 1)
    assert [(c.label, c.count) for c in stats.failure_causes] == [("首页不更新", 1)]
    page = client.get(a.get_absolute_url()).content.decode()
    assert "记为单项否决" in page and "首页自2月1日起未更新</textarea>" in page


def test_unticking_a_veto_added_with_the_form_withdraws_it(client, inspector, scoring, tree):
    client.force_login(inspector)
    a = site(scoring)
    post_scores(client, a, tree, 发布解读="31", 办事服务="21", 互动交流="20", 功能设计="20")
    add_veto_finding(client, a, tree)
    a.refresh_from_db()
    post_scores(client, a, tree, 发布解读="31", 办事服务="21", 互动交流="20", 功能设计="20")
    a.refresh_from_db()
    assert (a.vetoed, a.passed, a.total) == (False, True, D(92))
    assert not a.findings.exists()


def test_an_entry_page_loaded_before_the_veto_cannot_drop_it(client, inspector, scoring, tree):
    client.force_login(inspector)
    a = site(scoring)
    loaded = a.version
    add_veto_finding(client, a, tree)
    response = post_scores(client, a, tree, version=loaded, 发布解读="31")
    assert response.status_code == 409
    a.refresh_from_db()
    assert a.vetoed and a.passed is False and a.findings.filter(indicator__kind="veto").exists()


def test_a_veto_has_one_finding_and_other_findings_leave_the_verdict(client, inspector, scoring,
                                                                     tree):
    client.force_login(inspector)
    a = site(scoring)
    post_scores(client, a, tree, 发布解读="31", 办事服务="21", 互动交流="20", 功能设计="20")
    add_finding(client, a)  # no indicator: a problem, not a veto
    a.refresh_from_db()
    assert (a.passed, a.version) == (True, 1)
    add_veto_finding(client, a, tree)
    add_veto_finding(client, a, tree, text="又一条")
    assert a.findings.filter(indicator__kind="veto").count() == 1
    page = client.get(a.get_absolute_url()).content.decode()
    assert "“首页不更新”已记为单项否决，请在评分表中修改其问题描述。" in page


def test_an_import_row_restates_the_veto_of_a_form_finding(client, inspector, scoring, tree):
    import io as _io

    from common.testing import workbook_bytes
    from inspections.results_import import import_results

    client.force_login(inspector)
    a = site(scoring)
    add_veto_finding(client, a, tree)
    header = ["网站标识码", "发布解读", "办事服务", "互动交流", "功能设计", "单项否决"]
    row = [a.website.site_code, 31, 21, 20, 20, ""]
    import_results(_io.BytesIO(workbook_bytes({"政府网站": [header, row]})), year=2022, quarter=1)
    a.refresh_from_db()
    assert (a.vetoed, a.passed, a.total) == (False, True, D(92))
    assert not a.findings.exists()


# Scores and findings only while the check is being scored (评分中).

@pytest.fixture
def draft(draft_check):
    return draft_check


@pytest.mark.parametrize("username", ["admin", "inspector"])
def test_a_draft_takes_no_scores_and_no_findings(client, draft, username):
    client.force_login(User.objects.get(username=username))
    tree = SchemeTree.of(draft.scheme)
    a = site(draft)
    refusal = "尚未开始评分（草稿），请管理员在检查页面点击“开始评分”后再录入。"
    response = post_scores(client, a, tree, 发布解读="31")
    assert response.status_code == 403 and refusal in response.content.decode()
    assert 'value="31"' in response.content.decode()  # what was typed is still on the page
    matrix = client.post(reverse("inspections:matrix", args=[draft.pk]),
                         {f"cell-{a.pk}-{tree.by_name['发布解读']}": "31", f"version-{a.pk}": 0})
    assert matrix.status_code == 403 and refusal in matrix.content.decode()
    finding = add_veto_finding(client, a, tree)
    assert finding.status_code == 403 and refusal in finding.content.decode()
    a.refresh_from_db()
    assert not a.scores.exists() and not a.findings.exists() and not a.is_scored
    page = client.get(a.get_absolute_url()).content.decode()
    assert refusal in page and "添加问题" not in page


def test_scoring_starts_and_then_scores_are_taken(client, draft):
    from inspections import workflow

    client.force_login(User.objects.get(username="inspector"))
    workflow.start_scoring(draft)
    assert post_scores(client, site(draft), SchemeTree.of(draft.scheme), 发布解读="31").status_code == 302


def check_form_data(check, **changes):
    data = {"region": check.region_id, "year": check.year, "quarter": check.quarter,
            "target": check.target, "mode": check.mode, "window_start": check.window_start,
            "window_end": check.window_end, "scheme": check.scheme_id,
            "inspectors": list(check.inspectors.values_list("pk", flat=True)),
            "sample_seed": check.sample_seed or "", "rectification_days": check.rectification_days}
    return {**data, **changes}


def test_the_check_form_sets_the_default_rectification_deadline(client, office_admin, draft):
    client.force_login(office_admin)
    url = reverse("inspections:inspection_edit", args=[draft.pk])
    assert client.post(url, check_form_data(draft, rectification_days=15)).status_code == 302
    draft.refresh_from_db()
    assert draft.rectification_days == 15


def test_a_drafts_scheme_is_kept_once_it_has_scores_or_findings(client, office_admin, draft):
    from inspections.models import Finding, Scheme

    other = Scheme.objects.create(name="省级政府网站指标", target="websites")
    url = reverse("inspections:inspection_edit", args=[draft.pk])
    client.force_login(office_admin)
    Finding.objects.create(assessment=site(draft), description="栏目空白")  # from before this rule
    response = client.post(url, check_form_data(draft, scheme=other.pk))
    assert response.status_code == 200
    assert "本次检查已有评分或存在问题，不能更换指标体系" in response.content.decode()
    draft.refresh_from_db()
    assert draft.scheme.name != other.name
    Finding.objects.all().delete()
    assert client.post(url, check_form_data(draft, scheme=other.pk)).status_code == 302
    draft.refresh_from_db()
    assert draft.scheme == other


@pytest.mark.parametrize("version", ["", "abc", "-1"])
def test_a_missing_or_garbled_version_is_a_clear_400(client, inspector, scoring, tree, version):
    client.force_login(inspector)
    a = site(scoring)
    response = post_scores(client, a, tree, version=version, 发布解读="31")
    assert response.status_code == 400
    assert "页面缺少有效的版本号" in response.content.decode() and 'value="31"' in response.content.decode()
    matrix = client.post(reverse("inspections:matrix", args=[scoring.pk]),
                         {f"cell-{a.pk}-{tree.by_name['发布解读']}": "31", f"version-{a.pk}": version})
    assert matrix.status_code == 400 and "页面缺少有效的版本号" in matrix.content.decode()
    assert not a.scores.exists()


def test_not_applicable_on_the_entry_page_and_in_the_import_agree(client, inspector, scoring, tree):
    import io as _io

    from common.testing import workbook_bytes
    from inspections.results_import import import_results

    client.force_login(inspector)
    a = site(scoring)
    response = client.post(a.get_absolute_url(), {
        "version": 0, "save": "", f"na-{tree.by_name['办事服务']}": "on",
        **{f"points-{tree.by_name[name]}": value
           for name, value in {"发布解读": "31", "互动交流": "20", "功能设计": "20"}.items()}})
    assert response.status_code == 302
    other = site(scoring, "富宁县人民政府")
    header = ["网站标识码", "发布解读", "办事服务", "互动交流", "功能设计"]
    import_results(_io.BytesIO(workbook_bytes({"政府网站": [
        header, [other.website.site_code, 31, "不适用", 20, 20]]})), year=2022, quarter=1)
    a.refresh_from_db()
    other.refresh_from_db()
    assert a.total == other.total == D("94.67")
    assert a.not_applicable == other.not_applicable == [tree.by_name["办事服务"]]
