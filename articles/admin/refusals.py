"""A service's refusal of an admin save, shown on the form with everything the editor typed."""

from articles.services import ServiceError


class RefusalMixin:
    """For a ModelAdmin whose save_related calls one service: when the service refuses (a stale version, a
    limit, a permission), the whole save is rolled back and the form is shown again, its `refused` set so
    that the form's clean() names the reason next to the editor's own text."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.refused = getattr(request, "_newsroom_refused", None)
        return form

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ServiceError as error:
            if request.method != "POST":
                raise
            request._newsroom_refused = error  # Django's view ran in a transaction: nothing was written
            return super().changeform_view(request, object_id, form_url, extra_context)
