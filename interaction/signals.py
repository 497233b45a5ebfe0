"""Deadlines are stored (so lists filter and count them in SQL); a change to the office's
holiday calendar moves the deadlines that counted over the changed day, and confirming a
year's schedule (or withdrawing it) settles whether the deadlines over that year are
provisional."""

from __future__ import annotations

from .models import HolidayOverride, HolidayYear, Message


def remember_old_day(sender, instance: HolidayOverride, **kwargs) -> None:
    instance._old_day = (
        HolidayOverride.objects.filter(pk=instance.pk).values_list("day", flat=True).first()
        if instance.pk else None
    )


def recompute_after_save(sender, instance: HolidayOverride, **kwargs) -> None:
    for day in {instance.day, getattr(instance, "_old_day", None)} - {None}:
        Message.objects.counting_over(day).recompute_deadlines()


def recompute_after_delete(sender, instance: HolidayOverride, **kwargs) -> None:
    Message.objects.counting_over(instance.day).recompute_deadlines()


def recompute_year(sender, instance: HolidayYear, **kwargs) -> None:
    instance.affected_messages().recompute_deadlines()
