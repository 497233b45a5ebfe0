import django_tables2 as tables
from django.db.models import Count
from django.utils import timezone

from common.scope import scope_q
from common.tables import DateColumn

from .models import Channel, Message


class MessageTable(tables.Table):
    external_id = tables.Column(linkify=True)
    channel = tables.Column(order_by="channel__name")
    unit = tables.Column(order_by="unit__name")
    region = tables.Column("所属地区", accessor="unit__region__name", order_by="unit__region__path")
    received_at = DateColumn()
    deadline = DateColumn()
    replied_at = DateColumn()
    state = tables.Column("办理状态", empty_values=(), order_by="status")

    class Meta:
        model = Message
        fields = ["channel", "external_id", "unit", "region", "received_at", "deadline",
                  "replied_at", "state"]
        order_by = "-received_at"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = timezone.localdate()

    def render_state(self, record: Message) -> str:
        return record.state_label(self.today)


class ChannelTable(tables.Table):
    name = tables.Column(linkify=True)
    reply_days = tables.Column(attrs={"td": {"class": "num"}})
    website = tables.Column(order_by="website__name")
    region = tables.Column(order_by="region__path")
    message_count = tables.Column("留言数（本辖区）", attrs={"td": {"class": "num"}})

    class Meta:
        model = Channel
        fields = ["name", "kind", "reply_days", "website", "region", "message_count"]

    @staticmethod
    def annotate(queryset, user):
        """Count only the messages the user may see: shared channels serve every region."""
        visible = scope_q(user, "messages__unit__region__", "messages__unit__")
        return queryset.annotate(
            message_count=Count("messages", filter=visible or None)
        ).order_by("kind", "name")
