"""Every index on the stories' tables earns its keep: none repeats what another index or unique constraint
already starts with. Each one is written on every insert (an ingested story writes a story, three parts, two
credits, a search document, a revision), so a redundant one slows ingest for nothing."""

import pytest
from django.apps import apps
from django.db import connection

pytestmark = pytest.mark.django_db

# Partial unique constraints (a WHERE clause), which introspection reports without it: they do not cover a
# plain index on their first column for every query.
PARTIAL = {"article_one_translation_per_language"}


def indexes_of(table: str) -> dict[str, tuple[list[str], bool]]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, table)
    return {
        name: (info["columns"], bool(info["unique"]))
        for name, info in found.items()
        if (info["index"] or info["unique"])
        and not info["primary_key"]
        and name not in PARTIAL
        and info["columns"]
        and not name.endswith("_like")  # PostgreSQL's text-pattern twin of an index: LIKE, not a repeat
    }


@pytest.mark.parametrize(
    "model", [m for m in apps.get_app_config("articles").get_models()], ids=lambda m: m._meta.db_table
)
def test_no_index_repeats_the_start_of_another(model):
    found = indexes_of(model._meta.db_table)
    redundant = [
        (name, other)
        for name, (columns, unique) in found.items()
        if not unique
        for other, (other_columns, _) in found.items()
        if other != name
        and other_columns[: len(columns)] == columns
        and (len(other_columns) > len(columns) or other < name)
    ]
    assert redundant == []


def test_equality_only_text_columns_have_no_pattern_index_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("text-pattern (_like) indexes are PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename IN ('articles_article', 'articles_part') "
            "AND indexdef LIKE '%%pattern_ops%%'"
        )
        patterns = sorted(row[0] for row in cursor.fetchall())
    assert patterns == []


def test_the_story_slug_has_no_index():
    """A story is found by its id; its slug is only compared with the address's (a wrong one redirects), so an
    index on it (SlugField's two on PostgreSQL) would be written on every story's insert for no reader."""
    assert [name for name, (columns, _unique) in indexes_of("articles_article").items() if "slug" in columns] == []
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, "articles_article")
    assert [
        name for name, info in found.items() if info["columns"] == ["slug"] and (info["index"] or info["unique"])
    ] == []


@pytest.mark.parametrize(
    ("ordering", "index"),
    [(("-published_sort", "-pk"), "article_listed"), (("updated_at", "pk"), "article_updated")],
)
def test_the_api_list_reads_a_page_down_an_index_not_the_table_sorted(ordering, index):
    """The list's order (api/pagination.py) is the index's, so that a page reads its twenty rows, whatever the
    archive holds. The planner is told to avoid reading whole tables and sorting, which on a test's handful of
    rows it would rightly prefer: if the order stopped matching the index, it would have to sort all the same."""
    if connection.vendor != "postgresql":
        pytest.skip("the plan is PostgreSQL's (CI runs it)")
    from django.db.models.functions import Coalesce

    from articles.selectors import visible_to

    stories = visible_to(None).annotate(published_sort=Coalesce("published_at", "created_at")).order_by(*ordering)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        plan = stories[:21].explain()

    assert index in plan and "Sort Key" not in plan.split(index)[0]
