"""The pure side of comments: invisible tricks removed, links counted, word rules across spelling variants."""

import pytest

from articles.moderation import Unstorable, clean, links_in, matches, term_key, words


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("نص \u202eمعكوس\u202c", "نص معكوس"),  # RTL override
        ("كلمة\u2066مخفية\u2069", "كلمةمخفية"),  # isolates
        ("صفر\u200bعرض", "صفرعرض"),  # zero-width space
        ("می\u200cخواهم", "می\u200cخواهم"),  # ZWNJ stays: Persian and Urdu need it
        ("\ufeffبداية", "بداية"),
        ("e\u0301", "é"),  # NFC
        ("سطر\r\nآخر", "سطر\nآخر"),
    ],
)
def test_invisible_format_characters_are_removed_and_text_is_nfc(text, stored):
    assert clean(text) == stored


@pytest.mark.parametrize(("text", "kind"), [("a\x00b", "nul"), ("a\ud800b", "surrogate")])
def test_unstorable_text_is_refused(text, kind):
    with pytest.raises(Unstorable) as refused:
        clean(text)
    assert refused.value.kind == kind and refused.value.at == 1


def test_links_are_counted():
    assert links_in("انظر https://a.example و www.b.example وhttp://c.example/x") == 3


@pytest.mark.parametrize(
    "variant",
    ["إرهابي", "ارهابي", "إرهابيّ", "إرهــابي", "ارهابی", "EVIL word", "كلمة إرهابي هنا"],
)
def test_a_rule_matches_variant_spellings(variant):
    rules = [term_key("ارهابي"), term_key("evil WORD")]

    assert any(matches(rule, words(variant)) for rule in rules)


def test_a_rule_does_not_match_inside_a_longer_word_and_ta_marbuta_folds():
    assert not matches(term_key("ارهاب"), words("الإرهابيون"))
    assert matches(term_key("مؤامرة"), words("مؤامره كبرى"))  # ة and ه are one letter to the rule
