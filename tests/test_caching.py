"""The public pages' cache: exact (a change readers can see moves every page on once it commits), per
language, with ETags and 304, never a cookie or `Vary: Cookie`, and the scheduled story on time."""

import contextlib
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.core.cache import cache, caches
from django.utils import timezone

from articles.models import Article, Comment
from articles.services import annotations as annotation_services
from articles.services import comments as comment_services
from articles.services import pagecache, stories, workflow
from articles.services import parts as part_services

pytestmark = pytest.mark.django_db


def story(committed, headline="خبر أول", body="نص الخبر.", publish=True, **extra):
    with committed():
        return stories.create_story(
            headline=headline, parts=[part_services.NewPart(body=body)], publish=publish, **extra
        )


def get(client, url, follow=False, **headers):
    return client.get(url, follow=follow, headers={"accept-language": "ar", **headers})


def test_a_page_is_rendered_once_then_served_from_the_cache(client, committed, django_assert_num_queries):
    article = story(committed)
    url = article.get_absolute_url()

    first = get(client, url)
    with django_assert_num_queries(0):
        second = get(client, url)

    assert first["X-Cache"] == "miss" and second["X-Cache"] == "hit"
    assert first.content == second.content and "خبر أول" in second.content.decode()


@pytest.mark.parametrize("path", ["/", "story", "/sources/sputnik/"])
def test_public_pages_set_no_cookie_and_vary_on_the_language_only(client, committed, path, seed_story):
    url = seed_story.get_absolute_url() if path == "story" else path

    for _ in range(2):
        response = get(client, url)
        assert response.status_code == 200
        assert not response.cookies, response.cookies
        assert "Cookie" not in response.get("Vary", "") and "Accept-Language" in response["Vary"]
        assert "public" in response["Cache-Control"] and response["ETag"] and response["Last-Modified"]
        assert b"csrfmiddlewaretoken" not in response.content


def test_an_edit_a_comment_and_an_annotation_show_at_once(client, committed, editor):
    article = story(committed)
    url = article.get_absolute_url()
    get(client, url)

    with committed():
        stories.edit_story(article=article, changes={"headline": "عنوان معدل"})
    assert "عنوان معدل" in get(client, url, follow=True).content.decode()
    url = f"/articles/{article.pk}/{article.__class__.objects.get(pk=article.pk).slug}/"

    with committed():
        posted = comment_services.post_comment(
            article=article, name="قارئ", email="r@example.org", body="تعليق القارئ هنا", ip="203.0.113.9"
        )
    if posted.comment.status != Comment.Status.APPROVED:
        with committed():
            comment_services.moderate(comment=posted.comment, action="approve", by=editor)
    assert "تعليق القارئ هنا" in get(client, url).content.decode()

    with committed():
        annotation_services.create_annotation(
            article=article, part_number=1, exact="الخبر", body="ملاحظة المحرر", by=editor
        )
    assert "ملاحظة المحرر" in get(client, url).content.decode()


def test_the_home_page_follows_a_new_story_and_a_retraction(client, committed):
    get(client, "/")
    article = story(committed, headline="خبر عاجل جديد")
    assert "خبر عاجل جديد" in get(client, "/").content.decode()

    with committed():
        workflow.transition(article=article, name="retract", note="خطأ")
    assert "خبر عاجل جديد" not in get(client, "/").content.decode()


def test_a_scheduled_story_goes_live_on_time_with_no_change(client, committed):
    with committed():
        article = stories.create_story(headline="خبر مجدول للنشر", parts=[part_services.NewPart(body="نص.")])
        workflow.transition(article=article, name="publish", at=timezone.now() + timedelta(hours=1))
    assert "خبر مجدول للنشر" not in get(client, "/").content.decode()
    assert get(client, "/")["X-Cache"] == "hit"

    later = timezone.now() + timedelta(hours=1, seconds=5)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert "خبر مجدول للنشر" in get(client, "/").content.decode()


