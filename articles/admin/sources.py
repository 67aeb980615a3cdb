"""Admin for sources and their aliases: the form and the inline collect data, the source service writes it."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from articles.models import Source, SourceAlias
from articles.services import sources as source_services

from .inlines import LabelledInlineFormSet
from .refusals import RefusalMixin


class SourceAliasInline(admin.TabularInline):
    model = SourceAlias
    formset = LabelledInlineFormSet
    verbose_name = _("alias")
    verbose_name_plural = _("aliases")
    fields = ["alias", "key"]
    readonly_fields = ["key"]
    extra = 1

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "alias":
            field.widget.attrs["dir"] = "auto"
        return field


DISPLAY_NAME_SCRIPTS = {"name_ar": ("ar", "rtl"), "name_en": ("en", "ltr")}


class SourceForm(forms.ModelForm):
    refused = None  # the source service's refusal of this very POST, set by the admin on its second pass

    class Meta:
        model = Source
        fields = ["name", "name_ar", "name_en", "slug", "kind", "website"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False  # an empty slug is made from the name
        # The display names are typed in their own script whatever the admin's language.
        for name, (language, direction) in DISPLAY_NAME_SCRIPTS.items():
            self.fields[name].widget.attrs.update(lang=language, dir=direction)

    def clean(self):
        cleaned = super().clean()
        if self.refused is not None:
            raise forms.ValidationError(self.refused.message)
        return cleaned


def aliases_from(formset) -> list[str]:
    """The spellings the editor left in the inline (the alias rule itself is the service's)."""
    return [
        form.cleaned_data["alias"]
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.cleaned_data.get("alias")
    ]


@admin.register(Source)
class SourceAdmin(RefusalMixin, admin.ModelAdmin):
    form = SourceForm
    list_display = ["name", "name_ar", "name_en", "kind", "aliases_list", "website"]
    list_filter = ["kind"]
    search_fields = ["name", "name_ar", "name_en", "aliases__alias"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [SourceAliasInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("aliases")

    @admin.display(description=_("aliases"))
    def aliases_list(self, source):
        return " · ".join(alias.alias for alias in source.aliases.all())

    def save_model(self, request, obj, form, change):
        """Nothing here: save_related writes the source and its aliases in one service call."""

    def save_related(self, request, form, formsets, change):
        for formset in formsets:
            formset.save(commit=False)  # for the admin's change message; writes nothing
        aliases = aliases_from(formsets[0]) if formsets else []
        data = {name: form.cleaned_data[name] for name in ("name", "name_ar", "name_en", "slug", "kind", "website")}
        if change:
            source_services.update_source(source=form.instance, changes=data, aliases=aliases)
        else:
            source = source_services.create_source(**data, aliases=aliases)
            form.instance.pk, form.instance._state.adding = source.pk, False

    def delete_model(self, request, obj):
        source_services.delete_sources([obj])

    def delete_queryset(self, request, queryset):
        # Through the service, not QuerySet.delete(): the pages move on (a deleted source's page and feeds go).
        source_services.delete_sources(list(queryset))
