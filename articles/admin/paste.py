"""The paste page: paste wire copy, preview what Newsroom reads in it, then store it through the ingest service."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from articles.models import AuditEntry, SourceRole
from articles.selectors import find_sources
from articles.services import NotAllowed, ServiceError, StoryNotFound
from articles.services import ingest as ingest_services

from .forms import PasteWireForm

RESULT_MESSAGES = {
    ingest_services.CREATED: _("Story created with %(parts)s part(s)."),
    ingest_services.APPENDED: _("Take appended: the story now has %(parts)s part(s)."),
    ingest_services.UNCHANGED: _("This copy is already stored; nothing changed."),
    ingest_services.PUBLISHED: _("This copy was already stored; its story is now published."),
}


class PasteMixin:
    """The paste page of the story admin."""

    def paste_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = PasteWireForm(request.POST if request.method == "POST" else None)
        context = {}
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                if "save" in request.POST:
                    result = ingest_services.ingest(
                        text=data["text"],
                        publish=data["publish"],
                        append_to=data["append_to"],
                        language=data["language"],
                        by=request.user,
                        via=AuditEntry.Via.ADMIN,
                    )
                    messages.success(request, self._result_message(result))
                    return redirect(reverse("admin:articles_article_change", args=[result.article.pk]))
                context = self._preview_context(data, request.user)
            except StoryNotFound as error:
                form.add_error("append_to", error.message)
            except NotAllowed as error:
                form.add_error("append_to" if data["append_to"] and not data["publish"] else None, error.message)
            except ServiceError as error:
                form.add_error("text", error.message)
        return TemplateResponse(
            request,
            "admin/articles/article/paste.html",
            self.screen_context(request, None, _("Paste wire copy"), form=form, **context),
        )

    def _preview_context(self, data, user) -> dict:
        decided = ingest_services.plan(text=data["text"], append_to=data["append_to"], by=user)
        known = find_sources(ref.name for ref in decided.story.sources)
        roles = dict(SourceRole.choices)
        sources = [
            {"name": ref.name, "role_label": roles.get(ref.role, ref.role), "known": ref.name in known}
            for ref in decided.story.sources
        ]
        if decided.stored is not None:
            match = _("Already stored in story %(id)s: saving changes nothing.") % {"id": decided.stored.article_id}
        elif decided.target is not None:
            match = _("Appends to story %(id)s: %(headline)s") % {
                "id": decided.target.pk,
                "headline": decided.target.headline,
            }
        else:
            match = ""
        return {"story": decided.story, "sources": sources, "match": match, "notes": decided.notes}

    @staticmethod
    def _result_message(result) -> str:
        message = RESULT_MESSAGES[result.action] % {"parts": result.parts}
        if result.warnings:
            message += " " + _("Warnings: %(warnings)s") % {"warnings": "; ".join(result.warnings)}
        return message
