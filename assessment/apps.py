from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = "监管工作年度考核"

    def ready(self):
        from common import todo

        from . import todo as report_todo
        from .default_scheme import ensure

        todo.register(report_todo.todos)
        post_migrate.connect(ensure, sender=self, dispatch_uid="assessment.default_scheme")
