"""Sources named in the reader's interface language: the pure rule, the known agencies' names from the
migration, the public pages, the admin form; the API's `name` unchanged."""

import pytest
from django.urls import reverse

from articles.formats.sources import source_name
from articles.models import Source
from articles.services import sources as source_services

from .factories import SourceFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ar", "وكالة الأنباء السعودية"),
        ("en", "Saudi Press Agency (en)"),
        ("en-gb", "Saudi Press Agency (en)"),
        ("EN", "Saudi Press Agency (en)"),
        ("ur", "Saudi Press Agency"),  # no Urdu display names: the name as stored
        ("", "Saudi Press Agency"),
        (None, "Saudi Press Agency"),
    ],
)
def test_the_display_name_follows_the_interface_language(language, expected):
    source = Source(name="Saudi Press Agency", name_ar="وكالة الأنباء السعودية", name_en="Saudi Press Agency (en)")

    assert source_name(source, language) == expected


def test_a_source_without_display_names_keeps_its_name():
    source = Source(name="وكالة محلية")

    assert source_name(source, "ar") == source_name(source, "en") == "وكالة محلية"


@pytest.mark.parametrize(
    ("slug", "arabic", "english"),
    [
        ("spa", "وكالة الأنباء السعودية", "Saudi Press Agency"),
        ("sabq", "سبق", "Sabq"),
        ("sputnik", "سبوتنيك", "Sputnik"),
        ("reuters", "رويترز", "Reuters"),
        ("afp", "فرانس برس", "AFP"),
        ("ap", "أسوشيتد برس", "AP"),
        ("anadolu", "وكالة الأناضول", "Anadolu Agency"),
        ("urdupoint", "أردو بوينت", "UrduPoint Network"),
        ("upi", "يونايتد برس إنترناشونال", "United Press International"),
    ],
)
def test_the_known_sources_carry_their_arabic_and_latin_names(slug, arabic, english):
    source = Source.objects.get(slug=slug)

    assert (source.name_ar, source.name_en) == (arabic, english)


def test_every_known_source_has_both_display_names():
    assert not Source.objects.filter(name_ar="").exists()
    assert not Source.objects.filter(name_en="").exists()


@pytest.mark.arabic_default
def test_the_arabic_story_page_and_list_name_the_sources_in_arabic(client, seed_story):
    story = client.get(seed_story.get_absolute_url()).content.decode()
    home = client.get("/").content.decode()

    for html in (story, home):
        assert ">سبوتنيك</a>" in html and ">أردو بوينت</a>" in html
        assert ">Sputnik</a>" not in html and ">UrduPoint Network</a>" not in html


def test_the_english_pages_name_the_sources_in_latin(client, seed_story):
    html = client.get(seed_story.get_absolute_url()).content.decode()

    assert ">Sputnik</a>" in html and ">UrduPoint Network</a>" in html


@pytest.mark.arabic_default
def test_the_source_page_is_titled_in_the_reader_s_language(client, seed_story):
    sputnik = Source.objects.get(slug="sputnik")

    arabic = client.get(sputnik.get_absolute_url()).content.decode()
    english = client.get(sputnik.get_absolute_url(), headers={"accept-language": "en"}).content.decode()

    assert '<h1 dir="auto">سبوتنيك</h1>' in arabic and "<title>سبوتنيك — " in arabic
    assert '<h1 dir="auto">Sputnik</h1>' in english


def test_the_api_keeps_the_source_s_name(api):
    body = api.get("/api/v1/sources/spa/").json()

    assert body["name"] == "Saudi Press Agency"
    assert "name_ar" not in body and "name_en" not in body


def test_the_services_store_display_names_with_whitespace_collapsed():
    source = source_services.create_source(name="Al Arabiya", name_ar=" العربية \n", name_en="Al Arabiya")
    source = source_services.update_source(source=source, changes={"name_ar": "قناة  العربية"})

    assert (source.name_ar, source.name_en, source.version) == ("قناة العربية", "Al Arabiya", 2)


def test_the_services_refuse_an_overlong_display_name():
    source = SourceFactory()

    with pytest.raises(source_services.ServiceError):
        source_services.update_source(source=source, changes={"name_en": "x" * 201})


def source_form(source, **changes):
    aliases = list(source.aliases.all())
    data = {
        "name": source.name,
        "name_ar": source.name_ar,
        "name_en": source.name_en,
        "slug": source.slug,
        "kind": source.kind,
        "website": source.website,
        "aliases-TOTAL_FORMS": len(aliases),
        "aliases-INITIAL_FORMS": len(aliases),
        "aliases-MIN_NUM_FORMS": 0,
        "aliases-MAX_NUM_FORMS": 1000,
        **changes,
    }
    for i, alias in enumerate(aliases):
        data.update({f"aliases-{i}-id": alias.pk, f"aliases-{i}-source": source.pk, f"aliases-{i}-alias": alias.alias})
    return data


def test_the_admin_form_edits_the_display_names_in_their_own_script(editor_client):
    spa = Source.objects.get(slug="spa")
    url = reverse("admin:articles_source_change", args=[spa.pk])

    html = editor_client.get(url).content.decode()
    response = editor_client.post(url, source_form(spa, name_ar="واس"))

    assert 'name="name_ar"' in html and 'lang="ar"' in html and 'dir="rtl"' in html
    assert 'name="name_en"' in html
    assert response.status_code == 302
    spa.refresh_from_db()
    assert (spa.name_ar, spa.name_en, spa.version) == ("واس", "Saudi Press Agency", 2)
