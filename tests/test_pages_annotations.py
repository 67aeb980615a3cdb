"""Public annotations on the story page: marks in the text, numbered notes under the part, nothing hidden
shown, nothing stored trusted as HTML."""

import pytest

from articles.models import Annotation
from articles.services import annotations as annotation_services
from articles.services import parts as part_services
from articles.services import stories

pytestmark = pytest.mark.django_db

TEXT = "قالَ الأمينُ العام\u00a0للمنظمة إن الوضع في قره باغ یثیر القلق.\n\nودعا إلى وقف إطلاق النار <فورا>."


@pytest.fixture
def story():
    return stories.create_story(headline="قلق", parts=[part_services.NewPart(body=TEXT)], publish=True)


def page(client, story, language="en"):
    return client.get(story.get_absolute_url(), headers={"accept-language": language}).content.decode()


def test_a_public_annotation_is_marked_and_numbered_under_its_part(client, story):
    annotation_services.create_annotation(
        article=story, part_number=1, exact="قره باغ", body="إقليم متنازع عليه.", purpose="classifying"
    )

    html = page(client, story)

    assert '<mark class="annotated" data-notes="1">قره باغ</mark><sup class="note-ref"><a href="#note-1"' in html
    assert '<li id="note-1" value="1" lang="ar" dir="auto"><span class="note__purpose"' in html
    assert "glossary" in html and "إقليم متنازع عليه." in html
    assert "js/notes.js" in html


def test_internal_and_orphaned_annotations_never_reach_the_page(client, story):
    annotation_services.create_annotation(
        article=story, part_number=1, exact="الوضع", body="داخلية", audience="internal"
    )
    orphan = annotation_services.create_annotation(article=story, part_number=1, exact="وقف", body="يتيمة")
    Annotation.objects.filter(pk=orphan.pk).update(anchoring="orphaned")

    html = page(client, story)

    assert "<mark" not in html and "داخلية" not in html and "يتيمة" not in html


def test_hostile_notes_and_quotes_stay_text(client, story):
    annotation_services.create_annotation(
        article=story, part_number=1, exact="<فورا>", body='<script>alert("x")</script> & <b>bold</b>'
    )

    html = page(client, story)

    assert "<script>alert" not in html and "<b>bold</b>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in html
    assert '<mark class="annotated" data-notes="1">&lt;فورا&gt;</mark>' in html


def test_an_annotation_across_two_paragraphs_is_marked_in_both_with_one_note(client, story):
    start = TEXT.index("القلق")
    end = TEXT.index("ودعا") + len("ودعا")
    annotation_services.create_annotation(article=story, part_number=1, start=start, end=end, body="ملاحظة")

    html = page(client, story)

    assert html.count('data-notes="1"') == 2 and html.count('href="#note-1"') == 1
