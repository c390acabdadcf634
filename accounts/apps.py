from django.apps import AppConfig
from django.contrib.auth.signals import user_login_failed
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from .backends import login_failure_count
        from .roles import sync_role_groups

        post_migrate.connect(sync_role_groups, dispatch_uid="accounts_role_groups")
        user_login_failed.connect(
            login_failure_count, dispatch_uid="accounts_login_failure_count"
        )
