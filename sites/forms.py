from django import forms
from django.contrib.auth.forms import SetPasswordMixin, UsernameField

from common.forms import DateInput, ScopedModelForm

from . import users
from .models import Region, Unit, User, Website


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


class UserForm(SetPasswordMixin, ScopedModelForm):
    """A user of the admin's scope: one of the four roles, one region or one unit within the
    admin's scope, and a password (required for a new user, left empty to keep it)."""

    role = forms.ModelChoiceField(label="角色", queryset=users.role_groups())
    password1, password2 = SetPasswordMixin.create_password_fields("密码", "确认密码")

    class Meta:
        model = User
        fields = ["username", "last_name", "first_name", "email", "phone", "role", "region",
                  "unit", "is_active"]
        field_classes = {"username": UsernameField}
        labels = {"last_name": "姓", "first_name": "名", "email": "邮箱", "is_active": "启用"}
        help_texts = {
            "region": "与所属单位二选一：用户可查看该地区及其下级地区的全部数据。",
            "unit": "与所属地区二选一：用户只能查看本单位及其下级单位的数据。",
            "is_active": "停用后该用户不能登录，其记录保留。",
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["region"].queryset = users.assignable_regions(user)
        self.fields["unit"].queryset = users.assignable_units(user)
        if self.instance.pk:
            self.initial.setdefault("role", users.role_of(self.instance))
            for name in ("password1", "password2"):
                self.fields[name].required = False
            self.fields["password1"].help_text = "留空则不修改密码。"

    def clean_username(self):
        username = self.cleaned_data["username"]
        taken = User.objects.filter(username__iexact=username).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError("该用户名已被使用（不区分大小写）。")
        return username

    def clean(self):
        data = super().clean()
        self.validate_passwords()
        if bool(data.get("password1")) != bool(data.get("password2")):
            self.add_error("password2", "请将新密码输入两次。")
        place_ok = not (self.has_error("region") or self.has_error("unit"))
        if place_ok and bool(data.get("region")) == bool(data.get("unit")):
            self.add_error("region", "请选择所属地区或所属单位，且只选其一。")
        # A refused choice is missing from `data` and would read as a change of role or place.
        if not any(self.has_error(name) for name in ("is_active", "role", "region", "unit")):
            errors = users.lockout_errors(
                self.user, self.instance, is_active=data["is_active"], role=data["role"],
                region=data.get("region"), unit=data.get("unit"),
            )
            for name, message in errors.items():
                self.add_error(name, message)
        return data

    def _post_clean(self):
        super()._post_clean()
        # After the instance holds the new username and names, which the validators compare.
        self.validate_password_for_user(self.instance, "password1")

    def save(self, commit=True):
        if self.cleaned_data.get("password1"):
            self.instance.set_password(self.cleaned_data["password1"])
        return super().save(commit)

    def _save_m2m(self):
        super()._save_m2m()
        self.instance.groups.set([self.cleaned_data["role"]])
