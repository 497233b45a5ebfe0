from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "通报"

    def ready(self):
        from common import todo

        from . import todo as circular_todo

        todo.register(circular_todo.todos)
