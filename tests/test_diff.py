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


def test_a_part_s_take_label_and_its_continues_flag_are_changes_of_their_own():
    before = snapshot("عنوان", "نص")
    after = snapshot("عنوان", "نص")
    before["parts"][0].update(label="", continues=True)
    after["parts"][0].update(label="إضافة أولى", continues=False)

    changes = compare(before, after)

    assert [(change.label, change.field, change.part) for change in changes] == [
        ("part 1 take label", "label", 1),
        ("part 1 continues", "continues", 1),
    ]
    assert changes[0].html == "<ins>إضافة أولى</ins>"
    assert (changes[1].before, changes[1].after) == ("True", "False")


def test_the_section_and_the_credits_named_by_the_caller_are_compared():
    before = {**snapshot("عنوان", "نص"), "section_name": "سياسة", "credit_names": ["رويترز (الوكالة المصدر)"]}
    after = {
        **snapshot("عنوان", "نص"),
        "section_name": "اقتصاد",
        "credit_names": ["رويترز (الوكالة المصدر)", "وام (ناشر)"],
    }

    changes = compare(before, after)

    assert [change.field for change in changes] == ["section", "credits"]
    assert changes[0].html == "<del>سياسة</del><ins>اقتصاد</ins>"
    assert changes[1].html.endswith("<ins> / وام (ناشر)</ins>")


def test_a_part_added_or_removed_is_its_text_alone():
    changes = compare(snapshot("عنوان", "نص"), snapshot("عنوان", "نص", "نص ثان"))

    assert [change.label for change in changes] == ["part 2"]
