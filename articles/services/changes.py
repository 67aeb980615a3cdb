"""The one change unit every write to a story goes through, and the announcement its followers hear.

    with story_change(article, by=user, via=AuditEntry.Via.API, expected_version=7, comment="edited") as change:
        change.article.headline = "…"          # fields: set them on the locked row; the unit sees what changed
        change.parts_changed(3)                 # rows beside the story: say what you touched
        change.record(AuditEntry.Action.PUBLISH, detail)   # an editorial action: one audit entry

On entry the unit locks the story's row and refuses a write based on an older version. On a clean exit
it writes the changed fields, raises `version` by exactly one, records one revision (the story with its
parts, credits and corrections) and at most one audit entry, all in the caller's transaction; after the
commit it announces `story_changed(article_id, version, what)` once to the receivers registered with
`receiver`. A change that touched nothing writes nothing and announces nothing; a change that raised is
rolled back and never announced. A service called inside an open change to the same story joins it, so
composite writes (ingest: create, credit, append, publish) are still one change.
"""

from __future__ import annotations

import copy
import json
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.python import Serializer as PythonSerializer
from django.db import router, transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from reversion.models import Revision, Version

from articles import prefetched
from articles.models import Article, ArticleSource, AuditEntry
from newsroom.inserts import insert

from .errors import NotAllowed, StaleVersion, StoryGone

logger = logging.getLogger(__name__)

# The statuses readers see a story in (Article.objects.public, once its published_at has come).
_PUBLIC_STATUSES = frozenset({Article.Status.PUBLISHED, Article.Status.RETRACTED})

# Fields the unit itself keeps: they never count as an editorial change.
_BOOKKEEPING = frozenset({"version", "updated_at", "updated_by_id", "headline_key"})


@dataclass(frozen=True)
class What:
    """What one change did to a story, as its followers need to know it."""

    action: str = ""  # the revision comment: "edited", "publish", "ingested wire copy" …
    created: bool = False
    deleted: bool = False
    fields: frozenset[str] = frozenset()  # field names: "headline", "summary", "section", "status" …
    parts: frozenset[int] = frozenset()  # numbers of the parts added, edited, moved or removed
    credits: bool = False
    corrections: bool = False
    status: bool = False
    translation: bool = False  # what the translation renders of its original (marked current)
    via: str = AuditEntry.Via.SYSTEM
    # Published or retracted before or after the change (readers see it, saw it, or will once its time comes):
    # False for a draft or a story in review on both sides, whose changes no public page shows.
    public: bool = True
    # The story as the change stored it, its parts, credits and corrections loaded, when the change held them all
    # in memory (a story it created): a follower may read it instead of the database. None: read the database.
    story: Article | None = field(default=None, compare=False, repr=False)


Receiver = Callable[..., None]
_receivers: list[Receiver] = []


def receiver(function: Receiver) -> Receiver:
    """Register a follower of story changes: called as function(article_id=…, version=…, what=What(…))
    after the change committed. Usable as a decorator; registering twice is harmless."""
    if function not in _receivers:
        _receivers.append(function)
    return function


def disconnect(function: Receiver) -> None:
    if function in _receivers:
        _receivers.remove(function)


def announce(*, article_id: int, version: int, what: What) -> None:
    """Tell every receiver about one committed change; a failing receiver is logged and never stops the others
    (the change is already stored: a follower that failed must catch up, not undo it)."""
    for function in list(_receivers):
        try:
            function(article_id=article_id, version=version, what=what)
        except Exception:
            logger.exception("receiver %s failed on story %s version %s", function, article_id, version)


def editor_of(by):
    """The user to credit with a change: None for the system and anonymous."""
    return by if getattr(by, "is_authenticated", False) else None


