"""公文处理笺: how an addressed region handled an issued circular. Its liaison records the
拟办意见, the 领导批示 and the 办理结果 and prints them as a one-page sheet; the office sees
every region's stage.

Scope: the region whose sheet a liaison records is always the one through which they receive
the circular (issuing.addressed_region), never a value from the request. A sheet is read by that
region's users and by office staff whose scope holds the region; everyone else gets 404.
"""

from __future__ import annotations

import datetime
import logging
from typing import NamedTuple

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import path
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views import View
from weasyprint import HTML

from common.forms import DateInput
from sites.models import Region

from .choices import CircularStatus
from .issuing import addressed_region
from .models import Circular, Handling
from .renderers.html import stylesheet
from .renderers.pdf import captured_warnings

logger = logging.getLogger(__name__)

STALE = ("保存失败：其他人刚刚修改了这份处理笺。您填写的内容仍在页面上，"
         "请在新窗口中打开本页核对后再保存。")
SHEET_CSS = "reports/handling.css"
# Body sizes the sheet is tried in, largest first, until it fits one page: 4号, 小4号, 5号, 小5号.
FIT_SIZES_PT = (14, 12, 10.5, 9)


def _day(value: datetime.date) -> str:
    """Dates on the sheet in Arabic numerals without padding, as in a 公文: 2022年1月12日."""
    return f"{value.year}年{value.month}月{value.day}日"


# Forms ------------------------------------------------------------------------------------------

class HandlingForm(forms.ModelForm):
    loaded = forms.CharField(widget=forms.HiddenInput, required=False)  # refuses a stale save

    class Meta:
        model = Handling
        fields = ["received_on", "proposal", "proposed_by", "proposed_on", "result", "finished_on"]
        widgets = {
            "received_on": DateInput(), "proposed_on": DateInput(), "finished_on": DateInput(),
            "proposal": forms.Textarea(attrs={"rows": 4}),
            "result": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "received_on": "本地区收到这份通报的日期",
            "proposal": "办公室对如何办理的意见，如：呈县政府分管领导阅示，转县政务服务局办理。",
            "result": "落实情况，如：已组织整改，问题已全部整改到位。",
        }

    def __init__(self, *args, circular: Circular, **kwargs):
        super().__init__(*args, **kwargs)
        self.circular = circular
        self.fields["loaded"].initial = _stamp(self.instance if self.instance.pk else None)

    def clean(self):
        data = super().clean()
        _check_day(self, "received_on", data.get("received_on"), None)
        if data.get("received_on") and data["received_on"] < self.circular.date:
            self.add_error("received_on", f"收文日期不能早于通报的成文日期（{_day(self.circular.date)}）。")
        # The other dates are checked against the 收文日期 only when it is itself right.
        for name in ("proposed_on", "finished_on"):
            _check_day(self, name, data.get(name), data.get("received_on"))
        if data.get("proposal"):
            for name, label in (("proposed_by", "拟办人"), ("proposed_on", "拟办日期")):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, f"填写了拟办意见，请同时填写{label}。")
        elif data.get("proposed_by") or data.get("proposed_on"):
            self.add_error("proposal", "请填写拟办意见（或清空拟办人和拟办日期）。")
        if data.get("result") and not data.get("finished_on") and "finished_on" not in self.errors:
            self.add_error("finished_on", "填写了办理结果，请同时填写办结日期。")
        elif data.get("finished_on") and not data.get("result"):
            self.add_error("result", "填写了办结日期，请同时填写办理结果。")
        return data


def _check_day(form: forms.Form, name: str, value: datetime.date | None,
               received_on: datetime.date | None) -> None:
    """A date on the sheet lies between the receipt of the circular and today."""
    if value is None:
        return
    if value > timezone.localdate():
        form.add_error(name, "日期不能晚于今天。")
    elif received_on and value < received_on:
        form.add_error(name, f"不能早于收文日期（{_day(received_on)}）。")


