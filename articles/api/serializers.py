"""Serializers: validate what clients send and shape what they get, nothing more (the views call the services)."""

from datetime import UTC

from django.conf import settings
from django.core.validators import ProhibitNullCharactersValidator, validate_unicode_slug
from django.db import models
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.validators import ProhibitSurrogateCharactersValidator

from articles.formats import shown, translations
from articles.languages import KNOWN_LANGUAGES
from articles.models import Article, Correction, Part, Source, SourceKind, SourceRole


def _type_error(field, value) -> str | None:
    """Why value has the wrong JSON type for field, or None when it is fine."""
    if field is None or value is None:
        return None
    if isinstance(field, serializers.BooleanField):
        return None if isinstance(value, bool) else _("must be true or false")
    if isinstance(field, serializers.IntegerField | serializers.PrimaryKeyRelatedField):
        return None if isinstance(value, int) and not isinstance(value, bool) else _("must be a whole number")
    if isinstance(field, serializers.CharField | serializers.ChoiceField | serializers.SlugRelatedField):
        return None if isinstance(value, str) else _("must be a string")
    if isinstance(field, serializers.ListField):
        if not isinstance(value, list):
            return _("must be a list")
        errors = [_type_error(field.child, item) for item in value]
        return next(
            (_("item %(index)s: %(error)s") % {"index": i, "error": error} for i, error in enumerate(errors) if error),
            None,
        )
    return None


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not know, instead of silently dropping them."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(set(data) - writable)
            if unknown:
                raise serializers.ValidationError({name: [_("unknown or read-only field")] for name in unknown})
            # DRF would turn 5 into "5", "1" into 1 and 0 into False: JSON types are taken as the schema says.
            wrong = {
                name: [error] for name, value in data.items() if (error := _type_error(self.fields.get(name), value))
            }
            if wrong:
                raise serializers.ValidationError(wrong)
        return super().to_internal_value(data)


class SafeDateTimeField(serializers.DateTimeField):
    """A date-time the database can store: one that moving to UTC pushes out of range is refused."""

    def to_internal_value(self, value):
        parsed = super().to_internal_value(value)
        try:
            # In UTC: PostgreSQL refuses offsets beyond ±15:59 that ISO 8601 (and Python) allow.
            return parsed.astimezone(UTC)
        except (OverflowError, ValueError):
            raise serializers.ValidationError(_("date and time out of range")) from None


def _unicode_slug(value: str) -> None:
    # A plain function, not the RegexValidator itself: the schema would otherwise carry its pattern,
    # whose \w means ASCII letters to JSON Schema and would declare Arabic slugs invalid.
    validate_unicode_slug(value)


def slug_field(**kwargs) -> serializers.CharField:
    """A Unicode slug (Arabic letters allowed), validated by Django's own slug validator."""
    return serializers.CharField(
        max_length=200, validators=[_unicode_slug], help_text="letters (any script), digits, - and _", **kwargs
    )


class StrictModelSerializer(StrictSerializer, serializers.ModelSerializer):
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: SafeDateTimeField,
    }


class AliasesField(serializers.ListField):
    """A source's aliases: written as a list of spellings, read from the related rows."""

    def to_representation(self, aliases):
        return [alias.alias for alias in aliases.all()]


def language_field(**kwargs) -> serializers.ChoiceField:
    return serializers.ChoiceField(
        choices=[(code, KNOWN_LANGUAGES.get(code, code)) for code in settings.NEWSROOM_LANGUAGES], **kwargs
    )


class SourceSlugField(serializers.CharField):
    """A credited source, written as its slug (the story service looks it up), read from the credit's source."""

    def to_representation(self, source) -> str:
        return source.slug


