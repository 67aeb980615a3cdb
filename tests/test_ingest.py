"""The ingest service: wire copy becomes stories, takes are appended, copy already stored changes nothing."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from articles.models import Article, ArticleSource, AuditEntry, Part, Source, SourceRole
from articles.services import IngestError, StoryNotFound
from articles.services.ingest import ingest, ingest_bytes

pytestmark = pytest.mark.django_db

TAKE_1 = """عام / وزير الخارجية يلتقي نظيره الأردني

 الرياض 3 ربيع الأول 1447هـ الموافق 25 أغسطس 2025م واس
 التقى وزير الخارجية اليوم نظيره الأردني في الرياض.
 وبحث الجانبان العلاقات الثنائية.
 // يتبع //
 10:15 ت م
"""

TAKE_2 = """عام / وزير الخارجية يلتقي نظيره الأردني        إضافة أولى

 كما ناقش الوزيران المستجدات الإقليمية.
 // انتهى //
 10:20 ت م
"""


def _counts():
    return (
        Article.objects.count(),
        Part.objects.count(),
        ArticleSource.objects.count(),
        Source.objects.count(),
    )


def test_seed_becomes_one_story_in_two_parts(seed_text):
    result = ingest(text=seed_text)

    article = result.article
    assert result.action == "created"
    assert result.parts == 2
    assert article.headline == seed_text.splitlines()[0].strip()
    assert article.status == Article.Status.DRAFT
    assert article.dateline == "( أردو بوینت نتورك ۔ / سبوتنيك - 28 سبتمبر 2020ء)"
    assert article.dateline_date == date(2020, 9, 28)
    parts = list(article.parts.order_by("number"))
    assert [part.number for part in parts] == [1, 2]
    assert [part.continues for part in parts] == [True, False]
    assert parts[0].body.startswith("اعرب الأمين العام لمنظمة معاهدة الأمن الجماعي")
    assert "أفكارك وتعليقاتك" not in parts[1].body
    assert "(تستمر)" not in parts[0].body + parts[1].body
    assert "\u00a0" in parts[1].body  # the source's no-break space stays
    assert "إدى" in parts[0].body and "و لى" in parts[1].body  # and so do its typos


def test_seed_sources_match_known_aliases_with_their_roles(seed_text):
    article = ingest(text=seed_text).article

    credits = list(article.credits.order_by("position").select_related("source"))
    assert [(credit.source.name, credit.role) for credit in credits] == [
        ("UrduPoint Network", SourceRole.PUBLISHER),
        ("Sputnik", SourceRole.ORIGINATING_AGENCY),
    ]


def test_unknown_sources_are_created_and_matched_next_time_by_letter_form():
    copy = "خبر أول عن الطقس\n\nمانيلا، 3 ديسمبر (وكالة النجمة) - أمطار غزيرة اليوم.\n"
    first = ingest(text=copy).article
    source = first.credits.get().source
    assert source.name == "وكالة النجمة"

    # Urdu/Persian letter forms and hamza spellings fold to the same source.
    second = ingest(text="خبر ثان عن الطقس\n\nمانيلا، 4 ديسمبر (وکالة النجمہ) - رياح قوية.\n").article
    assert second.credits.get().source == source
    assert Source.objects.filter(name__contains="النجم").count() == 1


def test_publish_makes_a_new_story_public(seed_text):
    article = ingest(text=seed_text, publish=True).article

    assert article.status == Article.Status.PUBLISHED
    assert article.published_at is not None
    assert Article.objects.public().filter(pk=article.pk).exists()


def test_reingesting_identical_copy_changes_nothing(seed_text):
    first = ingest(text=seed_text)
    before = _counts(), Article.objects.get().version

    again = ingest(text=seed_text)

    assert again.action == "unchanged"
    assert again.article.pk == first.article.pk
    assert (_counts(), Article.objects.get().version) == before
    assert Article.objects.get().status == Article.Status.DRAFT


def test_stored_copy_of_a_draft_given_again_with_publish_publishes_it_in_one_step(seed_text):
    first = ingest(text=seed_text)
    parts_before = Part.objects.count()

    again = ingest(text=seed_text, publish=True)

    article = Article.objects.get()
    assert again.action == "published"
    assert again.article.pk == first.article.pk
    assert article.status == Article.Status.PUBLISHED
    assert article.version == first.article.version + 1
    assert Part.objects.count() == parts_before
    assert AuditEntry.objects.filter(article=article, action=AuditEntry.Action.PUBLISH).count() == 1


def test_stored_copy_of_a_published_story_with_publish_changes_nothing(seed_text):
    first = ingest(text=seed_text, publish=True)

    again = ingest(text=seed_text, publish=True)

    assert again.action == "unchanged"
    assert Article.objects.get().version == first.article.version == 1


def test_a_later_take_is_appended_as_the_next_part():
    first = ingest(text=TAKE_1)
    second = ingest(text=TAKE_2)

    assert first.action == "created" and second.action == "appended"
    article = second.article
    assert article.pk == first.article.pk
    assert second.parts == 2
    assert article.section.name == "عام"
    assert article.headline == "وزير الخارجية يلتقي نظيره الأردني"
    parts = list(article.parts.order_by("number"))
    assert [part.continues for part in parts] == [True, False]
    assert parts[1].label == "إضافة أولى"
    assert "إضافة أولى" not in parts[1].body
    assert article.dateline_date == date(2025, 8, 25)
    assert article.version > 1


def test_reingesting_an_earlier_take_after_the_next_one_changes_nothing():
    ingest(text=TAKE_1)
    ingest(text=TAKE_2)
    before = _counts()

    assert ingest(text=TAKE_1).action == "unchanged"
    assert ingest(text=TAKE_2).action == "unchanged"
    assert _counts() == before


def test_a_take_is_not_appended_to_a_story_filed_more_than_two_days_ago():
    first = ingest(text=TAKE_1).article
    Part.objects.filter(article=first).update(filed_at=timezone.now() - timedelta(hours=49))

    second = ingest(text=TAKE_2)

    assert second.action == "created"
    assert second.article.pk != first.pk


def test_a_take_is_not_appended_to_a_finished_story():
    ingest(text=TAKE_1)
    ingest(text=TAKE_2)
    third = ingest(text=TAKE_2.replace("المستجدات الإقليمية", "الأوضاع في المنطقة"))

    assert third.action == "created"


def test_a_take_naming_other_sources_starts_a_new_story():
    ingest(text="انفجار في الميناء\n\nبيروت (رويترز) - وقع انفجار.\n(يتبع)\n")

    other = ingest(text="انفجار في الميناء\n\nبيروت (أ ف ب) - دوي انفجار في الميناء.\n")

    assert other.action == "created"


def test_append_to_overrides_matching(seed_text):
    target = ingest(text=seed_text).article

    result = ingest(text="تعليق لاحق\n\nنص إضافي عن الموضوع.\n", append_to=target.pk)

    assert result.action == "appended"
    assert result.article.pk == target.pk
    assert list(target.parts.values_list("number", flat=True).order_by("number")) == [1, 2, 3]


def test_append_to_an_unknown_story_is_refused_and_writes_nothing():
    with pytest.raises(StoryNotFound, match="no story with id 999"):
        ingest(text=TAKE_1, append_to=999)
    assert _counts()[:3] == (0, 0, 0)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"  \n\t\n \xc2\xa0 \n", "empty"),
        ("خبر\n\nنص".encode() + b"\xff\xfe" + "نص".encode(), "byte 12"),
        (b"x" * 1_000_001, "1 MB"),
        ("خبر\n\nنص فيه \x00 حرف".encode(), "NUL"),
    ],
    ids=["empty", "whitespace", "invalid-utf8", "oversize", "nul"],
)
def test_bad_input_is_refused_with_the_reason_and_writes_nothing(data, message):
    with pytest.raises(IngestError, match=message):
        ingest_bytes(data=data)
    assert _counts()[:3] == (0, 0, 0)


def test_legacy_arabic_encoding_is_read_when_named():
    data = "خبر بترميز قديم\n\nنص الخبر باللغة العربية.\n".encode("cp1256")

    with pytest.raises(IngestError, match="windows-1256"):
        ingest_bytes(data=data)
    result = ingest_bytes(data=data, encoding="windows-1256")

    assert result.article.headline == "خبر بترميز قديم"


def test_byte_order_mark_is_dropped(seed_text):
    result = ingest_bytes(data=b"\xef\xbb\xbf" + seed_text.encode())

    assert result.article.headline == seed_text.splitlines()[0].strip()


def test_a_dateline_that_does_not_parse_is_kept_with_a_warning():
    result = ingest(text="عنوان الخبر\n\nفي مكان ما، قبل يومين (مصدر مجهول - بلا تاريخ) - حدث شيء.\n")

    assert result.action == "created"
    assert result.article.parts.count() == 1
    assert "حدث شيء" in result.article.parts.get().body or result.article.dateline