def test_a_next_go_live_read_before_a_scheduling_and_written_after_it_is_not_taken(client, committed):
    """A reader asks the database for the next scheduled publication (none), an editor's scheduling commits and
    moves the generation on, then the reader's answer is written: the new generation does not take it, so the
    story's time still moves the pages on."""
    before = pagecache.state()[0]
    with committed():
        article = stories.create_story(headline="خبر مجدول", parts=[part_services.NewPart(body="نص.")])
        workflow.transition(article=article, name="publish", at=timezone.now() + timedelta(minutes=30))
    assert pagecache.state()[0] != before
    cache.delete(pagecache.NEXT_GO_LIVE)
    with mock.patch.object(Article.objects, "filter", wraps=Article.objects.filter) as asked:
        cache.set(pagecache.NEXT_GO_LIVE, (before, pagecache.NONE_SCHEDULED))  # the late reader's write
        scheduled = pagecache.state()[2]
    assert scheduled == Article.objects.get(pk=article.pk).published_at and asked.called

    get(client, "/")
    later = timezone.now() + timedelta(minutes=31)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert "خبر مجدول" in get(client, "/").content.decode()


def test_the_entry_ends_when_the_next_scheduled_story_goes_live(client, committed):
    with committed():
        article = stories.create_story(headline="مجدول", parts=[part_services.NewPart(body="نص.")])
        workflow.transition(article=article, name="publish", at=timezone.now() + timedelta(minutes=2))

    with mock.patch.object(pagecache.cache, "set", wraps=pagecache.cache.set) as stored:
        get(client, "/")

    _key, (_generation, _content, _headers, until), seconds = stored.call_args.args
    assert 1 <= seconds <= 121
    assert until == pytest.approx(time.time() + seconds, abs=2)


def test_an_etag_match_is_answered_304(client, committed):
    article = story(committed)
    first = get(client, article.get_absolute_url())

    again = get(client, article.get_absolute_url(), if_none_match=first["ETag"])
    with committed():
        stories.edit_story(article=article, changes={"byline": "مراسلنا"})
    after_change = get(client, article.get_absolute_url(), if_none_match=first["ETag"])

    assert again.status_code == 304 and again["ETag"] == first["ETag"] and not again.content
    assert after_change.status_code == 200 and after_change["ETag"] != first["ETag"]


def test_each_language_has_its_own_entry(client, committed):
    article = story(committed)
    arabic = get(client, article.get_absolute_url())
    english = client.get(article.get_absolute_url(), headers={"accept-language": "en"})

    assert english["X-Cache"] == "miss" and arabic["ETag"] != english["ETag"]
    assert 'lang="ar"' in arabic.content.decode()[:200] and 'lang="en"' in english.content.decode()[:200]


def test_a_reader_with_the_language_cookie_is_answered_privately(client, committed):
    article = story(committed)
    client.cookies["django_language"] = "en"

    response = client.get(article.get_absolute_url())

    assert "private" in response["Cache-Control"] and 'lang="en"' in response.content.decode()[:200]


def test_a_made_up_query_string_is_the_same_page(client, committed):
    get(client, "/")

    response = get(client, "/?utm_source=x&junk=" + "a" * 500)

    assert response["X-Cache"] == "hit"


def test_the_language_switch_needs_no_token_and_sets_the_language(client, committed):
    article = story(committed)

    response = client.post("/language/", {"language": "en", "next": article.get_absolute_url()})

    assert response.status_code == 302 and response["Location"] == article.get_absolute_url()
    assert response.cookies["django_language"].value == "en"


def test_post_and_errors_are_never_cached(client, committed):
    assert get(client, "/articles/999999/x/").status_code == 404
    assert "X-Cache" not in get(client, "/articles/999999/x/")


