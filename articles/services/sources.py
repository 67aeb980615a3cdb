"""Creating and editing sources and the spellings datelines use for them (the alias rule lives here)."""

from collections.abc import Iterable

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from articles.models import Source, SourceAlias, SourceKind
from articles.selectors.sources import find_sources
from articles.text import match_key

from . import pagecache
from .errors import ServiceError, check_version, fitting_key

# The names pages show per interface language (formats.sources.source_name); empty means the name.
DISPLAY_NAMES = ("name_ar", "name_en")


def _check(values: dict) -> None:
    for name, value in values.items():
        if isinstance(value, str):
            if "\x00" in value:
                raise ServiceError(_("the %(field)s contains a NUL character") % {"field": name})
            limit = getattr(Source._meta.get_field(name), "max_length", None) if name != "aliases" else 200
            if limit and len(value) > limit:
                raise ServiceError(
                    _("the %(field)s is %(length)s characters long; the limit is %(limit)s")
                    % {"field": name, "length": len(value), "limit": limit}
                )


def alias_key(alias: str) -> str:
    """The matching key of a spelling, refused when it outgrows its column: match_key's NFKC and case folding
    may make text longer (one ligature ﷺ is eighteen letters), so a short spelling can have a long key."""
    message = _(
        "the spelling “%(alias)s” is too long to match: its matching key has %(length)s characters; "
        "the limit is %(limit)s"
    )
    return fitting_key(match_key(alias), SourceAlias, "key", message, alias=alias)


def unique_slug(model, text: str, *, fallback: str, field: str = "slug", max_length: int = 80) -> str:
    """A Unicode slug for text that no row of model has yet (slug, slug-2, slug-3 …)."""
    base = slugify(text, allow_unicode=True)[:max_length].strip("-") or fallback
    slug, n = base, 1
    while model.objects.filter(**{field: slug}).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def add_alias(*, source: Source, alias: str) -> SourceAlias | None:
    """Record a spelling of source; a spelling that already names any source is left as it is."""
    alias = " ".join(alias.split())
    key = alias_key(alias)
    if not key or SourceAlias.objects.filter(key=key).exists():
        return None
    return SourceAlias.objects.create(source=source, alias=alias, key=key)


@transaction.atomic
def create_source(
    *,
    name: str,
    kind: str = SourceKind.AGENCY,
    website: str = "",
    slug: str = "",
    aliases: Iterable[str] | None = None,
    name_ar: str = "",
    name_en: str = "",
) -> Source:
    """Create a source with its own name and the given spellings as aliases.

    With aliases=None (ingest) a spelling that already names a source is skipped; with an explicit
    list (the API) it is refused.
    """
    name, name_ar, name_en = (" ".join(text.split()) for text in (name, name_ar, name_en))
    _check({"name": name, "slug": slug, "website": website, "name_ar": name_ar, "name_en": name_en})
    if not name:
        raise ServiceError(_("a source needs a name"))
    if slug and Source.objects.filter(slug=slug).exists():
        raise ServiceError(_("another source has the slug “%(slug)s”") % {"slug": slug})
    slug = slug or unique_slug(Source, name, fallback="source")
    source = Source.objects.create(name=name, slug=slug, kind=kind, website=website, name_ar=name_ar, name_en=name_en)
    if aliases is None:
        add_alias(source=source, alias=name)
    else:
        set_aliases(source=source, aliases=aliases)
    return source


def resolve_sources(refs: Iterable[tuple[str, str]]) -> list[Source]:
    """Known sources for (name, kind) pairs, creating those never seen before; order kept."""
    refs = list(refs)
    known = find_sources(name for name, _ in refs)
    resolved = []
    for name, kind in refs:
        source = known.get(name)
        if source is None:
            source = create_source(name=name, kind=kind)
            known[name] = source
        resolved.append(source)
    return resolved


@transaction.atomic
def update_source(
    *, source: Source, changes: dict, aliases: Iterable[str] | None = None, expected_version: int | None = None
) -> Source:
    """Change a source's fields and, when given, replace its aliases; the version rises."""
    current = Source.objects.select_for_update().get(pk=source.pk)
    check_version(current, expected_version, "source")
    _check(changes)
    unknown = set(changes) - {"name", "slug", "kind", "website", *DISPLAY_NAMES}
    if unknown:
        raise ServiceError(_("these fields cannot be changed: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    for name, value in changes.items():
        setattr(current, name, " ".join(value.split()) if name in ("name", *DISPLAY_NAMES) else value)
    if not current.name:
        raise ServiceError(_("a source needs a name"))
    if not current.slug:
        current.slug = unique_slug(Source, current.name, fallback="source")
    elif Source.objects.filter(slug=current.slug).exclude(pk=current.pk).exists():
        raise ServiceError(_("another source has the slug “%(slug)s”") % {"slug": current.slug})
    current.version += 1
    current.save()
    pagecache.public_changed()  # pages print its name
    if aliases is not None:
        set_aliases(source=current, aliases=aliases)
    return current


def set_aliases(*, source: Source, aliases: Iterable[str]) -> None:
    """Make the source's aliases exactly these spellings (its own name always included)."""
    wanted: dict[str, str] = {}
    aliases = list(aliases)
    for alias in aliases:
        _check({"aliases": alias})
    for alias in (source.name, *aliases):
        if key := alias_key(alias):
            wanted.setdefault(key, " ".join(alias.split()))  # the first spelling of a key wins
    taken = SourceAlias.objects.filter(key__in=wanted).exclude(source=source).select_related("source").first()
    if taken is not None:
        raise ServiceError(
            _("the spelling “%(alias)s” already names the source “%(source)s”")
            % {"alias": taken.alias, "source": taken.source.name}
        )
    source.aliases.exclude(key__in=wanted).delete()
    existing = set(source.aliases.values_list("key", flat=True))
    SourceAlias.objects.bulk_create(
        SourceAlias(source=source, alias=alias, key=key) for key, alias in wanted.items() if key not in existing
    )


@transaction.atomic
def delete_sources(sources: Iterable[Source]) -> None:
    """Delete sources that no story credits (a credited source is kept: its stories would lose their credit
    line); the pages move on, since a source's page and feeds go with it."""
    ids = [source.pk for source in sources]
    credited = Source.objects.filter(pk__in=ids, credits__isnull=False).first()
    if credited is not None:
        raise ServiceError(
            _("stories credit the source “%(source)s”: it cannot be deleted") % {"source": credited.name}
        )
    Source.objects.filter(pk__in=ids).delete()
    pagecache.public_changed()
