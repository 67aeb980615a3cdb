"""The followers of story changes, registered in one explicit list (no model signals): each is called after
a change commits, with (article_id, version, what). Add a receiver here and nowhere else."""

from articles.api import stored

from . import annotations, changes, pagecache, search, translations

RECEIVERS = [
    translations.follow_original,  # translations learn when their original's text changed
    annotations.follow_parts,  # annotations find their spans again in edited parts
    search.follow_stories,  # the search index follows every change at once
    pagecache.follow_stories,  # cached public pages are out of date
    stored.follow_stories,  # a story created public has its API representations stored at once
]


def connect() -> None:
    for function in RECEIVERS:
        changes.receiver(function)
