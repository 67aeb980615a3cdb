"""Under load: Newsroom served by gunicorn as production serves it, measured with a real load generator against a
ceiling of the same run. Run by `make bench` (never in CI), or alone: `.venv/bin/python bench/serve.py`.

The server: gunicorn with gunicorn.conf.py and 2 workers, the production profile over plain http (DEBUG off, the
https redirect off, static files collected and served by whitenoise, CSP, JSON logs), persistent database
connections (DJANGO_CONN_MAX_AGE=60), and workers never recycled during the run (--max-requests 0) so that the
peak memory is the whole run's. Its database is a throwaway one, dropped afterwards: on the PostgreSQL server
DATABASE_URL names when it names one, else a temporary SQLite file. Its cache is Redis when REDIS_URL is set or
a server answers on 127.0.0.1:6379 (under a key prefix of the run's own, removed afterwards), else each worker's
memory.

The data, generated in bulk (bulk_create, not the services) and then indexed by `manage.py rebuild_search`:
STORIES stories of 3 parts crediting 2 of 40 sources, an English translation of every 10th, 2 public
annotations on every 5th, 5 approved comments (one a reply) under every 4th.

Each row is wrk (Debian's package; installed with apt-get when missing and this runs as root) with 1 thread and
8 connections for SECONDS seconds, through bench/load.lua; without wrk, a Python generator with 8 keep-alive
connections stands in (it shares the CPU with the server, so it measures lower). The ceiling is a bare view
answering "ok" through the same middleware (NEWSROOM_BENCH_CEILING=true), measured beside each row in
alternating slices (SLICES times a slice of the ceiling, then a slice of the row): a row's share is of its own
ceiling, and the load of a shared machine drifting during the row moves both alike. Rows marked "uncached"
ask for a different story each request, so no answer comes from the page cache (the "cache misses" column
counts the X-Cache misses); "cached" rows ask for one page again and again. The story page's "uncached" row
asks for stories whose pages were read once before the run and then left the page cache, as a publication
empties it (and the pages' statistics analyzed, as autovacuum analyzes a table that grew so much): each is
answered from its stored rendering (articles/web/assembled.py); its "nothing stored yet" row asks for the other
half, each rendered, and stored by that first read. Both story page rows move the pages' generation on before
each slice, as a publication does, so that each slice reads each story at most once in its generation (it is
kept in the cache on its second read). The API's "uncached" rows ask for
stories whose representations are stored, as a story published through the services has them from its
publication (the bulk data has them from `manage.py store_representations`, as its search documents from
`rebuild_search`); "nothing stored yet" asks for the other half, each answer rendered, and stored by that
first read. Ingest
POSTs new copy to /api/v1/ingest/ with an editor's token, each request a new story, published.

Prints the table and replaces the "Under load" section of bench/results.md (bench/results.py).
"""

import http.client
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from results import write_section

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "articles" / "fixtures" / "seed" / "csto-karabakh-2020-09-28.txt"
SEED_EN = ROOT / "articles" / "fixtures" / "seed" / "csto-karabakh-2020-09-28.en.txt"

STORIES = int(os.environ.get("BENCH_STORIES", "10000"))
SECONDS = int(os.environ.get("BENCH_SERVE_SECONDS", "10"))
CONNECTIONS = 8
WORKERS = 2
SOURCES = 40
KEY = "bench-only-secret-key-never-used-to-sign-anything-real-0123456789"
# Targets, as shares of the ceiling; ingest in stories a second; memory in MB (10^6 bytes) per worker.
TARGETS = {"story page, uncached": 0.30, "story page, cached": 0.80, "API story, uncached": 0.30}
INGEST_TARGET = 200
CEILING = "ceiling: a bare view through the middleware"
CEILING_SECONDS = min(6, SECONDS)
# A row and its ceiling alternate in this many slices: a share measured as one block of ceiling then one block of
# row moved by ±20 % between runs on this shared machine (the row's own drift, seconds long, went into it).
SLICES = 3
RSS_TARGET_MB = 120
SEARCHES = ["التصعيد", "وقف إطلاق النار", "الأمين العام", "قره باغ", "منظمة معاهدة", "الطائرات", "اتفاق"]
ANNOTATED = ["منظمة معاهدة الأمن الجماعي", "وقف إطلاق النار"]


