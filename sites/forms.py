from django import forms

from common.forms import DateInput, ScopedModelForm

from .models import Region, Unit, Website


class RegionForm(ScopedModelForm):
    class Meta:
        model = Region
        fields = ["name", "code", "parent", "level"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.user.is_superuser:
            # Only a superuser may add another top region: an office oversees one tree.
            self.fields["parent"].required = True


class UnitForm(ScopedModelForm):
    class Meta:
        model = Unit
        fields = ["name", "region", "parent"]


class WebsiteForm(ScopedModelForm):
    # Many government sites still answer on plain http; offices type the address without it.
    url = forms.URLField(label="首页网址", max_length=500, assume_scheme="http")

    class Meta:
        model = Website
        fields = ["site_code", "name", "url", "kind", "unit", "status", "opened_on", "closed_on"]
        widgets = {"opened_on": DateInput(), "closed_on": DateInput()}
