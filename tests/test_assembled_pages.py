"""Story pages assembled from their stored rendering (articles/web/assembled.py): stored by their first render,
answered from the page's first statement when the cache does not hold them, byte for byte the page the
view renders, and never stale: each change a reader can see on the page moves its key."""

from datetime import timedelta
from types import SimpleNamespace
from unittest import mock
from urllib.parse import unquote

import pytest
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.test import Client, RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, Section, Source, StoredPage
from articles.services import annotations as annotation_services
from articles.services import comments as comment_services
from articles.services import pagecache, sections, sources, stories, workflow
from articles.services import parts as part_services
from articles.services.stories import Credit
from articles.web import assembled, caching, heads

pytestmark = pytest.mark.django_db
NAMES = ("name_ar", "name_en")  # a source's display names, which the pages show


def story(committed, headline="خبر أول", body="نص الخبر الأول عن المحادثات.", **extra):
    extra.setdefault("section", "سياسة")
    extra.setdefault("credits", [Credit(source="sputnik")])
    with committed():
        return stories.create_story(
            headline=headline, parts=[part_services.NewPart(body=body)], publish=extra.pop("publish", True), **extra
        )


# Each test runs three times: with the heads of the story's ways unknown to the process in the new generation
# (the check then answers the related stories itself); held (read beforehand, as another page sharing them would
# have: the check leaves the related stories to them, web/heads.py); and held with the story's ways remembered
# from an earlier read (the lighter statement, assembled.LOOKS, asks nothing about related stories).
HELD = {"on": False, "looked": False}


@pytest.fixture(autouse=True, params=["cold", "held", "looked"])
def heads_held(request):
    HELD["on"], HELD["looked"] = request.param != "cold", request.param == "looked"
    heads.HEADS.known.clear()
    yield HELD["on"]
    HELD["on"] = HELD["looked"] = False
    heads.HEADS.known.clear()


def hold_heads(url) -> None:
    """Read the heads of the ways of the story at `url` in the current generation, as another page would."""
    parts = unquote(url).split("/")
    story = Article.objects.filter(pk=int(parts[2])).first() if len(parts) > 2 and parts[2].isdigit() else None
    if story is None:
        return
    firsts = list(story.credits.order_by("position").values_list("source_id", flat=True)[:3])
    ways = SimpleNamespace(pk=story.pk, section_id=story.section_id, **{f"source_{n}": None for n in range(3)})
    for n, source in enumerate(firsts):
        setattr(ways, f"source_{n}", source)
    heads.HEADS.fill(ways, pagecache.state()[0], timezone.now())
    if HELD["looked"]:
        heads.HEADS.learn(ways)  # as an earlier read of the story would have
    else:
        heads.HEADS.known.pop(story.pk, None)


def get(url, language="ar", host="testserver", **headers):
    """The page as a new reader asks for it, the pages' cache moved on first (as any publication moves it)."""
    pagecache.bump()
    if HELD["on"]:
        hold_heads(url)
    return Client().get(url, headers={"accept-language": language, **headers}, HTTP_HOST=host)


def rendered(url, **kwargs):
    """The page as the view renders it, with nothing stored or assembled."""
    with override_settings(NEWSROOM_STORED_PAGES=False):
        return get(url, **kwargs)


def assert_current(url, **kwargs):
    """The page answered now is the page the view renders now (assembled or rendered again, whichever)."""
    expected = rendered(url, **kwargs)
    answered = get(url, **kwargs)
    assert answered.status_code == expected.status_code == 200
    assert answered.content.decode() == expected.content.decode()
    return answered


