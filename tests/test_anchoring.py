"""The pure anchoring of annotated spans: offsets in code points as stored; re-anchoring after edits."""

import pytest

from articles.anchoring import ANCHORED, ORPHANED, REANCHORED, QuoteNotFound, locate, reanchor, span_at

# Tashkeel (ُ َ), a no-break space and a Farsi yeh (ی), as wire copy has them.
TEXT = "قالَ الأمينُ العام\u00a0للمنظمة إن الوضع في قره باغ یثیر القلق الشديد، ودعا إلى وقف إطلاق النار فورا."
QUOTE = "الوضع في قره باغ یثیر القلق"


def test_offsets_are_code_points_into_the_text_as_stored():
    span = locate(TEXT, QUOTE)

    assert TEXT[span.start : span.end] == QUOTE
    assert span.start == TEXT.index("الوضع")  # tashkeel and the no-break space count as characters
    assert span.prefix == TEXT[max(0, span.start - 32) : span.start] and "\u00a0" in span.prefix
    assert len(span.suffix) == 32


def test_a_quote_not_in_the_text_or_ambiguous_is_refused_with_the_reason():
    text = "وقف إطلاق النار ثم وقف إطلاق النار"
    with pytest.raises(QuoteNotFound, match="not in this part"):
        locate(TEXT, "كلمات غائبة")
    with pytest.raises(QuoteNotFound, match="2 times"):
        locate(text, "وقف إطلاق النار")
    assert locate(text, "وقف إطلاق النار", prefix="ثم ").start == text.rindex("وقف")


def test_unchanged_text_keeps_the_span():
    old = locate(TEXT, QUOTE)

    assert reanchor(TEXT, old) == reanchor(TEXT, old)
    assert reanchor(TEXT, old).state == ANCHORED and reanchor(TEXT, old).span == old


def test_text_inserted_before_moves_the_span_and_it_stays_anchored():
    old = locate(TEXT, QUOTE)
    new_text = "عاجل: " + TEXT

    anchor = reanchor(new_text, old)

    assert anchor.state == ANCHORED
    assert new_text[anchor.span.start : anchor.span.end] == QUOTE
    assert anchor.span.start == old.start + len("عاجل: ")


def test_an_edited_prefix_keeps_the_quote():
    old = locate(TEXT, QUOTE)
    new_text = TEXT.replace("للمنظمة إن", "لمنظمة معاهدة الأمن إن")

    anchor = reanchor(new_text, old)

    assert anchor.state == ANCHORED and anchor.span.exact == QUOTE


def test_a_slightly_edited_span_is_reanchored_with_its_new_quote():
    old = locate(TEXT, QUOTE)
    new_text = TEXT.replace("یثیر القلق", "يثير القلق")  # Farsi yeh corrected to Arabic yeh: two letters

    anchor = reanchor(new_text, old)

    assert anchor.state == REANCHORED
    assert anchor.span.exact == "الوضع في قره باغ يثير القلق"
    assert new_text[anchor.span.start : anchor.span.end] == anchor.span.exact


def test_an_exact_copy_elsewhere_does_not_win_over_the_edited_original_in_its_context():
    old = locate(TEXT, QUOTE)
    edited = TEXT.replace("یثیر القلق", "يثير القلق")
    new_text = edited + " وفي خبر آخر: " + QUOTE + " لدى المراقبين."

    anchor = reanchor(new_text, old)

    assert anchor.state == REANCHORED and anchor.span.start == old.start


def test_a_duplicated_span_is_chosen_by_its_context():
    old = locate(TEXT, QUOTE)
    new_text = "تقرير: " + QUOTE + " كما قيل سابقا. " + TEXT

    anchor = reanchor(new_text, old)

    assert anchor.state == ANCHORED
    assert anchor.span.start == new_text.index(QUOTE, len("تقرير: ") + 1)


def test_a_deleted_span_is_orphaned():
    old = locate(TEXT, QUOTE)

    anchor = reanchor("نص مختلف تماما لا صلة له بما سبق.", old)

    assert anchor == reanchor("نص مختلف تماما لا صلة له بما سبق.", old)
    assert anchor.state == ORPHANED and anchor.span is None


def test_a_long_quote_edited_in_the_middle_is_found_from_both_ends():
    long_quote = TEXT[TEXT.index("الأمين") : TEXT.index("فورا")]
    old = span_at(TEXT, TEXT.index(long_quote), TEXT.index(long_quote) + len(long_quote))
    new_text = TEXT.replace("الشديد", "البالغ")

    anchor = reanchor(new_text, old)

    assert anchor.state == REANCHORED
    assert anchor.span.exact == long_quote.replace("الشديد", "البالغ")