def rich_story(committed, editor):
    """A story with five parts, three sources, two translations, annotations and comments."""
    from articles.services.stories import Credit

    with committed():
        article = stories.create_story(
            headline="خبر غني",
            parts=[part_services.NewPart(body=f"فقرة رقم {n} من الخبر.") for n in range(5)],
            credits=[Credit(source=slug) for slug in ("sputnik", "reuters", "urdupoint")],
            section="سياسة",
            publish=True,
        )
        for language in ("en", "ur"):
            stories.create_story(
                headline=f"Story {language}",
                parts=[part_services.NewPart(body="Text.")],
                language=language,
                translation_of=article.pk,
                publish=True,
            )
        for n in range(3):
            annotation_services.create_annotation(
                article=article, part_number=n + 1, exact="الخبر", body=f"ملاحظة {n}", by=editor
            )
        for n in range(4):
            posted = comment_services.post_comment(
                article=article, name=f"قارئ {n}", email=f"r{n}@example.org", body=f"تعليق {n}", ip=f"203.0.113.{n}"
            )
            if posted.comment.status != Comment.Status.APPROVED:
                comment_services.moderate(comment=posted.comment, action="approve", by=editor)
    return article


@pytest.mark.parametrize("page", ["story", "translation", "/", "section", "source"])
def test_every_public_page_costs_at_most_six_queries_uncached(client, committed, editor, page, page_reads):
    article = rich_story(committed, editor)
    for n in range(5):
        story(committed, headline=f"خبر آخر {n}", section="سياسة")
    translation = article.translations.get(language="en")
    translation.translated_by.add(editor)
    url = {
        "story": article.get_absolute_url(),
        "translation": translation.get_absolute_url(),
        "/": "/",
        "section": f"/sections/{article.section.slug}/",
        "source": f"/sources/{article.credits.first().source.slug}/",
    }[page]
    cache.clear()
    # What every page shares is read once per generation, not once per page: the next scheduled publication
    # and the sections in the header. Warm them on another page; the budget is the page's own.
    from articles.services import pagecache

    pagecache.state()
    get(client, "/search/")

    with page_reads(6):
        response = get(client, url)

    assert response.status_code == 200
    if page == "translation":
        assert editor.get_username() in response.content.decode()  # the translator's credit


def test_on_redis_pages_counts_and_rate_limits_are_shared(redis_cache, client, committed):
    """With REDIS_URL every application server shares the pages, the generation and the rate limits."""
    from articles.services.comments import _rate

    article = story(committed)
    first = get(client, article.get_absolute_url())
    second = get(client, article.get_absolute_url())
    with committed():
        stories.edit_story(article=article, changes={"byline": "مراسلنا"})
    third = get(client, article.get_absolute_url())

    assert (first["X-Cache"], second["X-Cache"], third["X-Cache"]) == ("miss", "hit", "miss")
    assert "مراسلنا" in third.content.decode()
    assert redis_cache._cache.get_client().keys("*newsroom:pages:generation")
    _rate("test-shared", "1/minute", "slow down")
    with pytest.raises(comment_services.TooMany):
        _rate("test-shared", "1/minute", "slow down")


def test_on_redis_a_page_asked_for_again_costs_no_round_trip_and_stays_exact(redis_cache, client, committed):
    """Each process keeps the pages it served, and the generation, in its memory (newsroom.cache.Near): the
    next reader costs no Redis command; a change made by another server is seen by the very next request."""
    from newsroom.cache import RedisCache

    article = story(committed)
    url = article.get_absolute_url()
    assert get(client, url)["X-Cache"] == "miss"
    # That render stored the next scheduled publication (none) under the watched prefix: the next request
    # hears of it and reads the state once more.
    assert get(client, url)["X-Cache"] == "hit"
    redis = redis_cache._cache.get_client()
    with mock.patch.object(redis, "execute_command", wraps=redis.execute_command) as sent:
        again = get(client, url)
    assert again["X-Cache"] == "hit" and sent.call_args_list == []

    another_server = RedisCache(redis_cache._servers[0], {"KEY_PREFIX": redis_cache.key_prefix})
    with committed():
        stories.edit_story(article=article, changes={"byline": "مراسلنا في يريفان"})
    after_edit = get(client, url)
    another_server.incr(pagecache.GENERATION)  # a comment approved on the other server, say
    after_other = get(client, url)

    assert after_edit["X-Cache"] == after_other["X-Cache"] == "miss"
    assert "مراسلنا في يريفان" in after_edit.content.decode()
    assert after_other["ETag"] != after_edit["ETag"] != again["ETag"]


