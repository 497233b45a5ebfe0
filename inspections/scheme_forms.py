"""Forms of the scheme pages: the scheme's settings, its indicators as a formset (checked
with the import's rules, scheme_import.tree_problems), copying, and the import upload."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from common.forms import ScopedModelForm
from common.imports import WorkbookUploadForm

from .choices import IndicatorKind, Target
from .models import POINTS, Scheme
from .scheme_import import IndicatorPlan, IndicatorSpec, plain, tree_problems, tree_rows


class SchemeForm(ScopedModelForm):
    pass_mark = forms.DecimalField(label="合格分数线", min_value=0, **POINTS)
    bonus_threshold = forms.DecimalField(
        label="加分门槛", min_value=0, **POINTS, help_text="扣分指标得分超过此分数才计加分"
    )

    class Meta:
        model = Scheme
        fields = ["name", "pass_mark", "bonus_threshold", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class SchemeCopyForm(forms.Form):
    name = forms.CharField(
        label="新指标体系名称", max_length=Scheme._meta.get_field("name").max_length, required=False,
        help_text="留空则命名为“原名称（副本）”",
    )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"]
        if name and Scheme.objects.filter(name=name).exists():
            raise ValidationError("已有同名的指标体系，请换一个名称。")
        return name


class SchemeImportForm(WorkbookUploadForm):
    name = forms.CharField(
        label="指标体系名称", max_length=Scheme._meta.get_field("name").max_length,
        help_text="与已有指标体系同名时替换其指标（已用于已结束检查的指标体系不能替换）",
    )
    target = forms.ChoiceField(label="检查对象", choices=Target.choices)
    field_order = ["name", "target", "file"]


class IndicatorForm(forms.Form):
    """One row of the edit page. `id` is the stored indicator the row keeps (empty for a
    new row); the parent is chosen among the scheme's stored indicators."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label="指标名称", max_length=200, widget=forms.TextInput(attrs={"size": 22}))
    parent = forms.TypedChoiceField(label="上级指标", coerce=int, empty_value=None, required=False)
    kind = forms.ChoiceField(label="类型", choices=[("", "—"), *IndicatorKind.choices])
    max_points = forms.DecimalField(label="分值", required=False, **POINTS, widget=forms.TextInput(
        attrs={"inputmode": "decimal", "size": 6}))
    rule = forms.CharField(label="说明", required=False, widget=forms.Textarea(
        attrs={"rows": 2, "cols": 40}))
    order = forms.IntegerField(label="顺序", min_value=0, required=False, widget=forms.TextInput(
        attrs={"inputmode": "numeric", "size": 4}))

    def __init__(self, *args, parent_choices: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = parent_choices


class BaseIndicatorFormSet(forms.BaseFormSet):
    """The scheme's indicators, parents first; saved by one IndicatorPlan (all or nothing)."""

    def __init__(self, data=None, *, scheme: Scheme, **kwargs):
        self.scheme = scheme
        self.stored = {indicator.pk: indicator for indicator in scheme.indicators.all()}
        rows = tree_rows(self.stored.values())
        initial = [
            {"id": i.pk, "name": i.name, "parent": i.parent_id, "kind": i.kind, "rule": i.rule,
             "max_points": None if i.max_points is None else plain(i.max_points), "order": i.order}
            for i, _ in rows
        ]
        choices = [("", "（无：一级指标）"), *((i.pk, "　" * depth + i.name) for i, depth in rows)]
        # A posted page is read as posted: rows added elsewhere since it loaded must not
        # become initial values of its blank rows (clean() refuses such a stale page).
        super().__init__(data, initial=None if data is not None else initial, prefix="indicators",
                         form_kwargs={"parent_choices": choices}, **kwargs)
        self.plan: IndicatorPlan | None = None

    def add_fields(self, form, index):
        super().add_fields(form, index)
        # Inputs in a table have no <label>: name each one with its row and column.
        row = "新行" if index is None else f"第{index + 1}行"
        for field in form.fields.values():
            field.widget.attrs["aria-label"] = f"{row} {field.label}"

    def clean(self):
        posted = [form.cleaned_data.get("id") for form in self.forms]
        kept = [pk for pk in posted if pk is not None]
        if len(kept) != len(set(kept)) or set(kept) != set(self.stored):
            raise ValidationError("指标在别处已被增删，请重新打开编辑页面后再修改。")
        removing = [self._should_delete_form(form) for form in self.forms]
        deleted = {pk for pk, gone in zip(posted, removing, strict=True) if gone and pk is not None}
        specs = []
        for index, (form, gone) in enumerate(zip(self.forms, removing, strict=True)):
            if gone or (index >= self.initial_form_count() and not form.has_changed()):
                continue  # deleted, or a new row left blank
            specs.append(self._spec(index + 1, form, deleted))
        if not specs:
            raise ValidationError("指标体系至少要有一个指标。")
        # Every rule at once, also on rows with a bad cell, but one message per field.
        for problem in tree_problems(specs):
            form = self.forms[problem.spec.row - 1]
            if problem.field not in form.errors:
                form.add_error(problem.field, problem.message)
        if any(self.errors):
            return
        self.plan = IndicatorPlan(self.stored.values(), specs)
        in_use = self.plan.removed_in_use()
        if in_use:
            raise ValidationError([f"指标“{name}”已有检查得分或问题记录，不能删除。" for name in in_use])

    def _spec(self, number: int, form: IndicatorForm, deleted: set[int]) -> IndicatorSpec:
        """The row as the tree rules see it; a field that failed its own check is left out."""
        data = form.cleaned_data
        parent = data.get("parent")
        if parent in deleted:
            form.add_error("parent", (
                f"上级指标“{self.stored[parent].name}”已勾选删除，请另选上级指标或一并删除本行"
            ))
            parent = None
        order = data.get("order")
        if order is None:  # a new row without an order goes after the others, in row order
            order = max((i.order for i in self.stored.values()), default=0) + number
        return IndicatorSpec(
            key=data.get("id") or ("row", number), row=number,
            name=data.get("name", form["name"].value() or ""), kind=data.get("kind"),
            max_points=data.get("max_points"), rule=data.get("rule", ""), order=order,
            parent=parent, parent_name=self.stored[parent].name if parent else "",
            pk=data.get("id"),
        )

    def save(self):
        return self.plan.apply(self.scheme)


IndicatorFormSet = forms.formset_factory(
    IndicatorForm, formset=BaseIndicatorFormSet, extra=3, can_delete=True
)
