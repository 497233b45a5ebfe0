"""The home page's 待办 from the citizen messages: those past their deadline without a reply."""

import datetime

from django.urls import reverse

from common.todo import todos_for
from interaction.models import Message


def late(user):
    return {t.label: t for t in todos_for(user)}.get("逾期未回复的留言")


def test_unreplied_messages_past_their_deadline_are_named(demo_messages, liaison, office_admin):
    today = datetime.date.today()
    mine = Message.objects.visible_to(liaison)
    expected = mine.filter(replied_at__isnull=True, deadline__lt=today).count()
    assert expected and late(liaison).count == expected and late(liaison).urgent
    assert late(office_admin).count > expected  # the whole 州
    listed = reverse("interaction:message_list") + "?unreplied=true&overdue=yes"
    assert late(liaison).url == listed


def test_the_list_the_todo_links_to_holds_the_same_messages(client, demo_messages, liaison):
    client.force_login(liaison)
    response = client.get(late(liaison).url)
    assert response.status_code == 200
    assert response.context["table"].paginator.count == late(liaison).count
