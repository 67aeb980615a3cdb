"""App configuration for the articles domain."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Stories")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        import reversion

        from . import checks  # noqa: F401  (registers the settings checks)
        from .models import Article, ArticleSource, Correction, Part
        from .services.changes import REVISION_FOLLOWS

        # A revision of a story is the story with its parts, credited sources and corrections.
        reversion.register(Article, follow=REVISION_FOLLOWS)
        reversion.register(Part)
        reversion.register(ArticleSource)
        reversion.register(Correction)

        from .services import followers

        followers.connect()  # the receivers of story changes (services/followers.py)
