"""What the circulars have waiting for a user (common.todo): those to acknowledge (签收)."""

from __future__ import annotations

from django.urls import reverse

from common.todo import Todo

from .addressees import circulars_to_sign


def todos(user) -> list[Todo]:
    if not user.has_perm("reports.add_receipt"):
        return []
    return [Todo("待签收的通报", circulars_to_sign(user).count(),
                 f"{reverse('reports:circular_list')}?to_sign=true", "阅知后点击“签收”")]
