"""Admin for stories: list, edit with parts and credited sources, paste wire copy."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles import diff
from articles.models import Article, ArticleSource, AuditEntry, Part, Section, SourceRole
from articles.services import NotAllowed, ServiceError, StoryNotFound, presence, revisions, workflow
from articles.services import articles as story_services
from articles.services import ingest as ingest_services
from articles.services import parts as part_services
from articles.services.sources import find_sources

from .forms import ArticleForm, PasteWireForm, TransitionForm

TRANSITION_LABELS = {
    "submit": _("Submit for review"),
    "return": _("Return to draft"),
    "publish": _("Publish or schedule"),
    "unpublish": _("Unpublish"),
    "correct": _("Add a correction"),
    "retract": _("Retract"),
}


class ArticleSourceInline(admin.TabularInline):
    model = ArticleSource
    fields = ["position", "source", "role"]
    autocomplete_fields = ["source"]
    ordering = ["position"]
    extra = 0
    verbose_name = _("credited source")


class PartForm(forms.ModelForm):
    class Meta:
        model = Part
        fields = ["label", "body", "continues"]

    def clean_body(self):
        body = self.cleaned_data["body"]
        if not body.strip():
            raise forms.ValidationError(_("A part needs some text."))
        return body


class PartInline(admin.StackedInline):
    model = Part
    form = PartForm
    fields = ["number", "label", "body", "continues", "filed_at"]
    readonly_fields = ["number", "filed_at"]
    ordering = ["number"]
    extra = 1  # an empty form at the end: the next part
    verbose_name = _("part")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "body":
            field.widget.attrs.update({"dir": "auto", "rows": 10, "cols": 90})
            field.strip = False
        return field


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleForm
    list_display = [
        "headline",
        "sources_list",
        "language",
        "status",
        "is_developing",
        "parts_count",
        "published_at",
    ]
    list_filter = ["status", "language", "section", "credits__source"]
    search_fields = ["headline", "dateline", "byline"]
    date_hierarchy = "published_at"
    list_select_related = ["section"]
    readonly_fields = [
        "status",
        "published_at",
        "retraction_notice",
        "version",
        "created_at",
        "created_by",
        "updated_at",
        "updated_by",
    ]
    fieldsets = [
        (None, {"fields": ["headline", "slug", "section", "language", "summary", "byline", "loaded_version"]}),
        (_("Dateline"), {"fields": ["dateline", "dateline_date", "dateline_place"]}),
        (_("Publication"), {"fields": ["status", "published_at", "retraction_notice", "translation_of"]}),
        (
            _("History"),
            {"fields": ["version", "created_at", "created_by", "updated_at", "updated_by"], "classes": ["collapse"]},
        ),
    ]
    change_form_template = "admin/articles/article/change_form.html"
    actions = ["submit_selected", "publish_selected", "unpublish_selected"]
    autocomplete_fields = ["translation_of", "section"]
    inlines = [ArticleSourceInline, PartInline]

    def get_queryset(self, request):
        return super().get_queryset(request).with_part_stats().prefetch_related("credits__source")

    @admin.display(description=_("sources"))
    def sources_list(self, article):
        return " / ".join(credit.source.name for credit in article.ordered_credits)

    @admin.display(description=_("developing"), boolean=True, ordering="last_continues")
    def is_developing(self, article):
        return article.developing

    @admin.display(description=_("parts"), ordering="part_count")
    def parts_count(self, article):
        return article.part_count

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or workflow.can_edit(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or workflow.can_edit(request.user, obj))

    def save_model(self, request, obj, form, change):
        story_services.save_article(article=obj, by=request.user)

    def delete_model(self, request, obj):
        workflow.delete(article=obj, by=request.user, via=AuditEntry.Via.ADMIN)

    def delete_queryset(self, request, queryset):
        for article in queryset:
            workflow.delete(article=article, by=request.user, via=AuditEntry.Via.ADMIN)

    # Workflow ---------------------------------------------------------------------------------

    def _bulk(self, request, queryset, name):
        done, refused = 0, []
        for article in queryset:
            try:
                workflow.transition(article=article, name=name, by=request.user, via=AuditEntry.Via.ADMIN)
                done += 1
            except ServiceError as error:
                refused.append(f"{article.pk}: {error.message}")
        if done:
            messages.success(request, _("%(count)s stories changed.") % {"count": done})
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

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_object(request, object_id)
        context = {"workflow_steps": [], "editing_now": []}
        if article is not None:
            context["workflow_steps"] = [
                (name, label)
                for name, label in TRANSITION_LABELS.items()
                if workflow.allowed(request.user, article, name)
            ]
            context["editing_now"] = presence.touch(article_id=article.pk, user=request.user)
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **context})

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method != "POST":
            return super().changeform_view(request, object_id, form_url, extra_context)
        # The story, its parts and its credits are saved by several services: one revision for all of them.
        with revisions.recording("edited in the admin", by=request.user):
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.current_user = request.user
        return form

    # Revisions, deleted stories, presence ----------------------------------------------------

    def _context(self, request, article, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": article,
            "title": title,
            **extra,
        }

    def revisions_view(self, request, object_id):
        """Every revision of the story: who and when; compare any two; restore any one."""
        article = self.get_object(request, object_id)
        if article is None:
            raise Http404
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        versions = list(revisions.history(article))
        changes, compared = None, None
        a, b = request.GET.get("a"), request.GET.get("b")
        if a and b:
            try:
                older, newer = revisions.version_of(article, int(a)), revisions.version_of(article, int(b))
            except (ValueError, ServiceError) as error:
                messages.error(request, getattr(error, "message", str(error)))
            else:
                changes = diff.compare(revisions.snapshot(older), revisions.snapshot(newer))
                compared = (older, newer)
        return TemplateResponse(
            request,
            "admin/articles/article/revisions.html",
            self._context(
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
            revisions.restore(article=article, version_id=version_id, by=request.user, via=AuditEntry.Via.ADMIN)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Revision restored; the restore is a new revision."))
        return redirect(reverse("admin:articles_article_change", args=[article.pk]))

    def deleted_view(self, request):
        """Deleted stories that can be brought back."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        return TemplateResponse(
            request,
            "admin/articles/article/deleted.html",
            self._context(request, None, _("Deleted stories"), versions=revisions.deleted_stories()[:200]),
        )

    def recover_view(self, request, version_id):
        if request.method != "POST" or not self.has_add_permission(request):
            raise PermissionDenied
        try:
            article = revisions.recover(version_id=version_id, by=request.user, via=AuditEntry.Via.ADMIN)
        except ServiceError as error:
            messages.error(request, error.message)
            return redirect(reverse("admin:articles_article_deleted"))
        messages.success(request, _("Story recovered."))
        return redirect(reverse("admin:articles_article_change", args=[article.pk]))

    def presence_view(self, request, object_id):
        """The open page's heartbeat (POST): who else has the story open; leave=1 when the page closes."""
        if request.method != "POST":
            return JsonResponse({"detail": "POST only"}, status=405)
        article = self.get_object(request, object_id)
        if article is None:
            raise Http404
        if request.POST.get("leave"):
            presence.leave(article_id=article.pk, user=request.user)
            return JsonResponse({"others": []})
        others = presence.touch(article_id=article.pk, user=request.user)
        return JsonResponse(
            {
                "others": [
                    {
                        "name": other["name"],
                        "since": other["since"].isoformat(),
                        "message": _("%(name)s has had this story open since %(since)s.")
                        % {"name": other["name"], "since": timezone.localtime(other["since"]).strftime("%H:%M")},
                    }
                    for other in others
                ]
            }
        )

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
                    article=article,
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
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "original": article,
                "title": TRANSITION_LABELS[name],
                "step": name,
                "form": form,
                "needs_note": workflow.TRANSITIONS[name].needs_note,
            },
        )

    @transaction.atomic
    def save_formset(self, request, form, formset, change):
        if formset.model is Part:
            self._save_parts(request, form.instance, formset)
        else:
            formset.save()
            if formset.has_changed():
                story_services.bump_version(form.instance, by=request.user)

    def _save_parts(self, request, article, formset):
        # Parts change only through the services, which number them and raise the story's version.
        formset.save(commit=False)
        for part in formset.deleted_objects:
            part_services.delete_part(part=part, by=request.user)
        for part, _changed in formset.changed_objects:
            part_services.edit_part(
                part=part, body=part.body, continues=part.continues, label=part.label, by=request.user
            )
        new = [
            part_services.NewPart(body=part.body, continues=part.continues, label=part.label)
            for part in formset.new_objects
        ]
        if new:
            part_services.append_parts(article=article, parts=new, by=request.user)

    # The paste page ---------------------------------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("paste/", view(self.paste_view), name="articles_article_paste"),
            path("deleted/", view(self.deleted_view), name="articles_article_deleted"),
            path("deleted/<int:version_id>/recover/", view(self.recover_view), name="articles_article_recover"),
            path(
                "<path:object_id>/workflow/<str:name>/", view(self.transition_view), name="articles_article_transition"
            ),
            path("<path:object_id>/revisions/", view(self.revisions_view), name="articles_article_revisions"),
            path(
                "<path:object_id>/revisions/<int:version_id>/restore/",
                view(self.restore_view),
                name="articles_article_restore",
            ),
            path("<path:object_id>/presence/", view(self.presence_view), name="articles_article_presence"),
            *super().get_urls(),
        ]

    def paste_view(self, request):
        """Paste wire copy, preview what the parser reads in it, then store it through the ingest service."""
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
                context = self._preview_context(data)
            except StoryNotFound as error:
                form.add_error("append_to", error.message)
            except NotAllowed as error:
                form.add_error("publish", error.message)
            except ServiceError as error:
                form.add_error("text", error.message)
        return TemplateResponse(
            request,
            "admin/articles/article/paste.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("Paste wire copy"),
                "form": form,
                **context,
            },
        )

    def _preview_context(self, data) -> dict:
        decided = ingest_services.plan(text=data["text"], append_to=data["append_to"])
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
        return {"story": decided.story, "sources": sources, "match": match}

    @staticmethod
    def _result_message(result) -> str:
        texts = {
            ingest_services.CREATED: _("Story created with %(parts)s part(s)."),
            ingest_services.APPENDED: _("Take appended: the story now has %(parts)s part(s)."),
            ingest_services.UNCHANGED: _("This copy is already stored; nothing changed."),
        }
        message = texts[result.action] % {"parts": result.parts}
        if result.warnings:
            message += " " + _("Warnings: %(warnings)s") % {"warnings": "; ".join(result.warnings)}
        return message


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
