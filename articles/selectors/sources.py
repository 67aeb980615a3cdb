"""Finding sources by the spellings datelines use for them."""

from collections.abc import Iterable

from articles.models import Source, SourceAlias
from articles.text import match_key


def find_sources(names: Iterable[str]) -> dict[str, Source]:
    """Map each name to a known source, matching aliases and names through match_key; unknown names are absent."""
    keys = {name: match_key(name) for name in names}
    aliases = SourceAlias.objects.filter(key__in=set(keys.values())).select_related("source")
    by_key = {alias.key: alias.source for alias in aliases}
    return {name: by_key[key] for name, key in keys.items() if key in by_key}
