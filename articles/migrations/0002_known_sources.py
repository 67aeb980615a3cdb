"""Agencies and publishers Arabic wire copy names most, with the spellings datelines use for them."""

from django.db import migrations

from articles.text import match_key

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
    for name, slug, kind, website, aliases in KNOWN_SOURCES:
        source, _ = Source.objects.get_or_create(slug=slug, defaults={"name": name, "kind": kind, "website": website})
        for alias in [name, *aliases]:
            key = match_key(alias)
            if not SourceAlias.objects.filter(key=key).exists():
                SourceAlias.objects.create(source=source, alias=alias, key=key)


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]

    operations = [migrations.RunPython(add_known_sources, migrations.RunPython.noop)]
