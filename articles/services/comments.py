"""Readers' comments: posting (with every protection), reports, moderation, forgetting a commenter."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from articles import moderation
from articles.models import Article, AuditEntry, Comment, CommentReport, ModerationTerm
from newsroom.cache import UNREACHABLE

from . import pagecache
from .changes import editor_of
from .errors import NotAllowed, ServiceError, fitting_key

MAX_NAME, MAX_BODY = 80, 5000
# Why a comment waits, stored as these codes and shown to moderators in their language.
HELD_REASONS = {
    "pre-moderation": gettext_lazy("pre-moderation"),
    "new commenter": gettext_lazy("new commenter"),
    "links": gettext_lazy("too many links"),
    "term": gettext_lazy("word rule"),
}


def held_reasons(comment: Comment) -> str:
    """Why a comment was held, in the moderator's language."""
    shown = []
    for code in filter(None, comment.held_for.split("; ")):
        name, _sep, detail = code.partition(": ")
        label = HELD_REASONS.get(name, name)
        shown.append(f"{label}: {detail}" if detail else str(label))
    return "; ".join(shown)


_ACTIONS = {
    "approve": Comment.Status.APPROVED,
    "reject": Comment.Status.REJECTED,
    "spam": Comment.Status.SPAM,
}


class CommentRefused(ServiceError):
    """A comment refused, with the form field the reason belongs to."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field


class TooMany(ServiceError):
    """A rate limit reached; `retry_after` seconds until the next comment is taken."""

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class Posted:
    comment: Comment | None  # None: a bot's comment, quietly discarded
    published: bool


def salted(value: str) -> str:
    return hashlib.sha256(f"{settings.NEWSROOM_COMMENTS_SALT}:{value}".encode()).hexdigest()


def closed_because(article: Article, *, now=None) -> str:
    """Why readers cannot comment on this story now ("" when they can)."""
    now = now or timezone.now()
    if not article.is_public or article.is_retracted:
        return _("This story takes no comments.")
    if not article.comments_open:
        return _("Comments on this story are closed.")
    days = settings.NEWSROOM_COMMENTS_CLOSE_AFTER_DAYS
    if article.published_at and now - article.published_at > timedelta(days=days):
        return ngettext(
            "Comments close %(days)s day after a story is published.",
            "Comments close %(days)s days after a story is published.",
            days,
        ) % {"days": days}
    return ""


def _rate(key: str, spec: str, message: str) -> None:
    count, period = spec.split("/")
    seconds = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}[period]
    bucket = int(timezone.now().timestamp()) // seconds
    name = f"comments:{key}:{bucket}"
    try:
        cache.add(name, 0, seconds)
        try:
            taken = cache.incr(name)
        except ValueError:  # expired between add and incr
            cache.set(name, 1, seconds)
            taken = 1
    except UNREACHABLE:
        # Counted nowhere while the cache cannot be reached: the comment is taken (and moderated as ever).
        return
    if taken > int(count):
        retry = seconds - int(timezone.now().timestamp()) % seconds
        raise TooMany(message, retry_after=max(retry, 1))


def _held_by_terms(words: list[str]) -> tuple[str, str]:
    """The strongest word rule the text meets: ("reject"|"hold"|"", the term)."""
    verdict, found = "", ""
    for term in ModerationTerm.objects.all():
        if moderation.matches(tuple(term.key.split(" ")), words):
            if term.action == ModerationTerm.Action.REJECT:
                return "reject", term.term
            verdict, found = "hold", term.term
    return verdict, found


def save_term(*, term: str, action: str = ModerationTerm.Action.HOLD, instance: ModerationTerm | None = None):
    """Store a word rule with its matching key (its words folded as comments' words are)."""
    key = " ".join(moderation.term_key(term))
    if not key:
        raise ServiceError(_("A term needs at least one word."))
    message = _("The term is too long to match: its words make %(length)s characters; the limit is %(limit)s.")
    fitting_key(key, ModerationTerm, "key", message)  # folding may lengthen words (ﷺ is four words)
    clash = ModerationTerm.objects.filter(key=key).exclude(pk=getattr(instance, "pk", None)).first()
    if clash is not None:
        raise ServiceError(_("The rule “%(term)s” already matches these words.") % {"term": clash.term})
    rule = instance or ModerationTerm()
    rule.term, rule.key, rule.action = " ".join(term.split()), key, action
    rule.save()
    return rule


def _mode(article: Article) -> str:
    return article.comment_moderation or settings.NEWSROOM_COMMENTS_MODERATION


def post_comment(
    *,
    article: Article,
    name: str,
    body: str,
    email: str = "",
    parent: int | None = None,
    ip: str = "",
    honeypot: str = "",
    by=None,
) -> Posted:
    """A reader's comment, refused with the reason (CommentRefused, TooMany) or stored as pending/approved."""
    why = closed_because(article)
    if why:
        raise CommentRefused(why)
    try:
        name, body, email = moderation.clean(name or ""), moderation.clean(body or ""), (email or "").strip()
    except moderation.Unstorable as error:
        raise CommentRefused(
            _("The text contains a character that cannot be stored; remove it and send again.")
        ) from error
    if not name:
        raise CommentRefused(_("Please give a name."), field="name")
    if len(name) > MAX_NAME:
        raise CommentRefused(
            ngettext("A name has at most %(limit)s character.", "A name has at most %(limit)s characters.", MAX_NAME)
            % {"limit": MAX_NAME},
            field="name",
        )
    if not body:
        raise CommentRefused(_("Please write your comment."), field="body")
    if len(body) > MAX_BODY:
        raise CommentRefused(
            ngettext(
                "A comment has at most %(limit)s character; this one has %(length)s.",
                "A comment has at most %(limit)s characters; this one has %(length)s.",
                MAX_BODY,
            )
            % {"limit": MAX_BODY, "length": len(body)},
            field="body",
        )
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise CommentRefused(_("This e-mail address does not look right."), field="email") from None
    reply_to = None
    if parent:
        reply_to = Comment.objects.filter(pk=parent, article=article, status=Comment.Status.APPROVED).first()
        if reply_to is None:
            raise CommentRefused(_("The comment you are replying to is not there any more."), field="parent")
        reply_to = reply_to.parent or reply_to  # replies stay one level deep
    if honeypot:
        return Posted(None, False)  # a bot filled the field people never see: nothing stored, nothing said
    ip_hash = salted(ip) if ip else ""
    _rate(f"ip:{ip_hash}", settings.NEWSROOM_COMMENTS_RATE_IP, _("You are commenting too fast; wait a little."))
    _rate(
        f"story:{article.pk}",
        settings.NEWSROOM_COMMENTS_RATE_STORY,
        _("Too many comments on this story right now; try again later."),
    )
    verdict, term = _held_by_terms(moderation.words(name + " " + body))
    if verdict == "reject":
        raise CommentRefused(_("This comment cannot be published."), field="body")
    email_hash = salted(email.casefold()) if email else ""
    staff = bool(getattr(by, "is_authenticated", False) and by.is_staff)
    held = []
    if verdict == "hold":
        held.append(f"term: {term}")  # stored as data, in one language; shown translated (HELD_REASONS)
    if moderation.links_in(body) > settings.NEWSROOM_COMMENTS_MAX_LINKS:
        held.append("links")
    mode = _mode(article)
    if not held and not staff:
        if mode == "pre":
            held.append("pre-moderation")
        elif mode == "new":
            trusted = settings.NEWSROOM_COMMENTS_TRUSTED_AFTER
            known = email_hash and Comment.objects.filter(email_hash=email_hash, status=Comment.Status.APPROVED).count()
            if not known or known < trusted:
                held.append("new commenter")
    comment = Comment.objects.create(
        article=article,
        parent=reply_to,
        name=name,
        email=email,
        email_hash=email_hash,
        body=body,
        staff=staff,
        ip_hash=ip_hash,
        held_for="; ".join(str(reason) for reason in held),
        status=Comment.Status.PENDING if held else Comment.Status.APPROVED,
    )
    if comment.status == Comment.Status.APPROVED:
        pagecache.story_page_changed(article.pk)
    return Posted(comment, comment.status == Comment.Status.APPROVED)


def report(*, comment: Comment, reason: str, ip: str = "") -> bool:
    """Count a reader's report (once per reader); a reported comment goes back to the queue's attention."""
    if reason not in CommentReport.Reason.values:
        raise CommentRefused(_("Choose a reason for the report."), field="reason")
    try:
        with transaction.atomic():
            CommentReport.objects.create(comment=comment, reason=reason, ip_hash=salted(ip or "unknown"))
    except IntegrityError:
        return False  # this reader reported it already
    Comment.objects.filter(pk=comment.pk).update(reports=F("reports") + 1)
    return True


def may_moderate(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.has_perm("articles.moderate_comment"))


@transaction.atomic
def moderate(*, comment: Comment, action: str, by=None, via: str = AuditEntry.Via.SYSTEM) -> Comment:
    """Approve, reject, mark as spam, feature or unfeature a comment; audited with who and when."""
    if by is not None and not may_moderate(by):
        raise NotAllowed(_("you may not moderate comments"))
    if action not in {*_ACTIONS, "feature", "unfeature"}:
        raise ServiceError(_("unknown moderation action “%(action)s”") % {"action": action})
    current = Comment.objects.select_for_update().select_related("article").get(pk=comment.pk)
    if action in _ACTIONS:
        current.status = _ACTIONS[action]
    else:
        current.featured = action == "feature"
        if current.featured:
            current.status = Comment.Status.APPROVED  # featuring shows it
    current.moderated_at = timezone.now()
    current.moderated_by = editor_of(by)
    current.save(update_fields=["status", "featured", "moderated_at", "moderated_by"])
    _audit(current.article, by=by, via=via, detail={"comment": current.pk, "action": action})
    pagecache.story_page_changed(current.article_id)
    return current


@transaction.atomic
def forget_commenter(*, email: str, by=None, via: str = AuditEntry.Via.SYSTEM) -> int:
    """Delete every comment written with this e-mail address (a reader's request); returns how many."""
    if by is not None and not may_moderate(by):
        raise NotAllowed(_("you may not moderate comments"))
    email_hash = salted((email or "").strip().casefold())
    comments = Comment.objects.filter(email_hash=email_hash)
    count = comments.count()
    stories = set(comments.values_list("article_id", flat=True))
    comments.delete()
    for article in Article.objects.filter(pk__in=stories):
        _audit(article, by=by, via=via, detail={"forgot_commenter": True})
        pagecache.story_page_changed(article.pk)
    return count


@transaction.atomic
def delete_comments(*, comments: Iterable[Comment], by=None, via: str = AuditEntry.Via.SYSTEM) -> int:
    """Delete these comments for good, with the replies under them (a moderator's delete in the admin); each
    story's page moves on and the deletion is in its audit trail. Returns how many comments went."""
    if by is not None and not may_moderate(by):
        raise NotAllowed(_("you may not moderate comments"))
    doomed = Comment.objects.filter(pk__in=[comment.pk for comment in comments])
    named = dict(doomed.values_list("pk", "article_id"))
    _deleted, per_model = doomed.delete()  # replies go with their parent (on_delete=CASCADE)
    for article in Article.objects.filter(pk__in=set(named.values())):
        ids = sorted(pk for pk, story in named.items() if story == article.pk)
        _audit(article, by=by, via=via, detail={"deleted_comments": ids})
        pagecache.story_page_changed(article.pk)
    return per_model.get(Comment._meta.label, 0)


def _audit(article: Article, *, by, via: str, detail: dict) -> None:
    """A moderation action in the audit trail (comments are not story changes: no version, no revision)."""
    AuditEntry.objects.create(
        action=AuditEntry.Action.MODERATE,
        article=article,
        article_ref=article.pk,
        headline=article.headline[:500],
        user=editor_of(by),
        via=via,
        detail=detail,
    )