# The server's surroundings: a throwaway database, Redis when there is one, wrk.


def throwaway_database(workdir: Path) -> tuple[str, str | None]:
    """(DATABASE_URL of a new database, the PostgreSQL database to drop afterwards or None for SQLite)."""
    given = os.environ.get("DATABASE_URL", "")
    if not given.startswith(("postgres://", "postgresql://")):
        return f"sqlite:///{workdir / 'bench.sqlite3'}", None
    import psycopg

    name = f"newsroom_bench_serve_{os.getpid()}"
    with psycopg.connect(_on_database(given, "postgres"), autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.execute(f"CREATE DATABASE {name}")
    return _on_database(given, name), name


def _on_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def drop_database(name: str) -> None:
    import psycopg

    with psycopg.connect(_on_database(os.environ["DATABASE_URL"], "postgres"), autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def redis_url() -> str | None:
    import redis

    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        if os.environ.get("REDIS_URL"):
            sys.exit(f"REDIS_URL={url} does not answer")
        return None
    return url


def forget_keys(url: str, prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(url)
    for key in client.scan_iter(match=f"{prefix}:*", count=1000):
        client.delete(key)


def wrk() -> str | None:
    """wrk's path; Debian's package is installed when it is missing and this runs as root."""
    if shutil.which("wrk") is None and os.geteuid() == 0 and shutil.which("apt-get"):
        print("installing wrk (Debian's package)", flush=True)
        quiet = {"env": {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}, "capture_output": True}
        if subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], **quiet).returncode:
            subprocess.run(["apt-get", "update", "-q"], **quiet)
            subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], **quiet)
    return shutil.which("wrk")