def test_on_redis_a_story_page_s_first_read_after_a_publication_asks_redis_nothing(
    redis_cache, client, committed, editor
):
    """After a publication each process is told of every clock and page written in the new generation
    (newsroom.cache.Near's epoch), so a story page no one kept and no one commented since is answered from its
    stored rendering without a word to Redis; a comment under it, made on another server, is still seen at once,
    and its clock is gone again with the next generation."""
    from newsroom.cache import RedisCache, advance

    first, second, third = (story(committed, headline=f"خبر رقم {n}") for n in range(3))
    urls = [article.get_absolute_url() for article in (first, second, third)]
    for url in urls:
        get(client, url)  # rendered and stored
    pagecache.bump()
    get(client, urls[0]), get(client, urls[1])  # the generation read, and the next go-live the first read stored
    redis = redis_cache._cache.get_client()
    with mock.patch.object(redis, "execute_command", wraps=redis.execute_command) as sent:
        answered = get(client, urls[2])
    assert answered["X-Cache"] == "miss" and sent.call_args_list == []
    assert answered.content == get(client, urls[2]).content  # (kept on this second read)

    another_server = RedisCache(redis_cache._servers[0], {"KEY_PREFIX": redis_cache.key_prefix})
    approved_comment(third, editor, committed)  # its clock moves on, its page version too
    advance(another_server, pagecache.STORY.format(third.pk), registry=pagecache.CLOCKS)  # and on another server
    after = get(client, urls[2])
    assert after["X-Cache"] == "miss" and "تعليق القارئ هنا" in after.content.decode()
    assert after["ETag"] != answered["ETag"]
    assert redis_cache.get(pagecache.STORY.format(third.pk)) is not None
    pagecache.bump()
    assert redis_cache.get(pagecache.STORY.format(third.pk)) is None  # the new generation starts with no clock


def approved_comment(article, editor, committed, body="تعليق القارئ هنا", email="r@example.org"):
    with committed():
        posted = comment_services.post_comment(article=article, name="قارئ", email=email, body=body, ip="203.0.113.9")
    if posted.comment.status != Comment.Status.APPROVED:
        with committed():
            comment_services.moderate(comment=posted.comment, action="approve", by=editor)
    return posted.comment


def test_a_comment_renders_its_own_story_again_and_leaves_every_other_page_cached(client, committed, editor):
    """Comments and annotations move only their story's own clock: in a spike of comments the home page, the
    lists and the other stories stay cached."""
    commented, other = story(committed, headline="خبر يعلق عليه"), story(committed, headline="خبر آخر")
    pages = [commented.get_absolute_url(), other.get_absolute_url(), "/", "/feeds/"]
    for url in pages:
        get(client, url)
    before = get(client, pages[0])

    approved_comment(commented, editor, committed)
    after = [get(client, url) for url in pages]

    assert [response["X-Cache"] for response in after] == ["miss", "hit", "hit", "hit"]
    assert "تعليق القارئ هنا" in after[0].content.decode()
    assert after[0]["ETag"] != before["ETag"]
    assert after[0]["Last-Modified"] >= before["Last-Modified"]


def test_an_annotation_written_and_deleted_renders_its_story_again_only(client, committed, editor):
    annotated, other = story(committed, body="نص الخبر الأول."), story(committed, headline="خبر آخر")
    get(client, annotated.get_absolute_url()), get(client, other.get_absolute_url())

    with committed():
        note = annotation_services.create_annotation(
            article=annotated, part_number=1, exact="الخبر", body="ملاحظة المحرر", by=editor
        )
    shown = get(client, annotated.get_absolute_url())
    assert shown["X-Cache"] == "miss" and "ملاحظة المحرر" in shown.content.decode()
    assert get(client, other.get_absolute_url())["X-Cache"] == "hit"

    with committed():
        annotation_services.delete_annotation(annotation=note, by=editor)
    gone = get(client, annotated.get_absolute_url())
    assert gone["X-Cache"] == "miss" and "ملاحظة المحرر" not in gone.content.decode()


