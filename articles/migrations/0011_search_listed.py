"""The search document keeps the story's public listing time, so that readers' searches need no join; on
PostgreSQL its long texts are stored out of line and its vector in line, so that scanning the vectors reads
narrow rows (docs/search.md, *Performance*)."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery

LISTED = ("published", "retracted")

STORAGE = [
    "ALTER TABLE articles_searchdocument"
    " ALTER COLUMN headline SET STORAGE EXTERNAL, ALTER COLUMN summary SET STORAGE EXTERNAL,"
    " ALTER COLUMN body SET STORAGE EXTERNAL, ALTER COLUMN display SET STORAGE EXTERNAL,"
    " ALTER COLUMN vector SET STORAGE MAIN",
    "ALTER TABLE articles_searchdocument SET (toast_tuple_target = 128)",
]
DEFAULT_STORAGE = [
    "ALTER TABLE articles_searchdocument"
    " ALTER COLUMN headline SET STORAGE EXTENDED, ALTER COLUMN summary SET STORAGE EXTENDED,"
    " ALTER COLUMN body SET STORAGE EXTENDED, ALTER COLUMN display SET STORAGE EXTENDED,"
    " ALTER COLUMN vector SET STORAGE EXTENDED",
    "ALTER TABLE articles_searchdocument RESET (toast_tuple_target)",
]


def fill_listed_at(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    SearchDocument = apps.get_model("articles", "SearchDocument")
    listed = Article.objects.filter(pk=OuterRef("article_id"), status__in=LISTED).values("published_at")[:1]
    SearchDocument.objects.update(listed_at=Subquery(listed))


def storage(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in STORAGE:
            schema_editor.execute(statement)


def default_storage(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DEFAULT_STORAGE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0010_search"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchdocument",
            name="listed_at",
            field=models.DateTimeField(blank=True, db_index=True, null=True, verbose_name="listed at"),
        ),
        migrations.RunPython(fill_listed_at, migrations.RunPython.noop),
        migrations.RunPython(storage, default_storage),
    ]
