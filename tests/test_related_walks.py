"""Related stories are found by walks down indexes, each bounded by the number it looks for, whatever the archive
holds; the walks read the credits' copy of their story's time (ArticleSource.published_at), which every door
that changes the time or the credits keeps in step through the change unit."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from articles import selectors
from articles.models import Article, ArticleSource, Section, Source
from articles.selectors.related import SOURCES_FOLLOWED, related_candidates
from articles.services import ingest as ingest_services
from articles.services import parts as part_services
from articles.services import revisions, stories, workflow
from articles.services.stories import Credit

pytestmark = pytest.mark.django_db


def in_step() -> list[tuple]:
    """Credits whose copy of the time differs from their story's (none, when in step)."""
    return [
        (credit.article_id, credit.published_at, credit.article.published_at)
        for credit in ArticleSource.objects.select_related("article")
        if credit.published_at != credit.article.published_at
    ]


def story(headline, *, section="", sources=("reuters",), publish=True, **extra):
    for slug in sources:
        Source.objects.get_or_create(slug=slug, defaults={"name": f"وكالة {slug}"})
    return stories.create_story(
        headline=headline,
        section=section,
        credits=[Credit(source=slug) for slug in sources],
        parts=[part_services.NewPart(body="نص الخبر.")],
        publish=publish,
        **extra,
    )


def test_every_door_that_moves_a_story_s_time_or_credits_keeps_the_copy_in_step(editor):
    draft = story("مسودة", publish=False)
    assert ArticleSource.objects.get(article=draft).published_at is None and not in_step()

    published = workflow.transition(article=draft, name="publish", by=editor)
    assert ArticleSource.objects.get(article=draft).published_at == published.published_at
    assert not in_step()

    workflow.transition(article=draft, name="unpublish", by=editor)
    assert not in_step()
    later = timezone.now() + timedelta(hours=3)
    workflow.transition(article=draft, name="publish", by=editor, at=later)
    assert ArticleSource.objects.get(article=draft).published_at == later and not in_step()
    workflow.transition(article=draft, name="publish", by=editor)
    workflow.transition(article=draft, name="retract", by=editor, note="سُحب الخبر لخطأ في المصدر.")
    assert ArticleSource.objects.get(article=draft).published_at is not None and not in_step()

    other = story("خبر آخر", sources=("afp",))
    stories.edit_story(article=other, credits=[Credit(source="sputnik"), Credit(source="afp")], by=editor)
    assert ArticleSource.objects.filter(article=other).count() == 2 and not in_step()

    stories.delete_story(article=other, by=editor)
    version = revisions.deleted_stories().first()
    recovered = revisions.recover(version_id=version.pk, by=editor)
    assert recovered.status == Article.Status.DRAFT and not in_step()


def test_ingest_writes_each_credit_with_its_story_s_time(seed_text):
    result = ingest_services.ingest(text=seed_text, publish=True)

    credits = list(ArticleSource.objects.filter(article=result.article))
    assert credits and all(c.published_at == result.article.published_at for c in credits)
    assert not in_step()


def test_a_take_that_credits_a_new_source_dates_it_too(seed_text):
    first = ingest_services.ingest(text=seed_text, publish=True).article
    stories.edit_story(article=first, credits=[Credit(source=c.source.slug) for c in first.credits.all()])
    with_new_source = story("خبر ثالث", sources=("reuters", "afp"))

    assert not in_step() and with_new_source.credits.count() == 2


def bulk_stories(count: int, *, start) -> None:
    """A wire burst: `count` public stories, a minute apart from `start`, across 20 sections and 20 agencies, in
    bulk as the benchmark loads them, with their credits dated as the change unit dates them."""
    sections = Section.objects.bulk_create(Section(name=f"قسم {n}", slug=f"burst-{n}") for n in range(20))
    agencies = Source.objects.bulk_create(Source(name=f"وكالة {n}", slug=f"burst-agency-{n}") for n in range(20))
    if sections[0].pk is None or agencies[0].pk is None:
        sections = list(Section.objects.filter(slug__startswith="burst-"))
        agencies = list(Source.objects.filter(slug__startswith="burst-agency-"))
    made = Article.objects.bulk_create(
        Article(
            headline=f"خبر عاجل من الوكالة رقم {n}",
            slug=f"wire-{n}",
            section=sections[n % 20],
            status=Article.Status.PUBLISHED,
            published_at=start + timedelta(minutes=n),
        )
        for n in range(count)
    )
    if made[0].pk is None:
        made = list(Article.objects.filter(slug__startswith="wire-"))
    ArticleSource.objects.bulk_create(
        ArticleSource(article=a, source=agencies[n % 20], position=1, published_at=a.published_at)
        for n, a in enumerate(made)
    )