class CreditSerializer(StrictSerializer):
    """A source credited on a story: the source's slug, its role; name and position are read-only."""

    source = SourceSlugField(max_length=200)

    def validate_source(self, value):
        if not Source.objects.filter(slug=value).exists():
            raise serializers.ValidationError(_("there is no source with the slug “%(slug)s”") % {"slug": value})
        return value

    name = serializers.CharField(source="source.name", read_only=True)
    role = serializers.ChoiceField(choices=SourceRole.choices, default=SourceRole.ORIGINATING_AGENCY)
    position = serializers.IntegerField(read_only=True)


class PartSerializer(StrictModelSerializer):
    """A take: its number is assigned by the server."""

    body = serializers.CharField(trim_whitespace=False, max_length=200_000)
    label = serializers.CharField(required=False, allow_blank=True, max_length=100)

    class Meta:
        model = Part
        fields = ["number", "label", "body", "continues", "filed_at"]
        read_only_fields = ["number", "filed_at"]

    def validate_body(self, value):
        if not value.strip():
            raise serializers.ValidationError(_("a part needs some text"))
        return value


class CorrectionSerializer(serializers.ModelSerializer):
    """A dated public correction note."""

    class Meta:
        model = Correction
        fields = ["note", "created_at"]
        read_only_fields = fields


class LanguageVersionSerializer(serializers.Serializer):
    """One language version of a story (a translation, or the original)."""

    id = serializers.IntegerField()
    language = serializers.CharField()
    headline = serializers.CharField()
    status = serializers.ChoiceField(choices=Article.Status.choices)
    url = serializers.CharField(allow_null=True, help_text="public URL, null until readers may see it")
    outdated = serializers.BooleanField(allow_null=True, help_text="the original changed since (translations)")


_DATE = serializers.DateField()
_DATE_TIME = serializers.DateTimeField()
_BOOLEAN = serializers.BooleanField()


def _text(value) -> str | None:
    return None if value is None else str(value)


def _choice(value) -> str | None:
    """A ChoiceField's value: the choice's own string (a TextChoices member gives its plain value)."""
    return value if value in ("", None) else str(value)


def _boolean(value) -> bool | None:
    return None if value is None else _BOOLEAN.to_representation(value)


def _credit(credit) -> dict:
    """CreditSerializer's fields."""
    return {
        "source": credit.source.slug,
        "name": _text(credit.source.name),
        "role": _choice(credit.role),
        "position": int(credit.position),
    }


def _part(part) -> dict:
    """PartSerializer's fields."""
    return {
        "number": int(part.number),
        "label": str(part.label),
        "body": str(part.body),
        "continues": _boolean(part.continues),
        "filed_at": _DATE_TIME.to_representation(part.filed_at),
    }


def _correction(correction) -> dict:
    """CorrectionSerializer's fields."""
    return {"note": str(correction.note), "created_at": _DATE_TIME.to_representation(correction.created_at)}


