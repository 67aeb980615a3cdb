"""services/translations.py: language versions that know, paragraph by paragraph, what changed in the original."""

import pytest
from reversion.models import Version

from articles.models import Article, TranslationBaseline
from articles.services import NotAllowed, ServiceError, TranslationExists, stories, workflow
from articles.services import parts as part_services
from articles.services import translations as translation_services

from .factories import SourceFactory

pytestmark = pytest.mark.django_db

ORIGINAL = [
    "قال وزير الخارجية إن المحادثات ستستأنف الأسبوع المقبل.\n\nوأضاف أن الوفدين اتفقا على جدول الأعمال.",
    "وفي سياق متصل، رحبت الأمم المتحدة بالاتفاق.",
]
ENGLISH = [
    "The foreign minister said talks would resume next week.\n\nHe added that both delegations agreed the agenda.",
    "In a related development, the United Nations welcomed the agreement.",
]


@pytest.fixture
def original():
    return stories.create_story(
        headline="استئناف المحادثات الأسبوع المقبل",
        summary="اتفاق على جدول الأعمال",
        credits=[stories.Credit(SourceFactory().slug)],
        parts=[part_services.NewPart(body=body) for body in ORIGINAL],
        publish=True,
    )


@pytest.fixture
def english(original, role):
    return translation_services.create_translation(
        original=original,
        language="en",
        headline="Talks to resume next week",
        summary="Agenda agreed",
        parts=[part_services.NewPart(body=body) for body in ENGLISH],
        by=role("Translator"),
    )


@pytest.fixture
def following(django_capture_on_commit_callbacks):
    """Run a block as if it committed, so the translations hear about their original's changes."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def states(translation):
    measured = translation_services.measure(translation)
    return measured.outdated, [(s.state, s.original.part if s.original else None) for s in measured.not_current]


def outdated_column(translation) -> bool:
    return TranslationBaseline.objects.get(translation=translation).outdated


def test_a_new_translation_is_a_current_draft_credited_to_its_translator(english, original):
    assert english.status == Article.Status.DRAFT and english.version == 1
    assert english.translation_of == original and english.language == "en"
    assert [user.username for user in english.translated_by.all()] == ["translator"]
    assert english.baseline.source_version == original.version
    assert states(english) == (False, [])
    assert Version.objects.get_for_object(english).count() == 1


def test_without_parts_the_translation_is_prefilled_with_the_originals_text(original):
    urdu = translation_services.create_translation(original=original, language="ur", headline="مذاکرات")

    assert [part.body for part in urdu.ordered_parts] == ORIGINAL


@pytest.mark.parametrize(
    ("language", "error", "message"),
    [
        ("ar", ServiceError, "another language than its original"),
        ("en", TranslationExists, "already has a translation into en"),
        ("xx", ServiceError, "unknown story language"),
    ],
)
def test_refusals_name_the_reason(original, english, language, error, message):
    with pytest.raises(error, match=message):
        translation_services.create_translation(original=original, language=language, headline="x")


def test_a_translation_of_a_translation_is_refused_naming_the_original(original, english):
    with pytest.raises(ServiceError, match=f"story {original.pk}"):
        translation_services.create_translation(original=english, language="ur", headline="x")


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            lambda a: part_services.edit_part(
                article=a, number=1, body="نص جديد تماما.\n\n" + ORIGINAL[0].split("\n\n")[1], continues=False
            ),
            (True, [("changed", 1)]),
        ),
        (
            lambda a: part_services.edit_part(
                article=a, number=1, body=ORIGINAL[0].replace("\n\n", "\n\nفقرة مضافة.\n\n"), continues=False
            ),
            (True, [("new", 1)]),
        ),
        (
            lambda a: part_services.edit_part(article=a, number=1, body=ORIGINAL[0].split("\n\n")[0], continues=False),
            (True, [("removed", None)]),
        ),
        (lambda a: part_services.append_part(article=a, body="جزء ثالث."), (True, [("new", 3)])),
        (lambda a: stories.edit_story(article=a, changes={"headline": "عنوان معدل"}), (True, [])),
        (lambda a: workflow.transition(article=a, name="correct", note="تصحيح"), (True, [])),
        (lambda a: stories.edit_story(article=a, credits=[]), (False, [])),
        (lambda a: stories.edit_story(article=a, changes={"section": "سياسي"}), (False, [])),
        (lambda a: workflow.transition(article=a, name="unpublish"), (False, [])),
    ],
    ids=["edited", "inserted", "removed", "appended-part", "headline", "correction", "credits", "section", "status"],
)
def test_staleness_follows_what_changed_in_the_original(original, english, following, edit, expected):
    with following():
        edit(original)

    assert states(english) == expected
    assert outdated_column(english) is expected[0]


def test_marking_current_records_the_original_as_it_is_now(original, english, following, role):
    with following():
        part_services.append_part(article=original, body="جزء ثالث.")
    assert outdated_column(english)

    marked = translation_services.mark_current(translation=english, by=role("Editor", "desk"))

    assert marked.version == english.version + 1
    assert not outdated_column(english)
    assert (
        TranslationBaseline.objects.get(translation=english).source_version
        == Article.objects.get(pk=original.pk).version
    )


def test_a_translator_edits_the_translations_credited_to_them_but_does_not_publish(original, english, role):
    translator = english.translated_by.get()
    stories.edit_story(article=english, changes={"summary": "Agenda agreed by both"}, by=translator)

    with pytest.raises(NotAllowed):
        workflow.transition(article=english, name="publish", by=translator)
    with pytest.raises(NotAllowed):
        stories.edit_story(article=english, changes={"summary": "x"}, by=role("Translator", "another"))
    with pytest.raises(NotAllowed):
        stories.edit_story(article=original, changes={"summary": "x"}, by=translator)


def test_the_database_refuses_a_second_translation_into_one_language(original, english):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.create(headline="x", slug="x", language="en", translation_of=original)
