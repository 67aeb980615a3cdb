"""Every API message follows Accept-Language, whichever layer wrote it; the Arabic catalogue is complete."""

import gettext
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

ARABIC = re.compile("[\u0600-\u06ff]")
CATALOGUE = Path(__file__).resolve().parents[1] / "articles" / "locale" / "ar" / "LC_MESSAGES"
ARTICLES = "/api/v1/articles/"


def detail(response, language: str) -> str:
    """The response's message, after checking it is in the language asked for."""
    text = response.json()["detail"]
    assert bool(ARABIC.search(text)) == (language == "ar"), text
    return text


def both(send) -> tuple:
    """The same request answered in Arabic and in English."""
    return send({"accept-language": "ar"}), send({"accept-language": "en"})


def test_a_service_message_follows_the_language_of_the_request(editor_api, seed_story):
    stale = f'"article-{seed_story.pk}-v{seed_story.version + 1}"'

    ar, en = both(
        lambda headers: editor_api.patch(
            f"{ARTICLES}{seed_story.pk}/", {"summary": "x"}, format="json", headers={**headers, "if-match": stale}
        )
    )

    assert ar.status_code == en.status_code == 412
    assert "تغيّر الخبر في هذه الأثناء" in detail(ar, "ar")
    assert "the story changed meanwhile" in detail(en, "en")


def test_a_workflow_refusal_follows_the_language_of_the_request(editor_api, seed_story):
    url = f"{ARTICLES}{seed_story.pk}/workflow/"

    ar, en = both(lambda headers: editor_api.post(url, {"action": "publish"}, format="json", headers=headers))

    assert ar.status_code == en.status_code == 409
    assert "منشور" in detail(ar, "ar")
    assert "cannot be published" in detail(en, "en")


def test_an_unknown_field_is_named_in_the_language_of_the_request(editor_api):
    body = {"headline": "عنوان", "colour": "red"}

    ar, en = both(lambda headers: editor_api.post(ARTICLES, body, format="json", headers=headers))

    assert ar.status_code == en.status_code == 400
    assert ar.json()["errors"] == {"colour": ["حقل غير معروف أو للقراءة فقط"]}
    assert "مدخلات غير صالحة" in detail(ar, "ar")
    assert en.json()["errors"] == {"colour": ["unknown or read-only field"]}
    assert "invalid input" in detail(en, "en")


@pytest.mark.parametrize(
    ("raw", "arabic", "english"),
    [
        (b'{"headline": ', "ليس JSON صالحًا", "not valid JSON"),
        (b'{"headline": "nul \\u0000 here"}', "محرف NUL", "contains a NUL character"),
        (b'{"headline": "\xff"}', "ليس UTF-8 صالحًا", "not valid UTF-8"),
    ],
)
def test_a_parser_refusal_follows_the_language_of_the_request(editor_api, raw, arabic, english):
    ar, en = both(
        lambda headers: editor_api.generic("POST", ARTICLES, raw, content_type="application/json", headers=headers)
    )

    assert ar.status_code == en.status_code == 400
    assert arabic in detail(ar, "ar")
    assert english in detail(en, "en")


def test_an_unknown_list_parameter_is_refused_in_the_language_of_the_request(api):
    ar, en = both(lambda headers: api.get(f"{ARTICLES}?search=x", headers=headers))

    assert ar.status_code == en.status_code == 400
    assert ar.json()["errors"] == {"search": ["معامل استعلام غير معروف"]}
    assert "search" in detail(ar, "ar")
    assert en.json()["errors"] == {"search": ["unknown query parameter"]}
    assert "unknown query parameter" in detail(en, "en")


def test_drf_s_own_messages_follow_the_language_of_the_request(api):
    ar, en = both(lambda headers: api.post(ARTICLES, {"headline": "عنوان"}, format="json", headers=headers))

    assert ar.status_code == en.status_code == 401
    detail(ar, "ar")
    assert "credentials" in detail(en, "en")


def test_an_ingest_refusal_follows_the_language_of_the_request(editor_api, seed_text):
    body = {"text": seed_text, "append_to": 999_999}

    ar, en = both(lambda headers: editor_api.post("/api/v1/ingest/", body, format="json", headers=headers))

    assert ar.status_code == en.status_code == 400
    assert "لا يوجد خبر رقمه 999999" in detail(ar, "ar")
    assert "there is no story with id 999999 to append to" in detail(en, "en")


def test_an_ingest_permission_refusal_follows_the_language_of_the_request(api, role, seed_text):
    api.force_authenticate(role("Reporter"))
    body = {"text": seed_text, "publish": True}

    ar, en = both(lambda headers: api.post("/api/v1/ingest/", body, format="json", headers=headers))

    assert ar.status_code == en.status_code == 403
    assert "لا نشره" in detail(ar, "ar")
    assert "not publish it" in detail(en, "en")


def _entries(po: str) -> list[dict]:
    """The .po file's entries (header included) as flags, msgid and msgstr, with escapes undone."""
    entries = []
    for block in po.strip().split("\n\n"):
        entry, key = {"flags": set(), "msgctxt": None, "msgid": "", "msgstr": "", "plurals": {}}, None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith(("msgctxt ", "msgid ", "msgstr ", "msgid_plural ")):
                key, _, value = line.partition(" ")
                entry[key] = _unquote(value)
            elif line.startswith("msgstr["):
                key, _, value = line.partition(" ")
                entry["plurals"][int(key[7:-1])] = _unquote(value)
            elif line.startswith('"') and key and key.startswith("msgstr["):
                entry["plurals"][int(key[7:-1])] += _unquote(line)  # msgmerge wraps long plural forms
            elif line.startswith('"') and key:
                entry[key] += _unquote(line)
        if entry["plurals"]:  # an entry is translated when every form is
            entry["msgstr"] = entry["plurals"][0] if all(entry["plurals"].values()) else ""
        entries.append(entry)
    return entries


def _unquote(quoted: str) -> str:
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda match: escapes[match.group(1)], quoted.strip()[1:-1])


def test_every_arabic_msgid_has_a_translation_that_is_not_fuzzy():
    entries = _entries((CATALOGUE / "django.po").read_text(encoding="utf-8"))[1:]

    assert len(entries) > 200
    assert [entry["msgid"] for entry in entries if not entry["msgstr"]] == []
    assert [entry["msgid"] for entry in entries if "fuzzy" in entry["flags"]] == []


def test_the_compiled_arabic_catalogue_matches_the_po_file():
    entries = _entries((CATALOGUE / "django.po").read_text(encoding="utf-8"))[1:]
    with (CATALOGUE / "django.mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)

    def compiled(entry) -> str:
        # a .mo file keys an entry with a context as "context\x04msgid"
        msgid = entry["msgid"] if entry["msgctxt"] is None else f"{entry['msgctxt']}\x04{entry['msgid']}"
        if entry["plurals"]:
            return catalogue._catalog.get((msgid, 0))
        return catalogue._catalog.get(msgid)

    stale = [entry["msgid"] for entry in entries if compiled(entry) != entry["msgstr"]]

    assert stale == [], "run `make messages` (compilemessages) after editing the .po file"
