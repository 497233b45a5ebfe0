from django.apps import AppConfig
from django.db.models.signals import post_migrate


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = "检查"

    def ready(self):
        from .national_schemes import ensure

        post_migrate.connect(ensure, sender=self, dispatch_uid="inspections.national_schemes")
