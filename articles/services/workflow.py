"""The editorial workflow: one state machine for every door (admin buttons and actions, API endpoints).

draft → in review → published → retracted; published with a future published_at is scheduled;
a correction keeps a published story published and adds a dated public note.
"""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.models import Article, AuditEntry, Correction

from .changes import Change, editor_of, story_change
from .errors import InvalidTransition, NotAllowed, ServiceError
from .stories import check_text

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
    """Editors edit any story; reporters their own drafts (and stories returned to them) only; translators
    also the draft translations they are credited on."""
    if user is None:
        return True
    if not user.has_perm("articles.change_article"):
        return False
    if user.has_perm("articles.edit_any_article"):
        return True
    if article.status != S.DRAFT:
        return False
    return article.created_by_id == user.pk or (
        article.translation_of_id is not None and article.translated_by.filter(pk=user.pk).exists()
    )


def allowed(user, article: Article, name: str) -> bool:
    """Whether the user may make this transition now (state and permission), without saying why not."""
    try:
        check(user, article, name)
    except ServiceError:
        return False
    return True


_REFUSED = {
    "submit": gettext_lazy("you may not submit stories"),
    "return": gettext_lazy("you may not return stories to draft"),
    "publish": gettext_lazy("you may not publish stories"),
    "unpublish": gettext_lazy("you may not unpublish stories"),
    "correct": gettext_lazy("you may not correct stories"),
    "retract": gettext_lazy("you may not retract stories"),
}
_DONE = {
    "submit": gettext_lazy("submitted"),
    "return": gettext_lazy("returned"),
    "publish": gettext_lazy("published"),
    "unpublish": gettext_lazy("unpublished"),
    "correct": gettext_lazy("corrected"),
    "retract": gettext_lazy("retracted"),
}


def check(user, article: Article, name: str, *, has_parts: bool | None = None) -> Transition:
    """The transition, if the user may make it on the story as it is now; else why not. `has_parts`: whether
    the story has a part, when the caller knows (a change holding the rows it wrote); None: ask the database."""
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise InvalidTransition(
            _("unknown action “%(name)s”; known: %(known)s") % {"name": name, "known": ", ".join(TRANSITIONS)}
        )
    if user is not None and not user.has_perm(transition.permission):
        raise NotAllowed(str(_REFUSED[name]))
    if name == "submit" and user is not None and not can_edit(user, article):
        raise NotAllowed(_("you may submit only your own drafts"))
    sources = transition.sources
    if name == "publish" and article.is_scheduled:
        sources = sources | {S.PUBLISHED}  # publishing a scheduled story now, or at another time
    if article.status not in sources:
        raise InvalidTransition(
            _("a story that is %(status)s cannot be %(done)s (it must be %(allowed)s)")
            % {
                "status": article.get_status_display(),
                "done": _DONE[name],
                "allowed": _(" or ").join(sorted(str(Article.Status(s).label) for s in sources)),
            }
        )
    if name == "publish" and not (article.parts.exists() if has_parts is None else has_parts):
        raise InvalidTransition(_("a story needs at least one part to be published"))
    return transition


def apply(change: Change, name: str, *, at=None, note: str = "", has_parts: bool | None = None) -> Article:
    """Make a workflow step inside an open change (ingest publishes this way in the change that creates, before
    the story's INSERT: `has_parts` then says whether it will have parts)."""
    current = change.article
    if has_parts is None:
        parts = change.rows("parts")
        has_parts = None if parts is None else bool(parts)
    spec = check(change.by, current, name, has_parts=has_parts)
    note = (note or "").replace("\r\n", "\n").strip()
    if spec.needs_note and not note:
        raise InvalidTransition(_("to %(step)s a story, write the note readers will see") % {"step": name})
    if note:
        check_text(_("note"), note, limit=5000)
    now = timezone.now()
    action, detail = name, {"from": current.status}
    if name == "publish":
        when = at or now
        current.published_at = when
        action = AuditEntry.Action.SCHEDULE if when > now else AuditEntry.Action.PUBLISH
        detail["published_at"] = when.isoformat()
    elif name == "unpublish":
        current.published_at = None
    elif name == "retract":
        current.retraction_notice, current.retracted_at = note, now
        detail["notice"] = note
    elif name == "correct":
        Correction.objects.create(article=current, note=note, created_by=editor_of(change.by))
        change.corrections_changed()
        detail["note"] = note
    current.status = spec.target
    change.record(action, detail)
    return current


def transition(
    *,
    article: Article | int,
    name: str,
    by=None,
    via: str = AuditEntry.Via.SYSTEM,
    at=None,
    note: str = "",
    expected_version: int | None = None,
) -> Article:
    """Move a story through the workflow; refused with InvalidTransition or NotAllowed and a clear message."""
    with story_change(article, by=by, via=via, expected_version=expected_version, comment=name) as change:
        return apply(change, name, at=at, note=note)
