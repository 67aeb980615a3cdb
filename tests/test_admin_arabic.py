"""The editors' screens in Arabic first: no half-translated words, tools where the admin puts them, the parser's
warnings, revision comments and diff labels through the catalogues, confirmations before restoring, the
admin's date and time widgets, labelled inputs."""

import ast
import datetime
import re
import string
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.widgets import AdminSplitDateTime
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import trans_real

from articles import diff
from articles.admin import history, notes
from articles.admin.forms import TransitionForm
from articles.admin.paste import PasteMixin
from articles.models import Article, AuditEntry, Part
from articles.selectors import history as revisions_of
from articles.services import stories as story_services
from articles.services import workflow
from articles.services.ingest import IngestResult
from articles.wire import notes as wire_notes
from articles.wire import parse

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]
ARABIC_THEN_S = re.compile(r"[\u0600-\u06ff]s\b", re.IGNORECASE)  # «جزءs», «حصہS»


def change_url(article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


@pytest.fixture
def catalogue():
    """Put entries into the active Arabic catalogue for one test: proves a string is looked up, whatever the
    real catalogue holds today."""
    added = []

    def add(msgid, msgstr):
        with translation.override("ar"):
            table = trans_real.translation("ar")._catalog._catalogs[0]
        table[msgid] = msgstr
        added.append((table, msgid))

    yield add
    for table, msgid in added:
        table.pop(msgid, None)


class Inputs(HTMLParser):
    """The visible form controls inside one <div id=…> of a page, and every <label for> id of the page."""

    def __init__(self, within_id: str):
        super().__init__()
        self.within_id, self.depth = within_id, 0
        self.controls, self.label_for = [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "div" and (self.depth or attrs.get("id") == self.within_id):
            self.depth += 1
        if tag == "label" and attrs.get("for"):
            self.label_for.add(attrs["for"])
        if self.depth and tag in ("input", "select", "textarea") and attrs.get("type") != "hidden":
            self.controls.append(attrs)

    def handle_endtag(self, tag):
        if tag == "div" and self.depth:
            self.depth -= 1


# Plurals ---------------------------------------------------------------------------------------------


def test_every_model_names_its_plural():
    for model in apps.get_app_config("articles").get_models():
        assert "verbose_name_plural" in model._meta.original_attrs, model.__name__


def test_every_inline_that_names_itself_names_its_plural():
    """An inline with only a verbose_name gets "<name>s" as its plural, translated or not («جزءs»)."""
    inlines = [
        inline
        for model_admin in admin.site._registry.values()
        if model_admin.__module__.startswith("articles.")
        for inline in model_admin.inlines
    ]
    assert inlines
    for inline in inlines:
        if inline.verbose_name is not None:
            assert inline.verbose_name_plural is not None, inline.__name__


@pytest.mark.arabic_default
def test_the_arabic_story_page_has_no_half_translated_plural(editor_client, seed_story, catalogue):
    catalogue("part", "جزء")  # as the catalogues say: the inline's plural used to append "s" to it
    html = editor_client.get(change_url(seed_story)).content.decode()

    assert 'lang="ar" dir="rtl"' in html
    assert not ARABIC_THEN_S.search(html)


@pytest.mark.arabic_default
def test_the_urdu_story_page_has_no_half_translated_plural(editor_client, seed_story):
    editor_client.post("/i18n/setlang/", {"language": "ur", "next": "/admin/"})
    html = editor_client.get(change_url(seed_story)).content.decode()

    assert 'lang="ur"' in html
    assert not ARABIC_THEN_S.search(html)


# The story's tools ------------------------------------------------------------------------------------


@pytest.mark.arabic_default
@pytest.mark.parametrize("language", ["ar", "en", "ur"])
def test_workflow_buttons_sit_in_the_object_tools_row(editor_client, seed_story, language):
    editor_client.post("/i18n/setlang/", {"language": language, "next": "/admin/"})
    html = editor_client.get(change_url(seed_story)).content.decode()

    tools = re.search(r'<ul class="object-tools story-tools">(.*?)</ul>', html, re.S)
    assert tools, "the story's tools are in the admin's object-tools list"
    assert html.count("workflow-") == tools.group(1).count("workflow-")  # no step outside it
    assert 'class="workflow-unpublish"' in tools.group(1)
    assert reverse("admin:articles_article_revisions", args=[seed_story.pk]) in tools.group(1)
    assert "css/admin-story.css" in html  # the row's layout: no float over the title


def test_one_history_screen(editor_client, seed_story):
    html = editor_client.get(change_url(seed_story)).content.decode()
    django_history = reverse("admin:articles_article_history", args=[seed_story.pk])
    ours = reverse("admin:articles_article_revisions", args=[seed_story.pk])

    response = editor_client.get(django_history)

    assert html.count('class="historylink"') == 1 and django_history not in html
    assert response.status_code == 302 and response["Location"] == ours


# Parts --------------------------------------------------------------------------------------------------


def test_parts_are_named_by_their_number_never_none():
    assert str(Part(number=2)) == "2"
    assert str(Part()) == "new"


def test_part_headers_read_part_n_of_total(editor_client, seed_story):
    html = editor_client.get(change_url(seed_story)).content.decode()

    assert "Part 1 of 2" in html and "Part 2 of 2" in html
    assert "New part (#3)" in html
    assert "None/" not in html and f"{seed_story.pk}/1<" not in html


@pytest.mark.arabic_default
def test_part_headers_go_through_the_catalogue(editor_client, seed_story, catalogue):
    catalogue("Part %(number)s of %(total)s", "الجزء %(number)s من %(total)s")

    html = editor_client.get(change_url(seed_story)).content.decode()

    assert "الجزء 1 من 2" in html


# Labels of the inlines' inputs -------------------------------------------------------------------------


@pytest.mark.parametrize("group", ["credits-group", "parts-group"])
def test_every_input_of_the_inlines_is_labelled(editor_client, seed_story, group):
    page = Inputs(group)
    page.feed(editor_client.get(change_url(seed_story)).content.decode())

    assert page.controls
    unlabelled = [c for c in page.controls if not c.get("aria-label") and c.get("id") not in page.label_for]
    assert unlabelled == []


# The parser's warnings ---------------------------------------------------------------------------------


def test_every_parser_note_has_a_wording_in_the_catalogues():
    assert set(notes.WORDING) == set(wire_notes.ENGLISH)
    assert set(notes.THINGS) == set(wire_notes.THINGS)
    assert all(isinstance(wording, Promise) for wording in [*notes.WORDING.values(), *notes.THINGS.values()])


def _things_written_in(path: Path) -> set[str]:
    """The first string argument of every Piece(…), TailCut(…) and EnvelopeRule(…) a wire module writes."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("Piece", "EnvelopeRule"):
            first = node.args[0] if node.args else None
        elif isinstance(node, ast.Call) and getattr(node.func, "id", "") == "TailCut" and len(node.args) > 2:
            first = node.args[2]
        else:
            continue
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            found.add(first.value)
    return found


def test_every_kind_of_removed_line_is_known_to_the_notes():
    wire = ROOT / "articles" / "wire"
    written = _things_written_in(wire / "transmission.py") | _things_written_in(wire / "markers.py")

    assert written and written <= wire_notes.THINGS


def _sample(name):
    return {
        "count": 3,
        "date": datetime.date(2020, 9, 28),
        "filed": datetime.date(2020, 9, 29),
        "origin": wire_notes.note("origin-stamp", stamp="11:53 ت م"),
        "what": "rule line",
    }.get(name, f"[{name} «نص»]")


@pytest.mark.parametrize("code", sorted(wire_notes.ENGLISH))
def test_each_note_is_said_with_its_parameters_isolated(code):
    english = wire_notes.ENGLISH[code]
    wordings = english if isinstance(english, tuple) else (english,)
    names = {field for wording in wordings for _, field, _, _ in string.Formatter().parse(wording) if field}
    made = wire_notes.note(code, **{name: _sample(name) for name in names})

    with translation.override("en"):
        said = notes.say(made)

    for name in names - {"count", "what", "origin"}:
        value = _sample(name)
        shown = value.isoformat() if isinstance(value, datetime.date) else value
        assert f"<bdi>{shown}</bdi>" in said, (code, name, said)
    if "what" in names:
        assert "rule line" in said and "<bdi>rule line" not in said  # a word of the interface, translated
    if "origin" in names:
        assert "<bdi>11:53 ت م</bdi>" in said
    if "count" in names:
        assert "3" in said


def test_a_translation_with_a_wrong_placeholder_falls_back_to_english(catalogue):
    catalogue("removed the take label “%(label)s” from the headline", "حُذفت علامة %(lable)s")
    made = wire_notes.note("headline-label-removed", label="إضافة أولى")

    with translation.override("ar"):
        assert notes.say(made) == "removed take label &#x27;إضافة أولى&#x27; from the headline"  # escaped


def test_a_note_is_its_english_text_and_keeps_its_code():
    story = parse("عاجل: عنوان الخبر &amp; غيره\n\nالرياض (واس) - نص الخبر.\n")
    decoded = next(w for w in story.warnings if w.code == "references-decoded")

    assert decoded == "decoded 1 HTML character reference" and decoded.params == {"count": 1}
    assert str(decoded) == decoded and type(str(decoded)) is str


@pytest.mark.arabic_default
def test_parser_warnings_are_said_in_arabic_with_the_copy_isolated(editor_client, catalogue):
    catalogue("removed the take label “%(label)s” from the headline", "حُذفت علامة الإضافة «%(label)s» من العنوان")
    text = "عنوان الخبر - إضافة أولى\n\nالرياض (واس) - نص الخبر الأول.\n"

    html = editor_client.post(
        reverse("admin:articles_article_paste"), {"text": text, "language": "ar"}
    ).content.decode()

    warnings = re.search(r'<ul class="preview-warnings">(.*?)</ul>', html, re.S).group(1)
    assert "حُذفت علامة الإضافة «<bdi>إضافة أولى</bdi>» من العنوان" in warnings
    assert "removed take label" not in warnings


def test_the_save_message_says_the_warnings_and_counts_parts_by_plural_rules():
    take = wire_notes.note("headline-label-removed", label="إضافة <أولى>")
    result = IngestResult(article=None, action="created", parts=1, warnings=(take,))

    with translation.override("en"):
        message = PasteMixin._result_message(result)

    assert message.startswith("Story created with 1 part.")
    assert "<bdi>إضافة &lt;أولى&gt;</bdi>" in message


@pytest.mark.arabic_default
def test_a_refused_paste_says_why_in_the_interface_language(editor_client, catalogue):
    catalogue("no body: the copy has a headline but no story text", "لا نص: في النسخة عنوان بلا نص")

    html = editor_client.post(
        reverse("admin:articles_article_paste"), {"text": "عنوان وحده\n", "language": "ar"}
    ).content.decode()

    assert "لا نص: في النسخة عنوان بلا نص" in html and "no body" not in html


def test_the_paste_preview_numbers_a_take_as_it_will_be_stored(editor_client, seed_story):
    text = "عنوان الإضافة\n\nنص الإضافة الجديدة عن الموضوع نفسه.\n"

    html = editor_client.post(
        reverse("admin:articles_article_paste"), {"text": text, "language": "ar", "append_to": seed_story.pk}
    ).content.decode()

    assert "Part 3" in html and "Part 1<" not in html


# Revisions: comments, labels, restore ------------------------------------------------------------------


def _comments_written() -> set[str]:
    """Every revision comment a literal in the code writes: comment="…" arguments and parameter defaults."""
    found = set()
    for path in (ROOT / "articles").rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.keyword) and node.arg == "comment" and isinstance(node.value, ast.Constant):
                found.add(node.value.value)
            if isinstance(node, ast.FunctionDef) and node.args.kwonlyargs:
                for arg, default in zip(node.args.kwonlyargs, node.args.kw_defaults, strict=True):
                    if arg.arg == "comment" and isinstance(default, ast.Constant):
                        found.add(default.value)
    return {comment for comment in found if isinstance(comment, str) and comment}


def test_every_revision_comment_has_a_wording():
    written = _comments_written() | set(workflow.TRANSITIONS)

    assert {"edited", "part edited", "ingested wire copy", "publish"} <= written
    assert written - set(history.COMMENTS) == set()


def test_comments_are_worded_when_shown_old_ones_too(catalogue):
    catalogue("part edited", "عُدِّل جزء")
    catalogue("restored revision %(id)s", "استُعيدت النسخة %(id)s")

    with translation.override("ar"):
        assert history.comment("part edited") == "عُدِّل جزء"
        assert history.comment("restored revision 381") == "استُعيدت النسخة <bdi>381</bdi>"
        assert history.comment("a comment <nobody> worded") == "<bdi>a comment &lt;nobody&gt; worded</bdi>"


def test_diff_labels_are_worded_in_the_interface_language(catalogue):
    catalogue("part %(number)s", "الجزء %(number)s")
    catalogue("headline", "العنوان")
    changes = diff.compare(
        {"article": {"headline": "أ"}, "parts": [{"number": 2, "body": "ب", "continues": False}]},
        {"article": {"headline": "ج"}, "parts": [{"number": 2, "body": "د", "continues": False}]},
    )

    with translation.override("ar"):
        assert [history.change_label(change) for change in changes] == ["العنوان", "الجزء 2"]
    assert [change.label for change in changes] == ["headline", "part 2"]  # the pure module stays English


@pytest.mark.arabic_default
def test_the_history_screen_says_each_revision_in_arabic(editor_client, seed_story, editor, catalogue):
    catalogue("edited", "حُرِّر")
    story_services.edit_story(article=seed_story, changes={"summary": "خلاصة"}, by=editor)
    workflow.transition(article=seed_story.pk, name="correct", note="صُحّح الاسم", by=editor)

    html = editor_client.get(reverse("admin:articles_article_revisions", args=[seed_story.pk])).content.decode()

    rows = re.search(r'<table id="revision-list">(.*?)</table>', html, re.S).group(1)
    assert "حُرِّر" in rows and ">edited<" not in rows
    with translation.override("ar"):
        assert str(AuditEntry.Action.CORRECT.label) in rows  # the step that made the revision
    assert "صُحّح الاسم" in rows  # and its note, on the same row


def test_restore_asks_first_then_restores_on_post(editor_client, seed_story, editor):
    original = seed_story.headline
    story_services.edit_story(article=seed_story, changes={"headline": "عنوان جديد للخبر"}, by=editor)
    old = list(revisions_of(seed_story))[1]
    url = reverse("admin:articles_article_restore", args=[seed_story.pk, old.pk])

    history_page = editor_client.get(reverse("admin:articles_article_revisions", args=[seed_story.pk])).content
    asked = editor_client.get(url)

    assert f'href="{url}"' in history_page.decode()  # a link to the question, not a one-click form
    assert asked.status_code == 200
    page = asked.content.decode()
    assert 'id="restore-diff"' in page and "<ins>" in page and 'method="post"' in page
    assert Article.objects.get(pk=seed_story.pk).headline == "عنوان جديد للخبر"  # nothing restored yet

    done = editor_client.post(url)

    assert done.status_code == 302
    assert Article.objects.get(pk=seed_story.pk).headline == original


def test_restoring_an_unknown_revision_goes_back_with_a_message(editor_client, seed_story):
    url = reverse("admin:articles_article_restore", args=[seed_story.pk, 999_999])

    response = editor_client.get(url)

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:articles_article_revisions", args=[seed_story.pk])


def test_a_reporter_is_not_asked_to_restore(client, role, seed_story):
    client.force_login(role("Reporter"))
    version = revisions_of(seed_story).first()

    response = client.get(reverse("admin:articles_article_restore", args=[seed_story.pk, version.pk]))

    assert response.status_code in (403, 404)


# The save conflict ---------------------------------------------------------------------------------------


@pytest.mark.arabic_default
def test_the_save_conflict_names_changes_in_the_interface_language(editor_client, seed_story, editor, catalogue):
    from .admin_forms import change_form_data

    catalogue("part %(number)s", "الجزء %(number)s")
    data = change_form_data(seed_story, extra={"summary": "خلاصتي"})
    part = seed_story.parts.get(number=2)
    story_services.edit_story(article=seed_story, changes={}, parts=_edit_part(part, "نص معدل للجزء الثاني"), by=editor)

    html = editor_client.post(change_url(seed_story), data).content.decode()

    assert "الجزء 2" in html and "part 2" not in html
    assert f"<bdi>{editor}</bdi>" in html


def _edit_part(part, body):
    from articles.services.parts import NewPart, PartEdits

    return PartEdits(edited={part.number: NewPart(body=body, continues=part.continues, label=part.label)})


# The publish/schedule form ------------------------------------------------------------------------------


def test_the_schedule_form_uses_the_admins_date_and_time_widgets_and_names_the_zone(editor_client, settings):
    draft = _draft()

    html = editor_client.get(reverse("admin:articles_article_transition", args=[draft.pk, "publish"])).content.decode()

    assert isinstance(TransitionForm().fields["at"].widget, AdminSplitDateTime)
    assert 'class="vDateField"' in html and 'class="vTimeField"' in html
    assert "admin/js/admin/DateTimeShortcuts.js" in html and "jsi18n" in html
    assert f"<bdi>{settings.TIME_ZONE} (UTC" in html


def test_a_time_typed_in_the_widgets_schedules_in_the_site_zone(editor_client, settings):
    draft = _draft()
    later = datetime.date.today() + datetime.timedelta(days=30)

    editor_client.post(
        reverse("admin:articles_article_transition", args=[draft.pk, "publish"]),
        {"at_0": later.isoformat(), "at_1": "09:30:00"},
    )

    draft.refresh_from_db()
    local = draft.published_at.astimezone(ZoneInfo(settings.TIME_ZONE))
    assert draft.is_scheduled and (local.date(), local.hour, local.minute) == (later, 9, 30)


def _draft():
    from articles.services.parts import NewPart

    return story_services.create_story(headline="مسودة", parts=[NewPart(body="نص المسودة.", continues=False)])


@pytest.mark.parametrize(
    ("count", "arabic"),
    [
        (1, "وتنبيه آخر"),
        (2, "وتنبيهان آخران"),
        (5, "و5 تنبيهات أخرى"),
        (11, "و11 تنبيهًا آخر"),
        (2951, "و2951 تنبيهًا آخر"),
    ],
)
def test_how_many_more_warnings_is_said_in_arabic_by_its_number(count, arabic):
    with translation.override("ar"):
        assert notes.say(wire_notes.note("more-warnings", count=count)) == arabic
