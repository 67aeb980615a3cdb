"""The editors' interface: the Django admin, thin over the services."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import annotations, audit, comments, sources, stories, users  # noqa: F401  (registers the model admins)

admin.site.site_header = _("Newsroom")
admin.site.site_title = _("Newsroom")
admin.site.index_title = _("Editorial desk")
