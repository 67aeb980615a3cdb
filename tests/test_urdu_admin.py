"""The Urdu admin and API say Django's and the installed packages' own words in Urdu, never in the Arabic Django
falls back to (the LANGUAGE_CODE catalogue) for a msgid the Urdu catalogues lack. That Urdu is in
articles/locale_vendor (docs/glossary.md, "Third-party strings in Urdu"). Every test runs with the product's
default, Arabic: with English as LANGUAGE_CODE a missing Urdu string would fall back to English instead."""

import gettext
import json
from importlib.util import find_spec
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.urls import reverse
from django.utils import translation

pytestmark = [pytest.mark.django_db, pytest.mark.arabic_default]

URDU = {"accept-language": "ur"}
ROOT = Path(__file__).resolve().parents[1]
VENDOR = ROOT / "articles" / "locale_vendor" / "ur" / "LC_MESSAGES"

# (msgid, what an Urdu page showed: Django's Arabic, the Urdu it shows now), for each screen.
INDEX = [
    ("View site", "عرض الموقع", "سائٹ دیکھیں"),
    ("Recent actions", "آخر الإجراءات", "حالیہ کارروائیاں"),
    ("My actions", "إجراءاتي", "میری کارروائیاں"),
    ("Skip to main content", "الانتقال إلى المحتوى الرئيسي", "مرکزی مواد پر جائیں"),
    ("Toggle theme (current theme: auto)", "تبديل السمة (السمة الحالية: تلقائي)", "تھیم بدلیں (موجودہ تھیم: خودکار)"),
]
CHANGELIST = [
    ("Select all objects on this page for an action", "حدد جميع الكائنات في هذه الصفحة لإجراء", "اس صفحے پر سب کچھ"),
    ("Start typing to filter…", "ابدأ الكتابة للتصفية ...", "چھانٹنے کے لیے ٹائپ کرنا شروع کریں…"),
    ("Sidebar", "الشريط الجانبي", "سائیڈ بار"),
]
CHANGE = [
    ("Toggle navigation", "تغيير التصفّح", "نیویگیشن کھولیں یا بند کریں"),
    ("Filter navigation items", "تصفية عناصر التصفح", "نیویگیشن کے عناصر چھانٹیں"),
    ("View site", "عرض الموقع", "سائٹ دیکھیں"),
]
SUPERUSER_INDEX = [
    ("users", "المستخدمون", "صارفین"),
    ("groups", "المجموعات", "گروپس"),
    ("Authentication and Authorization", "المصادقة والتفويض", "تصدیق اور اجازت"),
]
USER_CHANGE = [
    ("Personal info", "المعلومات الشخصية", "ذاتی معلومات"),
    ("Important dates", "تواريخ مهمة", "اہم تاریخیں"),
    ("staff status", "حالة الطاقم", "عملے کی حیثیت"),
    ("superuser status", "حالة المستخدم الفائق", "سپر یوزر کی حیثیت"),
]
LOGIN = [
    ("username", "اسم المستخدم", "صارف نام"),
    ("Skip to main content", "الانتقال إلى المحتوى الرئيسي", "مرکزی مواد پر جائیں"),
]
REFUSAL = (
    "Please enter the correct %(username)s and password for a staff account. Note that both fields may be "
    "case-sensitive."
)
API_401 = (
    "Authentication credentials were not provided.",
    "لم يتم تزويد بيانات الدخول.",
    "لاگ ان کی اسناد فراہم نہیں کی گئیں۔",
)


def page(client, url) -> str:
    response = client.get(url, headers=URDU)
    assert response.status_code == 200, url
    html = response.content.decode()
    assert 'lang="ur"' in html
    return html


def says_in_urdu(html, table) -> None:
    for msgid, arabic, urdu in table:
        with translation.override("ar"):
            assert translation.gettext(msgid) == arabic, msgid  # the table is Django's real Arabic
        assert arabic not in html, msgid
        assert urdu in html, msgid


def test_the_admin_index_is_in_urdu(editor_client):
    says_in_urdu(page(editor_client, "/admin/"), INDEX)


def test_the_story_list_is_in_urdu(editor_client, seed_story):
    says_in_urdu(page(editor_client, reverse("admin:articles_article_changelist")), CHANGELIST)


def test_a_story_page_is_in_urdu(editor_client, seed_story):
    says_in_urdu(page(editor_client, reverse("admin:articles_article_change", args=[seed_story.pk])), CHANGE)


def test_the_users_screens_are_in_urdu(client, django_user_model):
    boss = django_user_model.objects.create_superuser("boss", "boss@example.com", "pw-boss-123")
    client.force_login(boss)

    says_in_urdu(page(client, "/admin/"), SUPERUSER_INDEX)
    says_in_urdu(page(client, reverse("admin:auth_user_change", args=[boss.pk])), USER_CHANGE)


def test_the_login_page_and_its_refusal_are_in_urdu(client, editor):
    says_in_urdu(page(client, reverse("admin:login")), LOGIN)

    refused = client.post(reverse("admin:login"), {"username": "editor", "password": "wrong"}, headers=URDU)

    html = refused.content.decode()
    with translation.override("ar"):
        arabic = translation.gettext(REFUSAL) % {"username": ""}
    assert "عملے کے اکاؤنٹ کا درست صارف نام اور پاس ورڈ درج کریں۔" in html
    assert arabic[-20:] not in html


def test_the_apis_refusal_of_an_anonymous_client_is_in_urdu(client):
    response = client.post("/api/v1/articles/", {}, content_type="application/json", headers=URDU)

    msgid, arabic, urdu = API_401
    with translation.override("ar"):
        assert translation.gettext(msgid) == arabic
    assert response.status_code == 401
    assert response.json()["detail"] == urdu


