from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.views.generic import TemplateView

from common.imports import WorkbookImportView
from common.todo import todos_for
from common.views import (
    ObjectCreateView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    RelatedTable,
)
from newmedia.models import Account
from newmedia.tables import AccountTable

from . import filtersets, forms, tables, users
from .dashboard import directory_counts
from .directory_import import import_directory
from .directory_import import template as directory_template
from .models import Region, Unit, User, Website


class HomeView(TemplateView):
    template_name = "sites/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["counts"] = directory_counts(self.request.user)
        context["todos"] = todos_for(self.request.user)
        return context


# Regions

class RegionListView(ObjectListView):
    queryset = tables.RegionTable.annotate(Region.objects.select_related("parent"))
    table_class = tables.RegionTable
    filterset_class = filtersets.RegionFilterSet
    title = "地区"
    export_stem = "地区"
    add_permission = "sites.add_region"
    add_url_name = "sites:region_add"


class RegionView(ObjectDetailView):
    queryset = Region.objects.select_related("parent")
    template_name = "sites/region_detail.html"
    detail_fields = ["name", "code", "level", "parent"]
    list_url_name = "sites:region_list"
    edit_permission = "sites.change_region"
    edit_url_name = "sites:region_edit"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        region = self.object
        context["children"] = region.children.visible_to(user)
        # The whole subtree, as the unit list's region filter shows it.
        units = Unit.objects.within(region).visible_to(user).select_related("region", "parent")
        context["units"] = RelatedTable.of(
            self.request, "主办单位（含下级地区）", tables.UnitTable, tables.UnitTable.annotate(units),
            list_url_name="sites:unit_list", list_filter={"region": region.pk}, prefix="u-",
            empty_text="该地区暂无主办单位。",
        )
        return context


class RegionCreateView(ObjectCreateView):
    model = Region
    form_class = forms.RegionForm
    permission_required = "sites.add_region"


class RegionEditView(ObjectEditView):
    queryset = Region.objects.all()
    form_class = forms.RegionForm
    permission_required = "sites.change_region"


# Units

class UnitListView(ObjectListView):
    queryset = tables.UnitTable.annotate(Unit.objects.select_related("region", "parent"))
    table_class = tables.UnitTable
    filterset_class = filtersets.UnitFilterSet
    title = "主办单位"
    export_stem = "主办单位"
    add_permission = "sites.add_unit"
    add_url_name = "sites:unit_add"


class UnitView(ObjectDetailView):
    queryset = Unit.objects.select_related("region", "parent")
    template_name = "sites/unit_detail.html"
    detail_fields = ["name", "region", "parent"]
    list_url_name = "sites:unit_list"
    edit_permission = "sites.change_unit"
    edit_url_name = "sites:unit_edit"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        unit, request = self.object, self.request
        context["websites"] = RelatedTable.of(
            request, "政府网站", tables.WebsiteTable,
            Website.objects.filter(unit=unit).visible_to(user).select_related("unit__region"),
            list_url_name="sites:website_list", list_filter={"unit": unit.pk}, prefix="w-",
            exclude=("region", "unit"), empty_text="该单位没有登记政府网站。",
        )
        context["accounts"] = RelatedTable.of(
            request, "政务新媒体", AccountTable,
            Account.objects.filter(unit=unit).visible_to(user).select_related("unit__region"),
            list_url_name="newmedia:account_list", list_filter={"unit": unit.pk}, prefix="a-",
            exclude=("region", "unit"), empty_text="该单位没有登记政务新媒体账号。",
        )
        return context


class UnitCreateView(ObjectCreateView):
    model = Unit
    form_class = forms.UnitForm
    permission_required = "sites.add_unit"


class UnitEditView(ObjectEditView):
    queryset = Unit.objects.all()
    form_class = forms.UnitForm
    permission_required = "sites.change_unit"


# Websites

class WebsiteListView(ObjectListView):
    queryset = Website.objects.select_related("unit__region")
    table_class = tables.WebsiteTable
    filterset_class = filtersets.WebsiteFilterSet
    title = "政府网站"
    export_stem = "政府网站"
    add_permission = "sites.add_website"
    add_url_name = "sites:website_add"


class WebsiteView(ObjectDetailView):
    queryset = Website.objects.select_related("unit__region")
    template_name = "sites/website_detail.html"
    detail_fields = ["site_code", "name", "url", "kind", "unit", "status", "opened_on", "closed_on"]
    list_url_name = "sites:website_list"
    edit_permission = "sites.change_website"
    edit_url_name = "sites:website_edit"


class WebsiteCreateView(ObjectCreateView):
    model = Website
    form_class = forms.WebsiteForm
    permission_required = "sites.add_website"


class WebsiteEditView(ObjectEditView):
    queryset = Website.objects.all()
    form_class = forms.WebsiteForm
    permission_required = "sites.change_website"


# Users: office admins manage the people of their scope here; the Django admin is for
# system administrators (superusers) only.

USERS = User.objects.select_related("region", "unit").prefetch_related("groups")


class UserListView(PermissionRequiredMixin, ObjectListView):
    queryset = tables.UserTable.annotate(USERS)
    table_class = tables.UserTable
    filterset_class = filtersets.UserFilterSet
    permission_required = "sites.view_user"
    raise_exception = True
    title = "用户"
    export_stem = "用户"
    add_permission = "sites.add_user"
    add_url_name = "sites:user_add"


class UserView(PermissionRequiredMixin, ObjectDetailView):
    queryset = USERS
    permission_required = "sites.view_user"
    raise_exception = True
    detail_fields = ["username", "email", "phone", "region", "unit", "is_active", "last_login",
                     "date_joined"]
    list_url_name = "sites:user_list"
    edit_url_name = "sites:user_edit"
    show_history = False  # users keep no history of their own
    labels = {"email": "邮箱", "is_active": "启用", "last_login": "最近登录"}  # as in the list

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for name, row in zip(self.detail_fields, context["detail_fields"], strict=True):
            row["label"] = self.labels.get(name, row["label"])
        role = users.role_of(self.object)
        context["detail_fields"][1:1] = [
            {"label": "姓名", "value": self.object.get_full_name()},
            {"label": "角色", "value": role.name if role else None},
        ]
        context["can_edit"] = users.can_edit(self.request.user, self.object)
        return context


class UserFormMixin:
    form_class = forms.UserForm

    @transaction.atomic
    def form_valid(self, form):
        response = super().form_valid(form)
        if form.cleaned_data.get("password1") and self.object.pk == self.request.user.pk:
            update_session_auth_hash(self.request, self.object)  # stay signed in
        return response


class UserCreateView(UserFormMixin, ObjectCreateView):
    model = User
    permission_required = "sites.add_user"


class UserEditView(UserFormMixin, ObjectEditView):
    queryset = USERS
    permission_required = "sites.change_user"

    def get_object(self, queryset=None):
        target = super().get_object(queryset)
        if not users.can_edit(self.request.user, target):
            raise PermissionDenied("超级管理员只能由系统管理员修改。")
        return target


# Directory import

class DirectoryImportView(WorkbookImportView):
    permission_required = ("sites.add_website", "newmedia.add_account", "sites.add_region")
    title = "名录导入"
    template_filename = "名录导入模板.xlsx"
    help_template = "sites/directory_import_help.html"

    def run_import(self, upload):
        return import_directory(upload, size=upload.size, user=self.request.user)

    def template_bytes(self) -> bytes:
        return directory_template()
