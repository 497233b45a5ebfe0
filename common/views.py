"""The generic views every app declares its pages with: list (table + filters + export),
detail (with history), create/edit. Scope is applied here, once, for all of them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404
from django.urls import reverse
from django.utils.http import urlencode
from django.views.generic import CreateView, DetailView, UpdateView
from django_filters.views import FilterView
from django_tables2 import RequestConfig, Table
from django_tables2.views import SingleTableMixin

from .export import EXPORT_FORMATS, export_response
from .history import history_rows


class ScopedQuerysetMixin:
    """Limits the view's queryset to what the requesting user may see (404 otherwise)."""

    queryset = None

    def get_queryset(self):
        if self.queryset is None:
            raise ImproperlyConfigured(f"{type(self).__name__} needs a queryset.")
        return self.queryset.all().visible_to(self.request.user)


class ObjectListView(ScopedQuerysetMixin, SingleTableMixin, FilterView):
    """A list page: a django-tables2 table, a django-filter form, and `?export=xlsx|csv`
    that downloads every filtered row (not only the page) with the table's columns."""

    template_name = "common/object_list.html"
    paginate_by = 50
    export_stem = "导出"
    add_permission: str | None = None
    add_url_name: str | None = None
    title = ""
    filterset_strict = True

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("export")
        if fmt in EXPORT_FORMATS:
            return self.export(fmt)
        return super().get(request, *args, **kwargs)

    def export(self, fmt: str):
        filterset = self.get_filterset(self.get_filterset_class())
        if not filterset.is_valid():
            # A filter naming a region or unit outside the user's scope is not found.
            raise Http404("筛选条件无效")
        rows = filterset.qs
        table = self.table_class(rows, request=self.request)
        RequestConfig(self.request, paginate=False).configure(table)
        return export_response(fmt, self.export_stem, self.title, table.as_values())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["title"] = self.title
        context["can_add"] = bool(self.add_permission and user.has_perm(self.add_permission))
        context["add_url_name"] = self.add_url_name
        query = self.request.GET.copy()
        query.pop("page", None)
        context["export_query"] = query.urlencode()
        return context


class ObjectDetailView(ScopedQuerysetMixin, DetailView):
    """A detail page; an object outside the user's scope is simply not found."""

    template_name = "common/object_detail.html"
    detail_fields: list[str] = []
    list_url_name = ""
    edit_permission: str | None = None
    edit_url_name: str | None = None
    show_history = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["detail_fields"] = [field_display(self.object, name) for name in self.detail_fields]
        context["list_url_name"] = self.list_url_name
        context["object_verbose_name"] = self.object._meta.verbose_name
        context["can_edit"] = bool(self.edit_permission and user.has_perm(self.edit_permission))
        context["edit_url_name"] = self.edit_url_name
        if self.show_history:
            context["history"] = history_rows(self.object)
        return context


@dataclass
class RelatedTable:
    """Rows related to a detail page's object (a unit's websites, say): a page of them in
    the list's own table, and the link to the same rows in the list with its downloads."""

    title: str
    table: Table
    list_url: str

    @classmethod
    def of(cls, request, title: str, table_class: type[Table], rows, *, list_url_name: str,
           list_filter: dict, prefix: str, empty_text: str, exclude=(), per_page: int = 20):
        """`rows` must already be scoped; `list_filter` is the list's query for the same rows."""
        table = table_class(rows, prefix=prefix, exclude=exclude, empty_text=empty_text)
        RequestConfig(request, paginate={"per_page": per_page}).configure(table)
        return cls(title, table, f"{reverse(list_url_name)}?{urlencode(list_filter)}")


def field_display(obj, name: str) -> dict:
    """A model field as the detail page shows it: label, readable value, link if related."""
    field = obj._meta.get_field(name)
    value = getattr(obj, name)
    url = None
    if field.is_relation and value is not None:
        url = value.get_absolute_url()
    elif field.choices:
        value = getattr(obj, f"get_{name}_display")()
    elif isinstance(value, bool):
        value = "是" if value else "否"
    elif isinstance(value, Decimal):
        value = f"{value.normalize():f}"
    return {"label": field.verbose_name, "value": value, "url": url}


class ObjectEditMixin(PermissionRequiredMixin):
    """Create and edit forms: need the model permission (403 otherwise); the form limits
    its choices to the user's scope."""

    template_name = "common/object_form.html"
    raise_exception = True

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, f"已保存：{self.object}")
        return response


class ObjectCreateView(ObjectEditMixin, CreateView):
    pass


class ObjectEditView(ObjectEditMixin, ScopedQuerysetMixin, UpdateView):
    pass
