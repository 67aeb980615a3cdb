"""A story's history in the admin (its revisions, compared, restored after a confirmation) and the
recovery of deleted stories (editors).

The revisions screen is the story's one history: every change through every door is a revision, and the
editorial action that made it (a step of the workflow, with its note) is shown on its row. Django's own
history page of a story leads here (see docs/decisions.md)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from articles import diff, selectors
from articles.models import AuditEntry
from articles.services import ServiceError, revisions

from . import history


class RevisionsMixin:
    """The history screen, restore (confirm, then do), the deleted stories screen and recovery."""

    def history_view(self, request, object_id, extra_context=None):
        """Django's history page of a story: the story's one history is its revisions screen."""
        return redirect(reverse("admin:articles_article_revisions", args=[object_id]))

    def _story_for(self, request, object_id, *, change: bool):
        article = self.get_object(request, object_id)
        if article is None:
            raise Http404
        allowed = self.has_change_permission if change else self.has_view_permission
        if not allowed(request, article) or not selectors.may_read_history(request.user, article):
            raise PermissionDenied
        return article

    def revisions_view(self, request, object_id):
        """Every revision of the story, newest first: who, when, what (the step and its note); compare any
        two; restore any one."""
        article = self._story_for(request, object_id, change=False)
        versions = list(selectors.history(article))
        steps = history.steps_by_version(article)
        rows = []
        for version in versions:
            step = steps.get(version.field_dict.get("version"))
            rows.append(
                {
                    "version": version,
                    "what": step.get_action_display() if step else history.comment(version.revision.comment),
                    "note": history.step_note(step),
                    "via": step.get_via_display() if step else "",
                }
            )
        changes, compared = None, None
        a, b = request.GET.get("a"), request.GET.get("b")
        if a and b:
            try:
                older, newer = selectors.version_of(article, int(a)), selectors.version_of(article, int(b))
            except (ValueError, ServiceError) as error:
                messages.error(request, getattr(error, "message", _("Pick two revisions to compare.")))
            else:
                changes = self._labelled(diff.compare(selectors.snapshot(older), selectors.snapshot(newer)))
                compared = (older, newer)
        return TemplateResponse(
            request,
            "admin/articles/article/revisions.html",
            self.screen_context(
                request,
                article,
                _("History"),
                rows=rows,
                changes=changes,
                compared=compared,
                can_restore=self.has_change_permission(request, article),
            ),
        )

    @staticmethod
    def _labelled(changes) -> list[dict]:
        return [{"label": history.change_label(change), "html": history.change_html(change)} for change in changes]

    def restore_view(self, request, object_id, version_id):
        """Restore a revision: a GET shows what restoring it would change and asks; a POST restores it."""
        article = self._story_for(request, object_id, change=True)
        back = reverse("admin:articles_article_revisions", args=[article.pk])
        try:
            chosen = selectors.version_of(article, version_id)
        except ServiceError as error:
            messages.error(request, error.message)
            return redirect(back)
        if request.method == "POST":
            try:
                revisions.restore(article=article.pk, version_id=version_id, by=request.user, via=AuditEntry.Via.ADMIN)
            except ServiceError as error:
                messages.error(request, error.message)
                return redirect(back)
            messages.success(request, _("Revision restored; the restore is a new revision."))
            return redirect(reverse("admin:articles_article_change", args=[article.pk]))
        latest = selectors.history(article).first()
        changes = diff.compare(selectors.snapshot(latest), selectors.snapshot(chosen)) if latest else []
        return TemplateResponse(
            request,
            "admin/articles/article/restore.html",
            self.screen_context(
                request,
                article,
                _("Restore a revision"),
                chosen=chosen,
                what=history.comment(chosen.revision.comment),
                changes=self._labelled(changes),
                back=back,
            ),
        )

    def can_recover(self, request) -> bool:
        return request.user.has_perm("articles.delete_article")

    def deleted_view(self, request):
        """Deleted stories that an editor can bring back (as drafts)."""
        if not self.can_recover(request):
            raise PermissionDenied
        return TemplateResponse(
            request,
            "admin/articles/article/deleted.html",
            self.screen_context(request, None, _("Deleted stories"), versions=selectors.deleted_stories()[:200]),
        )

    def recover_view(self, request, version_id):
        if request.method != "POST" or not self.can_recover(request):
            raise PermissionDenied
        try:
            article = revisions.recover(version_id=version_id, by=request.user, via=AuditEntry.Via.ADMIN)
        except ServiceError as error:
            messages.error(request, error.message)
            return redirect(reverse("admin:articles_article_deleted"))
        messages.success(request, _("Story recovered as a draft."))
        return redirect(reverse("admin:articles_article_change", args=[article.pk]))