def profile(workdir: Path, database: str, redis: str | None, prefix: str, port: int) -> dict[str, str]:
    """The environment of the server and of this process: production, as `make serve` runs it, plus the ceiling."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": KEY,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SESSION_COOKIE_SECURE": "false",
        "DJANGO_CSRF_COOKIE_SECURE": "false",
        "DJANGO_CONN_MAX_AGE": "60",
        "DJANGO_STATIC_ROOT": str(workdir / "static"),
        "DJANGO_LOG_LEVEL": "ERROR",
        "NEWSROOM_STATIC_MANIFEST": "true",
        "NEWSROOM_BENCH_CEILING": "true",
        # The throttles still count every request (that cost is measured); they never refuse one.
        "NEWSROOM_API_ANON_RATE": "1000000000/minute",
        "NEWSROOM_API_USER_RATE": "1000000000/minute",
        "DATABASE_URL": database,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": str(WORKERS),
    }
    env.pop("DATABASE_REPLICA_URL", None)
    env.pop("REDIS_URL", None)
    if redis:
        env.update(REDIS_URL=redis, NEWSROOM_CACHE_PREFIX=prefix)
    return env


# The data


def populate() -> dict:
    """Bulk-create the stories and everything around them; return the token and what the rows ask for."""
    from django.contrib.auth.models import User
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from articles.models import (
        Annotation,
        Article,
        ArticleSource,
        Comment,
        Part,
        Section,
        Source,
        TranslationBaseline,
    )
    from articles.services.stories import slug_for
    from articles.text import match_key

    now = timezone.now()
    arabic = [p.strip() for p in SEED.read_text(encoding="utf-8").split("\n\n")[2:] if p.strip()]
    english = [p.strip() for p in SEED_EN.read_text(encoding="utf-8").split("\n\n")[1:] if p.strip()]
    thirds = [
        arabic[: len(arabic) // 3],
        arabic[len(arabic) // 3 : 2 * len(arabic) // 3],
        arabic[2 * len(arabic) // 3 :],
    ]
    sections = Section.objects.bulk_create(
        Section(name=name, slug=slug)
        for name, slug in [("سياسة", "politics"), ("اقتصاد", "economy"), ("رياضة", "sport")]
    )
    sources = Source.objects.bulk_create(
        Source(name=f"وكالة الأنباء {n}", name_en=f"News Agency {n}", slug=f"agency-{n}") for n in range(SOURCES)
    )

    def headline(n: int) -> str:
        return f"الأمين العام يعرب عن قلقه إزاء التصعيد في المنطقة رقم {n}"

    stories = Article.objects.bulk_create(
        (
            Article(
                headline=headline(n),
                headline_key=match_key(headline(n)),
                slug=slug_for(headline(n)),
                language="ar",
                section=sections[n % len(sections)],
                summary="عبر الأمين العام عن قلقه البالغ إزاء تصاعد النزاع المسلح.",
                dateline="موسكو، 28 سبتمبر 2020 (سبوتنيك)",
                status=Article.Status.PUBLISHED,
                published_at=now - timedelta(minutes=n),
            )
            for n in range(STORIES)
        ),
        batch_size=1000,
    )
    translations = Article.objects.bulk_create(
        (
            Article(
                headline=f"Secretary General voices concern over escalation, story {n}",
                headline_key=match_key(f"Secretary General voices concern over escalation, story {n}"),
                slug=f"secretary-general-voices-concern-{n}",
                language="en",
                section=story.section,
                status=Article.Status.PUBLISHED,
                published_at=story.published_at,
                translation_of=story,
            )
            for n, story in enumerate(stories)
            if n % 10 == 0
        ),
        batch_size=1000,
    )
    TranslationBaseline.objects.bulk_create(
        (
            TranslationBaseline(translation=t, source_version=1, headline=t.translation_of.headline)
            for t in translations
        ),
        batch_size=1000,
    )
    parts = Part.objects.bulk_create(
        (
            Part(
                article=story,
                number=number,
                body="\n\n".join(english if story.language == "en" else thirds[number - 1]),
                continues=number < 3 and n % 7 == 0,
                filed_at=story.published_at,
            )
            for n, story in enumerate([*stories, *translations])
            for number in (1, 2, 3)
            if story.language == "ar" or number == 1
        ),
        batch_size=2000,
    )
    ArticleSource.objects.bulk_create(
        (
            ArticleSource(
                article=story,
                source=sources[(n + offset * 7) % SOURCES],
                position=offset + 1,
                published_at=story.published_at,
            )
            for n, story in enumerate(stories)
            for offset in (0, 1)
        ),
        batch_size=2000,
    )
    first_parts = {part.article_id: part for part in parts if part.number == 1}
    Annotation.objects.bulk_create(
        (
            _annotation(Annotation, story, first_parts[story.pk], exact)
            for n, story in enumerate(stories)
            if n % 5 == 0
            for exact in ANNOTATED
            if exact in first_parts[story.pk].body
        ),
        batch_size=2000,
    )
    approved = Comment.Status.APPROVED
    threads = Comment.objects.bulk_create(
        (
            Comment(
                article=story,
                name=f"قارئ {k}",
                body="تعليق قارئ على الخبر، يشكر الكاتب ويسأل عن المزيد.",
                status=approved,
            )
            for n, story in enumerate(stories)
            if n % 4 == 0
            for k in range(4)
        ),
        batch_size=2000,
    )
    Comment.objects.bulk_create(
        (
            Comment(article_id=c.article_id, parent=c, name="محرر", body="شكرا على سؤالك.", status=approved)
            for c in threads[::4]
        ),
        batch_size=2000,
    )
    editor = User.objects.create_superuser("bench-editor", password=uuid.uuid4().hex)
    return {
        "token": Token.objects.create(user=editor).key,
        "story": stories[len(stories) // 2].pk,
        "source": sources[0],
        "public": list(Article.objects.order_by("pk").values_list("pk", "slug")),
        "counts": {
            "translations": len(translations),
            "annotations": Annotation.objects.count(),
            "comments": Comment.objects.count(),
        },
    }


def _annotation(model, story, part, exact: str):
    start = part.body.index(exact)
    end = start + len(exact)
    return model(
        article=story,
        part=part,
        part_ref=part.pk,
        exact=exact,
        prefix=part.body[max(0, start - 32) : start],
        suffix=part.body[end : end + 32],
        start=start,
        end=end,
        body="منظمة إقليمية تضم ست دول من الاتحاد السوفياتي السابق.",
        purpose="describing",
        audience="public",
    )


def ingest_body(run: str) -> str:
    """A JSON body of new copy; `{n}` becomes a number unique in the run, so each request is a new story."""
    text = "\n\n".join(
        [
            f"عاجل: الأمين العام يدعو إلى وقف التصعيد في المنطقة {run} رقم {{n}}",
            "موسكو، 28 سبتمبر 2020 (سبوتنيك) - " + SEED.read_text(encoding="utf-8").split("\n\n")[2].strip(),
            *[p.strip() for p in SEED.read_text(encoding="utf-8").split("\n\n")[3:6]],
        ]
    )
    return json.dumps({"text": text, "publish": True}, ensure_ascii=False)


# The load


@dataclass(frozen=True)
class Row:
    name: str
    paths: list[str]
    body: str | None = None  # a POST body template (ingest)
    # Each slice in a generation of the pages of its own, as after a publication: a story page read again in the
    # same generation would be kept on that read (articles/services/pagecache.admit), and a row that runs
    # through all its stories in its nine seconds would measure that instead of the stories' first reads.
    publication_between: bool = False

    def slice(self, number: int, done: int) -> "Row":
        """The row's `number`th slice: its paths from where the earlier slices stopped (`done` requests in; an
        uncached row never asks for a story twice), its copy numbered apart (each ingest a new story)."""
        start = done % len(self.paths)
        body = None if self.body is None else self.body.replace("{n}", f"s{number}-{{n}}")
        return Row(self.name, self.paths[start:] + self.paths[:start], body, self.publication_between)


def combined(slices: list[dict]) -> dict:
    """The slices of a row as one measure: counts and seconds added; p50 the slices' median p50, p99 their
    highest p99 (a slice's percentiles do not add up to the whole's; these err towards slower)."""
    total = {name: sum(part[name] for part in slices) for name in slices[0] if not name.endswith("_ms")}
    total["p50_ms"] = sorted(part["p50_ms"] for part in slices)[len(slices) // 2]
    total["p99_ms"] = max(part["p99_ms"] for part in slices)
    return total


def run_wrk(program: str, port: int, row: Row, workdir: Path, token: str, seconds: int) -> dict:
    listed = workdir / "paths.txt"
    listed.write_text("\n".join(row.paths) + "\n", encoding="utf-8")
    env = {**os.environ, "BENCH_PATHS": str(listed), "BENCH_TOKEN": token}
    if row.body is not None:
        env["BENCH_BODY"] = row.body
    command = [program, "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "10s", "-s", "bench/load.lua"]
    done = subprocess.run(
        [*command, f"http://127.0.0.1:{port}"], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_python(port: int, row: Row, token: str, seconds: int) -> dict:
    """wrk's stand-in: CONNECTIONS threads, each with a keep-alive connection (reopened when the server closes
    it), taking the paths in turn for `seconds`."""
    stop = time.monotonic() + seconds
    tallies = [
        {"ok": 0, "redirects": 0, "failures": 0, "hits": 0, "misses": 0, "errors": 0} for _ in range(CONNECTIONS)
    ]
    latencies: list[list[float]] = [[] for _ in range(CONNECTIONS)]
    headers = {"Content-Type": "application/json", "Authorization": f"Token {token}"} if row.body else {}

    def load(me: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        sent, tally = me, tallies[me]
        while time.monotonic() < stop:
            path = row.paths[sent % len(row.paths)]
            sent += CONNECTIONS
            body = row.body.replace("{n}", f"{me}-{sent}").encode() if row.body else None
            started = time.perf_counter()
            try:
                connection.request("POST" if body else "GET", path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                tally["errors"] += 1
                connection.close()
                continue
            latencies[me].append((time.perf_counter() - started) * 1000)
            kind = "ok" if response.status < 300 else "redirects" if response.status < 400 else "failures"
            tally[kind] += 1
            cache = response.headers.get("X-Cache")
            if cache in ("hit", "miss"):
                tally["hits" if cache == "hit" else "misses"] += 1
        connection.close()

    started = time.monotonic()
    workers = [threading.Thread(target=load, args=(me,)) for me in range(CONNECTIONS)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.monotonic() - started
    everything = sorted(ms for each in latencies for ms in each)
    total = {name: sum(tally[name] for tally in tallies) for name in tallies[0]}
    return {
        "requests": len(everything),
        "seconds": elapsed,
        "p50_ms": everything[len(everything) // 2] if everything else 0.0,
        "p99_ms": everything[min(len(everything) - 1, int(len(everything) * 0.99))] if everything else 0.0,
        **total,
    }


# The server


def worker_pids(master: int) -> list[int]:
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(master):
            found.append(int(status.parent.name))
    return sorted(found)


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident memory (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024 / 1e6
    raise LookupError(pid)


def start_server(env: dict[str, str], log: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "--max-requests", "0"]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log.open("w"))
    port = int(env["GUNICORN_BIND"].rsplit(":", 1)[1])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn stopped:\n{log.read_text()[-3000:]}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200 and len(worker_pids(server.pid)) == WORKERS:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    server.terminate()
    sys.exit(f"gunicorn did not answer within a minute:\n{log.read_text()[-3000:]}")


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# The run


def rows(data: dict, run: str) -> tuple[Row, list[Row], Row]:
    """(the ceiling, the measured rows, the warm-up): the uncached rows take the stories in turn, the warm-up
    others."""
    public = [(pk, quote(f"/articles/{pk}/{slug}/")) for pk, slug in data["public"]]
    warm, measured = public[:200], public[200:]
    stored, bare = measured[::2], measured[1::2]  # prepare() left the second half without stored representations
    # The story pages of one half are stored before the rows (store_pages), as a reader's first visit before
    # the last publication stores them; the other half's are not, so their row measures the first read.
    pages_stored, pages_bare = measured[::2], measured[1::2]
    story_path = dict(public)[data["story"]]
    source_path = data["source"].get_absolute_url()  # reverse() quotes it already
    searches = [f"/search/?q={quote(q)}" for q in SEARCHES]
    warm_up = Row("warm-up", ["/", story_path, source_path, *searches, "/api/v1/articles/", *(p for _, p in warm)])
    return (
        Row(CEILING, ["/bench/ceiling"]),
        [
            Row("home page, cached", ["/"]),
            Row("story page, uncached", [path for _pk, path in pages_stored], publication_between=True),
            Row("story page, nothing stored yet", [path for _pk, path in pages_bare], publication_between=True),
            Row("story page, cached", [story_path]),
            Row("source page, cached", [source_path]),
            Row("API story list (20), anonymous", ["/api/v1/articles/"]),
            Row("API story, uncached", [f"/api/v1/articles/{pk}/" for pk, _path in stored]),
            Row("API story as ninjs, uncached", [f"/api/v1/articles/{pk}/?format=ninjs" for pk, _path in stored]),
            Row("API story, nothing stored yet", [f"/api/v1/articles/{pk}/" for pk, _path in bare]),
            Row("search page", searches),
            Row("ingest (POST /api/v1/ingest/, published)", ["/api/v1/ingest/"], body=ingest_body(run)),
        ],
        warm_up,
    )


def prepare() -> tuple[dict, str]:
    """Migrate, generate the data, index it, store its API representations (all but every other measured story's,
    whose row measures the first read that stores them), collect the static files; (the data, a line saying what
    was done)."""
    from django.core.management import call_command
    from django.db import connection, connections

    from articles.models import StoredRepresentation

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    data = populate()
    generated = time.perf_counter() - started
    started = time.perf_counter()
    call_command("rebuild_search", stdout=io.StringIO())
    indexed = time.perf_counter() - started
    started = time.perf_counter()
    call_command("store_representations", stdout=io.StringIO())
    StoredRepresentation.objects.filter(article_id__in=[pk for pk, _slug in data["public"][200:][1::2]]).delete()
    represented = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        data["engine"] = f"PostgreSQL {connection.pg_version // 10000}"
    else:
        import sqlite3

        data["engine"] = f"SQLite {sqlite3.sqlite_version}"
    call_command("collectstatic", interactive=False, verbosity=0)
    connections.close_all()  # the server's workers open their own
    return data, (
        f"{STORIES:,} stories of 3 parts (2 of {SOURCES} sources credited each), "
        + ", ".join(f"{count:,} {name}" for name, count in data["counts"].items())
        + f": generated in {generated:.0f} s, search documents rebuilt in {indexed:.0f} s, API representations "
        f"stored in {represented:.0f} s (for every other measured story: the rest are stored by their first reader)."
    )


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="newsroom-bench-serve-"))
    database, dropped = throwaway_database(workdir)
    redis = redis_url()
    run = uuid.uuid4().hex[:8]
    prefix = f"newsroom-bench-{run}"
    port = free_port()
    env = profile(workdir, database, redis, prefix, port)
    server = None
    try:
        os.environ.update(env)
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from articles.services import pagecache

        data, setup = prepare()
        program = None if os.environ.get("BENCH_LOAD") == "python" else wrk()
        generator = f"wrk, 1 thread, {CONNECTIONS} connections" if program else f"Python, {CONNECTIONS} connections"
        load = os.getloadavg()[0]
        server = start_server(env, workdir / "gunicorn.log")

        def measure(row: Row, seconds: int = SECONDS) -> dict:
            if program:
                return run_wrk(program, port, row, workdir, data["token"], seconds)
            return run_python(port, row, data["token"], seconds)

        ceiling, measured_rows, warm_up = rows(data, run)
        measure(warm_up, seconds=3)
        started = time.perf_counter()
        stored_pages = store_pages(port, measured_rows[1].paths)
        print(f"{stored_pages:,} story pages stored by a first read in {time.perf_counter() - started:.0f} s")
        results = []
        for row in measured_rows:
            # Each row beside a ceiling of its own, the two in alternating slices: on a shared machine the load
            # drifts during a run, and a row's share should depend neither on where in the run it fell nor on
            # a drift during its own seconds.
            besides, parts = [], []
            for number in range(SLICES):
                besides.append(measure(ceiling, seconds=max(1, round(CEILING_SECONDS / SLICES))))
                if row.publication_between:
                    pagecache.bump()
                parts.append(
                    measure(
                        # Past every path an earlier slice may have sent: wrk counts the answers, and up to one
                        # request a connection was still on its way when a slice ended.
                        row.slice(number, sum(part["requests"] + CONNECTIONS for part in parts)),
                        seconds=max(1, round(SECONDS / SLICES)),
                    )
                )
            result, beside = combined(parts), combined(besides)
            results.append((row, result, beside))
            print(f"{row.name}: {rate(result):.0f}/s, ceiling beside it {rate(beside):.0f}/s", flush=True)
        rss = [peak_rss_mb(pid) for pid in worker_pids(server.pid)]
        server_line = (
            f"gunicorn, {WORKERS} sync workers, production profile over plain http; {data['engine']}; "
            f"{'Redis' if redis else 'per-process memory'} cache; {generator}; each row {SLICES} slices of "
            f"{max(1, round(SECONDS / SLICES))} s, each after a slice of {max(1, round(CEILING_SECONDS / SLICES))} s "
            f"of the ceiling; {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, load average {load:.1f} before "
            f"and {os.getloadavg()[0]:.1f} after the run ({os.cpu_count()} cores)."
        )
        report = table(results, rss=rss, setup=setup, server=server_line)
        print(report)
        write_section("Under load", report)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=60)
        if dropped:
            from django.db import connections

            connections.close_all()
            drop_database(dropped)
        if redis:
            forget_keys(redis, prefix)
        shutil.rmtree(workdir, ignore_errors=True)


def store_pages(port: int, paths: list[str]) -> int:
    """Read each of these story pages once (CONNECTIONS at a time), which stores it (articles/web/assembled.py),
    then move the pages' generation on, as a publication does: the page cache then holds none of them, and each
    is answered from its stored rendering. The number of pages read."""
    from articles.services import pagecache

    def read(share: list[str]) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for path in share:
            connection.request("GET", path)
            connection.getresponse().read()
        connection.close()

    threads = [threading.Thread(target=read, args=(paths[n::CONNECTIONS],)) for n in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    analyze_stored_pages()
    pagecache.bump()
    return len(paths)


def analyze_stored_pages() -> None:
    """What autovacuum does within a minute of so many new rows (its naptime): PostgreSQL's statistics of the
    stored pages' table, which was empty when prepare() analyzed the database. Until then each worker's check
    keeps the plan it made while the table was empty, a scan of the whole table for each answer: measured on
    2026-12-07, 594 answers a second against 954–1,128 once analyzed, and the runs before that day's 12:00 UTC
    measured the row so (docs/deploy.md)."""
    from django.db import connection

    from articles.models import StoredPage

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(StoredPage._meta.db_table)}")
        connection.close()


def rate(result: dict) -> float:
    return result["requests"] / result["seconds"]


def table(results: list, *, rss: list[float], setup: str, server: str) -> str:
    ceilings = sorted(rate(beside) for _row, _result, beside in results)
    lines = [
        "## Under load",
        "",
        server,
        setup,
        "",
        "| request | requests/s | p50 ms | p99 ms | × ceiling | cache misses | errors | target |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
        f"| {CEILING} (median) | {ceilings[len(ceilings) // 2]:,.0f} | | | 1.00 | | | |",
    ]
    missed = []
    for row, result, beside in results:
        share = rate(result) / rate(beside)
        answered = result["hits"] + result["misses"]
        rendered = f"{result['misses'] / answered:.0%}" if answered else "—"
        errors = result["errors"] + result["failures"] + result["redirects"]
        per_second, target = rate(result), ""
        if row.name in TARGETS:
            met = share >= TARGETS[row.name]
            target = f"≥ {TARGETS[row.name]:.2f}: {'met' if met else 'missed'}"
            missed += [] if met else [row.name]
        if row.body is not None:
            per_second = result["ok"] / result["seconds"]  # stories created
            met = per_second >= INGEST_TARGET
            target = f"≥ {INGEST_TARGET} stories/s: {'met' if met else 'missed'}"
            missed += [] if met else [row.name]
        lines.append(
            f"| {row.name} | {per_second:,.0f} | {result['p50_ms']:.1f} | {result['p99_ms']:.1f} | {share:.2f} "
            f"| {rendered} | {errors} | {target} |"
        )
    memory = "met" if max(rss, default=0.0) < RSS_TARGET_MB else "missed"
    missed += ["peak RSS"] if memory == "missed" else []
    lines += [
        "",
        f"Each row's share is of the ceiling measured in slices between its own ({ceilings[0]:,.0f} to "
        f"{ceilings[-1]:,.0f} "
        f"requests/s in this run). Peak RSS per worker (VmHWM): {', '.join(f'{mb:.0f} MB' for mb in rss)} "
        f"(target < {RSS_TARGET_MB} MB: {memory}).",
        f"Targets missed: {', '.join(missed)}." if missed else "Every target met.",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
