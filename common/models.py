"""Abstract building blocks shared by the apps' models."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import Q

RUNNING = "running"


class TreeModel(models.Model):
    """A node of a tree kept as a materialized path of primary keys ("/1/5/23/").

    Scope checks ask "is this row under that node?" on every request, so the path turns a
    recursive question into one indexed prefix match.
    """

    path = models.CharField("路径", max_length=255, editable=False, db_index=True, default="")

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        new_path = (self.parent.path if self.parent_id else "/") + f"{self.pk}/"
        if new_path != self.path:
            self._move_subtree(self.path, new_path)

    @classmethod
    def fill_paths(cls, nodes) -> None:
        """Give bulk-created nodes (which skipped save()) their paths; parents first."""
        pending = [node for node in nodes if not node.path]
        paths = dict(cls.objects.filter(
            pk__in={n.parent_id for n in pending if n.parent_id}
        ).values_list("pk", "path"))
        for node in pending:
            node.path = (paths[node.parent_id] if node.parent_id else "/") + f"{node.pk}/"
            paths[node.pk] = node.path
        cls.objects.bulk_update(pending, ["path"])

    def _move_subtree(self, old_path: str, new_path: str) -> None:
        model = type(self)
        model.objects.filter(pk=self.pk).update(path=new_path)
        if old_path:
            for node in model.objects.filter(path__startswith=old_path).exclude(pk=self.pk):
                node.path = new_path + node.path[len(old_path) :]
                model.objects.filter(pk=node.pk).update(path=node.path)
        self.path = new_path

    def clean(self):
        super().clean()
        if self.pk and self.parent_id and self.parent.path.startswith(self.path):
            raise ValidationError({"parent": "上级不能是自己或自己的下级。"})

    def is_within(self, other: TreeModel) -> bool:
        return self.path.startswith(other.path)

    def ancestors_and_self_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part]


class DatedStatusModel(models.Model):
    """A directory entry that is running, or stopped from a date on.

    The dates, not the edit history, answer "registered and running on 12-31" for a past
    quarter: an office records the real 开办/关停 dates, which may predate the portal.
    """

    opened_on = models.DateField("开办日期", null=True, blank=True, help_text="不详可留空")
    closed_on = models.DateField("停止运行日期", null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_running(self) -> bool:
        return self.status == RUNNING

    def set_status(self, status: str, on: datetime.date) -> None:
        """Change the status, dating a stop on `on` and clearing the date on a restart."""
        if status == self.status:
            return
        self.status = status
        self.closed_on = None if status == RUNNING else on

    def clean(self):
        super().clean()
        if self.status == RUNNING and self.closed_on:
            raise ValidationError({"closed_on": "运行中的条目不应有停止运行日期。"})
        if self.status != RUNNING and not self.closed_on:
            raise ValidationError({"closed_on": "请填写停止运行日期。"})
        if self.opened_on and self.closed_on and self.closed_on < self.opened_on:
            raise ValidationError({"closed_on": "停止运行日期不能早于开办日期。"})


def running_on_q(day: datetime.date, prefix: str = "") -> Q:
    """Rows of a DatedStatusModel that were running at the end of `day`.

    An unknown opening date means "opened before records began"; a stopped row without a
    date is treated as never running.
    """
    opened = Q(**{f"{prefix}opened_on__isnull": True}) | Q(**{f"{prefix}opened_on__lte": day})
    still_running = Q(**{f"{prefix}status": RUNNING, f"{prefix}closed_on__isnull": True})
    stopped_later = Q(**{f"{prefix}closed_on__gt": day})
    return opened & (still_running | stopped_later)


# Writing at least this many rows at once refreshes the table's planner statistics.
BULK_ROWS = 100


def refresh_planner_statistics(*tables: type[models.Model]) -> None:
    """ANALYZE the models' tables on PostgreSQL, after writing many rows at once.

    The planner otherwise keeps what autovacuum last saw, which on a young database is "empty"
    (and autovacuum cannot see the rows of a transaction still open): it then joins thousands
    of rows by nested loops. In the test suite one list page took 47 s so. ANALYZE samples a
    table in milliseconds and may run inside the writing transaction."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def sync_rows(model: type[models.Model], key: tuple[str, ...], rows: list[dict]) -> dict:
    """Make the table hold `rows` (matched on the `key` fields): missing rows are created in
    bulk with their history, changed ones saved one by one, equal ones left alone.

    Returns the rows' objects by key. Loaders of reference data use it so that a second
    load changes nothing and a first load does not cost a query per row.
    """
    from simple_history.utils import bulk_create_with_history

    existing = {
        tuple(getattr(obj, f) for f in key): obj
        for obj in model._default_manager.filter(**{f"{key[0]}__in": [r[key[0]] for r in rows]})
    }
    missing = []
    for row in rows:
        obj = existing.get(tuple(row[f] for f in key))
        if obj is None:
            missing.append(model(**row))
            continue
        changed = [name for name, value in row.items() if getattr(obj, name) != value]
        if changed:
            for name in changed:
                setattr(obj, name, row[name])
            obj.save()
    if missing:
        bulk_create_with_history(missing, model)
        if len(missing) >= BULK_ROWS:
            refresh_planner_statistics(model)
        existing.update(
            (tuple(getattr(obj, f) for f in key), obj)
            for obj in model._default_manager.filter(
                **{f"{key[0]}__in": [getattr(o, key[0]) for o in missing]}
            )
        )
    return existing


def upsert(model: type[models.Model], lookup: dict, values: dict) -> tuple[models.Model, str]:
    """update_or_create that leaves an unchanged row alone (no save, no history entry).

    Returns the row and "created", "updated" or "unchanged".
    """
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        return model._default_manager.create(**lookup, **values), "created"
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if not changed:
        return obj, "unchanged"
    for name in changed:
        setattr(obj, name, values[name])
    obj.save()
    return obj, "updated"
