"""Each source's display name per interface language: the names the known agencies and publishers use for
themselves in Arabic, and their Latin names for the English pages (docs/decisions.md, *Source names*).

The names are frozen here, as 0002 and 0009 freeze their sources: a historical migration must write the
same rows whatever the code becomes. A source an editor renamed keeps its name: its English display name is
filled only while its name is still the Latin name below; its Arabic one (a new field) always.
"""

from django.db import migrations, models

# slug: (Arabic display name, English display name), for the sources of 0002_known_sources and 0009_more_agencies
DISPLAY_NAMES = {
    "urdupoint": ("أردو بوينت", "UrduPoint Network"),
    "sputnik": ("سبوتنيك", "Sputnik"),
    "reuters": ("رويترز", "Reuters"),
    "afp": ("فرانس برس", "AFP"),
    "ap": ("أسوشيتد برس", "AP"),
    "dpa": ("د ب أ", "dpa"),
    "spa": ("وكالة الأنباء السعودية", "Saudi Press Agency"),
    "tap": ("وكالة تونس إفريقيا للأنباء", "Tunis Afrique Presse"),
    "kuna": ("وكالة الأنباء الكويتية", "Kuwait News Agency"),
    "xinhua": ("شينخوا", "Xinhua"),
    "anadolu": ("وكالة الأناضول", "Anadolu Agency"),
    "wam": ("وكالة أنباء الإمارات", "Emirates News Agency"),
    "qna": ("وكالة الأنباء القطرية", "Qatar News Agency"),
    "mena": ("وكالة أنباء الشرق الأوسط", "Middle East News Agency"),
    "cnn": ("سي إن إن", "CNN"),
    "sabq": ("سبق", "Sabq"),
    "bna": ("وكالة أنباء البحرين", "Bahrain News Agency"),
    "ona": ("وكالة الأنباء العمانية", "Oman News Agency"),
    "petra": ("وكالة الأنباء الأردنية", "Jordan News Agency"),
    "sana": ("الوكالة العربية السورية للأنباء", "Syrian Arab News Agency"),
    "upi": ("يونايتد برس إنترناشونال", "United Press International"),
}


def fill_display_names(apps, schema_editor):
    Source = apps.get_model("articles", "Source")
    for source in Source.objects.filter(slug__in=DISPLAY_NAMES):
        arabic, english = DISPLAY_NAMES[source.slug]
        source.name_ar = source.name_ar or arabic
        if source.name == english:
            source.name_en = source.name_en or english
        source.save(update_fields=["name_ar", "name_en"])


class Migration(migrations.Migration):
    dependencies = [("articles", "0011_search_listed")]

    operations = [
        migrations.AddField(
            model_name="source",
            name="name_ar",
            field=models.CharField(
                blank=True,
                help_text="Shown on the Arabic pages; empty: the name.",
                max_length=200,
                verbose_name="Arabic name",
            ),
        ),
        migrations.AddField(
            model_name="source",
            name="name_en",
            field=models.CharField(
                blank=True,
                help_text="Shown on the English pages; empty: the name.",
                max_length=200,
                verbose_name="English name",
            ),
        ),
        migrations.RunPython(fill_display_names, migrations.RunPython.noop),
    ]
