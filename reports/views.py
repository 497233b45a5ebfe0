"""Circular pages: the list, a new draft, the page with its preview and downloads, the
edit form with a live preview, background jobs with their progress, issuing, 签收."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views import View
from django.views.generic import FormView, UpdateView

from common.export import EXPORT_FORMATS, export_response
from common.views import ObjectDetailView, ObjectListView, ScopedQuerysetMixin

from . import tasks
from .addressees import addressee_of, handling_region
from .assembly import build_document, new_circular
from .choices import FileFormat, JobKind
from .filtersets import CircularFilterSet
from .forms import STALE, CircularCreateForm, CircularForm, OfficeProfileForm
from .issuing import IssueError, receipt_table, receive
from .models import Circular, CircularFile, OfficeProfile, RenderJob
from .rendering import CONTENT_TYPES, filename, render, runs_in_background
from .tables import CircularTable, ReceiptTable


class CircularListView(ObjectListView):
    queryset = CircularTable.annotate(Circular.objects.all())
    table_class = CircularTable
    filterset_class = CircularFilterSet
    title = "通报"
    export_stem = "通报"
    add_permission = "reports.add_circular"
    add_url_name = "reports:circular_add"
    template_name = "reports/circular_list.html"


class CircularCreateView(PermissionRequiredMixin, FormView):
    """A new draft for a quarter: every default and figure filled from the data."""

    form_class = CircularCreateForm
    template_name = "reports/circular_add.html"
    permission_required = "reports.add_circular"
    raise_exception = True

    def get_initial(self):
        from django.utils import timezone

        today = timezone.localdate()
        year, quarter = (today.year, (today.month - 1) // 3) if today.month > 3 else (today.year - 1, 4)
        return {"year": year, "quarter": quarter}

    def form_valid(self, form):
        region = self.request.user.unit.region if self.request.user.unit_id else self.request.user.region
        if region is None:
            raise PermissionDenied("您的账号没有所属地区，不能起草通报。")
        circular = new_circular(region, form.cleaned_data["year"], form.cleaned_data["quarter"])
        circular.save()
        messages.success(self.request, f"已起草：{circular.title}")
        return redirect("reports:circular_edit", circular.pk)


class CircularView(ObjectDetailView):
    queryset = Circular.objects.select_related("region", "website_inspection",
                                               "newmedia_inspection", "issued_by")
    template_name = "reports/circular_detail.html"

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("export")
        if fmt not in EXPORT_FORMATS:
            return super().get(request, *args, **kwargs)
        circular = self.get_object()  # ?export= downloads the 签收情况 table (for the office)
        if not request.user.has_perm("reports.change_circular") or not circular.is_issued:
            raise PermissionDenied("只有管理员可以下载签收情况。")
        table = ReceiptTable(receipt_table(circular))
        return export_response(fmt, f"{circular.doc_number_text}签收情况", "签收情况", table.as_values())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        circular: Circular = self.object
        user = self.request.user
        document = build_document(circular)
        context["document_html"] = _preview_html(document)
        context["formats"] = FileFormat.choices
        context["issued_files"] = circular.files.filter(issued=True).order_by("format")
        context["can_change"] = user.has_perm("reports.change_circular") and not circular.is_issued
        context["jobs"] = circular.render_jobs.select_related("result").order_by("-pk")[:5]
        context["pending_issue"] = circular.render_jobs.filter(kind=JobKind.ISSUE,
                                                               finished_at=None).first()
        if user.has_perm("reports.change_circular") and circular.is_issued:
            context["receipts"] = ReceiptTable(receipt_table(circular))
        addressee = addressee_of(circular, user)
        if addressee is not None and circular.is_issued:
            context["my_addressee"] = addressee
            context["can_sign"] = addressee.signs_through(user)
            context["my_receipt"] = circular.receipts.filter(**addressee.receipt_lookup).first()
            context["handling_region"] = handling_region(circular, user)
        return context


def _preview_html(document) -> str:
    from .renderers.html import render_html

    return render_html(document, standalone=False)


class CircularEditView(PermissionRequiredMixin, ScopedQuerysetMixin, UpdateView):
    """The draft's text and settings; saving is refused when someone else saved meanwhile."""

    queryset = Circular.objects.all()
    form_class = CircularForm
    template_name = "reports/circular_form.html"
    permission_required = "reports.change_circular"
    raise_exception = True

    def get_object(self, queryset=None):
        circular = super().get_object(queryset)
        if circular.is_issued:
            raise PermissionDenied("已签发的通报不能修改；更正请新建一份通报。")
        return circular

    def get_context_data(self, **kwargs):
        from .assembly import circular_data, generated_overview, generated_problems
        from .text import paragraphs_to_text

        context = super().get_context_data(**kwargs)
        data = circular_data(self.object)
        context["generated"] = {
            "overview": paragraphs_to_text(generated_overview(self.object, data)),
            "problems": paragraphs_to_text(generated_problems(data)),
        }
        context["document_html"] = _preview_html(build_document(self.object, data))
        return context

    def form_valid(self, form):
        with transaction.atomic():
            claimed = Circular.objects.filter(pk=self.object.pk, version=form.cleaned_data["version"])
            if not claimed.update(version=F("version") + 1):
                form.add_error(None, STALE)
                return self.form_invalid(form)
            form.instance.version = form.cleaned_data["version"] + 1
            self.object = form.save()
        messages.success(self.request, "已保存。")
        return redirect("reports:circular", self.object.pk)


