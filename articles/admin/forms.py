"""Forms of the editors' interface."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from articles.languages import KNOWN_LANGUAGES
from articles.models import Article


def language_choices() -> list[tuple[str, str]]:
    return [(code, f"{KNOWN_LANGUAGES.get(code, code)} ({code})") for code in settings.NEWSROOM_LANGUAGES]


class ArticleForm(forms.ModelForm):
    language = forms.ChoiceField(label=_("language"), choices=language_choices)

    class Meta:
        model = Article
        fields = [
            "headline",
            "slug",
            "section",
            "language",
            "summary",
            "byline",
            "dateline",
            "dateline_date",
            "dateline_place",
            "status",
            "published_at",
            "translation_of",
        ]
        widgets = {
            "headline": forms.TextInput(attrs={"dir": "auto", "size": 80}),
            "dateline": forms.TextInput(attrs={"dir": "auto", "size": 80}),
            "summary": forms.Textarea(attrs={"dir": "auto", "rows": 3}),
            "byline": forms.TextInput(attrs={"dir": "auto"}),
        }


class PasteWireForm(forms.Form):
    """Raw copy pasted by an editor, with what to do with it."""

    text = forms.CharField(
        label=_("Wire copy"),
        widget=forms.Textarea(attrs={"dir": "auto", "rows": 18, "cols": 90, "lang": "ar"}),
        strip=False,
    )
    language = forms.ChoiceField(label=_("Language"), choices=language_choices, initial="ar")
    append_to = forms.IntegerField(
        label=_("Append to story"),
        required=False,
        min_value=1,
        help_text=_("The id of the story this copy continues; leave empty to let Newsroom find it."),
    )
    publish = forms.BooleanField(label=_("Publish now"), required=False)
