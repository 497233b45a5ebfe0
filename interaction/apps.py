from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save, pre_save


class InteractionConfig(AppConfig):
    name = "interaction"
    verbose_name = "政民互动"

    def ready(self):
        from common import todo

        from . import signals
        from . import todo as message_todo
        from .channels import ensure
        from .models import HolidayOverride, HolidayYear

        todo.register(message_todo.todos)
        post_migrate.connect(ensure, sender=self, dispatch_uid="interaction.shared_channels")
        pre_save.connect(signals.remember_old_day, sender=HolidayOverride)
        post_save.connect(signals.recompute_after_save, sender=HolidayOverride)
        post_delete.connect(signals.recompute_after_delete, sender=HolidayOverride)
        post_save.connect(signals.recompute_year, sender=HolidayYear)
        post_delete.connect(signals.recompute_year, sender=HolidayYear)
