"""The audit trail of editorial actions: who did what to which story, when, and through which door."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One editorial action (publish, schedule, correct, retract, delete, restore …), never edited."""

    class Action(models.TextChoices):
        SUBMIT = "submit", _("submitted for review")
        RETURN = "return", _("returned to draft")
        PUBLISH = "publish", _("published")
        SCHEDULE = "schedule", _("scheduled")
        UNPUBLISH = "unpublish", _("unpublished")
        CORRECT = "correct", _("corrected")
        RETRACT = "retract", _("retracted")
        DELETE = "delete", _("deleted")
        RESTORE = "restore", _("restored a revision")
        RECOVER = "recover", _("recovered after deletion")
        MODERATE = "moderate", _("moderated a comment")

    class Via(models.TextChoices):
        ADMIN = "admin", _("admin")
        API = "api", _("API")
        COMMAND = "command", _("command")
        SYSTEM = "system", _("system")

    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    # The story may be deleted later: its id and headline are kept as they were.
    article = models.ForeignKey(
        "articles.Article", null=True, blank=True, on_delete=models.SET_NULL, related_name="audit_entries"
    )
    article_ref = models.PositiveBigIntegerField(_("story id"))
    headline = models.CharField(_("headline"), max_length=500)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    via = models.CharField(_("through"), max_length=10, choices=Via.choices, default=Via.SYSTEM)
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    action__in=[
                        "submit",
                        "return",
                        "publish",
                        "schedule",
                        "unpublish",
                        "correct",
                        "retract",
                        "delete",
                        "restore",
                        "recover",
                        "moderate",
                    ]
                ),
                name="audit_action_known",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.headline}"
