"""The story admin: list and edit; every save is one call to the story service (fields, credits, parts)."""

from django.contrib import admin
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.urls import path
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from articles import selectors
from articles.languages import KNOWN_LANGUAGES
from articles.models import Article, ArticleSource, AuditEntry, Comment, Part, Section
from articles.services import annotations as annotation_services
from articles.services import presence, workflow
from articles.services import search as search_services
from articles.services import sections as section_services
from articles.services import stories as story_services
from articles.services import translations as translation_services

from .changelist import SafeChangeListMixin
from .forms import ArticleForm
from .inlines import ArticleSourceInline, PartInline, credits_from, part_edits_from
from .paste import PasteMixin
from .presence import PresenceMixin, notice
from .refusals import RefusalMixin
from .revisions import RevisionsMixin
from .translations import OutdatedFilter, TranslationsMixin
from .workflow import WorkflowMixin

# The fields that hold the story's own words: they carry its lang, so an Arabic story edited from the Urdu admin
# is typed in Naskh, not the interface's Nastaliq, and a screen reader reads it as Arabic in the English admin.
STORY_TEXT_FIELDS = ("headline", "summary", "byline", "dateline", "dateline_place")


def plain(value):
    """A form's cleaned value as the plain data the services take: a section by name, a story by id."""
    if isinstance(value, Section):
        return value.name
    if isinstance(value, Article):
        return value.pk
    return value