def test_the_first_render_stores_the_page_and_the_next_reader_is_answered_from_it(committed, django_assert_num_queries):
    article = story(committed)
    expected = rendered(article.get_absolute_url())
    assert not StoredPage.objects.exists()

    first = get(article.get_absolute_url())
    assert first["X-Cache"] == "miss" and first.content == expected.content
    stored = StoredPage.objects.get()
    assert (stored.article_id, stored.language) == (article.pk, "ar")
    assert stored.mark in stored.body and "testserver" not in stored.body  # the host is left to the reader

    pagecache.bump()
    pagecache.state()
    Client().get("/search/")  # what every page shares is read once per generation (tests/test_caching.py)
    if HELD["on"]:
        hold_heads(article.get_absolute_url())
    # The page's own statement, with the stored page; and, the first time in a generation, the heads of its ways.
    with django_assert_num_queries(1 if HELD["on"] else 2):
        second = Client().get(article.get_absolute_url(), headers={"accept-language": "ar"})
    assert second["X-Cache"] == "miss" and second.content == expected.content
    assert second["Content-Type"] == expected["Content-Type"] and second["Content-Language"] == "ar"
    assert second["Vary"] == "Accept-Language" and "Set-Cookie" not in second
    # Kept on its second read (pagecache.admit), served from the cache from its third.
    reads = [Client().get(article.get_absolute_url(), headers={"accept-language": "ar"}) for _ in range(2)]
    assert [read["X-Cache"] for read in reads] == ["miss", "hit"]
    assert {read.content for read in reads} == {expected.content}


def read(url, language="ar"):
    return Client().get(url, headers={"accept-language": language})


def test_an_assembled_page_is_kept_on_its_second_read_while_it_stays_current(committed):
    """Most story pages are read once between two publications: assembling one again costs less than keeping
    each in Redis (pagecache.admit). A page read again is kept then."""
    article, other = story(committed), story(committed, headline="خبر آخر", credits=[Credit(source="reuters")])
    url = article.get_absolute_url()
    get(url), get(other.get_absolute_url())  # rendered and stored; and the cache emptied
    pagecache.bump()
    key = caching.stored_key(RequestFactory().get(url, HTTP_ACCEPT_LANGUAGE="ar"), ())

    def kept() -> bool:  # in the cache, for this generation
        entry = cache.get(key)
        return entry is not None and entry[0][0] == pagecache.state()[0]

    first = read(url)
    assert first["X-Cache"] == "miss" and first.has_header("ETag") and not kept()
    assert read(other.get_absolute_url())["X-Cache"] == "miss"  # another page read meanwhile counts apart
    assert read(url)["X-Cache"] == "miss" and kept()
    assert read(url)["X-Cache"] == "hit"

    # Counted again in each generation. The story's own clock moves with its page version (a comment, an
    # annotation), so its page is then rendered again, and kept at once.
    pagecache.bump()
    assert [read(url)["X-Cache"] for _ in range(3)] == ["miss", "miss", "hit"]
    with committed():
        pagecache.story_page_changed(article.pk)
    assert [read(url)["X-Cache"] for _ in range(2)] == ["miss", "hit"]
    pagecache.bump()
    assert [read(url)["X-Cache"] for _ in range(3)] == ["miss", "miss", "hit"]


def test_a_page_rendered_is_kept_at_once_and_with_first_every_page(committed, settings):
    article = story(committed)
    url = article.get_absolute_url()
    assert [get(url)["X-Cache"], read(url)["X-Cache"]] == ["miss", "hit"]  # rendered: kept at once
    settings.NEWSROOM_PAGE_KEEP_ON = "first"  # (a setting of its own revision: the page is rendered once more)
    get(url)
    pagecache.bump()
    assert StoredPage.objects.get().key.startswith(assembled.revision())  # so the next read is assembled
    assert [read(url)["X-Cache"], read(url)["X-Cache"]] == ["miss", "hit"]


def test_what_the_pages_read_once_are_remembered_by_is_bounded(committed, monkeypatch):
    monkeypatch.setattr(pagecache._AssembledOnce, "MAX", 2)
    articles = [story(committed, headline=f"خبر {n}") for n in range(3)]
    for article in articles:
        get(article.get_absolute_url())
    pagecache.bump()
    for article in articles:  # the third forgets the first two
        assert read(article.get_absolute_url())["X-Cache"] == "miss"
    assert len(pagecache._assembled_once.pages) <= 2
    assert [read(articles[0].get_absolute_url())["X-Cache"] for _ in range(3)] == ["miss", "miss", "hit"]