class CircularPreviewView(PermissionRequiredMixin, ScopedQuerysetMixin, View):
    """The live preview of the edit page: the posted form rendered, nothing saved."""

    queryset = Circular.objects.all()
    permission_required = "reports.change_circular"
    raise_exception = True

    def post(self, request, pk: int):
        circular = get_object_or_404(self.get_queryset(), pk=pk)
        form = CircularForm(request.POST, instance=circular)
        form.is_valid()  # fills form.instance with every valid field; the rest keep their value
        return HttpResponse(_preview_html(build_document(form.instance)))


class CircularDownloadView(ScopedQuerysetMixin, View):
    """A format of the circular: the issued original, a render now, or a background job."""

    queryset = Circular.objects.all()

    def get(self, request, pk: int, fmt: str):
        if fmt not in FileFormat.values:
            raise Http404
        circular = get_object_or_404(self.get_queryset(), pk=pk)
        if circular.is_issued:
            stored = get_object_or_404(circular.files, format=fmt, issued=True)
            return _file_response(stored, filename(build_document(circular), fmt))
        document = build_document(circular)
        if runs_in_background(fmt, document):
            job = tasks.start(circular, JobKind.RENDER, request.user, fmt)
            return redirect("reports:job", job.pk)
        response = HttpResponse(render(fmt, document), content_type=CONTENT_TYPES[fmt])
        if fmt != FileFormat.HTML or "download" in request.GET:
            response["Content-Disposition"] = content_disposition_header(True, filename(document, fmt))
        return response


def _file_response(stored: CircularFile, name: str) -> FileResponse:
    response = FileResponse(stored.file.open("rb"), content_type=CONTENT_TYPES[stored.format],
                            as_attachment=True, filename=name)
    response["X-Content-SHA256"] = stored.sha256
    return response


class CircularIssueView(PermissionRequiredMixin, ScopedQuerysetMixin, View):
    queryset = Circular.objects.all()
    permission_required = "reports.change_circular"
    raise_exception = True

    def post(self, request, pk: int):
        circular = get_object_or_404(self.get_queryset(), pk=pk)
        if circular.is_issued:
            messages.error(request, "该通报已签发。")
            return redirect(circular)
        job = tasks.start(circular, JobKind.ISSUE, request.user)
        return redirect("reports:job", job.pk)


class ReceiveView(PermissionRequiredMixin, ScopedQuerysetMixin, View):
    """签收, by a liaison of an addressee (a county or a 州直 department)."""

    queryset = Circular.objects.all()
    permission_required = "reports.add_receipt"
    raise_exception = True

    def post(self, request, pk: int):
        circular = get_object_or_404(self.get_queryset(), pk=pk)
        try:
            receipt = receive(circular, request.user)
        except IssueError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"{receipt.region or receipt.unit}已签收。")
        return redirect(circular)


def _jobs_for(user):
    return RenderJob.objects.filter(circular__in=Circular.objects.visible_to(user))


def job_page(request, pk: int):
    from django.shortcuts import render as render_template

    job = get_object_or_404(_jobs_for(request.user).select_related("circular", "result"), pk=pk)
    if "json" in request.GET:
        return JsonResponse({
            "progress": job.progress, "stage": job.stage, "done": job.is_done, "error": job.error,
            "next": _job_next_url(job) if job.is_done and not job.error else "",
        })
    return render_template(request, "reports/job.html", {"job": job, "next": _job_next_url(job)})


def _job_next_url(job: RenderJob) -> str:
    if job.kind == JobKind.ISSUE:
        return job.circular.get_absolute_url()
    return reverse("reports:job_file", args=[job.pk]) if job.result_id else ""


def job_file(request, pk: int):
    job = get_object_or_404(_jobs_for(request.user).select_related("circular", "result"), pk=pk)
    if job.result is None:
        raise Http404("文件还没有生成")
    return _file_response(job.result, filename(build_document(job.circular), job.format))


class OfficeProfileView(PermissionRequiredMixin, UpdateView):
    """The issuing office's names and defaults, for the admin's region."""

    form_class = OfficeProfileForm
    template_name = "common/object_form.html"
    permission_required = "reports.change_officeprofile"
    raise_exception = True

    def get_object(self, queryset=None):
        from .defaults import office_defaults

        user = self.request.user
        region = user.unit.region if user.unit_id else user.region
        if region is None:
            raise PermissionDenied("您的账号没有所属地区。")
        profile = OfficeProfile.objects.filter(region=region).first()
        if profile is None:
            defaults = office_defaults(region)
            profile = OfficeProfile(region=region, **{
                name: getattr(defaults, name) for name in OfficeProfileForm.Meta.fields})
        return profile

    def form_valid(self, form):
        form.save()
        messages.success(self.request, "发文机关设置已保存；新起草的通报将使用这些设置。")
        return redirect("reports:circular_list")
