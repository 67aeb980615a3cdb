"""The real corpus (../shared/wire, licensed for tests only) through the ingest service, in file order."""

import json
from datetime import date

import pytest

from articles.services.ingest import ingest_bytes
from articles.text import match_key

pytestmark = [pytest.mark.django_db, pytest.mark.corpus]


def test_every_corpus_story_ingests_as_expected(corpus):
    expected = json.loads((corpus / "expected.json").read_text(encoding="utf-8"))
    stories = {}
    problems = []
    for name, want in expected.items():
        result = ingest_bytes(data=(corpus / name).read_bytes())
        article = result.article
        stories[name] = article.pk
        parts = list(article.parts.order_by("number"))
        credits = list(
            article.credits.order_by("position").select_related("source").prefetch_related("source__aliases")
        )
        got = {
            "action": result.action,
            "parts": len(parts),
            "last_continues": parts[-1].continues,
        }
        checks = [
            ("parts", want["parts"], got["parts"]),
            ("last_continues", want["last_continues"], got["last_continues"]),
        ]
        if "after" in want:
            checks.append(("after", stories[want["after"]], article.pk))
            checks.append(("action", want["action"], result.action))
        else:
            checks.append(("action", "created", result.action))
        if "headline" in want:
            checks.append(("headline", want["headline"], article.headline))
        if "headline_contains" in want:
            checks.append(("headline_contains", True, want["headline_contains"] in article.headline))
        if "section" in want:
            checks.append(("section", want["section"], article.section.name if article.section else None))
        if "date" in want:
            wanted = date.fromisoformat(want["date"]) if want["date"] else None
            checks.append(("date", wanted, article.dateline_date))
        if "source_aliases" in want:
            keys = [{alias.key for alias in credit.source.aliases.all()} for credit in credits]
            matched = [
                match_key(alias) in keys[i] if i < len(keys) else False
                for i, alias in enumerate(want["source_aliases"])
            ]
            checks.append(("source_aliases", [True] * len(matched), matched))
        for text in want.get("not_in_body", []):
            checks.append((f"not_in_body {text!r}", False, any(text in part.body for part in parts)))
        checks.append(("no empty part", False, any(not part.body.strip() for part in parts)))
        problems += [f"{name}: {key}: expected {a!r}, got {b!r}" for key, a, b in checks if a != b]
    assert not problems, "\n".join(problems)


def test_reingesting_the_whole_corpus_changes_nothing(corpus):
    names = sorted(path.name for path in corpus.glob("*.txt"))
    for name in names:
        ingest_bytes(data=(corpus / name).read_bytes())

    actions = {ingest_bytes(data=(corpus / name).read_bytes()).action for name in names}

    assert actions == {"unchanged"}
