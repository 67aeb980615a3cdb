"""Translations in the admin: the side-by-side editor (new or existing), mark current, the outdated filter."""

import re

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from articles import diff, selectors, staleness
from articles.languages import KNOWN_LANGUAGES, direction
from articles.models import AuditEntry
from articles.services import ServiceError
from articles.services import translations as translation_services

STATE_LABELS = {
    staleness.CURRENT: _("current"),
    staleness.CHANGED: _("changed in the original"),
    staleness.REMOVED: _("removed from the original"),
    staleness.NEW: _("new in the original"),
}


class OutdatedFilter(admin.SimpleListFilter):
    title = _("translations")
    parameter_name = "translations"

    def lookups(self, request, model_admin):
        return [
            ("outdated", _("outdated translations")),
            ("current", _("current translations")),
            ("any", _("all translations")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "outdated":
            return queryset.filter(translation_of__isnull=False, baseline__outdated=True)
        if self.value() == "current":
            return queryset.filter(translation_of__isnull=False, baseline__outdated=False)
        if self.value() == "any":
            return queryset.filter(translation_of__isnull=False)
        return queryset


class TranslationsMixin:
    """The screens of translators and editors."""

    @admin.display(description=_("language versions"))
    def language_versions(self, article):
        if article.translation_of_id:
            return _("translation of %(id)s") % {"id": article.translation_of_id}
        return " · ".join(sorted(t.language for t in article.translations.all()))

    def translate_view(self, request, object_id, language):
        """A new translation of the story into `language`, paragraph beside paragraph."""
        original = self.get_object(request, object_id)
        if original is None or original.translation_of_id is not None:
            raise Http404
        if not self.has_add_permission(request):
            raise PermissionDenied
        if language not in translation_services.language_choices_for(original):
            raise Http404
        return self._editor(request, original, None, language)

    def translation_view(self, request, object_id):
        """An existing translation beside its original now: what changed, what is new, what is gone."""
        translation = self.get_object(request, object_id)
        if translation is None or translation.translation_of_id is None:
            raise Http404
        if not self.has_change_permission(request, translation):
            raise PermissionDenied
        # The original as this user may see it: a draft or embargoed original they may not see is not shown beside
        # their translation (a 404, as everywhere).
        original = (
            selectors.visible_to(request.user)
            .prefetch_related("parts")
            .filter(pk=translation.translation_of_id)
            .first()
        )
        if original is None:
            raise Http404
        return self._editor(request, original, translation, translation.language)

    def mark_current_view(self, request, object_id):
        translation = self.get_object(request, object_id)
        if translation is None or translation.translation_of_id is None:
            raise Http404
        if request.method != "POST":
            raise PermissionDenied
        try:
            translation_services.mark_current(translation=translation.pk, by=request.user, via=AuditEntry.Via.ADMIN)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The translation is marked current."))
        return redirect(reverse("admin:articles_article_translation", args=[translation.pk]))

    def _editor(self, request, original, translation, language):
        try:
            rows = translation_services.editor_rows(original, translation, by=request.user)
        except ServiceError as refusal:  # a retracted original, to someone who may not read its withdrawn text
            messages.error(request, refusal.message)
            return redirect(reverse("admin:articles_article_change", args=[(translation or original).pk]))
        headline = translation.headline if translation else ""
        summary = translation.summary if translation else ""
        texts = [row.text for row in rows]
        error = None
        if request.method == "POST":
            headline, summary = request.POST.get("headline", ""), request.POST.get("summary", "")
            texts = [request.POST.get(f"p-{index}", "") for index in range(len(rows))]
            # An existing translation is saved only against the version the form was loaded from (ASCII digits:
            # str.isdigit would take "²" and int() then fail); without it the save would overwrite blindly.
            loaded = request.POST.get("loaded_version", "")
            expected = int(loaded) if re.fullmatch(r"[0-9]{1,18}", loaded) else None
            if translation is not None and expected is None:
                error = _(
                    "The form did not say which version of the translation it was loaded from, so it was not saved. "
                    "Check the translation and save again."
                )
            else:
                try:
                    saved = translation_services.save_side_by_side(
                        original=original,
                        translation=translation,
                        language=language,
                        headline=headline,
                        summary=summary,
                        texts=texts,
                        by=request.user,
                        via=AuditEntry.Via.ADMIN,
                        expected_version=expected if translation is not None else None,
                    )
                except ServiceError as failure:
                    error = failure.message  # shown above the form; everything typed stays in it
                else:
                    messages.success(request, _("Translation saved."))
                    return redirect(reverse("admin:articles_article_translation", args=[saved.pk]))
        measured = translation_services.measure(translation, original=original) if translation else None
        return TemplateResponse(
            request,
            "admin/articles/article/translate.html",
            self.screen_context(
                request,
                translation or original,
                _("Translate into %(language)s") % {"language": KNOWN_LANGUAGES.get(language, language)},
                source=original,
                translation=translation,
                language=language,
                language_dir=direction(language),
                headline=headline,
                summary=summary,
                error=error,
                measured=measured,
                rows=[
                    {
                        "index": index,
                        "state": row.state,
                        "label": STATE_LABELS[row.state],
                        "original": row.original.text if row.original else (row.rendered.text if row.rendered else ""),
                        "diff": diff.inline(row.rendered.text or "", row.original.text)
                        if row.state == staleness.CHANGED and row.rendered and row.original
                        else "",
                        "text": text,
                    }
                    for index, (row, text) in enumerate(zip(rows, texts, strict=True))
                ],
            ),
        )