class ArticleSerializer(StrictModelSerializer):
    """A story with its credited sources and its parts in order."""

    url = serializers.SerializerMethodField(help_text="canonical public URL")
    slug = slug_field(required=False)
    headline = serializers.CharField(max_length=500, trim_whitespace=True)
    language = language_field(default="ar")
    section = serializers.CharField(
        source="section.name", required=False, allow_blank=True, allow_null=True, max_length=100
    )
    sources = CreditSerializer(source="ordered_credits", many=True, required=False)
    parts = PartSerializer(source="ordered_parts", many=True, required=False)
    developing = serializers.BooleanField(read_only=True)
    corrections = CorrectionSerializer(many=True, read_only=True)
    annotations = serializers.SerializerMethodField(help_text="how many annotations you may see, and where")
    translations = serializers.SerializerMethodField(help_text="language versions this client may see")
    translated_by = serializers.SerializerMethodField(help_text="translators credited («ترجمة: …»)")
    outdated = serializers.SerializerMethodField(help_text="translations: the original changed since")
    source_version = serializers.SerializerMethodField(help_text="translations: the original's version rendered")
    translation_of = serializers.IntegerField(
        source="translation_of_id",
        required=False,
        allow_null=True,
        min_value=1,
        max_value=2**63 - 1,
        help_text="the id of the original story",
    )

    class Meta:
        model = Article
        fields = [
            "id",
            "url",
            "headline",
            "slug",
            "language",
            "section",
            "summary",
            "byline",
            "dateline",
            "dateline_date",
            "dateline_place",
            "sources",
            "status",
            "published_at",
            "retraction_notice",
            "retracted_at",
            "corrections",
            "developing",
            "parts",
            "translation_of",
            "comments_open",
            "translations",
            "translated_by",
            "annotations",
            "outdated",
            "source_version",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "id",
            "status",
            "published_at",
            "retraction_notice",
            "retracted_at",
            "version",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {"summary": {"trim_whitespace": False}}

    def get_url(self, article) -> str:
        request = self.context.get("request")
        path = article.get_absolute_url()
        return request.build_absolute_uri(path) if request else path

    def validate_parts(self, value):
        if self.instance is not None:
            raise serializers.ValidationError(
                _("parts are changed through /api/v1/articles/{id}/parts/, not by editing the story")
            )
        return value

    def to_representation(self, article):
        """The declared fields' values, written out in Meta.fields order: DRF would copy and walk some forty
        fields and three nested serializers per story for the same dict (tests/test_api_speed_retrieve.py
        holds the two equal). A retraction withholds the parts and the summary from readers (the notice stands
        in their place; the text stays in history)."""
        view = shown(article, withheld_text_visible=bool(self.context.get("show_retracted_text")))
        section = article.section
        return {
            "id": int(article.pk),
            "url": self.get_url(article),
            "headline": str(article.headline),
            "slug": str(article.slug),
            "language": _choice(article.language),
            "section": None if section is None else _text(section.name),
            "summary": str(view.summary),
            "byline": str(article.byline),
            "dateline": str(article.dateline),
            "dateline_date": _DATE.to_representation(article.dateline_date),
            "dateline_place": str(article.dateline_place),
            "sources": [_credit(credit) for credit in article.ordered_credits],
            "status": _choice(article.status),
            "published_at": _DATE_TIME.to_representation(article.published_at),
            "retraction_notice": str(article.retraction_notice),
            "retracted_at": _DATE_TIME.to_representation(article.retracted_at),
            "corrections": [_correction(correction) for correction in article.corrections.all()],
            "developing": _boolean(article.developing),
            "parts": [_part(part) for part in view.parts],
            "translation_of": view.original_id,
            "comments_open": _boolean(article.comments_open),
            "translations": self.get_translations(article),
            "translated_by": self.get_translated_by(article),
            "annotations": self.get_annotations(article),
            "outdated": self.get_outdated(article),
            "source_version": self.get_source_version(article),
            "version": int(article.version),
            "created_at": _DATE_TIME.to_representation(article.created_at),
            "updated_at": _DATE_TIME.to_representation(article.updated_at),
        }

    @extend_schema_field(LanguageVersionSerializer(many=True))
    def get_translations(self, article) -> list[dict]:
        request = self.context.get("request")
        versions = translations.language_versions(article)
        for version in versions:
            if version["url"] and request is not None:
                version["url"] = request.build_absolute_uri(version["url"])
        return versions

    @extend_schema_field(
        {
            "type": "object",
            "properties": {"count": {"type": "integer"}, "url": {"type": "string"}},
            "required": ["count", "url"],
        }
    )
    def get_annotations(self, article) -> dict:
        request = self.context.get("request")
        path = f"/api/v1/articles/{article.pk}/annotations/"
        count = getattr(article, "annotation_count", None)
        if count is None:
            count = article.annotations.count()
        return {"count": count, "url": request.build_absolute_uri(path) if request else path}

    def get_translated_by(self, article) -> list[str]:
        return translations.translators(article)

    def get_outdated(self, article) -> bool | None:
        return translations.is_outdated(article)

    def get_source_version(self, article) -> int | None:
        baseline = translations.baseline_of(article) if article.translation_of_id else None
        return baseline.source_version if baseline else None


class SourceSerializer(StrictModelSerializer):
    """A news organisation with the spellings datelines use for it."""

    name = serializers.CharField(max_length=200)
    slug = slug_field(required=False)
    kind = serializers.ChoiceField(choices=SourceKind.choices, default=SourceKind.AGENCY)
    aliases = AliasesField(
        child=serializers.CharField(max_length=200), required=False, help_text="spellings found in datelines"
    )

    class Meta:
        model = Source
        fields = ["slug", "name", "kind", "website", "aliases", "version"]
        read_only_fields = ["version"]

    def validate_slug(self, value):
        existing = Source.objects.filter(slug=value)
        if self.instance is not None:
            existing = existing.exclude(pk=self.instance.pk)
        if existing.exists():
            raise serializers.ValidationError(_("another source has this slug"))
        return value


class IngestQuerySerializer(serializers.Serializer):
    """Options of a text/plain ingest, in the query string."""

    publish = serializers.BooleanField(default=False)
    append_to = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=2**63 - 1)
    language = language_field(default="ar")
    encoding = serializers.ChoiceField(choices=["utf-8", "windows-1256", "iso-8859-6"], required=False)


