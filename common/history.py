"""The change history of a record (who, when, what), read from django-simple-history."""

from __future__ import annotations

from django.db import models


def _display(field: models.Field, value, related_names: dict) -> str:
    if value in (None, ""):
        return "—"
    if field.is_relation:
        return related_names.get((field.related_model, value), str(value))
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, list):  # a JSON list, such as the 领导批示 of a 公文处理笺
        return "；".join(" ".join(map(str, item.values())) if isinstance(item, dict) else str(item)
                        for item in value)
    return str(value)


def history_rows(obj) -> list[dict]:
    """Each recorded change of `obj`, newest first, with its field-by-field differences.

    Names of related rows are fetched in one query per related model, not per change.
    """
    records = list(obj.history.select_related("history_user").order_by("history_date", "pk"))
    tracked = {f.attname for f in obj.history.model._meta.concrete_fields}
    # The id and the tree path are bookkeeping, not something anyone entered.
    fields = {f.attname: f for f in obj._meta.concrete_fields
              if not f.primary_key and f.name != "path" and f.attname in tracked}
    related_ids: dict = {}
    for record in records:
        for attname, field in fields.items():
            value = getattr(record, attname, None)
            if field.is_relation and value is not None:
                related_ids.setdefault(field.related_model, set()).add(value)
    related_names = {
        (model, pk): str(row)
        for model, ids in related_ids.items()
        for pk, row in model._base_manager.in_bulk(ids).items()
    }
    rows = []
    previous = None
    for record in records:
        changes = []
        for attname, field in fields.items():
            new = getattr(record, attname, None)
            old = getattr(previous, attname, None) if previous else None
            if previous is None and record.history_type != "+":
                continue
            if new != old and not (previous is None and new in (None, "")):
                changes.append({
                    "field": field.verbose_name,
                    "old": _display(field, old, related_names) if previous else "",
                    "new": _display(field, new, related_names),
                })
        rows.append({
            "when": record.history_date,
            "who": record.history_user,
            "action": {"+": "新建", "~": "修改", "-": "删除"}[record.history_type],
            "changes": changes,
        })
        previous = record
    rows.reverse()
    return rows
