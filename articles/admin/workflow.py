"""Workflow steps in the admin: the buttons on a story's page and the bulk actions of the list."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles.models import AuditEntry
from articles.services import ServiceError, workflow

from .forms import TransitionForm

TRANSITION_LABELS = {
    "submit": _("Submit for review"),
    "return": _("Return to draft"),
    "publish": _("Publish or schedule"),
    "unpublish": _("Unpublish"),
    "correct": _("Add a correction"),
    "retract": _("Retract"),
}


class WorkflowMixin:
    """Bulk actions and the confirm-then-do page of each workflow step."""

    actions = ["submit_selected", "publish_selected", "unpublish_selected"]

    def workflow_steps(self, request, article) -> list[tuple[str, str]]:
        return [
            (name, label) for name, label in TRANSITION_LABELS.items() if workflow.allowed(request.user, article, name)
        ]

    def _bulk(self, request, queryset, name):
        done, refused = 0, []
        for article in queryset:
            try:
                workflow.transition(article=article.pk, name=name, by=request.user, via=AuditEntry.Via.ADMIN)
                done += 1
            except ServiceError as error:
                refused.append(f"{article.pk}: {error.message}")
        if done:
            messages.success(
                request, ngettext("%(count)s story changed.", "%(count)s stories changed.", done) % {"count": done}
            )
        for reason in refused:
            messages.error(request, reason)

    @admin.action(description=_("Submit selected stories for review"), permissions=["change"])
    def submit_selected(self, request, queryset):
        self._bulk(request, queryset, "submit")

    @admin.action(description=_("Publish selected stories now"), permissions=["change"])
    def publish_selected(self, request, queryset):
        self._bulk(request, queryset, "publish")

    @admin.action(description=_("Unpublish selected stories"), permissions=["change"])
    def unpublish_selected(self, request, queryset):
        self._bulk(request, queryset, "unpublish")

    def transition_view(self, request, object_id, name):
        """A workflow step from the story's page: confirm (with a time or a note when needed), then do it."""
        article = self.get_object(request, object_id)
        if article is None or name not in workflow.TRANSITIONS:
            raise Http404
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        form = TransitionForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                workflow.transition(
                    article=article.pk,
                    name=name,
                    by=request.user,
                    via=AuditEntry.Via.ADMIN,
                    at=form.cleaned_data["at"],
                    note=form.cleaned_data["note"],
                )
            except ServiceError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Done: %(step)s.") % {"step": TRANSITION_LABELS[name]})
                return redirect(reverse("admin:articles_article_change", args=[article.pk]))
        return TemplateResponse(
            request,
            "admin/articles/article/transition.html",
            self.screen_context(
                request,
                article,
                TRANSITION_LABELS[name],
                step=name,
                form=form,
                needs_note=workflow.TRANSITIONS[name].needs_note,
            ),
        )
