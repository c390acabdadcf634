from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Comments"

    def ready(self):
        from accounts import roles

        from . import signals  # noqa: F401
        from .roles import MODERATOR

        roles.register(MODERATOR)
