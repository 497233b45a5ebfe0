"""What the citizen messages have waiting for a user (common.todo): the messages in their
scope still without a reply after their deadline."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from common.todo import Todo

from .models import Message


def todos(user) -> list[Todo]:
    if not user.has_perm("interaction.view_message"):
        return []
    today = timezone.localdate()
    late = Message.objects.visible_to(user).filter(replied_at__isnull=True, deadline__lt=today)
    return [Todo("逾期未回复的留言", late.count(),
                 f"{reverse('interaction:message_list')}?unreplied=true&overdue=yes",
                 "已过办理期限，尚未回复", urgent=True)]
