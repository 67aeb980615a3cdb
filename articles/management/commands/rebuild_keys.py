"""`manage.py rebuild_keys`: recompute the matching keys of source aliases and headlines with today's match_key."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles.models import Article, SourceAlias
from articles.text import match_key

BATCH = 1000
# match_key's NFKC and case folding can lengthen text (services/stories.headline_key_for, sources.alias_key).
ALIAS_LIMIT = SourceAlias._meta.get_field("key").max_length
HEADLINE_LIMIT = Article._meta.get_field("headline_key").max_length


class Command(BaseCommand):
    help = (
        "Recompute SourceAlias.key and Article.headline_key with the current articles.text.match_key "
        "(after the normalisation table changes); one transaction, safe to run again."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            aliases_changed, aliases_total = self._rebuild_aliases()
            stories_changed, stories_total = self._rebuild_headlines()
        self.stdout.write(
            f"source aliases: {aliases_changed} of {aliases_total} changed; "
            f"story headline keys: {stories_changed} of {stories_total} changed"
        )

    def _rebuild_aliases(self) -> tuple[int, int]:
        # Read every alias before writing any: a collision must stop the command with nothing written.
        owners: dict[str, tuple[str, str]] = {}
        changed: dict[int, str] = {}
        problems: list[str] = []
        total = 0
        rows = SourceAlias.objects.order_by("pk").values_list("pk", "alias", "key", "source__name")
        for pk, alias, old_key, source in rows.iterator(chunk_size=BATCH):
            total += 1
            key = match_key(alias)
            if not key:
                problems.append(f"alias {alias!r} ({source}) would have an empty key")
            elif len(key) > ALIAS_LIMIT:
                problems.append(
                    f"alias {alias!r} ({source}) would have a key of {len(key)} characters ({ALIAS_LIMIT} fit)"
                )
            elif key in owners:
                other_source, other_alias = owners[key]
                problems.append(
                    f"aliases {other_alias!r} ({other_source}) and {alias!r} ({source}) would share the key {key!r}"
                )
            else:
                owners[key] = (source, alias)
            if key != old_key:
                changed[pk] = key
        if problems:
            advice = "Delete or respell one alias of each pair, then run again."
            raise CommandError(f"nothing changed: {'; '.join(problems)}. {advice}")

        # The key is unique and PostgreSQL checks that row by row, so a swap (A takes B's old key while
        # B takes a new one) would fail half-way: park the changed rows on placeholders first. U+200B
        # never survives match_key, so a placeholder cannot equal a real key.
        parked = [SourceAlias(pk=pk, key=f"\u200b{pk}") for pk in changed]
        SourceAlias.objects.bulk_update(parked, ["key"], batch_size=BATCH)
        rebuilt = [SourceAlias(pk=pk, key=key) for pk, key in changed.items()]
        SourceAlias.objects.bulk_update(rebuilt, ["key"], batch_size=BATCH)
        return len(changed), total

    def _rebuild_headlines(self) -> tuple[int, int]:
        # Batches by primary key rather than one open cursor: SQLite gives no isolation between a cursor
        # and updates of the same table on one connection.
        changed = total = 0
        last = 0
        too_long: list[str] = []
        stories = Article.objects.order_by("pk").only("pk", "headline", "headline_key")
        while True:
            batch = list(stories.filter(pk__gt=last)[:BATCH])
            if not batch:
                break
            last = batch[-1].pk
            total += len(batch)
            stale = []
            for article in batch:
                key = match_key(article.headline)
                if len(key) > HEADLINE_LIMIT:
                    too_long.append(f"story {article.pk} ({len(key)} characters, {HEADLINE_LIMIT} fit)")
                    continue
                if key != article.headline_key:
                    article.headline_key = key
                    stale.append(article)
            # bulk_update writes only headline_key: no version, no updated_at, no revision, since a key
            # is derived data and readers see no change.
            Article.objects.bulk_update(stale, ["headline_key"])
            changed += len(stale)
        if too_long:  # raised inside handle()'s transaction: every key written above is undone
            advice = "Shorten these headlines, then run again."
            raise CommandError(
                f"nothing changed: headline keys would outgrow their column: {'; '.join(too_long)}. {advice}"
            )
        return changed, total