def test_the_answer_is_the_stored_page(committed):
    """Proof that the stored row is what is served: a row altered under its key is served as it is."""
    article = story(committed)
    get(article.get_absolute_url())
    StoredPage.objects.update(body=StoredPage.objects.get().body.replace("خبر أول", "عنوان من الصف المخزون"))
    assert "عنوان من الصف المخزون" in get(article.get_absolute_url()).content.decode()


def test_a_row_under_another_key_is_never_served(committed):
    article = story(committed)
    get(article.get_absolute_url())
    StoredPage.objects.update(key="stale", body="<p>stale</p>")
    answered = assert_current(article.get_absolute_url())
    assert "stale" not in answered.content.decode()
    assert StoredPage.objects.get().key != "stale"  # rendered again, and stored again


@override_settings(ALLOWED_HOSTS=["testserver", "news.example"])
def test_each_reader_gets_the_host_and_path_they_asked_on(committed):
    article = story(committed)
    get(article.get_absolute_url())
    for host in ("testserver", "news.example"):
        answered = assert_current(article.get_absolute_url(), host=host)
        text = answered.content.decode()
        assert f'<link rel="canonical" href="http://{host}{article.get_absolute_url()}">' in text
        assert f'name="next" type="hidden" value="{unquote(article.get_absolute_url())}"' in text
    assert StoredPage.objects.count() == 1


def test_each_interface_language_has_its_own_stored_page(committed):
    article = story(committed)
    for language in ("ar", "en", "ar", "en"):
        answered = assert_current(article.get_absolute_url(), language=language)
        assert answered["Content-Language"] == language
    assert sorted(StoredPage.objects.values_list("language", flat=True)) == ["ar", "en"]


def _edit(article, editor, committed, **_):
    with committed():
        stories.edit_story(article=article, changes={"summary": "موجز معدل بعد التخزين"}, by=editor)
    return "موجز معدل بعد التخزين"


def _take(article, editor, committed, **_):
    with committed():
        part_services.append_part(article=article, body="فقرة جديدة وصلت مع الرسالة الثانية.", by=editor)
    return "فقرة جديدة وصلت مع الرسالة الثانية."


def _comment(article, editor, committed, **_):
    with committed():
        posted = comment_services.post_comment(
            article=article, name="قارئة", email="r@example.org", body="تعليق جديد بعد التخزين", ip="203.0.113.9"
        )
        if posted.comment.status != posted.comment.Status.APPROVED:
            comment_services.moderate(comment=posted.comment, action="approve", by=editor)
    return "تعليق جديد بعد التخزين"


def _annotation(article, editor, committed, **_):
    with committed():
        annotation_services.create_annotation(
            article=article, part_number=1, exact="المحادثات", body="ملاحظة بعد التخزين", by=editor
        )
    return "ملاحظة بعد التخزين"


def _renamed(committed, slug: str, name: str) -> str:
    """The source's display names, which the pages show, renamed."""
    with committed():
        sources.update_source(source=Source.objects.get(slug=slug), changes=dict.fromkeys(NAMES, name))
    return name


def _source_renamed(article, editor, committed, **_):
    return _renamed(committed, "sputnik", "سبوتنيك الجديدة")


def _section_renamed(article, editor, committed, **_):
    section = Section.objects.get(pk=article.section_id)
    section.name = "شؤون سياسية"
    with committed():
        sections.save_section(section)
    return "شؤون سياسية"


def _related_published(article, editor, committed, **_):
    story(committed, headline="خبر ذو صلة نشر بعد التخزين")
    return "خبر ذو صلة نشر بعد التخزين"


def _related_source_renamed(article, editor, committed, *, related, **_):
    """A source only the related story credits: its new name is on the related story's line."""
    return _renamed(committed, "reuters", "رويترز الجديدة")


def _corrected(article, editor, committed, **_):
    with committed():
        workflow.transition(article=article, name="correct", by=editor, note="صُحّح اسم المتحدث.")
        workflow.transition(article=article, name="correct", by=editor, note="وصُحّح التاريخ أيضا.")
    return "صُحّح اسم المتحدث.</p>"


def _retracted(article, editor, committed, **_):
    with committed():
        workflow.transition(article=article, name="retract", by=editor, note="سحب الخبر لخطأ في المصدر.")
    return "سحب الخبر لخطأ في المصدر."