@admin.register(Article)
class ArticleAdmin(
    RefusalMixin,
    SafeChangeListMixin,
    WorkflowMixin,
    RevisionsMixin,
    TranslationsMixin,
    PasteMixin,
    PresenceMixin,
    admin.ModelAdmin,
):
    form = ArticleForm
    list_display = [
        "title",
        "sources_list",
        "language",
        "language_versions",
        "status",
        "is_developing",
        "parts_count",
        "comments_count",
        "published_at",
    ]
    list_filter = ["status", OutdatedFilter, "language", "section", "credits__source"]
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
        (_("Readers' comments"), {"fields": ["comments_open", "comment_moderation"]}),
        (  # not "History": that is the story's history screen (its revisions), in the tools above the form
            _("Version and authorship"),
            {"fields": ["version", "created_at", "created_by", "updated_at", "updated_by"], "classes": ["collapse"]},
        ),
    ]
    change_form_template = "admin/articles/article/change_form.html"
    autocomplete_fields = ["translation_of", "section"]
    inlines = [ArticleSourceInline, PartInline]

    def get_fieldsets(self, request, obj=None):
        """A retracted story's summary is withheld with its text (the parts inline: admin/inlines.py) from
        those who do not read withheld text."""
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or obj.status != Article.Status.RETRACTED or selectors.shows_withheld_text(request.user):
            return fieldsets
        return [
            (name, {**options, "fields": [field for field in options["fields"] if field != "summary"]})
            for name, options in fieldsets
        ]

    def get_queryset(self, request):
        stories = selectors.visible_to(request.user)
        # Correlated subqueries, as part counts are: a page of the list computes them for its own stories.
        counted = Comment.objects.filter(article=OuterRef("pk")).order_by().values("article").annotate(n=Count("pk"))
        latest = Comment.objects.filter(article=OuterRef("pk")).order_by("-created_at")
        return (
            stories.with_part_stats()
            .annotate(
                comment_total=Coalesce(Subquery(counted.values("n")[:1], output_field=IntegerField()), 0),
                last_comment=Subquery(latest.values("created_at")[:1]),
            )
            .select_related("section")
            .prefetch_related(
                "credits__source",
                Prefetch("translations", queryset=Article.objects.only("pk", "language", "translation_of")),
            )
        )

    def get_search_results(self, request, queryset, search_term):
        """The story list's search box is the site's search (normalised, variant spellings folded), over what
        the user may see, drafts included for staff."""
        query = search_services.parse(search_term)
        if not search_term.strip() or query.problems:
            return super().get_search_results(request, queryset, search_term)
        return search_services.matching(queryset, query), False

    # The headline in its own direction (dir="auto"): an Arabic one reads right to left in the English admin,
    # an English translation's left to right in the Arabic one.
    @admin.display(description=Article._meta.get_field("headline").verbose_name, ordering="headline")
    def title(self, article):
        return format_html('<span dir="auto">{}</span>', article.headline)

    @admin.display(description=_("sources"))
    def sources_list(self, article):
        return " / ".join(credit.source.name for credit in article.ordered_credits)

    @admin.display(description=_("developing"), boolean=True, ordering="last_continues")
    def is_developing(self, article):
        return article.developing

    @admin.display(description=_("comments"), ordering="comment_total")
    def comments_count(self, article):
        if not article.comment_total:
            return "0"
        return f"{article.comment_total} ({date_format(localtime(article.last_comment), 'SHORT_DATETIME_FORMAT')})"

    @admin.display(description=_("parts"), ordering="part_count")
    def parts_count(self, article):
        return article.part_count

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or workflow.can_edit(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or workflow.can_edit(request.user, obj))

    # Saving: the form and the inlines only collect plain data; one service call writes it ---------------

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.current_user = request.user
        if obj is not None:  # the story's words in the story's language (admin.css: its script's font)
            for name in STORY_TEXT_FIELDS:
                if name in form.base_fields:
                    form.base_fields[name].widget.attrs["lang"] = obj.language
        return form

    def save_model(self, request, obj, form, change):
        """Nothing here: save_related writes the story, its credits and its parts as one change."""

    def save_related(self, request, form, formsets, change):
        credits, part_edits = None, None
        for formset in formsets:
            if formset.model is ArticleSource:
                formset.save(commit=False)  # for the admin's change message; writes nothing
                credits = credits_from(formset)
            elif formset.model is Part:
                part_edits = part_edits_from(formset)
        values = {name: plain(form.cleaned_data.get(name)) for name in story_services.EDITABLE_FIELDS}
        if change:
            story_services.edit_story(
                article=form.instance.pk,
                changes={name: values[name] for name in form.changed_data if name in values},
                credits=credits,
                parts=part_edits or None,
                by=request.user,
                via=AuditEntry.Via.ADMIN,
                expected_version=form.cleaned_data["loaded_version"],
            )
        else:
            article = story_services.create_story(
                **values,
                credits=credits or (),
                parts=part_edits.added if part_edits else (),
                by=request.user,
                via=AuditEntry.Via.ADMIN,
                comment="created in the admin",  # a code, worded when shown (admin/history.py)
            )
            form.instance.pk, form.instance._state.adding = article.pk, False

    def delete_model(self, request, obj):
        story_services.delete_story(article=obj.pk, by=request.user, via=AuditEntry.Via.ADMIN)

    def delete_queryset(self, request, queryset):
        for article in queryset:
            story_services.delete_story(article=article.pk, by=request.user, via=AuditEntry.Via.ADMIN)

    # Screens ----------------------------------------------------------------------------------------

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_object(request, object_id)
        context = {"workflow_steps": [], "editing_now": []}
        if article is not None:
            context["workflow_steps"] = self.workflow_steps(request, article)
            if article.translation_of_id is None and self.has_add_permission(request):
                context["translate_into"] = [
                    (code, KNOWN_LANGUAGES.get(code, code))
                    for code in translation_services.language_choices_for(article)
                ]
            others = presence.touch(article_id=article.pk, user=request.user)
            context["editing_now"] = [{**other, "message": notice(other)} for other in others]
            context["annotations"] = list(selectors.annotations_visible_to(request.user, article))
            context["may_annotate"] = annotation_services.may_annotate(request.user, article)
            context["may_read_history"] = selectors.may_read_history(request.user, article)
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **context})

    def screen_context(self, request, article, title, **extra) -> dict:
        """The context of the story admin's own screens (paste, revisions, workflow, deleted stories)."""
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": article,
            "title": title,
            **extra,
        }

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
            path(
                "<path:object_id>/translate/<str:language>/",
                view(self.translate_view),
                name="articles_article_translate",
            ),
            path("<path:object_id>/translation/", view(self.translation_view), name="articles_article_translation"),
            path("<path:object_id>/mark-current/", view(self.mark_current_view), name="articles_article_mark_current"),
            *super().get_urls(),
        ]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    """Sections through their service (services/sections.py): a change or a deletion moves the public pages and
    the API's ETags of the section's stories on."""

    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def save_model(self, request, obj, form, change):
        section_services.save_section(obj)

    def delete_model(self, request, obj):
        section_services.delete_sections([obj])

    def delete_queryset(self, request, queryset):
        section_services.delete_sections(list(queryset))
