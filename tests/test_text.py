"""Arabic/Urdu normalisation for search and matching (articles/text.py)."""

import pytest

from articles.text import match_key, normalise, to_ascii_digits

NORMALISE = [
    # tashkeel U+064B–U+0652 and the superscript alef U+0670
    ("مُحَمَّدٌ", "محمد"),
    ("كِتَابًا", "كتابا"),
    ("هٰذا", "هذا"),
    # Quranic marks U+0610–U+061A and U+06D6–U+06ED
    ("صلى\u0610 الله", "صلي الله"),
    ("العالمين\u06d6", "العالمين"),
    ("رحيم\u06ed", "رحيم"),
    # tatweel
    ("أبهــا", "ابها"),
    ("انتهـــى", "انتهي"),
    # alef forms
    ("أحمد إبراهيم آمال ٱلله", "احمد ابراهيم امال الله"),
    # alef maqsura, teh marbuta
    ("مستشفى", "مستشفي"),
    ("مدرسة", "مدرسه"),
    # Urdu and Persian letters
    ("بوینت", "بوينت"),
    ("ہے", "هي"),
    ("کتاب", "كتاب"),
    ("ہ ۀ ە ھ", "ه ه ه ه"),
    ("مدرسۃ", "مدرسه"),
    # hamza on a seat
    ("مسؤول", "مسوول"),
    ("رئيس", "رييس"),
    # zero-width non-joiner becomes a space, the joiner goes
    ("می\u200cخواهم", "مي خواهم"),
    ("ل\u200dا", "لا"),
    # every Unicode digit becomes ASCII
    ("٢٠٢٠", "2020"),
    ("۲۰۲۰", "2020"),
    ("२०२०", "2020"),
    ("28 سبتمبر 2020ء", "28 سبتمبر 2020ء"),
    # NFKC: presentation forms, ligatures, full-width Latin
    ("ﻻ", "لا"),
    ("ﻷول", "لاول"),
    ("ﷲ", "الله"),
    ("ＣＮＮ", "cnn"),
    # Arabic punctuation becomes a space
    ("نعم،لا؛ربما؟", "نعم لا ربما "),
    ("نتورك ۔", "نتورك  "),
    # bidi controls go
    ("\u200fأبها\u200e", "ابها"),
    ("\u202bواس\u202c", "واس"),
    ("\u2067جدة\u2069", "جده"),
    ("\u061cمكة", "مكه"),
    # Latin is case-folded
    ("CNN", "cnn"),
    ("Straße", "strasse"),
    # whitespace is not collapsed (NFKC turns the no-break space into a space)
    ("نائب  خادم", "نايب  خادم"),
    ("نائب\u00a0خادم", "نايب خادم"),
    ("", ""),
]


@pytest.mark.parametrize(("text", "expected"), NORMALISE)
def test_normalise(text, expected):
    assert normalise(text) == expected


@pytest.mark.parametrize(("text", "expected"), NORMALISE)
def test_normalise_is_idempotent(text, expected):
    assert normalise(expected) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  نائب\u00a0\u00a0خادم  \n الحرمين ", "نايب خادم الحرمين"),
        ("عام /  افتتاح  المعرض", "عام / افتتاح المعرض"),
        ("\u200f أبهــا \u200f", "ابها"),
        ("\t\n", ""),
    ],
)
def test_match_key_collapses_whitespace(text, expected):
    assert match_key(text) == expected


def test_match_key_folds_spellings_of_one_headline():
    assert match_key("افتتاح  المعرض\u00a0الدولي للكتابة") == match_key("افتتاح المعرض الدولي للكتابه")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("٢٨ سبتمبر ۲۰۲۰", "28 سبتمبر 2020"),
        ("011", "011"),
        ("أ ١", "أ 1"),
        ("x²", "x²"),  # a superscript is a digit but not a decimal digit: left alone
    ],
)
def test_to_ascii_digits(text, expected):
    assert to_ascii_digits(text) == expected


def test_normalise_survives_a_lone_surrogate():
    assert normalise("\ud800ا") == "\ud800ا"
