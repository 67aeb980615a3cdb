"""A story's history in the interface language: what each revision did, and what a comparison found.

Revision comments are stored as the services write them (`edited`, `part edited`, `restored revision 381`,
a workflow step's name …): short English codes that the API returns as they are and that every revision
already stored carries. The admin never shows them raw: known comments are worded through the catalogues
here, when they are shown, so old revisions and new ones read alike in Arabic, English and Urdu; a comment
nobody wrote a wording for (a test's, a future service's) is shown as stored, isolated in `<bdi>`.
"""

import re

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from articles import diff
from articles.models import Article, AuditEntry, Part

from .notes import isolated

COMMENTS = {
    # stories and parts (services/stories.py, parts.py, ingest.py, translations.py, the admin, the API)
    "created": pgettext_lazy("revision", "created"),
    "created in the admin": _("created in the admin"),
    "created through the API": _("created through the API"),
    "ingested wire copy": _("ingested wire copy"),
    "edited": _("edited"),
    "parts appended": _("parts appended"),
    "part edited": _("part edited"),
    "part deleted": _("part deleted"),
    "before deletion": _("last revision before deletion"),
    "recovered after deletion": _("recovered after deletion"),
    "translation created": _("translation created"),
    "marked current": _("translation marked current"),
    # workflow steps (services/workflow.py stores the step's name)
    "submit": _("submitted for review"),
    "return": _("returned to draft"),
    "publish": _("published"),
    "unpublish": _("unpublished"),
    "correct": _("correction added"),
    "retract": _("retracted"),
}
# services/revisions.py: f"restored revision {version_id}"
RESTORED = re.compile(r"restored revision (?P<id>\d+)")


def comment(stored: str) -> SafeString:
    """A revision's comment as the editor reads it."""
    if stored in COMMENTS:
        return format_html("{}", COMMENTS[stored])
    restored = RESTORED.fullmatch(stored or "")
    if restored:
        # the wording is ours (the catalogues, as a template's blocktranslate); the number is isolated
        return mark_safe(gettext("restored revision %(id)s") % {"id": isolated(restored["id"])})
    return isolated(stored) if stored else SafeString("—")


def field_label(name: str) -> str:
    """A story field's name as the form labels it (its verbose name, translated)."""
    try:
        return str(Article._meta.get_field(name).verbose_name)
    except Exception:  # a field of an older schema, kept in an old revision
        return name


def change_label(change: diff.Change) -> str:
    """What a comparison found different, labelled in the interface language: "headline", "part 2", "part 2, take
    label", "credited sources" …"""
    if change.part is not None:
        part = gettext("part %(number)s") % {"number": change.part}
        if change.field in ("label", "continues"):
            return part + pgettext("list separator", ", ") + str(Part._meta.get_field(change.field).verbose_name)
        return part
    if change.field == "credits":
        return gettext("credited sources")
    if change.field:
        return field_label(change.field)
    return change.label


def change_html(change: diff.Change) -> str:
    """The change marked up for the history and restore screens: the words removed and added, or for a part's
    "continues" flag the two answers (Django's own "Yes" and "No", in the interface language)."""
    if change.field == "continues":
        said = {"True": gettext("Yes"), "False": gettext("No")}
        return format_html("<del>{}</del><ins>{}</ins>", said[change.before], said[change.after])
    return change.html


def changed_labels(changes) -> str:
    """The labels of several changes, as a sentence lists them ("headline, part 2")."""
    return pgettext("list separator", ", ").join(change_label(change) for change in changes)


def steps_by_version(article: Article) -> dict[int, AuditEntry]:
    """The workflow steps and other editorial actions of a story, by the version they produced: each
    revision shows the step (and its note) that made it, so one screen holds the whole history."""
    entries = AuditEntry.objects.filter(article=article).order_by("at", "pk")
    return {entry.detail.get("version"): entry for entry in entries if isinstance(entry.detail, dict)}


def step_note(entry: AuditEntry | None) -> str:
    """The text a step carried for readers (a correction's note, a retraction's notice), if any."""
    if entry is None:
        return ""
    return entry.detail.get("note") or entry.detail.get("notice") or ""
