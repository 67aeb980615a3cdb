"""Forms of the editors' interface."""

import datetime

from django import forms
from django.conf import settings
from django.contrib.admin.widgets import AdminSplitDateTime
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from articles import diff, selectors
from articles.languages import KNOWN_LANGUAGES
from articles.models import Article
from articles.services import StaleVersion

from .history import changed_labels
from .notes import isolated


def stale_message(article: Article, loaded: int) -> str:
    """Tell an editor that the story changed since they opened it, who changed it and what changed."""
    history = list(selectors.history(article))
    then = next((v for v in history if v.field_dict.get("version") == loaded), None)
    now = history[0] if history else None
    who = isolated(now.revision.user) if now and now.revision.user else _("someone")
    # Our wording (the catalogues); the name that is copy from the data is escaped and isolated.
    message = _(
        "This story changed while you were editing it (you opened version %(loaded)s; it is now version "
        "%(current)s, saved by %(who)s). Your text is still in the form below: copy what you need, reload the "
        "story and apply your changes again."
    ) % {"loaded": loaded, "current": article.version, "who": who}
    if then is not None and now is not None:
        changes = diff.compare(selectors.snapshot(then), selectors.snapshot(now))
        if changes:
            message += " " + _("Changed meanwhile: %(fields)s.") % {"fields": changed_labels(changes)}
    return mark_safe(message)


def zone_note() -> str:
    """The site's time zone as an editor needs it next to a time: its name and its offset from UTC now."""
    offset = timezone.localtime().utcoffset() or datetime.timedelta()
    minutes = int(offset.total_seconds()) // 60
    sign, minutes = ("+" if minutes >= 0 else "-"), abs(minutes)
    name = timezone.get_current_timezone_name()  # the zone the form reads a typed time in
    zone = isolated(f"{name} (UTC{sign}{minutes // 60:02d}:{minutes % 60:02d})")
    return mark_safe(_("Times are in the newsroom's time zone: %(zone)s.") % {"zone": zone})


def language_choices() -> list[tuple[str, str]]:
    return [(code, f"{KNOWN_LANGUAGES.get(code, code)} ({code})") for code in settings.NEWSROOM_LANGUAGES]


class ArticleForm(forms.ModelForm):
    language = forms.ChoiceField(label=_("language"), choices=language_choices)
    # The version the editor loaded: saving over a newer one is refused, and the editor's text stays.
    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    refused = None  # the story service's refusal of this very POST, set by the admin on its second pass

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        loaded = cleaned.get("loaded_version")
        if self.instance.pk and loaded is None and "loaded_version" not in self.errors:
            # Never a blind overwrite: without the version the editor loaded, nobody can tell what they saw.
            raise forms.ValidationError(
                _("This form does not say which version of the story you edited. Reload the story and try again.")
            )
        if isinstance(self.refused, StaleVersion) and self.instance.pk:
            raise forms.ValidationError(stale_message(self.instance, loaded))
        if self.refused is not None:
            raise forms.ValidationError(self.refused.message)
        return cleaned

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
            "translation_of",
            "comments_open",
            "comment_moderation",
        ]
        widgets = {
            "headline": forms.TextInput(attrs={"dir": "auto", "size": 80}),
            # an Arabic headline's slug is Arabic (Unicode slugs), the place is typed as the dateline names it
            "slug": forms.TextInput(attrs={"dir": "auto", "class": "vTextField"}),
            "dateline": forms.TextInput(attrs={"dir": "auto", "size": 80}),
            "dateline_place": forms.TextInput(attrs={"dir": "auto", "class": "vTextField"}),
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


class TransitionForm(forms.Form):
    """What a workflow step needs: a time for publishing (future = scheduled), a note for corrections and
    retractions."""

    at = forms.SplitDateTimeField(label=_("Publish at"), required=False, widget=AdminSplitDateTime)
    note = forms.CharField(
        label=_("Note for readers"), required=False, widget=forms.Textarea(attrs={"dir": "auto", "rows": 4})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # the admin's calendar and clock; the zone the time is read in, said next to it
        self.fields["at"].help_text = mark_safe(
            f"{_('Leave empty to publish now; a future time schedules.')} {zone_note()}"
        )
