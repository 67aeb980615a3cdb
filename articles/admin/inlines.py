"""The story page's inlines: credited sources and parts (written by the story service, never by the formsets)."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from articles.models import ArticleSource, Part
from articles.services.parts import NewPart, PartEdits
from articles.services.stories import Credit


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


def credits_from(formset) -> list[Credit] | None:
    """The credits the editor left in the inline, in the order of their positions (None: untouched)."""
    if not formset.has_changed():
        return None
    kept = [
        form.cleaned_data
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.cleaned_data.get("source")
    ]
    kept.sort(key=lambda data: data.get("position") or 0)
    return [Credit(source=data["source"].slug, role=data["role"]) for data in kept]


def part_edits_from(formset) -> PartEdits:
    """What the editor did to the parts, as plain data for the story service (the formset writes nothing)."""
    formset.save(commit=False)
    return PartEdits(
        edited={
            part.number: NewPart(body=part.body, continues=part.continues, label=part.label)
            for part, _changed in formset.changed_objects
        },
        removed=frozenset(part.number for part in formset.deleted_objects),
        added=tuple(NewPart(body=p.body, continues=p.continues, label=p.label) for p in formset.new_objects),
    )
