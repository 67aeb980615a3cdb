"""The pure alignment of a translation's paragraphs with its original's, paragraph by paragraph."""

import pytest

from articles.staleness import CHANGED, CURRENT, NEW, REMOVED, align, by_position, outdated, paragraphs_of

THEN = [(1, "أ\n\nب\n\nج"), (2, "د")]


def states(now, then=THEN, translated=None):
    original_then = paragraphs_of(then)
    rendered = by_position(translated or [(p.part, p.paragraph) for p in original_then], original_then)
    return [(s.state, s.original_then, s.original_now) for s in align(rendered, paragraphs_of(now))]


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (THEN, [(CURRENT, "أ", "أ"), (CURRENT, "ب", "ب"), (CURRENT, "ج", "ج"), (CURRENT, "د", "د")]),
        (
            [(1, "أ\n\nب معدلة\n\nج"), (2, "د")],
            [(CURRENT, "أ", "أ"), (CHANGED, "ب", "ب معدلة"), (CURRENT, "ج", "ج"), (CURRENT, "د", "د")],
        ),
        (
            [(1, "أ\n\nجديدة\n\nب\n\nج"), (2, "د")],
            [(CURRENT, "أ", "أ"), (NEW, None, "جديدة"), (CURRENT, "ب", "ب"), (CURRENT, "ج", "ج"), (CURRENT, "د", "د")],
        ),
        (
            [(1, "أ\n\nج"), (2, "د")],
            [(CURRENT, "أ", "أ"), (REMOVED, "ب", None), (CURRENT, "ج", "ج"), (CURRENT, "د", "د")],
        ),
        (
            [*THEN, (3, "هـ")],
            [(CURRENT, "أ", "أ"), (CURRENT, "ب", "ب"), (CURRENT, "ج", "ج"), (CURRENT, "د", "د"), (NEW, None, "هـ")],
        ),
        (
            [(1, "أ\n\nب\n\nج\n\nد")],
            [(CURRENT, "أ", "أ"), (CURRENT, "ب", "ب"), (CURRENT, "ج", "ج"), (CURRENT, "د", "د")],
        ),
    ],
    ids=["unchanged", "edited", "inserted", "removed", "appended-part", "parts-merged"],
)
def test_each_paragraph_is_reported_with_its_state(now, expected):
    assert states(now) == expected


def test_a_translation_with_fewer_paragraphs_leaves_the_rest_new():
    assert states(THEN, translated=[(1, 0), (1, 1)]) == [
        (CURRENT, "أ", "أ"),
        (CURRENT, "ب", "ب"),
        (NEW, None, "ج"),
        (NEW, None, "د"),
    ]


def test_outdated_is_any_paragraph_not_current():
    original = paragraphs_of(THEN)
    rendered = by_position([(p.part, p.paragraph) for p in original], original)

    assert not outdated(align(rendered, original))
    assert outdated(align(rendered, paragraphs_of([(1, "أ")])))
