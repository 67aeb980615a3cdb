"""Search over the real wire corpus (../shared/wire): every story is found by a word of its headline written
the ways readers write it — with or without hamza and tashkeel, with tatweel, Persian/Urdu yeh and keheh, heh
for ta marbuta, Eastern and Persian digits."""

import json
import re

import pytest

from articles.models import Article
from articles.services import search
from articles.services.ingest import ingest_bytes
from articles.text import search_text

pytestmark = [pytest.mark.django_db, pytest.mark.corpus]

_ARABIC_WORD = re.compile(r"[\u0621-\u064a]{5,}")
_WESTERN_TO_EASTERN = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
_WESTERN_TO_PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def variants(word: str) -> set[str]:
    """The word as other writers spell it."""
    spelled = {
        word,
        word.translate(str.maketrans("أإآ", "ااا")),  # hamza left off the alef
        word[0] + "\u064e" + word[1:],  # a fatha after the first letter
        word[:2] + "\u0640" + word[2:],  # tatweel
        word.replace("ي", "ی").replace("ى", "ی"),  # Persian/Urdu yeh
        word.replace("ك", "ک"),  # keheh
    }
    if word.endswith("ة"):
        spelled.add(word[:-1] + "ه")
    return spelled


@pytest.fixture
def corpus_stories(corpus, django_capture_on_commit_callbacks):
    names = json.loads((corpus / "expected.json").read_text(encoding="utf-8"))
    with django_capture_on_commit_callbacks(execute=True):
        for name in names:
            ingest_bytes(data=(corpus / name).read_bytes(), publish=True)
    return list(Article.objects.public().filter(language="ar"))


def test_every_story_is_found_by_its_headline_in_every_spelling(corpus_stories):
    stories = Article.objects.public()
    missed = []
    for article in corpus_stories:
        words = sorted(_ARABIC_WORD.findall(article.headline), key=len, reverse=True)[:2]
        for word in words:
            for variant in variants(word):
                found = search.search(stories, search.parse(variant), public=True)
                if article.pk not in found and not found.more:
                    missed.append((article.pk, word, variant))
    assert len(corpus_stories) > 50
    assert not missed


def test_digits_in_any_script_find_the_same_stories(corpus_stories):
    stories = Article.objects.public()
    years = {m for a in corpus_stories for m in re.findall(r"\b(?:19|20)\d\d\b", search_text(a.headline))}
    assert years, "the corpus headlines name years"
    for year in sorted(years)[:5]:
        western = search.search(stories, search.parse(year), public=True)
        assert western
        assert search.search(stories, search.parse(year.translate(_WESTERN_TO_EASTERN)), public=True) == western
        assert search.search(stories, search.parse(year.translate(_WESTERN_TO_PERSIAN)), public=True) == western
