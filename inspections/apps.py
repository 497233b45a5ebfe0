from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = "检查"

    def ready(self):
        from common import todo

        from . import todo as inspection_todo
        from .evidence import delete_file_on_commit
        from .national_schemes import ensure

        todo.register(inspection_todo.todos)
        post_migrate.connect(ensure, sender=self, dispatch_uid="inspections.national_schemes")
        post_delete.connect(delete_file_on_commit, sender="inspections.Evidence",
                            dispatch_uid="inspections.evidence_files")
