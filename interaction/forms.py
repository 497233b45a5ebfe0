from django import forms

from common.forms import DateInput, ScopedModelForm

from .models import Channel, HolidayOverride, Message, runs_the_portal


class ChannelForm(ScopedModelForm):
    class Meta:
        model = Channel
        fields = ["name", "kind", "reply_days", "website", "region"]

    def clean(self):
        cleaned = super().clean()
        shared = not cleaned.get("region") and not cleaned.get("website")
        if shared and not runs_the_portal(self.user):
            self.add_error("region", "请选择所属地区：各地区共用的渠道只能由全辖区的管理员设置。")
        return cleaned


class MessageForm(ScopedModelForm):
    class Meta:
        model = Message
        fields = ["channel", "external_id", "unit", "received_at", "replied_at", "status", "note"]
        widgets = {"received_at": DateInput(), "replied_at": DateInput()}


class HolidayOverrideForm(ScopedModelForm):
    class Meta:
        model = HolidayOverride
        fields = ["day", "is_working_day", "note"]
        widgets = {"day": DateInput(), "is_working_day": forms.RadioSelect}


class HolidayYearForm(forms.Form):
    """The year of a 确认…节假日安排已录入完毕 button."""

    year = forms.IntegerField(min_value=2000, max_value=2100)
