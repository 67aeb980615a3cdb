"""Arab and international agencies whose datelines name them between slashes or parentheses.

Adds the Bahrain, Oman, Jordan and Syria agencies, MENA's and UPI's spellings, and the further
Arabic and Latin spellings of the agencies 0002 already knows (WAM, KUNA, QNA, MENA, Anadolu, dpa).
A spelling whose matching key already exists is skipped, whichever source holds it.
"""

import re
import unicodedata

from django.db import migrations

# match_key as articles/text.py defined it when 0002 was written, frozen here on purpose (a copy of
# 0002's frozen copy): a historical migration must compute the same keys whatever articles.text
# becomes later. Keys written here are brought up to date by `manage.py rebuild_keys`.
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


# name, slug, kind, website, aliases (Arabic and Latin spellings seen in datelines and envelopes)
MORE_AGENCIES = [
    (
        "Emirates News Agency",
        "wam",
        "agency",
        "https://www.wam.ae",
        ["وام", "WAM", "وكالة أنباء الإمارات", "وكالة انباء الامارات"],
    ),
    (
        "Kuwait News Agency",
        "kuna",
        "agency",
        "https://www.kuna.net.kw",
        ["كونا", "KUNA", "وكالة الأنباء الكويتية"],
    ),
    (
        "Qatar News Agency",
        "qna",
        "agency",
        "https://www.qna.org.qa",
        ["قنا", "QNA", "وكالة الأنباء القطرية"],
    ),
    (
        "Bahrain News Agency",
        "bna",
        "agency",
        "https://www.bna.bh",
        ["بنا", "BNA", "وكالة أنباء البحرين"],
    ),
    (
        "Oman News Agency",
        "ona",
        "agency",
        "https://omannews.gov.om",
        ["العمانية", "ONA", "وكالة الأنباء العمانية", "العُمانية"],
    ),
    (
        "Jordan News Agency",
        "petra",
        "agency",
        "https://petra.gov.jo",
        ["بترا", "Petra", "وكالة الأنباء الأردنية"],
    ),
    (
        "Syrian Arab News Agency",
        "sana",
        "agency",
        "https://sana.sy",
        ["سانا", "SANA", "الوكالة العربية السورية للأنباء"],
    ),
    (
        "Middle East News Agency",
        "mena",
        "agency",
        "https://www.mena.org.eg",
        ["أ ش أ", "أ.ش.أ", "MENA", "وكالة أنباء الشرق الأوسط"],
    ),
    (
        "Anadolu Agency",
        "anadolu",
        "agency",
        "https://www.aa.com.tr",
        ["الأناضول", "Anadolu", "وكالة الأناضول", "AA"],
    ),
    (
        "dpa",
        "dpa",
        "agency",
        "https://www.dpa.com",
        ["د ب أ", "د.ب.أ", "DPA", "Deutsche Presse-Agentur"],
    ),
    (
        "United Press International",
        "upi",
        "agency",
        "https://www.upi.com",
        ["يو بي آي", "يو.بي.آي", "UPI", "يونايتد برس إنترناشونال"],
    ),
]


def add_more_agencies(apps, schema_editor):
    Source = apps.get_model("articles", "Source")
    SourceAlias = apps.get_model("articles", "SourceAlias")
    table = _table()
    for name, slug, kind, website, aliases in MORE_AGENCIES:
        source, _ = Source.objects.get_or_create(slug=slug, defaults={"name": name, "kind": kind, "website": website})
        for alias in [name, *aliases]:
            key = _match_key(alias, table)
            if not SourceAlias.objects.filter(key=key).exists():
                SourceAlias.objects.create(source=source, alias=alias, key=key)


class Migration(migrations.Migration):
    dependencies = [("articles", "0008_comments")]

    operations = [migrations.RunPython(add_more_agencies, migrations.RunPython.noop)]
