"""Statements compiled once per process (newsroom.prepared): the same rows and the same SQL as the ORM's own
queryset for any values, one statement a run, nothing built again, and builders that are not statements of
their values refused."""

from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, ArticleSource, Section, Source, SourceAlias
from articles.selectors import public, related
from articles.services import parts as part_services
from articles.services import stories
from articles.services import translations as translation_services
from articles.services.stories import Credit
from newsroom.prepared import MOMENT, NUMBER, NUMBERS, TEXTS, Prepared

pytestmark = pytest.mark.django_db


def story(headline, *, section="سياسة", sources=("reuters",), minutes_ago=10, publish=True):
    article = stories.create_story(
        headline=headline,
        section=section,
        credits=[Credit(source=slug) for slug in sources],
        parts=[part_services.NewPart(body="نص الخبر.")],
        publish=publish,
    )
    if publish:
        Article.objects.filter(pk=article.pk).update(published_at=timezone.now() - timedelta(minutes=minutes_ago))
    return Article.objects.get(pk=article.pk)


def shown(rows):
    """What a row carries: its columns, its select_related objects and its annotations."""
    return sorted(
        (
            row.pk,
            row.headline,
            row.section.name if row.section else None,
            getattr(row, "baseline", None),
            row.translator_names,
            row.visible_original_id,
            row.published_at,
        )
        for row in rows
    )


def test_a_prepared_statement_answers_what_its_queryset_answers_for_any_values(django_user_model):
    first = story("الأول", sources=("reuters", "afp"), minutes_ago=50)
    second = story("الثاني", minutes_ago=40)
    story("في قسم آخر", section="اقتصاد", sources=("afp",), minutes_ago=30)
    story("مسودة", publish=False)
    translator = django_user_model.objects.create_superuser("mona", first_name="منى", last_name="علي")
    translation = translation_services.create_translation(
        original=first.pk,
        language="en",
        headline="The first",
        parts=[part_services.NewPart(body="Text.")],
        by=translator,
    )
    Article.objects.filter(pk=translation.pk).update(status=Article.Status.PUBLISHED, published_at=timezone.now())
    now = timezone.now()
    for pk in (first.pk, second.pk, translation.pk, 10**9):
        for moment in (now, now - timedelta(minutes=45), now - timedelta(days=1)):
            assert shown(related.PAGE_STORIES.rows(pk=pk, now=moment)) == shown(related._page_stories(pk, moment))
    assert shown(related.PAGE_STORIES.rows(pk=first.pk, now=now))  # the comparison compared something


def test_a_run_is_one_statement_with_the_sql_the_orm_compiles_and_builds_nothing_again():
    first = story("الأول")
    related.PAGE_STORIES.rows(pk=first.pk, now=timezone.now())  # compiled (perhaps by an earlier test)
    now = timezone.now()
    built = []

    def build(pk, now):
        built.append(pk)
        return related._page_stories(pk, now)

    statement = Prepared(build, pk=NUMBER, now=MOMENT)
    statement.rows(pk=first.pk, now=now)
    compiled = len(built)
    with CaptureQueriesContext(connection) as ours:
        rows = statement.rows(pk=first.pk, now=now)
    assert len(built) == compiled  # nothing built or compiled again
    assert [row.pk for row in rows] == [first.pk]
    assert len(ours) == 1
    with CaptureQueriesContext(connection) as theirs:
        list(related._page_stories(first.pk, now))
    assert ours[0]["sql"] == theirs[0]["sql"]  # the statement the ORM itself runs for these values


def test_the_moment_is_a_value_of_each_run_not_of_the_first():
    scheduled = story("مجدول", minutes_ago=-60)  # an hour from now
    now = timezone.now()
    assert related.PAGE_STORIES.rows(pk=scheduled.pk, now=now) == []
    later = [row.pk for row in related.PAGE_STORIES.rows(pk=scheduled.pk, now=now + timedelta(hours=2))]
    assert later == [scheduled.pk]
    assert related.PAGE_STORIES.rows(pk=scheduled.pk, now=now) == []