CHANGES = [
    _edit,
    _take,
    _comment,
    _annotation,
    _source_renamed,
    _section_renamed,
    _related_published,
    _related_source_renamed,
    _corrected,
    _retracted,
]


@pytest.mark.parametrize("change", CHANGES, ids=[change.__name__.strip("_") for change in CHANGES])
def test_a_change_a_reader_sees_on_the_page_is_never_answered_stale(committed, editor, change):
    related = story(
        committed,
        headline="خبر ذو صلة قديم",
        credits=[Credit(source="sputnik"), Credit(source="reuters")],
        section="اقتصاد",
    )
    article = story(committed)
    for language in ("ar", "en"):
        get(article.get_absolute_url(), language=language)  # stored
        assert "خبر ذو صلة قديم" in get(article.get_absolute_url(), language=language).content.decode()
    article.refresh_from_db()
    shown = change(article, editor, committed, related=related)
    for language in ("ar", "en"):
        answered = assert_current(article.get_absolute_url(), language=language)
        assert shown in answered.content.decode()
        assert_current(article.get_absolute_url(), language=language)  # and from the row stored anew


def test_a_scheduled_related_story_is_there_from_its_moment(committed, editor):
    article = story(committed)
    with committed():
        scheduled = stories.create_story(
            headline="خبر مجدول ذو صلة", parts=[part_services.NewPart(body="نص.")], section="سياسة"
        )
        workflow.transition(article=scheduled, name="publish", by=editor, at=timezone.now() + timedelta(minutes=5))
    assert "خبر مجدول ذو صلة" not in get(article.get_absolute_url()).content.decode()
    later = timezone.now() + timedelta(minutes=6)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert "خبر مجدول ذو صلة" in assert_current(article.get_absolute_url()).content.decode()


def test_times_are_said_as_of_the_reading_and_comments_close_on_time(committed, settings):
    story(committed, headline="خبر ذو صلة", credits=[Credit(source="sputnik")])
    article = story(committed)
    first = get(article.get_absolute_url()).content.decode()
    for later in (timedelta(hours=3), timedelta(days=settings.NEWSROOM_COMMENTS_CLOSE_AFTER_DAYS + 1)):
        with mock.patch("django.utils.timezone.now", return_value=timezone.now() + later):
            answered = assert_current(article.get_absolute_url()).content.decode()
        assert answered != first
    assert 'id="comment-form"' in first and 'id="comment-form"' not in answered


def translated(committed, editor, article):
    """article's English translation by the editor, published."""
    from articles.services import translations

    with committed():
        translation = translations.create_translation(
            original=article.pk, language="en", headline="Talks resume", by=editor
        )
        workflow.transition(article=translation.pk, name="publish", by=editor)
    translation.refresh_from_db()
    return translation


def answered_from_the_row(url, language="ar"):
    """The page answered by the check alone, nothing rendered (what every page shares read beforehand)."""
    pagecache.bump()
    pagecache.state()
    Client().get("/search/")
    hold_heads(url)  # (the heads are the subject of other tests)
    with CaptureQueriesContext(connection) as captured:
        answered = Client().get(url, headers={"accept-language": language})
    assert len(captured.captured_queries) == 1, "\n\n".join(q["sql"] for q in captured.captured_queries)
    return answered


@override_settings(ALLOWED_HOSTS=["testserver", "news.example"])
def test_a_story_and_its_translation_are_stored_and_answered_from_their_rows(committed, editor):
    """Both pages show the other (the language switch, the alternates, the translation's note): each is stored
    by its first render and answered from its row, in every interface language and on every host. The
    translation shares the original's section and sources, and is never counted as a related story."""
    article = story(committed)
    translation = translated(committed, editor, article)
    for page in (article, translation):
        for language in ("ar", "en"):
            first = assert_current(page.get_absolute_url(), language=language)
            again = answered_from_the_row(page.get_absolute_url(), language=language)
            assert again.content == first.content
        text = assert_current(page.get_absolute_url(), host="news.example").content.decode()
        other = translation if page is article else article
        assert f'hreflang="{other.language}" href="http://news.example{other.get_absolute_url()}"' in text
    assert StoredPage.objects.count() == 4
    note = get(translation.get_absolute_url()).content.decode()
    assert "editor" in note and article.headline in note


