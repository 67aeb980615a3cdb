"""Finding sources by the spellings datelines use for them."""

from collections.abc import Iterable

from articles import prefetched
from articles.models import Source, SourceAlias
from articles.text import match_key
from newsroom.prepared import TEXTS, Prepared

# Every alias of each source one of the keys names, with its source: compiled once per process (building and
# compiling it was three quarters of an ingest's source resolution).
_ALIASES_OF_NAMED = Prepared(
    lambda keys: (
        SourceAlias.objects.filter(source_id__in=SourceAlias.objects.filter(key__any_of=keys).values("source_id"))
        .select_related("source")
        .order_by("alias", "pk")
    ),
    keys=TEXTS,
)


def find_sources(names: Iterable[str]) -> dict[str, Source]:
    """Map each name to a known source, matching aliases and names through match_key; unknown names are absent.

    One statement: the sources found come with every alias of theirs loaded (`source.aliases.all()` asks nothing
    more), which a story's search document lists; ingest credits these very sources."""
    keys = {name: match_key(name) for name in names}
    wanted = set(keys.values())
    if not wanted:
        return {}
    rows = _ALIASES_OF_NAMED.rows(keys=sorted(wanted))
    sources: dict[int, Source] = {}
    aliases: dict[int, list[SourceAlias]] = {}
    by_key: dict[str, Source] = {}
    for alias in rows:
        source = sources.setdefault(alias.source_id, alias.source)
        alias.source = source
        aliases.setdefault(source.pk, []).append(alias)
        if alias.key in wanted:
            by_key[alias.key] = source
    for pk, source in sources.items():
        prefetched.hold(source, "aliases", aliases[pk])
    return {name: by_key[key] for name, key in keys.items() if key in by_key}
