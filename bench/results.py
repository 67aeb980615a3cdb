"""bench/results.md, which every bench script writes a section of: each replaces its own and no other."""

import re
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results.md"


def write_section(name: str, text: str) -> None:
    """Put `text`, which starts with its heading `## name…`, in bench/results.md in place of the section whose
    heading starts with `## name` (up to the next `## ` heading); a section not there yet goes at the end. The
    other sections, each another script's, are left as they are."""
    current = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    head, *sections = re.split(r"(?m)^(?=## )", current)
    mine = re.compile(rf"## {re.escape(name)}\b")
    text = text.strip() + "\n"
    for index, section in enumerate(sections):
        if mine.match(section):
            sections[index] = text
            break
    else:
        sections.append(text)
    RESULTS.write_text("\n".join(part.rstrip() + "\n" for part in [head, *sections]), encoding="utf-8")