def _translation_edited(article, translation, editor):
    stories.edit_story(article=translation.pk, changes={"headline": "Talks resume in Moscow"}, by=editor)
    return translation, "Talks resume in Moscow"


def _original_edited(article, translation, editor):
    """The translation lags behind its original from now on, and says so."""
    stories.edit_story(article=article.pk, changes={"headline": "عنوان جديد للخبر"}, by=editor)
    return translation, "translation-note__outdated"


def _marked_current(article, translation, editor):
    from articles.services import translations

    stories.edit_story(article=article.pk, changes={"headline": "عنوان جديد للخبر"}, by=editor)
    translations.mark_current(translation=translation.pk, by=editor)
    return translation, "عنوان جديد للخبر"


def _translation_unpublished(article, translation, editor):
    workflow.transition(article=translation.pk, name="unpublish", by=editor)
    return article, None


def _translator_renamed(article, translation, editor):
    editor.first_name, editor.last_name = "سلمى", "حداد"
    editor.save()
    return translation, "سلمى حداد"


def _translation_added(article, translation, editor):
    from articles.services import translations

    french = translations.create_translation(original=article.pk, language="fr", headline="Reprise", by=editor)
    workflow.transition(article=french.pk, name="publish", by=editor)
    return article, 'hreflang="fr"'


FAMILY_CHANGES = [
    _translation_edited,
    _original_edited,
    _marked_current,
    _translation_unpublished,
    _translator_renamed,
    _translation_added,
]


@pytest.mark.parametrize("change", FAMILY_CHANGES, ids=[change.__name__.strip("_") for change in FAMILY_CHANGES])
def test_a_change_to_a_story_s_language_versions_is_never_answered_stale(committed, editor, change):
    """Each of these leaves the page's own story at its version: the language versions' state moves the key."""
    article = story(committed)
    translation = translated(committed, editor, article)
    pages = [article, translation]
    for page in pages:
        get(page.get_absolute_url())  # stored
    with committed():
        where, shown = change(article, translation, editor)
    for page in pages:
        page.refresh_from_db()  # a headline edited moves the address
        if change is _translation_unpublished and page is translation:
            assert get(page.get_absolute_url()).status_code == 404
            continue
        answered = assert_current(page.get_absolute_url()).content.decode()
        if page is where and shown is not None:
            assert shown in answered
        assert_current(page.get_absolute_url())  # and from the row stored anew
    if change is _translation_unpublished:
        assert 'hreflang="en"' not in get(article.get_absolute_url()).content.decode()


def test_a_reply_form_or_a_notice_is_never_stored(committed):
    article = story(committed)
    for query in ("?reply=1", "?comment=pending", "?reply=1&comment=published"):
        assert get(article.get_absolute_url() + query).status_code == 200
    assert not StoredPage.objects.exists()
    stored = get(article.get_absolute_url())
    assert StoredPage.objects.exists() and "comment-form__reply" not in stored.content.decode()


def test_what_is_not_the_page_itself_is_rendered(committed):
    article = story(committed)
    get(article.get_absolute_url())
    # The short address and a wrong slug redirect to the story's own; a reply's form is rendered.
    short = get(f"/articles/{article.pk}/")
    assert short.status_code == 301 and short["Location"] == article.get_absolute_url()
    assert get(f"/articles/{article.pk}/another-slug/").status_code == 301
    reply = get(article.get_absolute_url() + "?reply=1")
    assert reply.status_code == 200 and reply.content == rendered(article.get_absolute_url() + "?reply=1").content
    for hostile in (f"/articles/{10**30}/x/", "/articles/0/x/", f"/articles/{article.pk + 1000}/x/"):
        assert get(hostile).status_code == 404


def test_a_story_readers_may_not_see_is_never_answered_from_its_row(committed, editor):
    article = story(committed)
    get(article.get_absolute_url())
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)  # as if unpublished, behind its back
    assert get(article.get_absolute_url()).status_code == 404