def test_a_rejected_comment_leaves_its_story_at_once(client, committed, editor):
    article = story(committed)
    comment = approved_comment(article, editor, committed, body="تعليق سيرفض لاحقا")
    assert "تعليق سيرفض لاحقا" in get(client, article.get_absolute_url()).content.decode()

    with committed():
        comment_services.moderate(comment=comment, action="reject", by=editor)
    assert "تعليق سيرفض لاحقا" not in get(client, article.get_absolute_url()).content.decode()


def test_forgetting_a_commenter_renders_each_story_they_commented_again(client, committed, editor):
    first, second = story(committed), story(committed, headline="خبر ثان")
    approved_comment(first, editor, committed, body="أول تعليق للقارئ", email="forget@example.org")
    approved_comment(second, editor, committed, body="ثاني تعليق للقارئ", email="forget@example.org")
    assert "أول تعليق للقارئ" in get(client, first.get_absolute_url()).content.decode()
    assert "ثاني تعليق للقارئ" in get(client, second.get_absolute_url()).content.decode()

    with committed():
        comment_services.forget_commenter(email="forget@example.org", by=editor)
    assert "أول تعليق للقارئ" not in get(client, first.get_absolute_url()).content.decode()
    assert "ثاني تعليق للقارئ" not in get(client, second.get_absolute_url()).content.decode()


def test_a_story_change_still_renders_every_page_again(client, committed):
    """Other pages show a story too (related stories, lists): a story change moves the generation."""
    article, other = story(committed), story(committed, headline="خبر آخر")
    for url in (article.get_absolute_url(), other.get_absolute_url(), "/"):
        get(client, url)

    with committed():
        workflow.transition(article=article, name="retract", note="خطأ")
    assert [get(client, url)["X-Cache"] for url in (other.get_absolute_url(), "/")] == ["miss", "miss"]


def test_a_story_clock_never_repeats_and_follows_the_time(monkeypatch):
    """Two changes in the same microsecond, or on a server whose clock is behind, still move the clock on."""
    from newsroom import cache as cache_module

    first = cache_module.advance(caches["default"], "newsroom:pages:story:1")
    monkeypatch.setattr(cache_module.time, "time_ns", lambda: (first - 5_000_000) * 1000)  # five seconds behind
    second = cache_module.advance(caches["default"], "newsroom:pages:story:1")
    assert second == first + 1
    assert abs(first / 1_000_000 - time.time()) < 5


def test_on_redis_a_comment_on_another_server_renders_that_story_again_only(redis_cache, client, committed, editor):
    from newsroom.cache import RedisCache, advance

    commented, other = story(committed, headline="خبر يعلق عليه"), story(committed, headline="خبر آخر")
    for url in (commented.get_absolute_url(), other.get_absolute_url()) * 2:
        get(client, url)
    another_server = RedisCache(redis_cache._servers[0], {"KEY_PREFIX": redis_cache.key_prefix})

    first = advance(another_server, pagecache.STORY.format(commented.pk))
    assert advance(redis_cache, pagecache.STORY.format(commented.pk)) > first
    assert get(client, commented.get_absolute_url())["X-Cache"] == "miss"
    assert get(client, other.get_absolute_url())["X-Cache"] == "hit"
    approved_comment(commented, editor, committed)
    assert "تعليق القارئ هنا" in get(client, commented.get_absolute_url()).content.decode()