@dataclass
class Change:
    """An open change to one story: the services write through it; the unit closes it."""

    by: object = None
    via: str = AuditEntry.Via.SYSTEM
    comment: str = ""
    article: Article | None = None
    created: bool = False
    deleted: bool = False
    parts: set[int] = field(default_factory=set)
    credits: bool = False
    corrections: bool = False
    translation: bool = False
    _original: dict = field(default_factory=dict)
    _inserted: bool = False  # this change inserted the story (create, insert): its INSERT wrote it whole
    _audit: tuple[str, dict] | None = None
    # The rows beside the story, by relation, while every one of them was written through this change (a story it
    # created): its revision and its followers then need not read them back. None: they must be read.
    _rows: dict[str, list] | None = None

    # What the services call ---------------------------------------------------------------------

    def create(self, **fields) -> Article:
        """Begin the story this change creates (version 1), held unsaved until `insert()`: what the change does
        to it before it needs a row of its own (ingest's publication) is written in the same INSERT, not by an
        UPDATE after it. The unit inserts it on closing if no service did."""
        if self.article is not None:
            raise RuntimeError("this change already has its story")
        user = editor_of(self.by)
        self.article = Article(**fields, created_by=user, updated_by=user)
        self.created = True
        return self.article

    def insert(self) -> Article:
        """Write the story this change creates, as it is now, so that rows beside it (parts, credits) can be."""
        article = self.article
        if self.created and article.pk is None:
            # As save(force_insert=True) writes it, less the signals: nothing here listens for a story's save
            # (reversion's listener acts only inside its own revision blocks; this unit records the revision).
            insert([article])
            self._inserted = True
            self._original = _state_of(article)
            self._rows = {name: [] for name in _FOLLOWED}
            _open_changes()[article.pk] = self
        return article

    def adopt(self, article: Article) -> None:
        """This change brought the story (back) into existence: a recovery."""
        self.article, self.created = article, True
        _open_changes()[article.pk] = self

    def rows(self, name: str) -> list | None:
        """The story's `name` rows ("parts", "credits") when this change holds them all, else None (read them)."""
        return None if self._rows is None else list(self._rows[name])

    def parts_added(self, parts: list) -> None:
        """Parts this change inserted (and nothing else about them changed)."""
        self.parts.update(part.number for part in parts)
        self._keep("parts", parts)

    def credits_added(self, credits: list) -> None:
        """Credits this change inserted (and nothing else about them changed)."""
        if credits:
            self.credits = True
            self._keep("credits", credits)

    def parts_changed(self, *numbers: int) -> None:
        self.parts.update(numbers)
        self._rows = None

    def credits_changed(self) -> None:
        self.credits = True
        self._rows = None

    def corrections_changed(self) -> None:
        self.corrections = True
        self._rows = None

    def translation_changed(self) -> None:
        self.translation = True

    def record(self, action: str, detail: dict | None = None) -> None:
        """This change is an editorial action: it gets one audit entry (one, whatever else it does)."""
        if self._audit is not None and self._audit[0] != action:
            raise RuntimeError(f"a change is one editorial action: {self._audit[0]} already, not also {action}")
        self._audit = (action, detail or {})

    def require_edit(self) -> None:
        """Refuse a user who may not edit this story (as it is now, under the lock)."""
        from .workflow import can_edit  # the editing rule lives with the workflow states

        if not can_edit(self.by, self.article):
            from articles.selectors.stories import visible_to

            if not visible_to(self.by).filter(pk=self.article.pk).exists():
                # the headline of a story this user may not see is not theirs to read, even in a refusal
                raise NotAllowed(
                    _("you may not change story %(id)s: you may edit only your own drafts") % {"id": self.article.pk}
                )
            raise NotAllowed(
                _("you may not change story %(id)s (“%(headline)s”): you may edit only your own drafts")
                % {"id": self.article.pk, "headline": self.article.headline[:80]}
            )

    def delete(self) -> None:
        """Delete the story; its last revision is recorded first, so it can be recovered."""
        self._revision(self.article)
        self.deleted = True

    # The unit -------------------------------------------------------------------------------------

    @property
    def fields(self) -> frozenset[str]:
        """The story's fields this change set to new values (after creation, for a new story)."""
        if self.article is None:
            return frozenset()
        changed = {
            name
            for name, value in self._original.items()
            if name not in _BOOKKEEPING and getattr(self.article, name) != value
        }
        return frozenset(_field_names(changed))

    @property
    def touched(self) -> bool:
        return bool(
            self.created
            or self.deleted
            or self.fields
            or self.parts
            or self.credits
            or self.corrections
            or self.translation
        )

    def _lock(self, pk: int, expected_version: int | None) -> None:
        current = Article.objects.select_for_update().filter(pk=pk).first()
        if current is None:
            raise StoryGone(_("there is no story with id %(id)s (it may have been deleted meanwhile)") % {"id": pk})
        if expected_version is not None and current.version != expected_version:
            raise StaleVersion(
                _("the story changed meanwhile: you edited version %(expected)s, the current version is %(current)s")
                % {"expected": expected_version, "current": current.version},
                current=current.version,
            )
        self.article = current
        self._original = _state_of(current)

    def _finish(self) -> None:
        if not self.touched:
            return
        article = self.article
        what = What(
            action=self.comment,
            created=self.created,
            deleted=self.deleted,
            fields=self.fields,
            parts=frozenset(self.parts),
            credits=self.credits,
            corrections=self.corrections,
            translation=self.translation,
            status=self.created or "status" in self.fields,
            via=self.via,
            public=self._original.get("status") in _PUBLIC_STATUSES or article.status in _PUBLIC_STATUSES,
        )
        if self.created:
            self.insert()
        pk = article.pk
        if self.deleted:
            self._audit_entry(article)
            article.delete()
            version = article.version
        else:
            if not self.created:
                article.version = self._original["version"] + 1
            if not self._inserted or what.fields:  # a story this change inserted as it stands is written
                article.updated_at = timezone.now()
                article.updated_by = editor_of(self.by)
                article.save(
                    update_fields=sorted({*what.fields, "version", "updated_at", "updated_by", "headline_key"})
                )
            if self.created or self.credits or "published_at" in what.fields:
                self._date_credits(article)
            version = article.version
            stored = self._stored()
            self._revision(stored)
            self._audit_entry(article)
            if self._rows is not None:
                what = replace(what, story=stored)
        transaction.on_commit(lambda: announce(article_id=pk, version=version, what=what))

    def _date_credits(self, article: Article) -> None:
        """Give the story's credits its publication time (ArticleSource.published_at, which related stories are
        read by): one statement when they may differ, none when this change wrote every credit and each has it."""
        held = self._rows["credits"] if self._rows is not None else None
        if held is not None:
            stale = [credit for credit in held if credit.published_at != article.published_at]
            for credit in stale:
                credit.published_at = article.published_at
            if stale:
                ArticleSource.objects.filter(pk__in=[credit.pk for credit in stale]).update(
                    published_at=article.published_at
                )
            return
        ArticleSource.objects.filter(article_id=article.pk).exclude(published_at=article.published_at).update(
            published_at=article.published_at
        )

    def _keep(self, name: str, rows: list) -> None:
        if self._rows is not None:
            self._rows[name] += rows

    def _stored(self) -> Article:
        """The story as stored now, with the rows its revision follows: from memory when this change wrote them
        all, else read back (a row changed in place, or a story that had rows before)."""
        if self._rows is None:
            # What reversion follows (apps.py: parts, credits, corrections), one statement each; a credit's source
            # names it in the revision.
            credits = Prefetch("credits", queryset=ArticleSource.objects.select_related("source"))
            return Article.objects.prefetch_related("parts", credits, "corrections").get(pk=self.article.pk)
        return _with_rows(self.article, self._rows)

    def _revision(self, article: Article) -> None:
        """One revision of the story as stored now, with the rows it follows, written as reversion writes it (its
        Revision and Version models, read back by the history, the previews and restore) in two statements.

        Not through reversion.create_revision(): before it writes, it asks the database, one statement per model
        (story, parts, credits, corrections), whether each row still exists: rows this change has just written or
        read back in its own transaction. tests/test_revisions.py holds both to the same rows."""
        db = router.db_for_write(Revision)
        [revision] = insert(
            [Revision(date_created=timezone.now(), user=editor_of(self.by), comment=self.comment)], using=db
        )
        rows = [article, *(row for name in REVISION_FOLLOWS for row in getattr(article, name).all())]
        insert([_version(revision, row, db, data) for row, data in zip(rows, _as_json(rows), strict=True)], using=db)

    def _audit_entry(self, article: Article) -> None:
        if self._audit is None:
            return
        action, detail = self._audit
        entry = AuditEntry(
            action=action,
            article=None if self.deleted else article,
            article_ref=article.pk,
            headline=article.headline[:500],
            user=editor_of(self.by),
            via=self.via,
            detail={**detail, "version": article.version},
        )
        insert([entry])


