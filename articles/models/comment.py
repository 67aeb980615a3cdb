"""Readers' comments on stories, the reports they receive, and the word rules moderation applies."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Comment(models.Model):
    """A reader's comment (or a reply to one, one level deep) under a story."""

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting moderation")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        SPAM = "spam", _("spam")

    # Not indexed alone: the comment_article_status index starts with it.
    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="comments", verbose_name=_("story"), db_index=False
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies", verbose_name=_("reply to")
    )
    name = models.CharField(_("name"), max_length=80)
    # Never shown, never in the API except to moderators; the hash recognises a returning commenter.
    email = models.EmailField(_("e-mail"), blank=True)
    email_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    body = models.TextField(_("comment"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    featured = models.BooleanField(_("featured"), default=False)
    staff = models.BooleanField(_("staff"), default=False, help_text=_("Written by a member of the newsroom."))
    held_for = models.CharField(_("held for"), max_length=200, blank=True)
    reports = models.PositiveIntegerField(_("reports"), default=0)
    ip_hash = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("written"), auto_now_add=True, db_index=True)
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        permissions = [("moderate_comment", _("Can moderate readers' comments"))]
        indexes = [models.Index(fields=["article", "status", "created_at"], name="comment_article_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "approved", "rejected", "spam"]), name="comment_status_known"
            ),
            models.CheckConstraint(condition=~Q(body=""), name="comment_body_not_empty"),
            models.CheckConstraint(condition=~Q(name=""), name="comment_name_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.body[:60]}"


class CommentReport(models.Model):
    """A reader's report of a comment: counted for moderators, never shown."""

    class Reason(models.TextChoices):
        ABUSE = "abuse", _("abusive or hateful")
        SPAM = "spam", _("spam or advertising")
        OFF_TOPIC = "off_topic", _("off topic")
        MISLEADING = "misleading", _("false or misleading")

    # Not indexed alone: the unique (comment, ip_hash) constraint starts with it.
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="report_set", db_index=False)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    ip_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [models.UniqueConstraint(fields=["comment", "ip_hash"], name="comment_report_once_per_reader")]

    def __str__(self) -> str:
        return f"{self.comment_id}: {self.reason}"


class ModerationTerm(models.Model):
    """A word rule: comments containing the term (in any spelling variant, as whole words) are refused or held."""

    class Action(models.TextChoices):
        REJECT = "reject", _("refuse the comment")
        HOLD = "hold", _("hold it for a moderator")

    term = models.CharField(_("term"), max_length=100)
    key = models.CharField(_("matching key"), max_length=200, unique=True, editable=False)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices, default=Action.HOLD)

    class Meta:
        ordering = ["term"]
        verbose_name = _("moderation term")
        verbose_name_plural = _("moderation terms")
        constraints = [models.CheckConstraint(condition=~Q(key=""), name="moderation_term_has_words")]

    def __str__(self) -> str:
        return self.term