def test_a_reader_is_answered_when_the_page_cannot_be_stored(committed, monkeypatch, caplog):
    article = story(committed)
    expected = rendered(article.get_absolute_url())

    def refuse(execute, sql, params, many, context):  # the database refuses the write, however it is sent
        if sql.startswith("INSERT INTO") and "articles_storedpage" in sql:
            raise DatabaseError("read-only database")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse):
        answered = get(article.get_absolute_url())
    assert answered.status_code == 200 and answered.content == expected.content
    assert "its page in ar was not stored" in caplog.text


def test_switched_off_nothing_is_stored(committed, settings):
    settings.NEWSROOM_STORED_PAGES = False
    article = story(committed)
    assert get(article.get_absolute_url()).status_code == 200
    assert not StoredPage.objects.exists()


def test_a_first_render_reads_what_it_did_and_writes_one_row(committed):
    """Within the page's budget (six statements: tests/test_caching.py), and one write, the stored page's,
    whatever the number of parts, sources, corrections, annotations and comments (in a savepoint here, as the
    test runs in a transaction)."""
    story(committed, headline="خبر ذو صلة")
    article = story(committed, credits=[Credit(source=slug) for slug in ("sputnik", "reuters", "urdupoint")])
    _take(article, None, committed)
    _comment(article, None, committed)
    _annotation(article, None, committed)
    pagecache.bump()
    pagecache.state()
    Client().get("/search/")
    with CaptureQueriesContext(connection) as context:
        response = Client().get(article.get_absolute_url(), headers={"accept-language": "ar"})
    assert response.status_code == 200 and "ملاحظة بعد التخزين" in response.content.decode()
    statements = [query["sql"] for query in context.captured_queries if "SAVEPOINT" not in query["sql"]]
    reads = [sql for sql in statements if sql.startswith("SELECT")]
    assert len(reads) <= 6 and len(statements) == len(reads) + 1
    assert statements[-1].startswith('INSERT INTO "articles_storedpage"')


# The related stories are checked, not found again (web/assembled.py, "The check"): each way a story can come
# into or leave them.


def published(committed, editor, headline, minutes_ago, section="سياسة", sources=("sputnik",)):
    with committed():
        article = stories.create_story(
            headline=headline,
            parts=[part_services.NewPart(body="نص.")],
            section=section,
            credits=[Credit(source=slug) for slug in sources],
        )
        workflow.transition(
            article=article, name="publish", by=editor, at=timezone.now() - timedelta(minutes=minutes_ago)
        )
    article.refresh_from_db()
    return article


def served_from_its_row(article) -> bool:
    """Whether the next answer is the stored row itself (the row is marked under its key, then unmarked)."""
    stored = StoredPage.objects.get(article=article, language="ar")
    StoredPage.objects.filter(pk=stored.pk).update(body=stored.body.replace("</footer>", "<!-- row --></footer>"))
    answered = "<!-- row -->" in get(article.get_absolute_url()).content.decode()
    StoredPage.objects.filter(pk=stored.pk, body__contains="<!-- row -->").update(body=stored.body)
    return answered


@pytest.fixture
def shown(committed, editor):
    """A story in a section with five related stories shown (and older ones not), its page stored."""
    older = [published(committed, editor, f"خبر أقدم {n}", 100 + n) for n in range(3)]
    related = [published(committed, editor, f"خبر ذو صلة {n}", 10 + n) for n in range(5)]
    article = published(committed, editor, "الخبر نفسه", 1, sources=("reuters",))
    text = get(article.get_absolute_url()).content.decode()
    assert all(story.headline in text for story in related) and not any(story.headline in text for story in older)
    assert served_from_its_row(article)
    return article, related, older


def test_an_older_story_published_leaves_the_stored_page_current(shown, committed, editor):
    article, _related, _older = shown
    published(committed, editor, "خبر قديم نشر الآن", 500)
    published(committed, editor, "خبر في قسم آخر", 0, section="رياضة", sources=("urdupoint",))
    assert served_from_its_row(article)
    assert "خبر قديم نشر الآن" not in assert_current(article.get_absolute_url()).content.decode()


