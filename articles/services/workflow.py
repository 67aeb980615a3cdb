"""The editorial workflow: one state machine for every door (admin buttons and actions, API endpoints).

draft → in review → published → retracted; published with a future published_at is scheduled;
a correction keeps a published story published and adds a dated public note.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from articles.models import Article, AuditEntry, Correction

from .articles import bump_version, lock_current
from .audit import audit
from .errors import InvalidTransition, NotAllowed, ServiceError
from .revisions import include, recording

S = Article.Status


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset
    target: str
    permission: str
    needs_note: bool = False


TRANSITIONS = {
    t.name: t
    for t in [
        Transition("submit", frozenset({S.DRAFT}), S.IN_REVIEW, "articles.submit_article"),
        Transition("return", frozenset({S.IN_REVIEW}), S.DRAFT, "articles.publish_article"),
        Transition("publish", frozenset({S.DRAFT, S.IN_REVIEW}), S.PUBLISHED, "articles.publish_article"),
        Transition("unpublish", frozenset({S.PUBLISHED}), S.DRAFT, "articles.publish_article"),
        Transition("correct", frozenset({S.PUBLISHED}), S.PUBLISHED, "articles.correct_article", needs_note=True),
        Transition("retract", frozenset({S.PUBLISHED}), S.RETRACTED, "articles.retract_article", needs_note=True),
    ]
}


def can_edit(user, article: Article) -> bool:
    """Editors edit any story; reporters their own drafts (and stories returned to them) only."""
    if user is None:
        return True
    if not user.has_perm("articles.change_article"):
        return False
    if user.has_perm("articles.edit_any_article"):
        return True
    return article.created_by_id == user.pk and article.status == S.DRAFT


def allowed(user, article: Article, name: str) -> bool:
    """Whether the user may make this transition now (state and permission), without saying why not."""
    try:
        check(user, article, name)
    except ServiceError:
        return False
    return True


def check(user, article: Article, name: str) -> Transition:
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise InvalidTransition(f"unknown action “{name}”; known: {', '.join(TRANSITIONS)}")
    if user is not None and not user.has_perm(transition.permission):
        raise NotAllowed(f"you may not {name} stories")
    if name == "submit" and user is not None and not can_edit(user, article):
        raise NotAllowed("you may submit only your own drafts")
    sources = transition.sources
    if name == "publish" and article.is_scheduled:
        sources = sources | {S.PUBLISHED}  # publishing a scheduled story now, or at another time
    if article.status not in sources:
        raise InvalidTransition(
            f"a story that is {article.get_status_display()} cannot be {_past(name)}"
            f" (it must be {' or '.join(sorted(str(Article.Status(s).label) for s in sources))})"
        )
    if name == "publish" and not article.parts.exists():
        raise InvalidTransition("a story needs at least one part to be published")
    return transition


def _past(name: str) -> str:
    return {
        "submit": "submitted",
        "return": "returned",
        "publish": "published",
        "unpublish": "unpublished",
        "correct": "corrected",
        "retract": "retracted",
    }.get(name, name)


@transaction.atomic
def transition(
    *,
    article: Article,
    name: str,
    by=None,
    via: str = AuditEntry.Via.SYSTEM,
    at=None,
    note: str = "",
    expected_version: int | None = None,
) -> Article:
    """Move a story through the workflow; refused with InvalidTransition or NotAllowed and a clear message."""
    current = lock_current(article, expected_version=expected_version)
    spec = check(by, current, name)
    note = (note or "").replace("\r\n", "\n").strip()
    if spec.needs_note and not note:
        raise InvalidTransition(f"to {name} a story, write the note readers will see")
    now = timezone.now()
    action, detail = name, {"from": current.status}
    with recording(f"{name}", by=by):
        if name == "publish":
            when = at or now
            if current.status == S.PUBLISHED and at is None:
                when = now
            current.published_at = when
            action = AuditEntry.Action.SCHEDULE if when > now else AuditEntry.Action.PUBLISH
            detail["published_at"] = when.isoformat()
        elif name == "unpublish":
            current.published_at = None
        elif name == "retract":
            current.retraction_notice, current.retracted_at = note, now
            detail["notice"] = note
        elif name == "correct":
            Correction.objects.create(article=current, note=note, created_by=by if _user(by) else None)
            detail["note"] = note
        current.status = spec.target
        current.save(update_fields=["status", "published_at", "retraction_notice", "retracted_at", "updated_at"])
        bump_version(current, by=_user(by))
        include(current)
    audit(article=current, action=action, by=by, via=via, detail=detail)
    return current


def _user(by):
    return by if getattr(by, "is_authenticated", False) else None


@transaction.atomic
def delete(*, article: Article, by=None, via: str = AuditEntry.Via.SYSTEM, expected_version: int | None = None):
    """Delete a story; its last revision stays, so it can be recovered, and the deletion is audited."""
    current = lock_current(article, expected_version=expected_version)
    with recording("before deletion", by=by):
        include(current)  # the revision a recovery will bring back
    audit(article=current, action=AuditEntry.Action.DELETE, by=by, via=via)
    current.delete()
