"""What ingesting a story costs the database: a ceiling on the statements of one POST /api/v1/ingest/ of new wire
copy, published, as bench/serve.py sends it (an editor's token, a new story each time), the followers heard after
the commit included; so a statement added to the write pipeline fails here, not months later in the benchmark.
A story the change created is written to its revision and its search document from memory: both are checked
against what a fresh read of the story writes."""

import json

import pytest
from django.contrib.auth.models import User
from django.core import serializers
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from reversion.models import Version

from articles.models import Article, SearchDocument
from articles.services import search
from articles.services import stories as story_services

from .conftest import SEED

pytestmark = pytest.mark.django_db

URL = "/api/v1/ingest/"

# The statements of one request in the test's transaction (savepoints stand in for BEGIN and COMMIT), by database.
# A new story, published: the token; the advisory lock on the copy (PostgreSQL); whether any story has its headline;
# its sources (with all their aliases); the story (published before its INSERT: no UPDATE after it), its credit and
# its part; the revision and its rows; the audit entry; and after the commit its search document and its
# stored API representations (articles/api/stored.py: one statement, in a savepoint of its own here). A take
# appended to a developing story also finds that story (with its credits) and asks whether it holds the copy, locks
# it, reads its credits and last part, reads it back for the revision and counts its parts; its followers then ask
# about translations and annotations and read it again for the search document.
NEW_STORY = {"postgresql": 16, "sqlite": 15}
APPENDED_TAKE = {"postgresql": 30, "sqlite": 29}


PARAGRAPHS = [p.strip() for p in SEED.read_text(encoding="utf-8").split("\n\n")]


def copy(n: int) -> str:
    """Copy shaped as the benchmark's: an urgent headline unique to `n`, the seed's dateline and first paragraphs."""
    return "\n\n".join(
        [
            f"عاجل: الأمين العام يدعو إلى وقف التصعيد في المنطقة رقم {n}",
            "موسكو، 28 سبتمبر 2020 (سبوتنيك) - " + PARAGRAPHS[2],
            *PARAGRAPHS[3:6],
        ]
    )


def takes() -> tuple[str, str]:
    """A developing story's first take (to follow) and its next one, labelled, ending it."""
    headline = "دولي / الأمين العام يدعو إلى وقف التصعيد"
    first = f"{headline}\n\nموسكو، 28 سبتمبر 2020 (سبوتنيك) - {PARAGRAPHS[2]}\n // يتبع //\n"
    return first, f"{headline}        إضافة أولى\n\n{PARAGRAPHS[3]}\n // انتهى //\n"


@pytest.fixture
def wire_api(api):
    """The benchmark's client: an editor's token (a superuser, as bench/serve.py makes), no session."""
    editor = User.objects.create_superuser("wire-editor", password="pw-wire-editor-123")
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=editor).key}")
    return api


@pytest.fixture
def post(wire_api, django_capture_on_commit_callbacks):
    """post(text) → (answer, statements): the request and its after-commit followers, as if it committed."""

    def send(text: str):
        with CaptureQueriesContext(connection) as statements, django_capture_on_commit_callbacks(execute=True):
            response = wire_api.post(URL, {"text": text, "publish": True}, format="json")
        assert response.status_code in (200, 201), response.content
        return response.json(), statements

    send(copy(0))  # the first request of a process fills its caches (content types): the steady state is measured
    return send


def shown(statements) -> str:
    return "\n".join(query["sql"][:160] for query in statements.captured_queries)


def test_a_new_published_story_stays_within_its_statements(post):
    answer, statements = post(copy(1))

    assert answer["action"] == "created"
    assert len(statements) <= NEW_STORY[connection.vendor], shown(statements)


def test_a_take_appended_to_a_developing_story_stays_within_its_statements(post):
    take_1, take_2 = takes()
    first, _ = post(take_1)
    answer, statements = post(take_2)

    assert answer["action"] == "appended" and answer["id"] == first["id"]
    assert len(statements) <= APPENDED_TAKE[connection.vendor], shown(statements)


def fields_of(obj) -> dict:
    return json.loads(serializers.serialize("json", [obj]))[0]


def test_the_revision_of_a_new_story_is_the_one_a_fresh_read_records(post):
    answer, _ = post(copy(3))
    article = Article.objects.get(pk=answer["id"])
    expected = [article, *article.parts.all(), *article.credits.all()]

    [revision] = {version.revision for version in Version.objects.get_for_object(article)}
    versions = list(revision.version_set.select_related("content_type").order_by("pk"))

    assert len(expected) == 3  # the story, its part and its credit
    assert [(v.content_type.model_class(), v.object_id) for v in versions] == [
        (type(obj), str(obj.pk)) for obj in expected
    ]
    for version, obj in zip(versions, expected, strict=True):
        assert json.loads(version.serialized_data)[0] == fields_of(obj)
        assert version.serialized_data == serializers.serialize("json", [obj])  # as reversion writes it, exactly
        assert version.object_repr == str(obj)


def document(article_id: int) -> dict:
    found = SearchDocument.objects.filter(article_id=article_id)
    row = found.values("config", "headline", "summary", "body", "display", "listed_at").get()
    if connection.vendor == "postgresql":
        row["vector"] = str(found.values_list("vector", flat=True).get())
    return row


def test_the_search_document_of_a_new_story_is_the_one_a_fresh_read_writes(post):
    answer, _ = post(copy(4))
    written = document(answer["id"])

    search.index_story(answer["id"])

    assert "سبوتنيك" in written["body"]
    assert written == document(answer["id"])


def test_the_first_document_of_a_new_story_never_replaces_a_newer_one(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as followers:
        article = story_services.create_story(headline="خبر أول", parts=[], publish=False)
    story_services.edit_story(article=article, changes={"headline": "خبر معدل"})
    search.index_story(article.pk)  # the later change's follower came first

    for follower in followers:  # the creation's followers, late
        follower()

    assert SearchDocument.objects.get(article_id=article.pk).headline == "خبر معدل"