@pytest.fixture
def rare_story_in_a_burst():
    """A story of a rare section and agency, one older story related to it, then a wire burst of 5,000 newer
    stories of other sections and agencies."""
    old = timezone.now() - timedelta(days=400)
    related = story("مقال قديم عن المتاحف", section="ثقافة", sources=("rare-agency",))
    Article.objects.filter(pk=related.pk).update(published_at=old)
    ArticleSource.objects.filter(article=related).update(published_at=old)
    main = story("معرض جديد للمخطوطات", section="ثقافة", sources=("rare-agency",))
    Article.objects.filter(pk=main.pk).update(published_at=old + timedelta(days=1))
    ArticleSource.objects.filter(article=main).update(published_at=old + timedelta(days=1))
    bulk_stories(5000, start=timezone.now() - timedelta(days=4))
    return main, related


def test_a_rare_story_finds_its_related_story_past_a_burst_of_newer_copy(rare_story_in_a_burst):
    main, related = rare_story_in_a_burst

    assert [a.pk for a in selectors.related_to(main)] == [related.pk]


def _rows_read(plan: dict) -> int:
    """Rows every scan in a PostgreSQL plan (EXPLAIN ANALYZE, JSON) read: those it returned and those its filter
    removed, loops included."""
    read = 0
    if "Scan" in plan["Node Type"]:
        read = (plan.get("Actual Rows", 0) + plan.get("Rows Removed by Filter", 0)) * plan.get("Actual Loops", 1)
    return read + sum(_rows_read(child) for child in plan.get("Plans", []))


def test_the_walks_read_a_bounded_number_of_rows_whatever_the_archive_holds(rare_story_in_a_burst):
    if connection.vendor != "postgresql":
        pytest.skip("the plan is read from PostgreSQL's EXPLAIN ANALYZE (CI runs it)")
    main, _related = rare_story_in_a_burst
    sql, params = related_candidates(main.pk, now=timezone.now()).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        # As on tables too big to read whole: a few hundred rows are cheaper to scan than an index to walk.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
        value = cursor.fetchone()[0]
    plan = json.loads(value) if isinstance(value, str) else value

    # One related story to find: a walk of every newer story would read the 5,000 of the burst.
    assert _rows_read(plan[0]["Plan"]) < 40, json.dumps(plan, indent=1)


def test_a_scheduled_story_is_not_related_before_it_goes_live():
    main = story("القمة الاقتصادية", section="اقتصاد")
    scheduled = story("موعد القمة المقبلة", section="اقتصاد", publish=False)
    workflow.transition(article=scheduled, name="publish", at=timezone.now() + timedelta(hours=2))

    assert selectors.related_to(main) == []


def test_visibility_is_the_story_s_own_row_even_when_a_copy_drifts():
    """A credit's copy written by a door that skipped the change unit (a shell, a bulk load) cannot publish a
    draft: the candidates are held to Article.objects.public."""
    main = story("الخبر الرئيسي", section="", sources=("reuters",))
    draft = story("مسودة لا تُنشر", sources=("reuters",), publish=False)
    ArticleSource.objects.filter(article=draft).update(published_at=timezone.now() - timedelta(minutes=1))

    assert selectors.related_to(main) == []


def test_the_first_sources_in_dateline_order_are_followed():
    slugs = [f"agency-{n}" for n in range(SOURCES_FOLLOWED + 1)]
    main = story("خبر بوكالات كثيرة", sources=slugs)
    by_each = {slug: story(f"خبر من {slug}", sources=(slug,)) for slug in slugs}

    found = {a.pk for a in selectors.related_to(main)}

    assert found == {by_each[slug].pk for slug in slugs[:SOURCES_FOLLOWED]}