# The admin's JavaScript catalogue -----------------------------------------------------------------------


def javascript_catalogue(client) -> tuple[dict, str]:
    """The catalogue and the plural rule the admin's jsi18n script hands the browser."""
    text = client.get(reverse("admin:jsi18n"), headers=URDU).content.decode()
    start = text.index("const newcatalog = ") + len("const newcatalog = ")
    catalogue, _ = json.JSONDecoder().raw_decode(text[start:])
    rule = text.split("const v = ", 1)[1].split(";", 1)[0]
    return catalogue, rule


def test_the_admins_javascript_is_in_urdu_with_urdus_plural_rule(editor_client):
    catalogue, rule = javascript_catalogue(editor_client)

    assert rule == "(n != 1)"
    assert catalogue["Choose"] == "منتخب کریں"
    assert catalogue["January"] == "جنوری"
    assert catalogue["Note: You are %s hour ahead of server time."] == [
        "نوٹ: آپ سرور کے وقت سے %s گھنٹہ آگے ہیں۔",
        "نوٹ: آپ سرور کے وقت سے %s گھنٹے آگے ہیں۔",
    ]


def test_no_string_of_the_admins_javascript_is_left_in_arabic(editor_client):
    arabic, _ = compiled(package_locale("django.contrib.admin") / "ar" / "LC_MESSAGES" / "djangojs.mo")
    catalogue, _ = javascript_catalogue(editor_client)

    left = []
    for key, text in arabic.items():
        msgid, form = key if isinstance(key, tuple) else (key, None)
        if form is not None and form > 1:
            continue  # Urdu has two forms: the browser is never handed Arabic's others
        shown = catalogue.get(msgid)
        shown = shown if form is None else shown[form]
        if not shown or shown == text:
            left.append(msgid)
    assert not left, f"Arabic in the Urdu admin's JavaScript: {sorted(set(left))}"


# Every Arabic entry has its Urdu -------------------------------------------------------------------------


def package_locale(name: str) -> Path:
    return Path(find_spec(name).submodule_search_locations[0]) / "locale"


def compiled(mo: Path) -> tuple[dict, gettext.GNUTranslations]:
    """A compiled catalogue's entries ({msgid or (msgid, form): text}, header left out; gettext keeps them in
    `_catalog`) and the catalogue."""
    with mo.open("rb") as f:
        catalogue = gettext.GNUTranslations(f)
    return {key: text for key, text in catalogue._catalog.items() if key != ""}, catalogue


def msgid_of(key) -> tuple:
    """(msgctxt, msgid) of a compiled catalogue's key."""
    msgid = key[0] if isinstance(key, tuple) else key
    return tuple(msgid.split("\x04")) if "\x04" in msgid else (None, msgid)


# Django itself and every installed app that ships Arabic: a new app with Arabic but no Urdu fails here.
PACKAGES = ["django.conf"] + [
    name for name in settings.INSTALLED_APPS if (package_locale(name) / "ar" / "LC_MESSAGES" / "django.mo").exists()
]


def in_urdu(key, arabic_catalogue) -> str:
    """What an Urdu request is given for an entry of an Arabic catalogue."""
    with translation.override("ur"):
        if isinstance(key, tuple):
            msgid, form = key
            n = next(n for n in range(200) if arabic_catalogue.plural(n) == form)  # a count Arabic says so
            return translation.ngettext(msgid, msgid, n)
        if "\x04" in key:
            return translation.pgettext(*key.split("\x04"))
        return translation.gettext(key)


def urdu_entries(package: str) -> set:
    """(msgctxt, msgid) of every entry with Urdu in a catalogue a `ur` request reads: for the few whose Urdu is
    written as the Arabic is."""
    found = set()
    for locale in {package_locale(package), package_locale("django.conf"), *map(Path, settings.LOCALE_PATHS)}:
        mo = locale / "ur" / "LC_MESSAGES" / "django.mo"
        if mo.exists():
            found |= {msgid_of(key) for key in compiled(mo)[0]}
    return found


def test_the_packages_checked_are_django_and_those_that_ship_arabic():
    assert {"django.conf", "django.contrib.admin", "django.contrib.auth", "rest_framework", "axes"} <= set(PACKAGES)


@pytest.mark.parametrize("package", PACKAGES)
def test_every_arabic_entry_of_a_package_has_urdu(package):
    arabic, arabic_catalogue = compiled(package_locale(package) / "ar" / "LC_MESSAGES" / "django.mo")
    has_urdu = urdu_entries(package)

    left = []
    for key, text in arabic.items():
        shown = in_urdu(key, arabic_catalogue)
        # the Arabic text is right only where Urdu writes it the same (":", "%(counter)s نتائج")
        if not shown or (shown == text and msgid_of(key) not in has_urdu):
            left.append(msgid_of(key))
    assert arabic
    assert not left, (
        f"{package}: these fall back to Arabic in Urdu (add them to {VENDOR}/django.po): {sorted(set(left), key=str)}"
    )


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_the_vendor_catalogues_are_compiled_from_their_po_files(domain):
    with (VENDOR / f"{domain}.po").open("rb") as f:
        po = read_po(f)
    entries, catalogue = compiled(VENDOR / f"{domain}.mo")

    written = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in po if m.id}
    assert all(m.string and not m.fuzzy for m in po if m.id)
    assert written == {msgid_of(key) for key in entries}
    assert catalogue.plural(1) == 0 and catalogue.plural(0) == catalogue.plural(2) == 1
