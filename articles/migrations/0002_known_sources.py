"""Agencies and publishers Arabic wire copy names most, with the spellings datelines use for them."""

import re
import unicodedata

from django.db import migrations

# match_key as articles/text.py defined it when this migration was written, frozen here on purpose:
# a historical migration must compute the same keys whatever articles.text becomes later (and must
# not break if that module moves). Keys written here are brought up to date by `manage.py rebuild_keys`.
_REMOVED = (
    *range(0x064B, 0x0653),  # tashkeel: fathatan … sukun
    0x0670,  # superscript alef
    *range(0x0610, 0x061B),  # Quranic marks above/below
    *range(0x06D6, 0x06EE),  # Quranic annotation signs
    0x0640,  # tatweel
    *(0x200E, 0x200F, 0x061C),  # LRM, RLM, Arabic letter mark
    *range(0x202A, 0x202F),  # LRE, RLE, PDF, LRO, RLO
    *range(0x2066, 0x206A),  # LRI, RLI, FSI, PDI
    0x200D,  # zero-width joiner
    *(0x200B, 0xFEFF),  # zero-width space, BOM used as a zero-width no-break space
)

_LETTERS = {
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ى": "ي",
    "ة": "ه",
    "ی": "ي",
    "ے": "ي",
    "ک": "ك",
    "ہ": "ه",
    "ۀ": "ه",
    "ە": "ه",
    "ھ": "ه",
    "ۃ": "ه",
    "ؤ": "و",
    "ئ": "ي",
    "\u200c": " ",
    "،": " ",
    "؛": " ",
    "؟": " ",
    "۔": " ",
}

_WHITESPACE = re.compile(r"\s+")


def _table() -> dict[int, str | None]:
    # Every Unicode decimal digit → its ASCII digit; built when the migration runs, not when it is imported.
    digits = {}
    for code in range(0x80, 0x20000):
        value = unicodedata.decimal(chr(code), None)
        if value is not None:
            digits[code] = str(value)
    return {**dict.fromkeys(_REMOVED), **{ord(k): v for k, v in _LETTERS.items()}, **digits}


def _match_key(text: str, table: dict[int, str | None]) -> str:
    def one_pass(value: str) -> str:
        return unicodedata.normalize("NFKC", value).translate(table).casefold()

    result = one_pass(text)
    if not unicodedata.is_normalized("NFKC", result):
        result = one_pass(result)
    return _WHITESPACE.sub(" ", result).strip()


# name, slug, kind, website, aliases (Arabic, Urdu and Latin spellings seen in datelines)
KNOWN_SOURCES = [
    (
        "UrduPoint Network",
        "urdupoint",
        "publisher",
        "https://www.urdupoint.com",
        ["أردو بوینت نتورك", "اردو بوائنٹ", "UrduPoint"],
    ),
    ("Sputnik", "sputnik", "agency", "https://sputniknews.com", ["سبوتنيك", "سبوتنيك عربي"]),
    ("Reuters", "reuters", "agency", "https://www.reuters.com", ["رويترز"]),
    ("AFP", "afp", "agency", "https://www.afp.com", ["أ ف ب", "أ.ف.ب", "فرانس برس", "وكالة فرانس برس"]),
    ("AP", "ap", "agency", "https://apnews.com", ["أ ب", "أسوشيتد برس", "اسوشيتدبرس"]),
    ("dpa", "dpa", "agency", "https://www.dpa.com", ["د ب أ", "د.ب.أ"]),
    (
        "Saudi Press Agency",
        "spa",
        "agency",
        "https://www.spa.gov.sa",
        ["واس", "SPA", "وكالة الأنباء السعودية"],
    ),
    ("Tunis Afrique Presse", "tap", "agency", "https://www.tap.info.tn", ["وات", "TAP"]),
    ("Kuwait News Agency", "kuna", "agency", "https://www.kuna.net.kw", ["كونا", "KUNA"]),
    ("Xinhua", "xinhua", "agency", "https://english.news.cn", ["شينخوا"]),
    ("Anadolu Agency", "anadolu", "agency", "https://www.aa.com.tr", ["الأناضول", "Anadolu"]),
    ("Emirates News Agency", "wam", "agency", "https://www.wam.ae", ["وام", "WAM"]),
    ("Qatar News Agency", "qna", "agency", "https://www.qna.org.qa", ["قنا", "QNA"]),
    ("Middle East News Agency", "mena", "agency", "https://www.mena.org.eg", ["أ ش أ", "MENA"]),
    ("CNN", "cnn", "publisher", "https://arabic.cnn.com", ["سي إن إن"]),
    ("Sabq", "sabq", "publisher", "https://sabq.org", ["سبق"]),
]


def add_known_sources(apps, schema_editor):
    Source = apps.get_model("articles", "Source")
    SourceAlias = apps.get_model("articles", "SourceAlias")
    table = _table()
    for name, slug, kind, website, aliases in KNOWN_SOURCES:
        source, _ = Source.objects.get_or_create(slug=slug, defaults={"name": name, "kind": kind, "website": website})
        for alias in [name, *aliases]:
            key = _match_key(alias, table)
            if not SourceAlias.objects.filter(key=key).exists():
                SourceAlias.objects.create(source=source, alias=alias, key=key)


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]

    operations = [migrations.RunPython(add_known_sources, migrations.RunPython.noop)]
