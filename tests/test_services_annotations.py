"""services/annotations.py: annotate spans; re-anchored by the story-change announcement; never dropped."""

import pytest

from articles.models import Annotation
from articles.selectors import history
from articles.services import NotAllowed, ServiceError, revisions, stories
from articles.services import annotations as annotation_services
from articles.services import parts as part_services

pytestmark = pytest.mark.django_db

FIRST = "قالَ الأمينُ العام\u00a0للمنظمة إن الوضع في قره باغ یثیر القلق الشديد.\n\nودعا إلى وقف إطلاق النار."
QUOTE = "الوضع في قره باغ یثیر القلق"


@pytest.fixture
def story():
    return stories.create_story(
        headline="قلق إزاء التصعيد",
        parts=[part_services.NewPart(body=FIRST), part_services.NewPart(body="جزء ثان.")],
    )


@pytest.fixture
def note(story, editor):
    return annotation_services.create_annotation(
        article=story, part_number=1, exact=QUOTE, body="سياق: النزاع بدأ عام 1988.", by=editor
    )


@pytest.fixture
def following(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def reload(annotation):
    return Annotation.objects.get(pk=annotation.pk)


def test_a_quote_alone_is_enough(note):
    assert FIRST[note.start : note.end] == QUOTE
    assert note.anchoring == "anchored" and note.part.number == 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"exact": "غير موجود"}, "not in this part"),
        ({"exact": QUOTE, "start": 0, "end": 5}, "not the quote"),
        ({"exact": QUOTE, "part_number": 9}, "no part 9"),
        ({"exact": QUOTE, "body": "  "}, "needs a note"),
        ({"exact": QUOTE, "purpose": "joking"}, "unknown purpose"),
        ({"exact": QUOTE, "body": "a\x00b"}, "NUL"),
    ],
)
def test_bad_annotations_are_refused_with_the_reason(story, kwargs, message):
    arguments = {"article": story, "part_number": 1, "body": "ملاحظة", **kwargs}
    with pytest.raises(ServiceError, match=message):
        annotation_services.create_annotation(**arguments)
    assert Annotation.objects.count() == 0


def test_text_inserted_before_moves_the_span(story, note, following):
    with following():
        part_services.edit_part(article=story, number=1, body="عاجل: " + FIRST, continues=False)

    moved = reload(note)
    assert moved.anchoring == "anchored" and moved.start == note.start + len("عاجل: ")
    assert moved.exact == QUOTE and moved.version == note.version + 1


def test_a_slightly_edited_span_is_reanchored_with_the_new_words(story, note, following):
    with following():
        part_services.edit_part(article=story, number=1, body=FIRST.replace("یثیر", "يثير"), continues=False)

    moved = reload(note)
    assert moved.anchoring == "reanchored" and moved.exact == QUOTE.replace("یثیر", "يثير")


def test_a_deleted_span_and_a_deleted_part_orphan_their_annotations(story, note, following, editor):
    other = annotation_services.create_annotation(article=story, part_number=2, exact="جزء", body="ملاحظة")
    with following():
        part_services.edit_part(article=story, number=1, body="نص آخر تماما.", continues=False)
        part_services.delete_part(article=story, number=2)

    assert reload(note).anchoring == "orphaned"
    assert reload(other).anchoring == "orphaned" and reload(other).part is None


def test_restoring_a_revision_brings_orphans_back(story, note, following, editor):
    before = history(story).first()
    with following():
        part_services.edit_part(article=story, number=1, body="نص آخر تماما.", continues=False)
    assert reload(note).anchoring == "orphaned"

    with following():
        revisions.restore(article=story, version_id=before.pk, by=editor)

    assert reload(note).anchoring in ("anchored", "reanchored") and reload(note).exact == QUOTE


def test_a_reporter_annotates_only_their_own_drafts(story, role):
    reporter = role("Reporter")
    own = stories.create_story(headline="خبري", parts=[part_services.NewPart(body="نص خبري.")], by=reporter)

    annotation_services.create_annotation(article=own, part_number=1, exact="نص", body="ملاحظة", by=reporter)
    with pytest.raises(NotAllowed):
        annotation_services.create_annotation(article=story, part_number=1, exact=QUOTE, body="ملاحظة", by=reporter)
    annotation_services.create_annotation(
        article=story, part_number=1, exact=QUOTE, body="ملاحظة", by=role("Translator")
    )
