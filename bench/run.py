"""Benchmarks of the read paths: medians of repeated requests, as ratios to a baseline measured in the same run.

Run with `make bench`. Data is generated in bulk (bulk_create, not the services): STORIES stories with
two parts and two credited sources each. The baseline is the cheapest request through the same stack
(a JSON 404 under /api/), so the ratios say what each page costs beyond Django itself and stay
comparable across machines. Results are printed and written to bench/results.md, in its "Read paths" section.
"""

import os
import statistics
import sys
import tempfile
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
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
os.environ.setdefault("NEWSROOM_API_ANON_RATE", "1000000/minute")
os.environ.setdefault("DJANGO_LOG_LEVEL", "ERROR")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from results import write_section  # noqa: E402

from articles.models import Article, ArticleSource, Part, Source  # noqa: E402
from articles.text import match_key  # noqa: E402

STORIES = int(os.environ.get("BENCH_STORIES", "10000"))
RUNS = int(os.environ.get("BENCH_RUNS", "30"))


def populate() -> Article:
    now = timezone.now()
    sources = list(Source.objects.all()[:4])
    articles = Article.objects.bulk_create(
        Article(
            headline=f"خبر تجريبي رقم {n} عن الأحداث",
            headline_key=match_key(f"خبر تجريبي رقم {n} عن الأحداث"),
            slug=f"خبر-تجريبي-{n}",
            language="ar",
            status="published",
            published_at=now - timedelta(minutes=n),
        )
        for n in range(STORIES)
    )
    if articles[0].pk is None:  # backends that do not return ids from bulk_create
        articles = list(Article.objects.order_by("pk"))
    body = "\n\n".join(["فقرة من نص الخبر تتكرر لقياس حجم الصفحة الواقعي."] * 6)
    Part.objects.bulk_create(
        Part(article=article, number=number, body=body, continues=False, filed_at=now)
        for article in articles
        for number in (1, 2)
    )
    ArticleSource.objects.bulk_create(
        ArticleSource(
            article=article,
            source=sources[(article.pk + offset) % len(sources)],
            position=offset + 1,
            published_at=article.published_at,
        )
        for article in articles
        for offset in (0, 1)
    )
    return articles[len(articles) // 2]


def median_ms(client: Client, url: str, **headers) -> float:
    client.get(url, headers=headers)  # warm up
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(url, headers=headers)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code in (200, 304, 404), (url, response.status_code)
    return statistics.median(timings)


def main() -> None:
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    story = populate()
    generated = time.perf_counter() - started
    client = Client()
    cases = [
        ("baseline: JSON 404 under /api/", "/api/v1/nothing-here/", {}),
        ("home page (latest stories)", "/", {}),
        ("home page, page 200", "/?page=200", {}),
        ("story page", story.get_absolute_url(), {}),
        ("API story list (20)", "/api/v1/articles/", {}),
        ("API story list (100)", "/api/v1/articles/?page_size=100", {}),
        ("API story", f"/api/v1/articles/{story.pk}/", {}),
        ("API story as ninjs", f"/api/v1/articles/{story.pk}/?format=ninjs", {}),
        ("API story, 304", f"/api/v1/articles/{story.pk}/", {"if-none-match": f'"article-{story.pk}-v1"'}),
    ]
    results = [(name, median_ms(client, url, **headers)) for name, url, headers in cases]
    baseline = results[0][1]
    lines = [
        "## Read paths, in-process",
        "",
        f"{STORIES:,} stories (2 parts, 2 sources each), generated in {generated:.1f} s; median of {RUNS} requests;",
        f"database: {django.db.connection.vendor}; in-process Django test client.",
        "",
        "| request | median ms | × baseline |",
        "| --- | ---: | ---: |",
        *[f"| {name} | {ms:.2f} | {ms / baseline:.1f} |" for name, ms in results],
        "",
    ]
    report = "\n".join(lines)
    print(report)
    write_section("Read paths", report)


if __name__ == "__main__":
    main()
