"""The story page's inlines: credited sources and parts (written by the story service, never by the formsets)."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.forms.models import BaseInlineFormSet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from articles.models import Article, ArticleSource, Part
from articles.selectors import shows_withheld_text
from articles.services.parts import NewPart, PartEdits
from articles.services.stories import Credit


class LabelledInlineFormSet(BaseInlineFormSet):
    """A tabular inline's inputs, each named for assistive technology: a table's column header is no <label>,
    so every visible input of a row (the delete box too) carries its column's label as aria-label."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        for name, field in form.fields.items():
            if field.widget.is_hidden:
                continue
            # a related-object wrapper (the source's autocomplete) renders the widget it wraps, with that
            # widget's own attributes (its copy per form; the wrapper's attrs are the class's)
            widget = field.widget.widget if isinstance(field.widget, RelatedFieldWidgetWrapper) else field.widget
            widget.attrs.setdefault("aria-label", str(capfirst(field.label or name)))


class ArticleSourceInline(admin.TabularInline):
    model = ArticleSource
    formset = LabelledInlineFormSet
    fields = ["position", "source", "role"]
    autocomplete_fields = ["source"]
    ordering = ["position"]
    extra = 0
    # Both names, always: an inline given only a verbose_name makes its plural by appending "s", translated
    # or not («مصدر منسوب إليهs»).
    verbose_name = _("credited source")
    verbose_name_plural = _("credited sources")


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
    verbose_name_plural = _("parts")
    # Django's stacked inline with its header saying "Part 2 of 3" (and "New part" with the number it will get)
    template = "admin/articles/article/part_inline.html"

    # A retracted story's parts are the text its retraction withdrew: shown (and so editable) only to those who
    # read withheld text (selectors.shows_withheld_text); to anyone else the story page has no parts at all.
    def _withheld(self, request, obj) -> bool:
        return (
            isinstance(obj, Article)
            and obj.status == Article.Status.RETRACTED
            and not shows_withheld_text(request.user)
        )

    def has_view_permission(self, request, obj=None):
        return not self._withheld(request, obj) and super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._withheld(request, obj) and super().has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return not self._withheld(request, obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._withheld(request, obj) and super().has_delete_permission(request, obj)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if isinstance(obj, Article):  # a part's words are in its story's language (admin.css: its script's font)
            for name in ("label", "body"):
                formset.form.base_fields[name].widget.attrs["lang"] = obj.language
        return formset

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "body":
            field.widget.attrs.update({"dir": "auto", "rows": 10, "cols": 90})
            field.strip = False
        elif db_field.name == "label":  # a wire's take label: «إضافة أولى»
            field.widget.attrs["dir"] = "auto"
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
