"""Translations in the admin: translate beside the original, see what changed, mark current, find outdated ones."""

import pytest

from articles.models import Article, TranslationBaseline
from articles.services import parts as part_services
from articles.services import stories
from articles.services import translations as translation_services

pytestmark = pytest.mark.django_db

PARAGRAPHS = "قال الوزير إن المحادثات ستستأنف.\n\nوأضاف أن الوفدين اتفقا."


@pytest.fixture
def original():
    return stories.create_story(
        headline="استئناف المحادثات", parts=[part_services.NewPart(body=PARAGRAPHS)], publish=True
    )


def translate(client, original, language="en", texts=("The minister said talks would resume.", "Both agreed.")):
    data = {"headline": "Talks to resume", "summary": ""}
    data.update({f"p-{i}": text for i, text in enumerate(texts)})
    return client.post(f"/admin/articles/article/{original.pk}/translate/{language}/", data)


def test_the_change_page_offers_the_languages_not_yet_translated(editor_client, original):
    translation_services.create_translation(original=original, language="ur", headline="مذاکرات")

    html = editor_client.get(f"/admin/articles/article/{original.pk}/change/").content.decode()

    assert "/translate/en/" in html and "/translate/ur/" not in html and "/translate/ar/" not in html


def test_a_translator_translates_side_by_side(client, role, original):
    translator = role("Translator")
    client.force_login(translator)

    page = client.get(f"/admin/articles/article/{original.pk}/translate/en/")
    response = translate(client, original)

    assert page.status_code == 200 and 'dir="rtl"' in page.content.decode() and 'dir="ltr"' in page.content.decode()
    assert response.status_code == 302
    translation = Article.objects.get(translation_of=original)
    assert translation.status == Article.Status.DRAFT
    assert translation.ordered_parts[0].body == "The minister said talks would resume.\n\nBoth agreed."
    assert list(translation.translated_by.all()) == [translator]
    assert not TranslationBaseline.objects.get(translation=translation).outdated


def test_the_editor_shows_what_changed_and_mark_current_clears_it(
    editor_client, original, django_capture_on_commit_callbacks
):
    translate(editor_client, original)
    translation = Article.objects.get(translation_of=original)
    with django_capture_on_commit_callbacks(execute=True):
        part_services.edit_part(
            article=original,
            number=1,
            body="قال الوزير إن المحادثات ستستأنف غدا.\n\nفقرة جديدة.\n\nوأضاف أن الوفدين اتفقا.",
            continues=False,
        )

    html = editor_client.get(
        f"/admin/articles/article/{translation.pk}/translation/", headers={"accept-language": "en"}
    ).content.decode()
    listed = editor_client.get("/admin/articles/article/?translations=outdated").content.decode()
    index = editor_client.get("/admin/", headers={"accept-language": "en"}).content.decode()

    assert "changed in the original" in html and "<ins>ستستأنف غدا.</ins>" in html
    assert "new in the original" in html
    assert "Talks to resume" in listed
    assert "1 translation is outdated" in index

    editor_client.post(f"/admin/articles/article/{translation.pk}/mark-current/")

    assert not TranslationBaseline.objects.get(translation=translation).outdated


def test_saving_the_new_paragraph_keeps_it_new_until_marked_current(
    editor_client, original, django_capture_on_commit_callbacks
):
    translate(editor_client, original)
    translation = Article.objects.get(translation_of=original)
    with django_capture_on_commit_callbacks(execute=True):
        part_services.edit_part(
            article=original, number=1, body=PARAGRAPHS.replace("\n\n", "\n\nفقرة جديدة.\n\n"), continues=False
        )

    data = {"headline": "Talks to resume", "summary": "", "loaded_version": translation.version}
    data.update({"p-0": "The minister said talks would resume.", "p-1": "A new paragraph.", "p-2": "Both agreed."})
    response = editor_client.post(f"/admin/articles/article/{translation.pk}/translation/", data)

    assert response.status_code == 302
    translation.refresh_from_db()
    assert translation.ordered_parts[0].body.split("\n\n") == [
        "The minister said talks would resume.",
        "A new paragraph.",
        "Both agreed.",
    ]
    states = [s.state for s in translation_services.measure(translation).paragraphs]
    assert states == ["current", "new", "current"]


def test_a_reporter_cannot_open_someone_elses_translation(client, role, original):
    translation = translation_services.create_translation(original=original, language="en", headline="x")
    client.force_login(role("Reporter"))

    assert client.get(f"/admin/articles/article/{translation.pk}/translation/").status_code in (302, 403, 404)
