from django.apps import AppConfig
from django.db.models.signals import post_migrate


class SitesConfig(AppConfig):
    name = "sites"
    verbose_name = "名录与用户"

    def ready(self):
        from .roles import sync_roles

        post_migrate.connect(sync_roles, dispatch_uid="sites.sync_roles")
