"""What an ingested story costs the application's process, in instructions: a measure that does not move with the
machine. Run by `make bench` (never in CI), or alone: `.venv/bin/python bench/instructions.py`.

bench/serve.py measures rates, and on this shared machine the same code's rates moved by half from one session to
the next (its ceiling between 1,540 and 4,620 requests a second): a rate alone cannot say whether the code or the
machine changed. valgrind's callgrind counts the instructions a process executes, which are the same from run to
run for the same code and inputs, whatever else the machine is doing. So this script counts, in one process that
serves requests as a gunicorn worker does (Django's WSGI handler, the production profile, PostgreSQL when
DATABASE_URL names it, Redis when it answers), the instructions of STORIES ingests of new copy, published (the
request bench/serve.py sends), and of CEILING requests of the bare view (its ceiling), each less a run that only
warms up. PostgreSQL's and Redis's own instructions are not counted (they are other processes).

Prints the table and replaces the "Instructions" section of bench/results.md. Without valgrind it says so and
writes nothing.
"""

import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import serve  # noqa: E402
from results import write_section  # noqa: E402

STORIES = int(os.environ.get("BENCH_INSTRUCTIONS_STORIES", "40"))
CEILING = int(os.environ.get("BENCH_INSTRUCTIONS_CEILING", "400"))
WARM = (8, 50)  # ingests, ceiling requests: the first requests of a process fill its caches
GENERATED = 500  # stories in the database beside the new ones (bench/serve.py's data, fewer)


def request(handler, method: str, path: str, *, body: bytes = b"", token: str = "") -> int:
    """One request through Django's WSGI handler, as gunicorn's worker calls it; the status code."""
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    if body:
        environ.update(CONTENT_TYPE="application/json", CONTENT_LENGTH=str(len(body)))
    if token:
        environ["HTTP_AUTHORIZATION"] = f"Token {token}"
    status = []
    answer = handler(environ, lambda line, headers, exc_info=None: status.append(line))
    try:
        for _chunk in answer:
            pass
    finally:
        getattr(answer, "close", lambda: None)()
    return int(status[0].split()[0])


def measured(kind: str, count: int) -> None:
    """The process valgrind counts: warm up, then `count` requests of `kind` (none, ceiling, ingest)."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler

    handler, token = WSGIHandler(), os.environ["BENCH_TOKEN"]
    template = serve.ingest_body(f"{os.environ['BENCH_RUN']}-{kind}")

    def ingest(n: int) -> None:
        body = template.replace("{n}", str(n)).encode()
        status = request(handler, "POST", "/api/v1/ingest/", body=body, token=token)
        if status != 201:
            sys.exit(f"ingest answered {status}")

    def ceiling() -> None:
        if request(handler, "GET", "/bench/ceiling") != 200:
            sys.exit("the ceiling did not answer 200")

    for n in range(WARM[0]):
        ingest(n)
    for _ in range(WARM[1]):
        ceiling()
    for n in range(count):
        ingest(WARM[0] + n) if kind == "ingest" else ceiling()


def count_instructions(kind: str, count: int, env: dict[str, str]) -> int:
    done = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            sys.executable,
            str(Path(__file__).resolve()),
            "--measure",
            kind,
            str(count),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    found = re.search(r"Collected\s*:\s*(\d+)", done.stderr)
    if done.returncode or not found:
        sys.exit(f"valgrind ({kind}) failed:\n{done.stderr[-3000:]}")
    return int(found.group(1))


def main() -> None:
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (Debian's package valgrind): instructions not counted")
        return
    workdir = Path(tempfile.mkdtemp(prefix="newsroom-bench-instructions-"))
    database, dropped = serve.throwaway_database(workdir)
    redis = serve.redis_url()
    run = uuid.uuid4().hex[:8]
    prefix = f"newsroom-bench-{run}"
    env = serve.profile(workdir, database, redis, prefix, port=8000)
    try:
        os.environ.update(env)
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection, connections

        call_command("migrate", verbosity=0)
        serve.STORIES = GENERATED
        data = serve.populate()
        engine = f"PostgreSQL {connection.pg_version // 10000}" if connection.vendor == "postgresql" else "SQLite"
        connections.close_all()
        child = {**env, "BENCH_TOKEN": data["token"], "BENCH_RUN": run, "PYTHONHASHSEED": "0"}
        started = time.perf_counter()
        base = count_instructions("none", 0, child)
        ceiling = (count_instructions("ceiling", CEILING, child) - base) / CEILING
        story = (count_instructions("ingest", STORIES, child) - base) / STORIES
        took = time.perf_counter() - started
        report = "\n".join(
            [
                "## Instructions",
                "",
                f"One process serving requests through Django's WSGI handler, as a gunicorn worker does (the "
                f"production profile; {engine}; {'Redis' if redis else 'per-process memory'} cache), under "
                f"valgrind's callgrind: the instructions of {STORIES} ingests of new copy, published, and of "
                f"{CEILING} requests of the bare view, each less a run that only warms up ({took:.0f} s in all). "
                f"The database's and Redis's own instructions are not counted. `{git_head()}`, "
                f"{time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC.",
                "",
                "| request | instructions (millions) | × the ceiling's |",
                "| --- | ---: | ---: |",
                f"| {serve.CEILING} | {ceiling / 1e6:.2f} | 1 |",
                f"| ingest (POST /api/v1/ingest/, published), a story | {story / 1e6:.2f} | {story / ceiling:.1f} |",
            ]
        )
        print(report)
        write_section("Instructions", report)
    finally:
        if dropped:
            from django.db import connections

            connections.close_all()
            serve.drop_database(dropped)
        if redis:
            serve.forget_keys(redis, prefix)
        shutil.rmtree(workdir, ignore_errors=True)


def git_head() -> str:
    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return done.stdout.strip() or "unknown commit"


if __name__ == "__main__":
    if sys.argv[1:2] == ["--measure"]:
        measured(sys.argv[2], int(sys.argv[3]))
    else:
        main()
