"""Annotations in the admin: annotate a span (typed, or selected in a part), re-attach orphans, delete."""

from django import forms
from django.contrib import admin
from django.db import transaction
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from articles import selectors
from articles.models import Annotation, Article
from articles.services import annotations as annotation_services

from .refusals import RefusalMixin


class AnnotationForm(forms.ModelForm):
    """The note and where it goes: the part and its quote (start and end are filled by the selection helper;
    typing the quote alone is enough)."""

    refused = None  # the annotation service's refusal of this POST, set by the admin on its second pass

    part_number = forms.IntegerField(label=_("part"), min_value=1, initial=1)
    exact = forms.CharField(
        label=_("quote"),
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
        strip=False,
        help_text=_("The words annotated, exactly as in the part. For a new span, type or select them."),
    )
    # the words around the quote, from the story: in its direction, as the quote is
    prefix = forms.CharField(
        label=_("text before"),
        required=False,
        strip=False,
        max_length=32,
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )
    suffix = forms.CharField(
        label=_("text after"), required=False, strip=False, max_length=32, widget=forms.TextInput(attrs={"dir": "auto"})
    )
    start = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    end = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    class Meta:
        model = Annotation
        fields = ["article", "body", "language", "purpose", "audience"]
        widgets = {"body": forms.Textarea(attrs={"rows": 4, "dir": "auto"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["article"].disabled = True
            self.fields["part_number"].initial = self.instance.part.number if self.instance.part_id else None
            self.fields["part_number"].required = False
            for name in ("exact", "prefix", "suffix", "start", "end"):
                self.fields[name].initial = getattr(self.instance, name)

    def clean(self):
        cleaned = super().clean()
        if self.refused is not None:
            raise forms.ValidationError(self.refused.message)
        return cleaned

    def where(self) -> dict:
        """The span as the service takes it; unchanged fields of an existing annotation are left out."""
        names = ("exact", "prefix", "suffix", "start", "end")
        if self.instance.pk and not (set(self.changed_data) & {*names, "part_number"}):
            return {}
        values = {name: self.cleaned_data.get(name) for name in names}
        if values["start"] is None or values["end"] is None:
            values.pop("start"), values.pop("end")
        return values


class OrphanedFilter(admin.SimpleListFilter):
    title = _("anchoring")
    parameter_name = "anchoring"

    def lookups(self, request, model_admin):
        return Annotation.Anchoring.choices

    def queryset(self, request, queryset):
        return queryset.filter(anchoring=self.value()) if self.value() else queryset


@admin.register(Annotation)
class AnnotationAdmin(RefusalMixin, admin.ModelAdmin):
    form = AnnotationForm
    list_display = ["exact_short", "article", "part_label", "purpose", "audience", "anchoring", "author", "updated_at"]
    list_filter = [OrphanedFilter, "purpose", "audience"]
    search_fields = ["exact", "body", "article__headline"]
    autocomplete_fields = ["article"]
    readonly_fields = ["anchoring", "author", "created_at", "updated_at", "version"]
    fieldsets = [
        (None, {"fields": ["article", "part_number", "exact", "prefix", "suffix", "start", "end"]}),
        (_("Note"), {"fields": ["body", "language", "purpose", "audience"]}),
        (_("State"), {"fields": ["anchoring", "author", "created_at", "updated_at", "version"]}),
    ]

    def get_queryset(self, request):
        return selectors.annotations_visible_to(request.user).select_related("article")

    @admin.display(description=_("quote"))
    def exact_short(self, annotation):
        return format_html('<span dir="auto">{}</span>', annotation.exact[:60])

    @admin.display(description=_("part"))
    def part_label(self, annotation):
        return annotation.part.number if annotation.part_id else "—"

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        for name in ("part_number", "exact", "start", "end"):
            if name in request.GET:
                initial[name] = request.GET[name]
        return initial

    def save_model(self, request, obj, form, change):
        """Nothing here: the annotation service writes (save_related calls it)."""

    def save_related(self, request, form, formsets, change):
        data = form.cleaned_data
        note = {name: data[name] for name in ("body", "language", "purpose", "audience")}
        if change:
            updated = annotation_services.update_annotation(
                annotation=form.instance,
                changes={**note, **form.where()},
                part_number=data.get("part_number") if form.where() else None,
                by=request.user,
            )
        else:
            article: Article = data["article"]
            updated = annotation_services.create_annotation(
                article=article, part_number=data["part_number"], by=request.user, **note, **form.where()
            )
        form.instance.pk, form.instance._state.adding = updated.pk, False

    def has_delete_permission(self, request, obj=None):
        # Asked for each annotation on the delete pages (a bulk delete's too): whoever may annotate its story.
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or annotation_services.may_annotate(request.user, obj.article))

    def delete_model(self, request, obj):
        annotation_services.delete_annotation(annotation=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        # One by one through the service, not QuerySet.delete(): each story's page must move on, and each
        # annotation's story decides who may delete it.
        with transaction.atomic():
            for annotation in queryset:
                annotation_services.delete_annotation(annotation=annotation, by=request.user)
