"""A changelist whose address carries a bad filter value shows a message and the list, never a 500."""

from django.contrib import messages
from django.contrib.admin.options import IS_POPUP_VAR, TO_FIELD_VAR, IncorrectLookupParameters
from django.contrib.admin.utils import NotRelationField, get_fields_from_path
from django.contrib.admin.views.main import ERROR_FLAG, IGNORED_PARAMS, PAGE_VAR
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models.constants import LOOKUP_SEP
from django.http import HttpResponseRedirect, QueryDict
from django.utils.text import Truncator
from django.utils.translation import gettext

# The lookups a choice is compared with, and whether the value is a comma-separated list.
CHOICE_LOOKUPS = {"exact": False, "iexact": False, "in": True}
NOT_FILTERS = (*IGNORED_PARAMS, PAGE_VAR, ERROR_FLAG)


class BadListParameters(Exception):
    """The changelist's query string names filter values the list cannot apply."""

    def __init__(self, names: list[str]):
        super().__init__(names)
        self.names = names


class SafeChangeListMixin:
    """For a ModelAdmin: a date_hierarchy year out of range, an impossible date, an id that is not a number
    or a value outside a field's choices is named in an error message, and the list is shown without it."""

    def get_changelist_instance(self, request):
        outside = outside_choices(self.model, request.GET)
        if outside:
            raise BadListParameters(outside)
        try:
            return super().get_changelist_instance(request)
        except (IncorrectLookupParameters, ValueError, OverflowError, ValidationError) as error:
            # Django turns most bad values into IncorrectLookupParameters (then redirects to ?e=1 without a
            # word), but not all: a year too large for a date is an OverflowError, year 9999 a ValueError.
            # Which parameter was bad it does not say, so every filter goes.
            raise BadListParameters(filter_names(request.GET)) from error

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except BadListParameters as bad:
            # Without a filter to blame, everything but the popup's own parameters goes.
            names = bad.names or [name for name in request.GET if name not in (IS_POPUP_VAR, TO_FIELD_VAR)]
            kept = request.GET.copy()
            for name in [*names, PAGE_VAR, ERROR_FLAG]:
                kept.pop(name, None)
            if kept == request.GET:
                raise (bad.__cause__ or bad) from None  # nothing left to remove: a bug, not a bad value
            messages.error(request, not_applied_message(request.GET, [name for name in names if name in request.GET]))
            return HttpResponseRedirect(f"{request.path}?{kept.urlencode()}" if kept else request.path)


def filter_names(query: QueryDict) -> list[str]:
    """The query string's filters: every name but search, ordering, page, facets, popup and error flag."""
    return [name for name in query if name not in NOT_FILTERS]


def outside_choices(model, query: QueryDict) -> list[str]:
    """Filters whose value is not one of the field's choices (Django would silently list nothing)."""
    outside = []
    for name in filter_names(query):
        path, lookup = name, "exact"
        if LOOKUP_SEP in name and name.rsplit(LOOKUP_SEP, 1)[1] in CHOICE_LOOKUPS:
            path, lookup = name.rsplit(LOOKUP_SEP, 1)
        try:
            field = get_fields_from_path(model, path)[-1]
        except (FieldDoesNotExist, NotRelationField):
            continue  # another lookup (__gt, __isnull …) or not a field: Django judges it
        if field.is_relation or not field.choices:
            continue
        allowed = {str(value) for value, _label in field.flatchoices}
        values = query.getlist(name)
        if CHOICE_LOOKUPS[lookup]:
            values = [part for value in values for part in value.split(",")]
        if lookup == "iexact":
            allowed, values = {value.lower() for value in allowed}, [value.lower() for value in values]
        if any(value not in allowed for value in values):
            outside.append(name)
    return outside


def not_applied_message(query: QueryDict, names: list[str]) -> str:
    shown = ", ".join(f"{name}={Truncator(query.get(name, '')).chars(40)}" for name in names)
    return gettext("These filters could not be applied, so the list is shown without them: %(filters)s") % {
        "filters": shown
    }