@pytest.mark.parametrize("count", [0, 1, 3, 250])
def test_any_of_takes_any_number_of_ids_in_one_sql_text(count):
    source = Source.objects.create(name="رويترز", slug="reuters-any-of")
    section = Section.objects.create(name="عالم", slug="world")
    articles = Article.objects.bulk_create(
        Article(headline=f"خبر {n}", slug=f"k-{n}", section=section) for n in range(count)
    )
    ArticleSource.objects.bulk_create(ArticleSource(article=a, source=source, position=1) for a in articles)
    wanted = [a.pk for a in articles] + [10**9]
    with CaptureQueriesContext(connection) as queries:
        credits = public.CREDITS.rows(ids=wanted)
    assert sorted(c.article_id for c in credits) == sorted(a.pk for a in articles)
    assert all(c.source.name == "رويترز" for c in credits)  # select_related, loaded with the row
    assert len(queries) == 1


@pytest.mark.parametrize(
    "wanted",
    [
        [],
        ["صحيفة المثال"],
        ['رويترز "الدولية"', "a\\b", "{x,y}", "NULL", " ", "قنا'"],
    ],
)
def test_any_of_takes_any_texts_in_one_sql_text_quotes_backslashes_and_braces_included(wanted):
    source = Source.objects.create(name="مصدر", slug="any-of-texts")
    SourceAlias.objects.bulk_create(
        SourceAlias(source=source, alias=f"{n}", key=key) for n, key in enumerate([*wanted, "غيره"])
    )
    statement = Prepared(lambda keys: SourceAlias.objects.filter(key__any_of=keys).order_by("pk"), keys=TEXTS)
    with CaptureQueriesContext(connection) as queries:
        found = statement.rows(keys=wanted)
    assert [alias.key for alias in found] == wanted
    assert len(queries) == 1
    # The ORM's own lookup agrees.
    assert [a.key for a in SourceAlias.objects.filter(key__any_of=wanted).order_by("pk")] == wanted


def test_a_builder_that_branches_on_its_value_is_refused():
    def build(pk):
        return Article.objects.filter(pk=pk) if pk > 0 else Article.objects.filter(translation_of_id=pk)

    with pytest.raises(ImproperlyConfigured, match="not a prepared statement"):
        Prepared(build, pk=NUMBER).rows(pk=1)


def test_a_builder_that_leaves_a_value_out_is_refused():
    with pytest.raises(ImproperlyConfigured, match="not a prepared statement"):
        Prepared(lambda pk, now: Article.objects.filter(pk=pk), pk=NUMBER, now=MOMENT).rows(pk=1, now=timezone.now())


def test_a_run_takes_exactly_the_statement_values():
    statement = Prepared(lambda ids: Article.objects.filter(pk__any_of=ids), ids=NUMBERS)
    with pytest.raises(TypeError, match="ids"):
        statement.rows(pk=1)
    assert statement.rows(ids=[]) == []


def test_rows_held_on_a_story_link_back_to_it_as_prefetching_leaves_them(django_assert_num_queries):
    first = story("الأول", sources=("reuters", "afp"))
    page = related.story_page(first.pk)

    with django_assert_num_queries(0):
        parts = list(page.article.parts.all())
        credits = list(page.article.credits.all())
        assert parts and all(part.article is page.article for part in parts)
        assert [credit.source.slug for credit in page.article.ordered_credits] == ["reuters", "afp"]
        assert all(credit.article is page.article for credit in credits)


@pytest.mark.django_db
def test_psycopg_keeps_the_conversion_of_the_long_prepared_statements():
    """newsroom.prepared raises psycopg's limits on the statements whose conversion it keeps: a story page's
    check and its own statement are longer than the 4,096 bytes and 50 parameters psycopg keeps by default."""
    if connection.vendor != "postgresql":
        pytest.skip("psycopg converts statements on PostgreSQL only")
    from psycopg import _queries

    from articles.web.assembled import CHECKS

    for statement in (CHECKS["ar"], related.PAGE_STORIES):
        compiled = statement.compiled(connection.alias)
        assert len(compiled.sql.encode()) <= _queries.MAX_CACHED_STATEMENT_LENGTH
        assert len(compiled.params) <= _queries.MAX_CACHED_STATEMENT_PARAMS

    def kept() -> int:  # server-side binding converts with the one, client-side with the other
        return _queries._query2pg.cache_info().hits + _queries._query2pg_client.cache_info().hits

    CHECKS["ar"].rows(pk=1, now=timezone.now(), sections=[], sources=[])
    before = kept()
    CHECKS["ar"].rows(pk=2, now=timezone.now(), sections=[1], sources=[2, 3])
    assert kept() == before + 1