@pytest.mark.parametrize("way", ["section", "source"])
def test_a_newer_story_by_either_way_is_related_at_once(shown, committed, editor, way):
    article, related, _older = shown
    if way == "section":
        published(committed, editor, "خبر أحدث في القسم", 5, sources=("urdupoint",))
    else:
        published(committed, editor, "خبر أحدث من المصدر", 5, section="رياضة", sources=("reuters",))
    text = assert_current(article.get_absolute_url()).content.decode()
    assert ("خبر أحدث في القسم" if way == "section" else "خبر أحدث من المصدر") in text
    assert related[-1].headline not in text  # the oldest of the five makes way


def test_a_story_moved_into_the_section_or_credited_later_is_related(shown, committed, editor):
    article, _related, _older = shown
    moved = published(committed, editor, "خبر نقل إلى القسم", 3, section="رياضة", sources=("urdupoint",))
    assert moved.headline not in get(article.get_absolute_url()).content.decode()
    with committed():
        stories.edit_story(article=moved, changes={"section": "سياسة"}, by=editor)
    assert moved.headline in assert_current(article.get_absolute_url()).content.decode()
    credited = published(committed, editor, "خبر نسب إلى المصدر لاحقا", 2, section="رياضة", sources=("urdupoint",))
    with committed():
        stories.edit_story(article=credited, credits=[Credit(source="urdupoint"), Credit(source="reuters")], by=editor)
    assert credited.headline in assert_current(article.get_absolute_url()).content.decode()


def test_a_story_tied_with_the_last_shown_is_answered_as_rendered(shown, committed, editor):
    """A tie on the time with the last story shown: the walks down the indexes take either (selectors/related.py);
    the check takes the newcomer as ranking above, so the page is rendered again, never answered stale."""
    article, related, _older = shown
    with committed():
        tied = stories.create_story(
            headline="خبر في الدقيقة نفسها", parts=[part_services.NewPart(body="نص.")], section="سياسة"
        )
        workflow.transition(article=tied, name="publish", by=editor, at=related[-1].published_at)
    for _ in range(2):
        assert_current(article.get_absolute_url())


@pytest.mark.parametrize("leaves", ["retract", "unpublish", "delete", "move"])
def test_a_related_story_that_leaves_is_gone_at_once(shown, committed, editor, leaves):
    article, related, older = shown
    gone = related[2]
    with committed():
        if leaves == "move":
            stories.edit_story(article=gone, changes={"section": "رياضة"}, by=editor)
        elif leaves == "delete":
            stories.delete_story(article=gone, by=editor)
        else:
            workflow.transition(article=gone, name=leaves, by=editor, note="سحب.")
    text = assert_current(article.get_absolute_url()).content.decode()
    assert gone.headline not in text and older[0].headline in text  # the next older story takes its place


def test_with_fewer_related_stories_than_it_may_show_any_new_one_counts(committed, editor):
    first = published(committed, editor, "خبر وحيد ذو صلة", 50)
    article = published(committed, editor, "الخبر نفسه", 1, sources=("reuters",))
    get(article.get_absolute_url())
    assert served_from_its_row(article)
    later = published(committed, editor, "خبر أقدم منهما", 900)  # older than both: still related, as one of few
    text = assert_current(article.get_absolute_url()).content.decode()
    assert first.headline in text and later.headline in text


def test_a_story_whose_ways_are_remembered_and_held_is_read_without_asking_about_its_related_stories(
    committed, django_assert_num_queries, monkeypatch
):
    """Its first read in a generation runs the check, which teaches the process the story's ways and fills their
    heads; its next read (before the cache keeps it) runs the lighter statement (assembled.LOOKS), one statement
    still, and answers the same page."""
    article = story(committed)
    url = article.get_absolute_url()
    get(url)  # rendered and stored
    pagecache.bump()
    pagecache.state()
    Client().get("/search/")  # what every page shares is read once per generation
    heads.HEADS.known.clear()
    looked = []
    real = assembled.LOOKS["ar"]
    monkeypatch.setitem(assembled.LOOKS, "ar", SimpleNamespace(rows=lambda **kw: looked.append(kw) or real.rows(**kw)))

    first = read(url)
    assert looked == [] and first["X-Cache"] == "miss"
    assert heads.HEADS.holds(article.pk, pagecache.state()[0])
    with django_assert_num_queries(1):
        second = read(url)
    assert len(looked) == 1 and second["X-Cache"] == "miss" and second.content == first.content


