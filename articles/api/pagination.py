"""Cursor pagination of stories, ordered by publication or update time, with a capped page size."""

from django.conf import settings
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination

ORDERINGS = {
    # Drafts have no published_at: they sort by when they were created, so no story falls out of the pages.
    "-published_at": ("-published_sort", "-pk"),
    "published_at": ("published_sort", "pk"),
    "-updated_at": ("-updated_at", "-pk"),
    "updated_at": ("updated_at", "pk"),
}


class StoryCursorPagination(CursorPagination):
    page_size_query_param = "page_size"
    ordering_param = "ordering"

    def __init__(self):
        self.page_size = settings.NEWSROOM_API_PAGE_SIZE
        self.max_page_size = settings.NEWSROOM_API_MAX_PAGE_SIZE

    def paginate_queryset(self, queryset, request, view=None):
        queryset = queryset.annotate(published_sort=Coalesce("published_at", "created_at"))
        return super().paginate_queryset(queryset, request, view)

    def get_ordering(self, request, queryset, view):
        value = request.query_params.get(self.ordering_param, "-published_at")
        if value not in ORDERINGS:
            raise ValidationError({"ordering": [_("choose one of: %(choices)s") % {"choices": ", ".join(ORDERINGS)}]})
        return ORDERINGS[value]

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return settings.NEWSROOM_API_PAGE_SIZE
        try:
            size = int(raw)
        except ValueError:
            raise ValidationError({"page_size": [_("must be a whole number")]}) from None
        if size < 1:
            raise ValidationError({"page_size": [_("must be at least 1")]})
        return min(size, self.max_page_size)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.ordering_param:
                parameter["schema"] = {"type": "string", "enum": list(ORDERINGS), "default": "-published_at"}
            if parameter["name"] == self.page_size_query_param:
                # Larger sizes are not refused but capped, so the schema states no maximum.
                parameter["schema"] = {"type": "integer", "minimum": 1}
                parameter["description"] = f"stories per page; at most {self.max_page_size} are returned"
        if not any(parameter["name"] == self.ordering_param for parameter in parameters):
            parameters.append(
                {
                    "name": self.ordering_param,
                    "required": False,
                    "in": "query",
                    "description": "Order of the stories.",
                    "schema": {"type": "string", "enum": list(ORDERINGS), "default": "-published_at"},
                }
            )
        return parameters
