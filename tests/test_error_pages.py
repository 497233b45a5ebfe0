"""The portal's own 403 and 404 pages: a refusal says why, in Chinese, inside the portal's frame."""

from django.urls import reverse

from sites.models import Website


def test_a_refusal_shows_its_reason(client, liaison):
    client.force_login(liaison)
    response = client.get(reverse("reports:circular_add"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "无权操作" in page and "退出" in page  # the portal's frame, signed in


def test_a_refusal_with_a_message_shows_the_message(rf, liaison):
    from django.core.exceptions import PermissionDenied
    from django.views.defaults import permission_denied

    request = rf.get("/")
    request.user = liaison
    page = permission_denied(request, PermissionDenied("只有管理员可以调整整改期限。")).content.decode()
    assert "只有管理员可以调整整改期限。" in page


def test_an_object_outside_the_scope_is_not_found_in_chinese(client, other_liaison):
    client.force_login(other_liaison)
    site = Website.objects.get(name="丘北县人民政府")
    response = client.get(site.get_absolute_url())
    assert response.status_code == 404
    assert "不在您的可见范围内" in response.content.decode()