def test_a_translator_renamed_in_the_admin_shows_at_once_on_their_translations_page(client, admin_client, committed):
    """Translations credit their translators by name («ترجمة: …»); a name edited in the admin's user form moves
    the cached pages on (articles/admin/users.py), as any change readers see does."""
    from articles.services import translations as translation_services

    from .factories import translator as make_translator

    original = story(committed)
    translator = make_translator()
    with committed():
        english = translation_services.create_translation(
            original=original,
            language="en",
            headline="Talks",
            parts=[part_services.NewPart(body="Text.")],
            by=translator,
        )
        workflow.transition(article=english, name="publish")
    url = english.__class__.objects.get(pk=english.pk).get_absolute_url()
    assert "Sara Haddad" in get(client, url).content.decode()

    joined = timezone.localtime(translator.date_joined)
    form = {
        "username": "sara",
        "first_name": "سارة",
        "last_name": "حداد",
        "email": "",
        "is_active": "on",
        "date_joined_0": joined.strftime("%Y-%m-%d"),
        "date_joined_1": joined.strftime("%H:%M:%S"),
        "groups": [str(group.pk) for group in translator.groups.all()],
    }
    with committed():
        response = admin_client.post(f"/admin/auth/user/{translator.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:2000]

    page = get(client, url).content.decode()
    assert "سارة حداد" in page and "Sara Haddad" not in page


def test_a_draft_s_changes_leave_every_page_cached(client, committed, editor, seed_text):
    """No public page shows a draft or a story in review, nor counts one: the wire's copy ingested for the desk
    (publish off), its edits and its deletion move no page on; publishing it does."""
    from articles.services import ingest as ingest_services

    public = story(committed, headline="خبر منشور")
    pages = ["/", public.get_absolute_url()]
    for url in pages:
        get(client, url)
    before = pagecache.state()[0]

    with committed():
        draft = ingest_services.ingest(text=seed_text).article
    with committed():
        stories.edit_story(article=draft, changes={"byline": "مراسلنا"}, by=editor)
    with committed():
        draft = workflow.transition(article=draft, name="submit", by=editor)

    assert draft.status == Article.Status.IN_REVIEW and pagecache.state()[0] == before
    assert all(get(client, url)["X-Cache"] == "hit" for url in pages)

    with committed():
        workflow.transition(article=draft, name="publish", by=editor)

    assert pagecache.state()[0] != before
    assert get(client, "/")["X-Cache"] == "miss" and draft.headline in get(client, "/").content.decode()


def test_deleting_a_draft_moves_nothing_and_a_published_story_everything(client, committed, editor):
    draft = story(committed, headline="مسودة", publish=False)
    published = story(committed, headline="خبر منشور للحذف")
    get(client, "/")
    before = pagecache.state()[0]

    with committed():
        stories.delete_story(article=draft, by=editor)
    assert pagecache.state()[0] == before and get(client, "/")["X-Cache"] == "hit"

    with committed():
        stories.delete_story(article=published, by=editor)
    assert pagecache.state()[0] != before and "خبر منشور للحذف" not in get(client, "/").content.decode()


def test_scheduling_a_draft_moves_the_pages_on_so_that_they_end_at_its_time(client, committed, editor):
    draft = story(committed, headline="خبر مجدول", publish=False)
    get(client, "/")
    before = pagecache.state()[0]

    with committed():
        workflow.transition(article=draft, name="publish", by=editor, at=timezone.now() + timedelta(minutes=5))

    generation, _changed, next_go_live = pagecache.state()
    assert generation != before and next_go_live is not None


@pytest.mark.parametrize("cache_kind", ["memory", "redis"])
def test_a_story_due_since_the_pages_moved_moves_them_on_though_no_next_go_live_is_kept(
    cache_kind, committed, request, client
):
    """The next go-live's answer ends after an hour (or was never read in this generation): a story whose time
    came meanwhile is found by the first reader after it (its time is after the generation's move), and the
    pages move on once, read back from the cache itself: on Redis, this process may not have heard of its own
    move yet. Otherwise a reader's copy from before its time would still be answered 304."""
    if cache_kind == "redis":
        request.getfixturevalue("redis_cache")
    with committed():
        article = stories.create_story(headline="خبر مجدول", parts=[part_services.NewPart(body="نص.")])
        workflow.transition(article=article, name="publish", at=timezone.now() + timedelta(minutes=5))
    before = pagecache.state()[0]
    etag = get(client, "/")["ETag"]
    cache.delete(pagecache.NEXT_GO_LIVE)  # its hour is over
    later = timezone.now() + timedelta(minutes=6)
    told_nothing = (
        mock.patch.object(pagecache._near(), "_take_notices", return_value=True)
        if cache_kind == "redis"
        else contextlib.nullcontext()
    )
    with mock.patch.object(pagecache, "bump", wraps=pagecache.bump) as moved, told_nothing:
        after = pagecache.state(later)[0]
    assert moved.call_count == 1 and after != before
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert get(client, "/", **{"If-None-Match": etag}).status_code == 200
