"""Word-level differences between versions of a story (pure, no database)."""

import pytest

from articles.diff import compare, inline


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        ("وقال الوزير", "وقال الوزير", "وقال الوزير"),
        ("وقال الوزير اليوم", "وقال الرئيس اليوم", "وقال <del>الوزير</del><ins>الرئيس</ins> اليوم"),
        ("نص", "نص جديد", "نص<ins> جديد</ins>"),
        ("<b> & ", "<b>", "&lt;b&gt;<del> &amp; </del>"),
    ],
)
def test_inline_marks_words(before, after, expected):
    assert inline(before, after) == expected


def snapshot(headline, *bodies):
    return {
        "article": {"headline": headline},
        "parts": [{"number": i, "body": b, "continues": False} for i, b in enumerate(bodies, 1)],
    }


def test_compare_lists_changed_fields_and_parts_only():
    changes = compare(
        snapshot("عنوان", "جزء أول", "جزء ثان"), snapshot("عنوان معدل", "جزء أول", "جزء ثان معدل", "جزء ثالث")
    )

    assert [change.label for change in changes] == ["headline", "part 2", "part 3"]
    assert changes[2].before == "" and changes[2].after == "جزء ثالث"


def test_identical_snapshots_have_no_changes():
    assert compare(snapshot("عنوان", "نص"), snapshot("عنوان", "نص")) == []
