"""Rows written by newsroom.inserts.insert(): the same rows as bulk_create writes, their keys set as it sets
them, one statement whatever their number, conflicts replaced by an upsert, and expressions refused."""

import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import F, Value
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from reversion.models import Revision, Version

from articles.models import Article, ArticleSource, AuditEntry, Part, Source, StoredRepresentation
from newsroom.inserts import Upsert, insert

pytestmark = pytest.mark.django_db

# What is hard to write: quotes and backslashes (JSON's own), braces and commas (an array's), Arabic, a lone
# "NULL", an empty text, a long one.
AWKWARD = ['{"a": "b\\"c"}', "{x,y}", "NULL", "", "نص «عربي» \\ آخر", "ق" * 5000]


def row_values(model, pk) -> dict:
    values = model.objects.filter(pk=pk).values().get()
    values.pop(model._meta.pk.attname)
    return values


@pytest.fixture
def story():
    return Article.objects.create(headline="خبر", slug="khabar")


@pytest.mark.parametrize("count", [1, 2, 7])
def test_inserted_parts_are_the_rows_bulk_create_writes(story, count):
    def parts(offset):
        return [
            Part(article=story, number=offset + n + 1, body=AWKWARD[n % len(AWKWARD)] or "-", continues=bool(n % 2))
            for n in range(count)
        ]

    with CaptureQueriesContext(connection) as statements:
        ours = insert(parts(0))
    theirs = Part.objects.bulk_create(parts(100))

    assert len(statements) == 1
    assert all(part.pk is not None and not part._state.adding and part._state.db == "default" for part in ours)
    assert len({part.pk for part in ours}) == count
    for mine, other in zip(ours, theirs, strict=True):
        mine_values, other_values = row_values(Part, mine.pk), row_values(Part, other.pk)
        assert mine_values.pop("number") + 100 == other_values.pop("number")
        mine_values.pop("filed_at"), other_values.pop("filed_at")
        assert mine_values == other_values
    # In the order given, each with its own key.
    assert [Part.objects.get(pk=part.pk).number for part in ours] == list(range(1, count + 1))


def test_a_revision_and_its_versions_read_back_as_written(story):
    [revision] = insert([Revision(date_created=timezone.now(), user=None, comment='تعديل "أول"')])
    kind = ContentType.objects.get_for_model(Part)
    data = [json.dumps([{"fields": {"body": text}}], ensure_ascii=False) for text in AWKWARD]
    versions = insert(
        Version(
            revision=revision,
            object_id=str(n),
            content_type=kind,
            db="default",
            format="json",
            serialized_data=text,
            object_repr=text[:50],
        )
        for n, text in enumerate(data)
    )

    assert revision.pk and Revision.objects.get(pk=revision.pk).comment == 'تعديل "أول"'
    assert [v.serialized_data for v in Version.objects.filter(revision=revision).order_by("pk")] == data
    assert [v.pk for v in versions] == sorted(v.pk for v in versions)


def test_an_audit_entry_keeps_its_json_and_its_automatic_time(story):
    before = timezone.now()
    [entry] = insert(
        [AuditEntry(action="publish", article=story, article_ref=story.pk, headline="خبر", detail={"a": ['"\\']})]
    )

    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.detail == {"a": ['"\\']}
    assert stored.at >= before and stored.at == entry.at


def test_an_upsert_replaces_the_fields_it_names_and_keeps_the_others(story):
    upsert = Upsert(unique_fields=("article",), update_fields=("json_key", "json_body"))
    insert(
        [StoredRepresentation(article=story, json_key="1", json_body="أ", ninjs_key="n", ninjs_body="ن")], upsert=upsert
    )
    with CaptureQueriesContext(connection) as statements:
        insert([StoredRepresentation(article=story, json_key="2", json_body=AWKWARD[0], ninjs_key="x")], upsert=upsert)

    assert len(statements) == 1
    stored = StoredRepresentation.objects.get(article=story)
    assert (stored.json_key, stored.json_body, stored.ninjs_key, stored.ninjs_body) == ("2", AWKWARD[0], "n", "ن")


def test_credits_link_to_the_story_and_source_they_were_given(story):
    source = Source.objects.create(name="وكالة", slug="agency")
    [credit] = insert([ArticleSource(article=story, source=source, position=1, role="originating_agency")])

    assert list(story.credits.values_list("pk", "source__slug")) == [(credit.pk, "agency")]


def test_expressions_and_mixed_rows_are_refused_and_nothing_is_written(story):
    with pytest.raises(TypeError, match="expression"):
        insert([Part(article=story, number=1, body=Value("نص"))])
    with pytest.raises(TypeError, match="expression"):
        insert([Part(article=story, number=F("number"), body="نص")])
    with pytest.raises(TypeError, match="one model"):
        insert([Part(article=story, number=1, body="نص"), Revision(date_created=timezone.now())])
    assert not Part.objects.exists()
    assert insert([]) == []


def test_an_unsaved_related_row_is_refused_as_the_orm_refuses_it():
    with pytest.raises(ValueError, match="unsaved related object"):
        insert([Part(article=Article(headline="لم يحفظ"), number=1, body="نص")])


def test_an_upsert_with_no_fields_leaves_the_row_there(story):
    insert([StoredRepresentation(article=story, json_key="1")])
    with CaptureQueriesContext(connection) as statements:
        insert([StoredRepresentation(article=story, json_key="2")], upsert=Upsert(unique_fields=("article",)))
    assert len(statements) == 1
    assert StoredRepresentation.objects.get(article=story).json_key == "1"


def test_a_computed_value_is_worked_out_by_the_database_in_the_statement(story):
    from newsroom.inserts import Computed

    rows = insert(Part(article=story, number=n, body=Computed("(%s || %s)", ("نص ", str(n)))) for n in range(1, 4))
    assert [Part.objects.get(pk=part.pk).body for part in rows] == ["نص 1", "نص 2", "نص 3"]
