"""Search benchmark: typical queries over 100,000 generated stories on PostgreSQL, p50/p95 of each, and of
rebuilding a story's search document. Run by `make bench` (never in CI).

Data is generated in bulk (not through the services): stories whose texts are drawn from the seed story's
words, so common and rare words occur as in real copy. The search documents are written in bulk with the
same normaliser the service uses, and their vectors in one UPDATE. Needs PostgreSQL: DATABASE_URL, or a
throwaway database on 127.0.0.1:5432 (user postgres) when it is not set.
"""

import os
import random
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
# The production profile as `make serve` runs it (docs/deploy.md): a key of its own, plain http, and Django's
# plain static storage (requests go through the test client, with no collectstatic).
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-never-used-to-sign-anything-real-0123456789")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("NEWSROOM_STATIC_MANIFEST", "false")
os.environ.setdefault("DJANGO_LOG_LEVEL", "ERROR")
DATABASE = f"newsroom_bench_search_{os.getpid()}"
if "DATABASE_URL" not in os.environ:
    created = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"CREATE DATABASE {DATABASE}", "postgres"],
        capture_output=True,
    )
    if created.returncode:
        sys.exit("the search benchmark needs PostgreSQL on 127.0.0.1:5432 (or DATABASE_URL)")
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from results import write_section  # noqa: E402

from articles.models import Article, Part, SearchDocument  # noqa: E402
from articles.services import search  # noqa: E402
from articles.text import match_key, search_text  # noqa: E402

STORIES = int(os.environ.get("BENCH_SEARCH_STORIES", "100000"))
RUNS = int(os.environ.get("BENCH_RUNS", "30"))
SEED = (ROOT / "articles" / "fixtures" / "seed" / "csto-karabakh-2020-09-28.txt").read_text(encoding="utf-8")
_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
_rng = random.Random(11)
# The seed's words first (the common ones), then 20,000 made-up Arabic words, drawn with Zipf's law as
# words occur in copy: a few very common, most rare.
WORDS = list(dict.fromkeys(w for w in SEED.split() if len(w) > 2)) + [
    "".join(_rng.choices(_LETTERS, k=_rng.randint(4, 7))) for _ in range(20_000)
]
WEIGHTS = [1 / (rank + 1) for rank in range(len(WORDS))]
QUERIES = {
    "one word": "التصعيد",
    "two words": "وقف النار",
    "a phrase": '"وقف إطلاق النار"',
    "a rare word": WORDS[15_000],
    "a common word": WORDS[0],
}


def populate() -> None:
    if connection.vendor != "postgresql":
        sys.exit("the search benchmark measures PostgreSQL")
    call_command("migrate", verbosity=0)
    rng = random.Random(7)
    now = timezone.now()
    batch = 5000
    for start in range(0, STORIES, batch):
        articles = Article.objects.bulk_create(
            Article(
                headline=(headline := " ".join(rng.choices(WORDS, WEIGHTS, k=8))),
                headline_key=match_key(headline),
                slug=f"story-{n}",
                language="ar",
                status="published",
                published_at=now - timedelta(minutes=n),
            )
            for n in range(start, min(start + batch, STORIES))
        )
        bodies = [" ".join(rng.choices(WORDS, WEIGHTS, k=120)) for _ in articles]
        Part.objects.bulk_create(
            Part(article=a, number=1, body=b, filed_at=now) for a, b in zip(articles, bodies, strict=True)
        )
        SearchDocument.objects.bulk_create(
            SearchDocument(
                article=a,
                config="arabic",
                headline=search_text(a.headline),
                body=search_text(b),
                display=b,
                listed_at=a.published_at,
            )
            for a, b in zip(articles, bodies, strict=True)
        )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE articles_searchdocument SET vector = setweight(to_tsvector(config::regconfig, headline), 'A')"
            " || setweight(to_tsvector(config::regconfig, summary), 'B')"
            " || setweight(to_tsvector(config::regconfig, body), 'C')"
        )
        cursor.execute("ANALYZE")


def timed(action, runs: int = RUNS) -> tuple[float, float]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)]


def main() -> None:
    populate()
    stories = Article.objects.public()
    rows = []
    for name, text in QUERIES.items():
        query = search.parse(text)

        def page(query=query):
            found = search.search(None, query, public=True)
            for article in search.load_page(found[:20], stories.for_list()):
                search.snippet(article, query)
            return len(found)

        rows.append((name, text, *timed(page)))
    ids = list(Article.objects.order_by("?").values_list("pk", flat=True)[:RUNS])
    iterator = iter(ids)
    rebuild = timed(lambda: search.index_story(next(iterator)), runs=len(ids))
    lines = [
        "",
        f"## Search ({STORIES:,} stories, PostgreSQL, {RUNS} runs each)",
        "",
        "| query | text | p50 ms | p95 ms |",
        "| --- | --- | --- | --- |",
        *(f"| {name} | {text} | {p50:.1f} | {p95:.1f} |" for name, text, p50, p95 in rows),
        f"| rebuild one story's document | | {rebuild[0]:.1f} | {rebuild[1]:.1f} |",
        "",
        "A page of results is 20 stories with their snippets and the count; the target is p95 under 50 ms.",
    ]
    print("\n".join(lines))
    write_section("Search", "\n".join(lines))


if __name__ == "__main__":
    try:
        main()
    finally:
        if os.environ["DATABASE_URL"].endswith(DATABASE):
            connection.close()
            subprocess.run(
                ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"DROP DATABASE {DATABASE}", "postgres"]
            )