# What a story's revision holds beside the story: apps.py registers Article with reversion following these.
REVISION_FOLLOWS = ("parts", "credits", "corrections")

# What a revision holds beside the story (the rows it follows; the serialiser reads the many-to-many
# translators): a story this change created has none of them until the change writes some.
_FOLLOWED = (*REVISION_FOLLOWS, "translated_by")


class _PythonSerializer(PythonSerializer):
    """Django's python serializer, except that a many-to-many relation held in memory (prefetched, or held by the
    change: articles.prefetched) is read from there without first building the query it would otherwise run
    (Django's handle_m2m_field builds it as a default argument, for every row: a twentieth of an ingest)."""

    def handle_m2m_field(self, obj, field):
        held = getattr(obj, "_prefetched_objects_cache", {}).get(field.name)
        if held is None or self.use_natural_foreign_keys or not field.remote_field.through._meta.auto_created:
            return super().handle_m2m_field(obj, field)
        self._current[field.name] = [self._value_from_field(related, related._meta.pk) for related in held]


def _as_json(rows: list) -> list[str]:
    """Each row as Django's JSON serializer writes it alone (`serializers.serialize("json", [row])`, which
    reversion stores): its Python form for all of them in one pass, then each written as that serializer
    writes one (a list of one object, compact, non-ASCII kept)."""
    return [
        "[" + json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False) + "]"
        for data in _PythonSerializer().serialize(rows)
    ]


