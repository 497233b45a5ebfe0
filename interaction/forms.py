from django import forms
from django.utils import timezone

from common.forms import DateInput, ScopedModelForm
from inspections.choices import QUARTERS
from sites.models import Region

from .models import Channel, Message, manages_shared_channels


class ChannelForm(ScopedModelForm):
    class Meta:
        model = Channel
        fields = ["name", "kind", "reply_days", "website", "region"]

    def clean(self):
        cleaned = super().clean()
        shared = not cleaned.get("region") and not cleaned.get("website")
        if shared and not manages_shared_channels(self.user):
            self.add_error("region", "请选择所属地区：各地区共用的渠道只能由全辖区的管理员设置。")
        return cleaned


class MessageForm(ScopedModelForm):
    class Meta:
        model = Message
        fields = ["channel", "external_id", "unit", "received_at", "replied_at", "status", "note"]
        widgets = {"received_at": DateInput(), "replied_at": DateInput()}


class StatisticsForm(forms.Form):
    """The quarter (and optionally the region) of the statistics page."""

    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(label="季度", choices=QUARTERS, coerce=int)
    region = forms.ModelChoiceField(Region.objects.none(), required=False, label="地区",
                                    empty_label="全部")

    def __init__(self, data, *, user):
        today = timezone.localdate()
        initial = {"year": today.year, "quarter": (today.month - 1) // 3 + 1}
        super().__init__({**initial, **data.dict()})
        self.fields["region"].queryset = Region.objects.visible_to(user)
