"""Management commands: ingest_wire (files, stdin, exit codes, one transaction per file) and load_demo."""

import io
import json
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, Part

from .conftest import ROOT, SEED

pytestmark = pytest.mark.django_db

TAKE_1 = "عام / اجتماع مجلس الوزراء\n\n جدة 25 شوال 1436هـ الموافق 10 أغسطس 2015م واس\n نص الجزء الأول.\n // يتبع //\n"
TAKE_2 = "عام / اجتماع مجلس الوزراء   إضافة أولى\n\n نص الجزء الثاني.\n // انتهى //\n"


def run(*args, stdin: bytes | None = None):
    out, err = io.StringIO(), io.StringIO()
    if stdin is not None:
        sys.stdin = io.TextIOWrapper(io.BytesIO(stdin))
    try:
        call_command("ingest_wire", *args, stdout=out, stderr=err)
    finally:
        sys.stdin = sys.__stdin__
    return [json.loads(line) for line in out.getvalue().splitlines()], err.getvalue()


def test_ingest_wire_prints_one_json_line_per_story():
    (line,), _ = run(str(SEED))

    article = Article.objects.get()
    assert line == {
        "id": article.pk,
        "action": "created",
        "url": f"/articles/{article.pk}/{article.slug}/",
        "parts": 2,
        "warnings": line["warnings"],
        "path": str(SEED),
    }
    assert line["warnings"]
    assert article.status == Article.Status.DRAFT


def test_ingest_wire_reports_created_appended_unchanged(tmp_path):
    first, second = tmp_path / "1.txt", tmp_path / "2.txt"
    first.write_text(TAKE_1, encoding="utf-8")
    second.write_text(TAKE_2, encoding="utf-8")

    lines, _ = run(str(first), str(second), str(first))

    assert [line["action"] for line in lines] == ["created", "appended", "unchanged"]
    assert [line["parts"] for line in lines] == [1, 2, 2]
    assert len({line["id"] for line in lines}) == 1


def test_ingest_wire_publish_flag(tmp_path):
    run("--publish", str(SEED))

    assert Article.objects.get().status == Article.Status.PUBLISHED


def test_ingest_wire_reads_standard_input():
    (line,), _ = run("-", stdin=SEED.read_bytes())

    assert line["action"] == "created"
    assert line["path"] == "-"


def test_ingest_wire_append_to(tmp_path):
    (created,), _ = run(str(SEED))
    extra = tmp_path / "extra.txt"
    extra.write_text("تحديث\n\nمعلومات جديدة وصلت.\n", encoding="utf-8")

    (line,), _ = run("--append-to", str(created["id"]), str(extra))

    assert line["action"] == "appended" and line["parts"] == 3


def test_each_file_is_its_own_transaction_and_failures_exit_non_zero(tmp_path):
    good, empty, missing = tmp_path / "good.txt", tmp_path / "empty.txt", tmp_path / "missing.txt"
    good.write_text(TAKE_1, encoding="utf-8")
    empty.write_text("   \n", encoding="utf-8")

    with pytest.raises(CommandError, match="2 of 3 inputs failed"):
        run(str(empty), str(good), str(missing))

    assert Article.objects.count() == 1
    assert Part.objects.count() == 1


def test_ingest_wire_explains_invalid_utf8_and_writes_nothing(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes("عنوان\n\nنص".encode("cp1256"))
    err = io.StringIO()

    with pytest.raises(CommandError):
        call_command("ingest_wire", str(bad), stdout=io.StringIO(), stderr=err)

    assert "byte" in err.getvalue() and "windows-1256" in err.getvalue()
    assert Article.objects.count() == 0


def test_ingest_wire_legacy_encoding_option(tmp_path):
    legacy = tmp_path / "legacy.txt"
    legacy.write_bytes("عنوان قديم\n\nنص بترميز ويندوز.".encode("cp1256"))

    (line,), _ = run("--encoding", "windows-1256", str(legacy))

    assert Article.objects.get(pk=line["id"]).headline == "عنوان قديم"


def test_ingest_wire_exit_code_is_non_zero_with_the_reason(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")

    process = subprocess.run(
        [sys.executable, "manage.py", "ingest_wire", str(empty)], cwd=ROOT, capture_output=True, text=True
    )

    assert process.returncode != 0
    assert "empty" in process.stderr
    assert process.stdout == ""


def test_load_demo_publishes_the_seed_and_creates_the_editor(django_user_model):
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    call_command("load_demo", stdout=out)  # safe to run again

    article = Article.objects.get(translation_of=None)
    assert article.is_public and article.parts.count() == 2
    english = Article.objects.get(translation_of=article)  # once, though the command ran twice
    assert english.language == "en" and english.is_public and not english.baseline.outdated
    assert "Its English translation: http://127.0.0.1:8000/articles/" in out.getvalue()
    editor = django_user_model.objects.get(username="editor")
    assert editor.is_staff and editor.has_perm("articles.change_article")
    # The tests run with DEBUG off, as `make serve` does: the README's password is never the editor's then.
    assert not editor.check_password("newsroom-editor")