def _version(revision: Revision, row, db: str, data: str) -> Version:
    """One row's place in a revision, as reversion's add_to_revision() makes it for a model registered with its
    defaults (JSON, every local field and many-to-many, no natural keys); `data`: the row as JSON (_as_json)."""
    model = type(row)
    return Version(
        revision=revision,
        content_type=ContentType.objects.db_manager(db).get_for_model(model),
        object_id=force_str(row.pk),
        db=db,
        format="json",
        serialized_data=data,
        object_repr=force_str(row),
    )


def _with_rows(article: Article, rows: dict[str, list]) -> Article:
    """A copy of `article` whose related rows are `rows`, held exactly as prefetch_related holds what it loaded, so
    that reading them (reversion's follow, the serialiser, a follower) asks nothing of the database. A copy: the
    story the services return keeps no cache that a later change would leave stale."""
    stored = copy.copy(article)
    stored._prefetched_objects_cache = {}  # the copy's own, not the original's
    for name, found in rows.items():
        prefetched.hold(stored, name, found)
    return stored


def _state_of(article: Article) -> dict:
    return {f.attname: getattr(article, f.attname) for f in Article._meta.concrete_fields}


def _field_names(attnames) -> set[str]:
    by_attname = {f.attname: f.name for f in Article._meta.concrete_fields}
    return {by_attname.get(name, name) for name in attnames}


_open: ContextVar[dict[int, Change] | None] = ContextVar("open_story_changes", default=None)


def _open_changes() -> dict[int, Change]:
    changes = _open.get()
    if changes is None:
        changes = {}
        _open.set(changes)
    return changes


@contextmanager
def story_change(
    article: Article | int | None,
    *,
    by=None,
    via: str = AuditEntry.Via.SYSTEM,
    expected_version: int | None = None,
    comment: str = "",
    savepoint: bool = True,
) -> Iterator[Change]:
    """Open the one change unit for a story (None: a change that creates one with change.create).

    Inside a caller's transaction the change is a savepoint, so that a caller who catches its refusal (the
    admin, showing a form error) can go on; `savepoint=False` for a caller whose transaction ends with any
    error of the change (ingest): two round trips fewer, and a failed change leaves that transaction unusable."""
    pk = article.pk if isinstance(article, Article) else article
    joined = _open_changes().get(pk) if pk is not None else None
    if joined is not None:
        original = joined._original.get("version", 1)
        if expected_version is not None and expected_version != original:
            raise StaleVersion(
                _("the story changed meanwhile: you edited version %(expected)s, the current version is %(current)s")
                % {"expected": expected_version, "current": original},
                current=original,
            )
        yield joined
        return
    outer = _open.get()
    token = _open.set(dict(outer or {}))
    try:
        with transaction.atomic(savepoint=savepoint):
            change = Change(by=by, via=via, comment=comment)
            if pk is not None:
                change._lock(pk, expected_version)
                _open_changes()[pk] = change
            yield change
            change._finish()
    finally:
        _open.reset(token)
