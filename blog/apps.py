from django.apps import AppConfig


class BlogConfig(AppConfig):
    name = "blog"
    verbose_name = "Blog"

    def ready(self):
        from accounts import roles

        from . import signals  # noqa: F401
        from .roles import EDITOR

        roles.register(EDITOR)
