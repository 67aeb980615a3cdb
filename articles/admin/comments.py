"""Moderation in the admin: the queue (pending first, with why each was held), bulk actions, word rules."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Case, IntegerField, Value, When
from django.template.defaultfilters import linebreaksbr
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles.models import AuditEntry, Comment, ModerationTerm
from articles.selectors import comments as comment_selectors
from articles.services import ServiceError
from articles.services import comments as comment_services

from .notes import isolated
from .refusals import RefusalMixin

# What the queue says of a story readers no longer see as it was (nothing for a public one).
STORY_STATES = {comment_selectors.RETRACTED: _("retracted"), comment_selectors.UNPUBLISHED: _("no longer public")}


class StoryFilter(admin.SimpleListFilter):
    """Comments on public stories by default: a story taken back to a draft (or scheduled again) shows readers
    neither itself nor its comments, so its comments wait out of the way until it is published again."""

    title = _("story")
    parameter_name = "story"

    def lookups(self, request, model_admin):
        return [
            (comment_selectors.ON_PUBLIC, _("public (retracted included)")),
            (comment_selectors.ON_UNPUBLISHED, _("no longer public")),
            (comment_selectors.ON_ANY, _("all stories")),
        ]

    def queryset(self, request, queryset):
        return comment_selectors.on_stories(
            queryset, self.value() if self.value() in comment_selectors.STORY_CHOICES else comment_selectors.ON_PUBLIC
        )

    def choices(self, changelist):
        current = self.value() if self.value() in comment_selectors.STORY_CHOICES else comment_selectors.ON_PUBLIC
        for value, title in self.lookup_choices:
            yield {
                "selected": current == value,
                "query_string": changelist.get_query_string(
                    {self.parameter_name: value} if value != comment_selectors.ON_PUBLIC else {},
                    [] if value != comment_selectors.ON_PUBLIC else [self.parameter_name],
                ),
                "display": title,
            }


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["body_short", "commenter", "story", "status", "held", "reports", "featured", "staff", "created_at"]
    list_filter = [StoryFilter, "status", "featured", "staff"]
    # A story's headline is searched only where it is shown: a draft's would otherwise answer to a guessed word.
    search_fields = ["body", "name", "seen_headline"]
    list_select_related = ["article"]
    readonly_fields = [
        "story",
        "parent",
        "commenter",
        "email",
        "text",
        "status",
        "featured",
        "staff",
        "held_for",
        "reports",
        "created_at",
        "moderated_at",
        "moderated_by",
    ]
    # the story is shown by `story`, as this user may see it; the name and the words by `commenter` and `text`
    exclude = ["ip_hash", "email_hash", "article", "name", "body"]
    actions = ["approve", "reject", "spam", "feature", "unfeature", "forget"]

    def get_queryset(self, request):
        pending_first = Case(
            When(status=Comment.Status.PENDING, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
        # Every comment, with what this user is shown of its story; the list's StoryFilter then keeps the queue
        # it chose (public stories by default), while a comment's own page opens whatever its story's state.
        comments = comment_selectors.moderation_queue(
            super().get_queryset(request), by=request.user, story=comment_selectors.ON_ANY
        )
        return comments.annotate(queue=pending_first).order_by("queue", "-reports", "-created_at")

    def has_add_permission(self, request):
        return False  # comments come from readers

    # A reader's name and words are in whatever language they wrote them, whatever the interface's: each takes
    # its own direction (dir="auto"), so an Arabic comment reads right to left in the English admin and an
    # English one left to right in the Arabic admin, its full stop at its end.
    @admin.display(description=_("comment"))
    def body_short(self, comment):
        return format_html('<span dir="auto">{}</span>', comment.body[:80])

    @admin.display(description=Comment._meta.get_field("name").verbose_name, ordering="name")
    def commenter(self, comment):
        return format_html('<span dir="auto">{}</span>', comment.name)

    @admin.display(description=Comment._meta.get_field("body").verbose_name)
    def text(self, comment):
        return format_html('<div dir="auto" class="comment-text">{}</div>', linebreaksbr(comment.body))

    @admin.display(description=_("story"))
    def story(self, comment):
        """The story's headline where this user may see it, else its id; and, when readers no longer see it as
        it was (retracted, or taken back to a draft), that state: such a comment is moot or waits for the
        story's return."""
        # (read through get_queryset, so annotated; without the annotations nothing of the story is named)
        if getattr(comment, "story_seen", False):
            name = isolated(comment.article.headline)
        else:
            name = _("story %(id)s") % {"id": comment.article_id}
        state = STORY_STATES.get(getattr(comment, "story_state", None))
        return format_html("{} — {}", name, state) if state else name

    @admin.display(description=_("held for"))
    def held(self, comment):
        return comment_services.held_reasons(comment)

    def _moderate(self, request, queryset, action):
        done = 0
        for comment in queryset:
            try:
                comment_services.moderate(comment=comment, action=action, by=request.user, via=AuditEntry.Via.ADMIN)
                done += 1
            except ServiceError as error:
                messages.error(request, error.message)
        if done:
            messages.success(
                request,
                ngettext("%(count)s comment moderated.", "%(count)s comments moderated.", done) % {"count": done},
            )

    @admin.action(description=_("Approve selected comments"), permissions=["moderate"])
    def approve(self, request, queryset):
        self._moderate(request, queryset, "approve")

    @admin.action(description=_("Reject selected comments"), permissions=["moderate"])
    def reject(self, request, queryset):
        self._moderate(request, queryset, "reject")

    @admin.action(description=_("Mark selected comments as spam"), permissions=["moderate"])
    def spam(self, request, queryset):
        self._moderate(request, queryset, "spam")

    @admin.action(description=_("Feature selected comments"), permissions=["moderate"])
    def feature(self, request, queryset):
        self._moderate(request, queryset, "feature")

    @admin.action(description=_("Stop featuring selected comments"), permissions=["moderate"])
    def unfeature(self, request, queryset):
        self._moderate(request, queryset, "unfeature")

    @admin.action(description=_("Forget these commenters (delete all their comments)"), permissions=["moderate"])
    def forget(self, request, queryset):
        forgotten = 0
        for email in {comment.email for comment in queryset if comment.email}:
            forgotten += comment_services.forget_commenter(email=email, by=request.user, via=AuditEntry.Via.ADMIN)
        messages.success(
            request,
            ngettext("%(count)s comment deleted.", "%(count)s comments deleted.", forgotten) % {"count": forgotten},
        )

    def delete_model(self, request, obj):
        comment_services.delete_comments(comments=[obj], by=request.user, via=AuditEntry.Via.ADMIN)

    def delete_queryset(self, request, queryset):
        # Through the service, not QuerySet.delete(): each story's page must move on (services/pagecache).
        comment_services.delete_comments(comments=list(queryset), by=request.user, via=AuditEntry.Via.ADMIN)

    def has_moderate_permission(self, request):
        return comment_services.may_moderate(request.user)


class ModerationTermForm(forms.ModelForm):
    refused = None

    class Meta:
        model = ModerationTerm
        fields = ["term", "action"]
        widgets = {"term": forms.TextInput(attrs={"dir": "auto"})}

    def clean(self):
        cleaned = super().clean()
        if self.refused is not None:
            raise forms.ValidationError(self.refused.message)
        return cleaned


@admin.register(ModerationTerm)
class ModerationTermAdmin(RefusalMixin, admin.ModelAdmin):
    form = ModerationTermForm
    list_display = ["term", "action", "key"]
    list_filter = ["action"]
    search_fields = ["term"]

    def save_model(self, request, obj, form, change):
        """Nothing here: save_related stores the rule through the comments service (its matching key)."""

    def save_related(self, request, form, formsets, change):
        rule = comment_services.save_term(
            term=form.cleaned_data["term"],
            action=form.cleaned_data["action"],
            instance=form.instance if change else None,
        )
        form.instance.pk, form.instance._state.adding = rule.pk, False