class InstructionForm(forms.Form):
    """One 领导批示. A row left blank is ignored, so clearing a row removes it."""

    leader = forms.CharField(label="批示领导", max_length=50, required=False,
                             widget=forms.TextInput(attrs={"aria-label": "批示领导", "size": 8}))
    date = forms.DateField(label="批示日期", required=False,
                           widget=DateInput(attrs={"aria-label": "批示日期"}))
    text = forms.CharField(label="批示内容", required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"aria-label": "批示内容", "rows": 2,
                                                        "cols": 50}))

    def __init__(self, *args, received_on: datetime.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.received_on = received_on

    def clean(self):
        data = super().clean()
        if any(data.get(name) for name in ("leader", "date", "text")):
            for name, message in (("leader", "请填写批示领导的姓名。"), ("date", "请填写批示日期。"),
                                  ("text", "请填写批示内容。")):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, message)
        _check_day(self, "date", data.get("date"), self.received_on)
        return data


class BaseInstructionFormSet(forms.BaseFormSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Two blank rows on a new sheet (most circulars get two instructions), one afterwards.
        self.extra = 1 if self.initial else 2

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["DELETE"].widget.attrs["aria-label"] = "删除这条批示"

    def entries(self) -> list[dict]:
        """The instructions as Handling.instructions stores them, in the order entered."""
        return [
            {"leader": form.cleaned_data["leader"], "date": form.cleaned_data["date"].isoformat(),
             "text": form.cleaned_data["text"]}
            for form in self.forms
            if form.cleaned_data.get("text") and not self._should_delete_form(form)
        ]


InstructionFormSet = forms.formset_factory(InstructionForm, BaseInstructionFormSet, can_delete=True,
                                           max_num=20, validate_max=True)


def _stamp(handling: Handling | None) -> str:
    return handling.updated_at.isoformat() if handling else ""


# The sheet --------------------------------------------------------------------------------------

class Instruction(NamedTuple):
    leader: str
    date: datetime.date | None
    text: str


def instructions_of(handling: Handling) -> list[Instruction]:
    """The stored 领导批示 with their dates as dates (an unreadable date is left blank)."""
    def day(value):
        try:
            return datetime.date.fromisoformat(value)
        except (TypeError, ValueError):
            return None

    return [Instruction(item.get("leader", ""), day(item.get("date")), item.get("text", ""))
            for item in handling.instructions or []]


def sheet_context(handling: Handling) -> dict:
    return {"handling": handling, "circular": handling.circular, "region": handling.region,
            "instructions": instructions_of(handling)}


def render_sheet_pdf(handling: Handling) -> bytes:
    """The sheet on one A4 page: tried at smaller body sizes until it fits. Text too long for one
    page even at the smallest size runs onto a second page rather than being cut."""
    context = {**sheet_context(handling), "standalone": True, "css": stylesheet(SHEET_CSS)}
    with captured_warnings() as warnings:
        for size in FIT_SIZES_PT:
            html = render_to_string("reports/handling_sheet.html", {**context, "size": size})
            document = HTML(string=html).render()
            if len(document.pages) == 1:
                break
        pdf = document.write_pdf()
    if warnings:
        logger.warning("公文处理笺 %s: %d font warnings, first: %s", handling, len(warnings),
                       warnings[0])
    return pdf


# Access -----------------------------------------------------------------------------------------

def issued_circular(user, pk: int) -> Circular:
    """An issued circular the user may see; 404 otherwise (a draft has no handling)."""
    circulars = Circular.objects.visible_to(user).filter(status=CircularStatus.ISSUED)
    return get_object_or_404(circulars.select_related("region"), pk=pk)


def readable_regions(circular: Circular, user):
    """The addressed regions whose sheets the user may read: their own, and any in their scope."""
    own = addressed_region(circular, user)
    in_scope = Q(pk__in=Region.objects.visible_to(user).values("pk"))
    return circular.addressed_regions().filter(in_scope | Q(pk__in=[own.pk] if own else []))


def handling_for(circular: Circular, region: Region) -> Handling:
    """The region's record, or a blank one (not saved) when it has recorded nothing yet."""
    handling = Handling.objects.filter(circular=circular, region=region).first()
    return handling or Handling(circular=circular, region=region)


def _readable_handling(request, pk: int, region: int) -> Handling:
    circular = issued_circular(request.user, pk)
    return handling_for(circular, get_object_or_404(readable_regions(circular, request.user),
                                                    pk=region))


# Views ------------------------------------------------------------------------------------------

class HandlingView(PermissionRequiredMixin, View):
    """The liaison's form for their own region's sheet."""

    permission_required = ("reports.add_handling", "reports.change_handling")
    raise_exception = True
    template_name = "reports/handling_form.html"

    def own_handling(self) -> Handling:
        self.circular = issued_circular(self.request.user, self.kwargs["pk"])
        region = addressed_region(self.circular, self.request.user)
        if region is None:
            raise Http404("该通报不是发给您所在地区的。")
        return handling_for(self.circular, region)

    def get(self, request, pk: int):
        handling = self.own_handling()
        initial = {}
        if handling.pk is None:  # a new sheet: received on the day the region signed for it
            receipt = self.circular.receipts.filter(region=handling.region).first()
            initial["received_on"] = receipt and timezone.localdate(receipt.received_at)
        form = HandlingForm(instance=handling, initial=initial, circular=self.circular)
        formset = InstructionFormSet(initial=[i._asdict() for i in instructions_of(handling)],
                                     prefix="instructions")
        return self.show(handling, form, formset)

    def post(self, request, pk: int):
        handling = self.own_handling()
        form = HandlingForm(request.POST, instance=handling, circular=self.circular)
        form_valid = form.is_valid()
        # Each instruction's date is checked against the 收文日期 as entered (when it is valid).
        formset = InstructionFormSet(request.POST, prefix="instructions", form_kwargs={
            "received_on": form.cleaned_data.get("received_on")})
        if form_valid and formset.is_valid() and self.save(form, formset):
            messages.success(request, "处理笺已保存。")
            return redirect("reports:handling_sheet", self.circular.pk, handling.region_id)
        return self.show(handling, form, formset)

    def save(self, form: HandlingForm, formset: BaseInstructionFormSet) -> bool:
        handling = form.instance
        try:
            with transaction.atomic():
                current = (Handling.objects.select_for_update()
                           .filter(circular=handling.circular, region=handling.region).first())
                if _stamp(current) != form.cleaned_data["loaded"]:
                    form.add_error(None, STALE)
                    return False
                handling = form.save(commit=False)
                handling.instructions = formset.entries()
                handling.updated_by = self.request.user
                handling.save()
        except IntegrityError:  # another save created the record between our check and ours
            form.add_error(None, STALE)
            return False
        return True

    def show(self, handling: Handling, form, formset):
        return render(self.request, self.template_name, {
            "circular": self.circular, "handling": handling, "form": form, "formset": formset,
        })


class HandlingSheetView(PermissionRequiredMixin, View):
    """The sheet as a page, to read and to print from the browser."""

    permission_required = "reports.view_handling"
    raise_exception = True

    def get(self, request, pk: int, region: int):
        handling = _readable_handling(request, pk, region)
        own = addressed_region(handling.circular, request.user)
        return render(request, "reports/handling_detail.html", {
            **sheet_context(handling), "size": FIT_SIZES_PT[0],
            "can_edit": own == handling.region and request.user.has_perm("reports.change_handling"),
        })


class HandlingPrintView(PermissionRequiredMixin, View):
    """The sheet as a one-page PDF."""

    permission_required = "reports.view_handling"
    raise_exception = True

    def get(self, request, pk: int, region: int):
        handling = _readable_handling(request, pk, region)
        name = f"公文处理笺-{handling.region}-{handling.circular.doc_number_text}.pdf"
        response = HttpResponse(render_sheet_pdf(handling), content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(False, name)
        return response


class HandlingOverviewView(PermissionRequiredMixin, View):
    """Each addressed region in the user's scope: its 签收 and the stage of its handling."""

    permission_required = "reports.view_handling"
    raise_exception = True

    def get(self, request, pk: int):
        circular = issued_circular(request.user, pk)
        regions = list(readable_regions(circular, request.user))
        receipts = {r.region_id: r for r in circular.receipts.filter(region__in=regions)
                    .select_related("received_by")}
        handlings = {h.region_id: h for h in circular.handlings.filter(region__in=regions)}
        rows = [{"region": region, "receipt": receipts.get(region.pk),
                 "handling": handlings.get(region.pk)} for region in regions]
        return render(request, "reports/handling_overview.html", {
            "circular": circular, "rows": rows,
        })


urlpatterns = [
    path("<int:pk>/handling/", HandlingView.as_view(), name="handling"),
    path("<int:pk>/handling/overview/", HandlingOverviewView.as_view(), name="handling_overview"),
    path("<int:pk>/handling/<int:region>/", HandlingSheetView.as_view(), name="handling_sheet"),
    path("<int:pk>/handling/<int:region>/pdf/", HandlingPrintView.as_view(),
         name="handling_print"),
]
