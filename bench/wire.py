"""Benchmark of the wire parser: time per story on the corpus, on generated copy and on hostile text.

Run with `make bench` (after bench/run.py) or alone: `.venv/bin/python bench/wire.py`. The parser is pure,
so no database is involved. Each input is parsed RUNS times and its median kept; the table gives the 50th
and 99th percentiles and the maximum of those medians, per kind of input, and replaces the "Wire parser" section of
bench/results.md. The bar: under 100 ms per story at the 99th percentile.
"""

import contextlib
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from results import write_section  # noqa: E402

from articles.wire import MAX_BYTES, WireError, parse  # noqa: E402

CORPUS = ROOT.parent / "shared" / "wire"  # licensed for tests and measurements only, never shipped
RUNS = int(os.environ.get("BENCH_WIRE_RUNS", "5"))
GENERATED = int(os.environ.get("BENCH_WIRE_STORIES", "2000"))
HOSTILE = int(os.environ.get("BENCH_WIRE_HOSTILE", "200"))
REFERENCE = datetime.datetime(2021, 11, 10, 9, 0, tzinfo=datetime.UTC)

PLACES = ["أبوظبي", "الكويت", "الدوحة", "المنامة", "مسقط", "عمان", "دمشق", "القاهرة", "أنقرة", "لندن", "بلدة نائية"]
AGENCIES = ["وام", "كونا", "قنا", "بنا", "العمانية", "بترا", "سانا", "أ ش أ", "الأناضول", "د ب أ", "يو بي آي", "رويترز"]
MONTHS = ["يناير", "شباط", "مارس آذار", "نيسان/أبريل", "مايو", "يونيو (حزيران)", "تموز", "(آب) أغسطس", "سبتمبر"]
DIGITS = ["0123456789", "٠١٢٣٤٥٦٧٨٩", "۰۱۲۳۴۵۶۷۸۹"]
TAILS = ["(يتبع)", "// انتهى //", "-انتهى-", "(النهاية)\nم ع / ح س", "11:53 ت م", "08:10 بتوقيت غرينتش", "NNNN"]
ENVELOPE = ["ZCZC", "QNA0123 3 GEN 0245", "Gulf-Oil-Prices", "0456 words", "2021-11-09"]
HOSTILE_PIECES = [
    "\x00", "\n", "\r\n", "\u200f", "\u202b", "\u2066", "\ufeff", "ـ", "(", ")", "/", "-", "&#8220;", "// يتبع //",
    "(النهاية)", "-انتهى-", "NNNN", "ZCZC", "11:53 ت م", "م ع / ح س", "(وام) --", "/ وام /", "25 شوال 1436 هـ",
    "9 نوفمبر (تشرين الثاني) 2021", "إضافة أولى", "عام / ", "Gulf-Oil", "نص الخبر ", "قال المتحدث إن ",
]  # fmt: skip


def corpus_texts() -> list[str]:
    if not (CORPUS / "expected.json").exists():
        return []
    return [path.read_text(encoding="utf-8") for path in sorted(CORPUS.glob("*.txt"))]


def paragraphs(corpus: list[str]) -> list[str]:
    found = [p for text in corpus for part in parse(text).parts for p in part.paragraphs if 20 <= len(p) <= 1200]
    return found or ["قال المتحدث باسم الوزارة إن الاجتماع تناول التعاون بين البلدين في مجالات عدة."]


def generated_copy(rng: random.Random, pool: list[str]) -> str:
    """A story in the conventions of an agency the corpus may not hold (as tests/test_wire_properties.py)."""
    digits = rng.choice(DIGITS)
    day = str(rng.randint(1, 28)).translate(str.maketrans("0123456789", digits))
    year = f" {str(rng.randint(1995, 2030)).translate(str.maketrans('0123456789', digits))}" * rng.randint(0, 1)
    date = f"{day} {rng.choice(MONTHS)}{year}"
    place, agency = rng.choice(PLACES), rng.choice(AGENCIES)
    lede, *rest = rng.sample(pool, rng.randint(1, min(8, len(pool))))
    dateline = rng.choice(
        [
            f"{place} في {date} ({agency}) -- {lede}",
            f"{place} {date} / {agency} / {lede}",
            f"{place} {date} - {agency} - {lede}",
        ]
    )
    lines = [*rng.sample(ENVELOPE, rng.randint(0, 3)), "عنوان الخبر للقياس", dateline, *rest]
    lines += rng.sample(TAILS, rng.randint(0, 3))
    return "\n".join(lines)


def hostile_text(rng: random.Random) -> str:
    """Any text under 1 MB: sizes spread from a few bytes to the limit, pieces that trip every rule."""
    size = int(10 ** rng.uniform(1, 6))
    kind = rng.choice(["pieces", "long line", "short lines"])
    if kind == "long line":
        text = "عنوان\n" + rng.choice(HOSTILE_PIECES) * (size // 4)
    elif kind == "short lines":
        text = "عنوان\n" + "\n".join(rng.choice(HOSTILE_PIECES) for _ in range(size // 20))
    else:
        text = "".join(rng.choice(HOSTILE_PIECES) for _ in range(size // 10))
    while len(text.encode("utf-8", "surrogatepass")) >= MAX_BYTES:
        text = text[: len(text) * 9 // 10]
    return text


def median_ms(text: str) -> float:
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        with contextlib.suppress(WireError):  # a clear refusal is an answer too
            parse(text, reference=REFERENCE)
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    rng = random.Random(20211109)
    corpus = corpus_texts()
    pool = paragraphs(corpus)
    inputs = {
        "corpus (../shared/wire)": corpus,
        "generated copy, other agencies' conventions": [generated_copy(rng, pool) for _ in range(GENERATED)],
        "any text under 1 MB (hostile)": [hostile_text(rng) for _ in range(HOSTILE)],
    }
    rows = []
    for name, texts in inputs.items():
        if not texts:
            continue
        ms = [median_ms(text) for text in texts]
        sizes = [len(text.encode("utf-8", "surrogatepass")) for text in texts]
        rows.append((name, len(texts), max(sizes), percentile(ms, 0.5), percentile(ms, 0.99), max(ms)))
    when = datetime.datetime.now(datetime.UTC)
    lines = [
        "",
        "## Wire parser",
        "",
        f"Time per story, median of {RUNS} parses each, with a reference time; {when:%Y-%m-%d %H:%M} UTC, Python "
        f"{sys.version.split()[0]}. Bar: p99 under 100 ms.",
        "",
        "| input | stories | largest | p50 ms | p99 ms | max ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
        *[
            f"| {n} | {c:,} | {kb / 1000:,.0f} kB | {p50:.2f} | {p99:.2f} | {top:.2f} |"
            for n, c, kb, p50, p99, top in rows
        ],
        "",
    ]
    report = "\n".join(lines)
    print(report)
    write_section("Wire parser", report)


if __name__ == "__main__":
    main()
