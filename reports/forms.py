from django import forms

from common.forms import DateInput
from inspections.choices import QUARTERS

from .choices import AnnexKind
from .models import Circular, OfficeProfile

STALE = "保存失败：其他人已修改了这份通报。您填写的内容仍在页面上，请刷新页面核对后再保存。"


class CircularCreateForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2015, max_value=2100)
    quarter = forms.TypedChoiceField(label="季度", choices=QUARTERS, coerce=int)


class CircularForm(forms.ModelForm):
    annexes = forms.MultipleChoiceField(
        label="附件", choices=AnnexKind.choices, required=False,
        widget=forms.CheckboxSelectMultiple, help_text="按勾选顺序编号；没有数据的附件不会出现",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Circular
        fields = [
            "title", "doc_prefix", "doc_year", "doc_number", "addressees", "opening", "overview",
            "achievements", "problems", "requirements", "annexes", "average_decimals",
            "previous_average_decimals", "signer", "date", "contact", "cc", "printer", "print_date",
        ]
        widgets = {
            "date": DateInput(), "print_date": DateInput(),
            **{name: forms.Textarea(attrs={"rows": rows}) for name, rows in (
                ("opening", 3), ("overview", 8), ("achievements", 4), ("problems", 6),
                ("requirements", 6), ("cc", 2))},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version

    def clean(self):
        data = super().clean()
        taken = Circular.objects.filter(
            doc_prefix=data.get("doc_prefix"), doc_year=data.get("doc_year"),
            doc_number=data.get("doc_number"),
        ).exclude(pk=self.instance.pk)
        if taken.exists():
            self.add_error("doc_number", f"发文字号已被使用，下一个可用序号为 "
                           f"{Circular.next_number(data['doc_prefix'], data['doc_year'])}。")
        return data


class OfficeProfileForm(forms.ModelForm):
    class Meta:
        model = OfficeProfile
        fields = ["office_name", "doc_prefix", "addressees", "contact", "cc", "printer",
                  "requirements"]
        widgets = {"cc": forms.Textarea(attrs={"rows": 2}),
                   "requirements": forms.Textarea(attrs={"rows": 6})}
