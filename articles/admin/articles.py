"""Admin for stories: list, edit with parts and credited sources, paste wire copy."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from articles.models import Article, ArticleSource, Part, Section, SourceRole
from articles.services import ServiceError, StoryNotFound
from articles.services import articles as story_services
from articles.services import ingest as ingest_services
from articles.services import parts as part_services
from articles.services.sources import find_sources

from .forms import ArticleForm, PasteWireForm


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
    readonly_fields = ["version", "created_at", "created_by", "updated_at", "updated_by"]
    fieldsets = [
        (None, {"fields": ["headline", "slug", "section", "language", "summary", "byline"]}),
        (_("Dateline"), {"fields": ["dateline", "dateline_date", "dateline_place"]}),
        (_("Publication"), {"fields": ["status", "published_at", "translation_of"]}),
        (_("History"), {"fields": readonly_fields, "classes": ["collapse"]}),
    ]
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

    def save_model(self, request, obj, form, change):
        story_services.save_article(article=obj, by=request.user)

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
        paste = self.admin_site.admin_view(self.paste_view)
        return [path("paste/", paste, name="articles_article_paste"), *super().get_urls()]

    def paste_view(self, request):
        """Paste wire copy, preview what the parser reads in it, then store it through the ingest service."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = PasteWireForm(request.POST or None)
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
                    )
                    messages.success(request, self._result_message(result))
                    return redirect(reverse("admin:articles_article_change", args=[result.article.pk]))
                context = self._preview_context(data)
            except StoryNotFound as error:
                form.add_error("append_to", error.message)
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
