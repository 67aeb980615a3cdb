"""The one normalisation of search, letter by letter, with Lucene's Arabic and Persian normaliser pairs."""

import pytest

from articles.text import normalise, search_text

LUCENE_ARABIC = [
    ("آجن", "اجن"),
    ("أحمد", "احمد"),
    ("إعاذ", "اعاذ"),
    ("بنى", "بني"),
    ("فاطمة", "فاطمه"),
    ("روبرـــــت", "روبرت"),
    ("مَبنا", "مبنا"),
    ("علِي", "علي"),
    ("بُوات", "بوات"),
    ("ولداً", "ولدا"),
    ("ولدٍ", "ولد"),
    ("ولدٌ", "ولد"),
    ("نلْسون", "نلسون"),
    ("هتميّ", "هتمي"),
]
LUCENE_PERSIAN = [
    ("های", "هاي"),
    ("هاے", "هاي"),
    ("کشاندن", "كشاندن"),
    ("كتابۀ", "كتابه"),
    ("كتابهٔ", "كتابه"),
    ("زادہ", "زاده"),
]
DESIGN = [
    ("مسؤول", "مسوول"),
    ("مسئول", "مسيول"),
    ("مستشفى", "مستشفي"),
    ("ٱلله", "الله"),
    ("هٰذا", "هذا"),
    ("١٩٩٤", "1994"),
    ("۱۹۹۴", "1994"),
    ("ۃ", "ه"),
    ("ھ", "ه"),
    ("ﻻ", "لا"),  # NFKC: the presentation form of lam-alef
    ("Karabakh", "karabakh"),
    ("\u0615كلمة\u06d6", "كلمه"),  # Quranic annotation marks
]


@pytest.mark.parametrize(("text", "folded"), LUCENE_ARABIC + LUCENE_PERSIAN + DESIGN)
def test_every_letter_folds_as_lucene_and_design_say(text, folded):
    assert normalise(text) == folded


@pytest.mark.parametrize(
    ("word", "searched"),
    [("والتصعيد", "التصعيد"), ("بالتصعيد", "التصعيد"), ("للتصعيد", "التصعيد"), ("والدة", "والده"), ("والي", "والي")],
)
def test_search_cuts_the_conjunction_glued_before_the_article(word, searched):
    assert search_text(word) == searched


def test_search_unifies_hamza_seats():
    assert search_text("مسؤول") == search_text("مسئول") == search_text("مسءول")


def test_search_text_turns_arabic_punctuation_into_spaces():
    assert search_text("قره باغ،التصعيد؛ لماذا؟ «قال»") == "قره باغ التصعيد لماذا قال"


def test_the_normaliser_is_idempotent():
    for text, _folded in LUCENE_ARABIC + LUCENE_PERSIAN + DESIGN:
        assert normalise(normalise(text)) == normalise(text)
