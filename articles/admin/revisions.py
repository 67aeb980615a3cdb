"""Revisions in the admin: compare any two, restore one, and recover deleted stories (editors)."""

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


class RevisionsMixin:
    """The revisions screen, restore, the deleted stories screen and recovery."""

    def revisions_view(self, request, object_id):
        """Every revision of the story: who and when; compare any two; restore any one."""
        article = self.get_object(request, object_id)
        if article is None:
            raise Http404
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        versions = list(selectors.history(article))
        changes, compared = None, None
        a, b = request.GET.get("a"), request.GET.get("b")
        if a and b:
            try:
                older, newer = selectors.version_of(article, int(a)), selectors.version_of(article, int(b))
            except (ValueError, ServiceError) as error:
                messages.error(request, getattr(error, "message", str(error)))
            else:
                changes = diff.compare(selectors.snapshot(older), selectors.snapshot(newer))
                compared = (older, newer)
        return TemplateResponse(
            request,
            "admin/articles/article/revisions.html",
            self.screen_context(
                request,
                article,
                _("Revisions"),
                versions=versions,
                changes=changes,
                compared=compared,
                can_restore=self.has_change_permission(request, article),
            ),
        )

    def restore_view(self, request, object_id, version_id):
        article = self.get_object(request, object_id)
        if article is None:
            raise Http404
        if request.method != "POST" or not self.has_change_permission(request, article):
            raise PermissionDenied
        try:
            revisions.restore(article=article.pk, version_id=version_id, by=request.user, via=AuditEntry.Via.ADMIN)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Revision restored; the restore is a new revision."))
        return redirect(reverse("admin:articles_article_change", args=[article.pk]))

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
