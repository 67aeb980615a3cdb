"""Filters of the story list."""

from datetime import UTC

import django_filters
from django import forms
from django.forms.utils import ErrorDict, ErrorList
from django.utils.translation import gettext as _
from rest_framework.settings import api_settings

from articles.models import Article

from .pagination import StoryCursorPagination

MAX_ID = 2**63 - 1


class IdFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class SafeIsoDateTimeField(django_filters.fields.IsoDateTimeField):
    def clean(self, value):
        parsed = super().clean(value)
        if parsed is None:
            return None
        try:
            # In UTC: PostgreSQL refuses offsets beyond ±15:59 that ISO 8601 (and Python) allow.
            return parsed.astimezone(UTC)
        except (OverflowError, ValueError):
            raise forms.ValidationError(_("date and time out of range")) from None


class DateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = SafeIsoDateTimeField


class StrictFilterForm(forms.Form):
    """An empty value is not "no filter" for typed parameters: ?published_before= is a mistake, said as such."""

    def clean(self):
        cleaned = super().clean()
        for name, field in self.fields.items():
            if name in self.data and self.data.get(name) == "" and not isinstance(field, forms.CharField):
                self.add_error(name, _("must not be empty"))
        return cleaned


class ArticleFilter(django_filters.FilterSet):
    """Filters of the story list; a query parameter the list does not read is refused, as unknown body fields are."""

    language = django_filters.CharFilter(help_text="BCP 47 language code, e.g. ar")
    source = django_filters.CharFilter(
        field_name="credits__source__slug", distinct=True, help_text="slug of a credited source"
    )
    status = django_filters.ChoiceFilter(choices=Article.Status.choices)
    developing = django_filters.ChoiceFilter(
        choices=[("true", "true"), ("false", "false")], method="filter_developing", help_text="last part continues"
    )
    published_after = DateTimeFilter(field_name="published_at", lookup_expr="gte")
    published_before = DateTimeFilter(field_name="published_at", lookup_expr="lte")
    translation_of = IdFilter(
        field_name="translation_of", min_value=1, max_value=MAX_ID, help_text="id of the original story"
    )

    outdated = django_filters.ChoiceFilter(
        choices=[("true", "true"), ("false", "false")],
        method="filter_outdated",
        help_text="translations whose original changed since (true) or that are current (false)",
    )

    class Meta:
        model = Article
        form = StrictFilterForm
        fields = [
            "language",
            "source",
            "status",
            "developing",
            "published_after",
            "published_before",
            "translation_of",
            "outdated",
        ]

    def filter_outdated(self, queryset, name, value):
        return queryset.filter(translation_of__isnull=False, baseline__outdated=value == "true")

    def filter_developing(self, queryset, name, value):
        return queryset.developing(value == "true")

    def is_valid(self):
        return super().is_valid() and not self.unknown_parameters()

    @property
    def errors(self):
        errors = ErrorDict(self.form.errors)
        for name in self.unknown_parameters():
            errors[name] = ErrorList([forms.ValidationError(_("unknown query parameter"), code="unknown")])
        return errors

    def unknown_parameters(self) -> list[str]:
        """Names in the query string that no filter, the pagination or the format reads."""
        view = (getattr(self.request, "parser_context", None) or {}).get("view")
        if getattr(view, "action", "list") != "list":
            return []  # a single story's lookup runs through the filters too; only the list is checked
        pagination = StoryCursorPagination
        allowed = {
            *self.filters,
            pagination.cursor_query_param,
            pagination.page_size_query_param,
            pagination.ordering_param,
            api_settings.URL_FORMAT_OVERRIDE,
            "q",  # search (articles.services.search), ranked
            "page",  # the pages of a search's results
        }
        return [name for name in self.data if name not in allowed]
