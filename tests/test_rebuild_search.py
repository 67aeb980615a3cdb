"""`manage.py rebuild_search` on some stories only: after a follower that failed (or a process that stopped between a
change's commit and its followers), the stories changed since a moment; the stories without a document; the
stories crediting a source or in a section whose name changed. Bad options stop it before anything is written."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from articles.models import SearchDocument, Section, Source
from articles.services import parts as part_services
from articles.services import search, sources, stories
from articles.services.ingest import ingest
from articles.text import search_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_stories(seed_text, committed):
    """The seed, published, and a second story in another section crediting another agency."""
    with committed():
        first = ingest(text=seed_text, publish=True).article
    Section.objects.create(name="اقتصاد", slug="economy")
    agency = sources.create_source(name="وكالة أنباء الخليج الجديدة")
    with committed():
        second = stories.create_story(
            headline="أسعار النفط ترتفع مع تراجع المخزونات",
            section="اقتصاد",
            credits=[(agency, "originating_agency")],
            parts=[part_services.NewPart(body="ارتفعت أسعار النفط في التعاملات المبكرة.")],
            publish=True,
        )
    return first, second


def rebuild(*options: str) -> str:
    out = StringIO()
    call_command("rebuild_search", *options, stdout=out)
    return out.getvalue()


def indexed(article, words: str) -> bool:
    """Whether the story's document holds these words (in its headline, or its body with the sources' names)."""
    document = SearchDocument.objects.get(article=article)
    return search_text(words) in f"{document.headline} {document.body}"


def failing_index(monkeypatch):
    """The search follower fails (logged by the announcement, the change stored all the same)."""

    def fail(*args, **kwargs):
        raise RuntimeError("the search index is down")

    monkeypatch.setattr(search, "_write", fail)


def test_changed_since_rewrites_what_a_failed_follower_left_stale_and_nothing_older(
    two_stories, committed, monkeypatch, caplog
):
    first, second = two_stories
    untouched = SearchDocument.objects.get(article=second).updated_at
    before = timezone.now()
    with monkeypatch.context() as patched:
        failing_index(patched)
        with committed():
            stories.edit_story(article=first, changes={"headline": "اجتماع طارئ في يريفان"})
    assert not indexed(first, "اجتماع طارئ في يريفان")  # the follower failed: the document is stale
    assert "the search index is down" in caplog.text

    out = rebuild("--changed-since", before.isoformat())

    assert indexed(first, "اجتماع طارئ في يريفان")
    assert SearchDocument.objects.get(article=second).updated_at == untouched
    assert "search documents rewritten for 1 stories" in out


def test_changed_since_also_writes_a_document_that_was_never_written(two_stories):
    _first, second = two_stories
    SearchDocument.objects.filter(article=second).delete()  # a process stopped before its followers ran

    rebuild("--changed-since", "2999-01-01")

    assert SearchDocument.objects.filter(article=second).exists()
    assert SearchDocument.objects.count() == 2


def test_missing_writes_only_the_documents_that_are_not_there(two_stories):
    first, second = two_stories
    SearchDocument.objects.filter(article=second).delete()
    kept = SearchDocument.objects.get(article=first).updated_at

    out = rebuild("--missing")

    assert SearchDocument.objects.filter(article=second).exists()
    assert SearchDocument.objects.get(article=first).updated_at == kept
    assert "1 of 1 stories indexed" in out


def test_a_source_s_new_name_reaches_the_stories_crediting_it(two_stories):
    first, second = two_stories
    agency = Source.objects.get(name="وكالة أنباء الخليج الجديدة")
    sources.update_source(source=agency, changes={"name": "الخليج اليوم"}, aliases=["وكالة أنباء الخليج الجديدة"])
    assert not indexed(second, "الخليج اليوم")  # not followed: docs/search.md
    kept = SearchDocument.objects.get(article=first).updated_at

    rebuild("--source", agency.slug)

    assert indexed(second, "الخليج اليوم")
    assert SearchDocument.objects.get(article=first).updated_at == kept


def test_options_together_name_every_story_any_of_them_names(two_stories):
    first, _second = two_stories
    sputnik = first.credits.first().source

    out = rebuild("--section", "economy", "--source", sputnik.slug, "--missing")

    assert "search documents rewritten for 2 stories" in out


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--changed-since", "yesterday"], "is not a date and time"),
        (["--changed-since", "2026-02-30"], "is not a date and time"),
        (["--changed-since", "2026-12-08T09:30\x00"], "is not a date and time"),
        (["--source", "no-such-agency"], "there is no source with the slug"),
        (["--source", "sput\x00nik"], "there is no source with the slug"),
        (["--section", "\u200f"], "there is no section with the slug"),
        (["--batch-size", "0"], "at least 1"),
    ],
)
def test_bad_options_stop_it_before_anything_is_written(two_stories, options, message):
    SearchDocument.objects.all().delete()

    with pytest.raises(CommandError, match=message):
        rebuild(*options)

    assert not SearchDocument.objects.exists()


def test_without_options_every_story_is_rewritten(two_stories):
    _first, second = two_stories
    SearchDocument.objects.filter(article=second).update(headline="stale")

    out = rebuild()

    assert SearchDocument.objects.get(article=second).headline != "stale"
    assert "search documents rebuilt for 2 stories" in out
