"""App configuration for the articles domain."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Stories")
    default_auto_field = "django.db.models.BigAutoField"