def test_the_ways_remembered_are_bounded(monkeypatch):
    monkeypatch.setattr(heads.Heads, "MAX_KNOWN", 2)
    held = heads.Heads()
    for pk in (1, 2, 3):
        held.learn(SimpleNamespace(pk=pk, section_id=7, source_0=pk, source_1=None, source_2=None))
    assert list(held.known) == [3] and held.known[3] == (("section", 7), ("source", 3))
    assert not held.holds(3, "g") and not held.holds(4, "g")  # no heads held in that generation


# The heads of the ways (web/heads.py)


@pytest.mark.parametrize("heads_held", ["held"], indirect=True)
def test_heads_that_cannot_tell_leave_the_page_to_a_render(shown, monkeypatch, heads_held):
    """A head no longer than the stories it must leave out above the last one shown (the story itself, the
    stories shown) cannot say whether another ranks among them: the page is rendered, never guessed."""
    article, _related, _older = shown
    monkeypatch.setattr(heads, "LENGTH", 3)
    assert not served_from_its_row(article)
    assert_current(article.get_absolute_url())


def test_heads_are_read_in_one_statement_and_held_for_their_generation_only(
    shown, monkeypatch, django_assert_num_queries
):
    article, related, _older = shown
    pagecache.bump()  # a generation of its own: nothing held in it yet
    generation = pagecache.state()[0]
    sources = list(Source.objects.order_by("pk").values_list("pk", flat=True)[:3])
    assert len(sources) == 3 and heads.HEADS.warm(generation) == ([], [])
    ways = SimpleNamespace(section_id=article.section_id, **{f"source_{n}": pk for n, pk in enumerate(sources)})
    with django_assert_num_queries(1):
        heads.HEADS.fill(ways, generation, timezone.now())
    assert heads.HEADS.warm(generation) == ([article.section_id], sources)
    head = heads.HEADS.ways[("section", article.section_id)]
    assert [row[1] for row in head[:6]] == [article.pk, *(story.pk for story in related)]  # newest first
    assert head[0][3].startswith(f"{article.pk}.{article.version}.")  # its token, as the check computes it
    with django_assert_num_queries(0):
        heads.HEADS.fill(ways, generation, timezone.now())  # held already

    pagecache.bump()
    assert heads.HEADS.warm(pagecache.state()[0]) == ([], [])
    monkeypatch.setattr(heads, "MAX_WAYS", 2)  # more ways than that in a generation are not held
    heads.HEADS.fill(ways, pagecache.state()[0], timezone.now())
    assert heads.HEADS.warm(pagecache.state()[0]) == ([], [])


@pytest.mark.parametrize("heads_held", ["held"], indirect=True)
def test_a_head_full_of_stories_left_out_is_not_taken_for_the_whole_way(committed, editor, monkeypatch, heads_held):
    """The section's head holds only stories shown, all above the last one shown: a story of the section that
    ranks between them and the last one (published later) is not in the head, so the head cannot say that none
    is there; the other stories shown are found in the source's head. The page is rendered, with it."""
    first = [published(committed, editor, f"خبر القسم {n}", 10 + n, sources=("urdupoint",)) for n in range(3)]
    last = [
        published(committed, editor, f"خبر المصدر {n}", 13 + n, section="اقتصاد", sources=("reuters",))
        for n in range(2)
    ]
    article = published(committed, editor, "الخبر نفسه", 30, sources=("reuters",))
    text = get(article.get_absolute_url()).content.decode()
    assert all(story.headline in text for story in first + last)
    monkeypatch.setattr(heads, "LENGTH", 3)
    published(committed, editor, "خبر جديد في القسم", 12.5, sources=("urdupoint",))
    assert "خبر جديد في القسم" in assert_current(article.get_absolute_url()).content.decode()
