"""The paste page: paste wire copy, preview what Newsroom reads in it, then store it through the ingest service."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import conditional_escape, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from articles.languages import direction
from articles.models import Article, AuditEntry, SourceRole
from articles.selectors import find_sources
from articles.services import NotAllowed, ServiceError, StoryNotFound
from articles.services import ingest as ingest_services
from articles.services.stories import check_text

from .forms import PasteWireForm
from .notes import isolated, refusal, say

RESULT_MESSAGES = {
    ingest_services.CREATED: ngettext_lazy(
        "Story created with %(parts)s part.", "Story created with %(parts)s parts.", "parts"
    ),
    ingest_services.APPENDED: ngettext_lazy(
        "Take appended: the story now has %(parts)s part.", "Take appended: the story now has %(parts)s parts.", "parts"
    ),
    ingest_services.UNCHANGED: _("This copy is already stored; nothing changed."),
    ingest_services.PUBLISHED: _("This copy was already stored; its story is now published."),
}


# The fields a new story takes from the copy, and the WireStory attribute each is read from: what saving refuses in
# them (services/stories.check_text: a limit, a NUL) is said at the preview, not first after "Save story".
NEW_STORY_FIELDS = {"headline": "headline", "byline": "byline", "dateline": "dateline", "dateline_place": "place"}


def check_new_story(story) -> None:
    for name, attribute in NEW_STORY_FIELDS.items():
        field = Article._meta.get_field(name)
        check_text(field.verbose_name, getattr(story, attribute) or "", limit=field.max_length)


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
                    if result.withheld:
                        # Held by a story this user may not see: no address to go to, nothing to name.
                        messages.warning(request, self._result_message(result))
                        return redirect(reverse("admin:articles_article_paste"))
                    messages.success(request, self._result_message(result))
                    return redirect(reverse("admin:articles_article_change", args=[result.article.pk]))
                context = self._preview_context(data, request.user)
            except StoryNotFound as error:
                form.add_error("append_to", error.message)
            except NotAllowed as error:
                form.add_error("append_to" if data["append_to"] and not data["publish"] else None, error.message)
            except ServiceError as error:
                form.add_error("text", refusal(error))  # the parser's reasons are English notes: said here
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
        first = 1
        if decided.held_unseen:
            match = _("Already stored in a story you may not see: saving changes nothing.")
        elif decided.stored is not None:
            match = _("Already stored in story %(id)s: saving changes nothing.") % {"id": decided.stored.article_id}
        elif decided.target is not None:
            match = mark_safe(  # our wording (the catalogues); the headline escaped and isolated
                _("Appends to story %(id)s: %(headline)s")
                % {"id": decided.target.pk, "headline": isolated(decided.target.headline)}
            )
            # the takes follow the story's last part: preview them with the numbers they will be stored under
            first = (decided.target.parts.aggregate(last=Max("number"))["last"] or 0) + 1
        else:
            match = ""
            check_new_story(decided.story)
        return {
            "story": decided.story,
            "takes": [(first + index, take) for index, take in enumerate(decided.story.parts)],
            "sources": sources,
            "match": match,
            "notes": [say(note) for note in decided.notes],
            "story_language": data["language"],
            "story_direction": direction(data["language"]),
        }

    @staticmethod
    def _result_message(result) -> SafeString:
        message = conditional_escape(RESULT_MESSAGES[result.action] % {"parts": result.parts})
        if result.warnings:
            warnings = format_html_join("; ", "{}", ((say(warning),) for warning in result.warnings))
            message = mark_safe(f"{message} " + _("Warnings: %(warnings)s") % {"warnings": warnings})
        return message