class CopyField(serializers.CharField):
    """The copy as received. A NUL or an unpaired surrogate is refused with its position by the API's JSON parser
    (articles/api/parsers.py), and again by the ingest service for every other door, so DRF's two validators,
    which walk the whole copy a character at a time in Python, are left out (tests/test_api_ingest.py and
    tests/test_api_errors.py send both)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators = [
            validator
            for validator in self.validators
            if not isinstance(validator, ProhibitNullCharactersValidator | ProhibitSurrogateCharactersValidator)
        ]


class IngestSerializer(StrictSerializer):
    """Raw wire copy sent as JSON (JSON text is Unicode: no encoding option here)."""

    text = CopyField(trim_whitespace=False, allow_blank=True, help_text="the copy as received")
    publish = serializers.BooleanField(default=False)
    append_to = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=2**63 - 1)
    language = language_field(default="ar")


class IngestResultSerializer(serializers.Serializer):
    """What happened to the copy: the same object `manage.py ingest_wire` prints. `id`, `url` and `parts` are null
    when the copy is already held by a story the caller may not see (`unchanged`, the story withheld)."""

    id = serializers.IntegerField(allow_null=True)
    action = serializers.ChoiceField(choices=["created", "appended", "unchanged", "published"])
    url = serializers.CharField(allow_null=True)
    parts = serializers.IntegerField(allow_null=True)
    warnings = serializers.ListField(child=serializers.CharField())


class TransitionSerializer(StrictSerializer):
    """A workflow step: submit, return, publish (now, or at a future time: scheduled), unpublish, correct, retract."""

    action = serializers.ChoiceField(choices=["submit", "return", "publish", "unpublish", "correct", "retract"])
    at = SafeDateTimeField(required=False, allow_null=True, help_text="publish only: when (future = scheduled)")
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=5000, help_text="correct and retract: the note readers see"
    )


class RevisionSerializer(serializers.Serializer):
    """One recorded revision of a story: when, by whom, why, and the story's version then."""

    id = serializers.IntegerField(source="pk")
    created_at = serializers.DateTimeField(source="revision.date_created")
    user = serializers.CharField(source="revision.user.get_username", default=None, allow_null=True)
    comment = serializers.CharField(source="revision.comment")
    version = serializers.SerializerMethodField()

    def get_version(self, version) -> int | None:
        return version.field_dict.get("version")


class RevisionDetailSerializer(serializers.Serializer):
    """A revision's content: the story's fields, its parts and credits as they were."""

    revision = RevisionSerializer(source="version")
    article = serializers.DictField()
    parts = serializers.ListField(child=serializers.DictField())
    credits = serializers.ListField(child=serializers.DictField())
