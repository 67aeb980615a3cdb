"""Admin for sources and their aliases."""

from django import forms
from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from articles.models import Source, SourceAlias
from articles.services.sources import add_alias, unique_slug
from articles.text import match_key


class SourceAliasForm(forms.ModelForm):
    class Meta:
        model = SourceAlias
        fields = ["alias"]
        widgets = {"alias": forms.TextInput(attrs={"dir": "auto"})}

    def clean_alias(self):
        alias = " ".join(self.cleaned_data["alias"].split())
        key = match_key(alias)
        if not key:
            raise forms.ValidationError(_("An alias needs letters."))
        taken = SourceAlias.objects.filter(key=key).exclude(pk=self.instance.pk).select_related("source").first()
        if taken and taken.source_id != self.instance.source_id:
            raise forms.ValidationError(
                _("This spelling already names the source “%(source)s”.") % {"source": taken.source.name}
            )
        return alias


class SourceAliasInline(admin.TabularInline):
    model = SourceAlias
    form = SourceAliasForm
    fields = ["alias", "key"]
    readonly_fields = ["key"]
    extra = 1


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "aliases_list", "website"]
    list_filter = ["kind"]
    search_fields = ["name", "aliases__alias"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [SourceAliasInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("aliases")

    @admin.display(description=_("aliases"))
    def aliases_list(self, source):
        return " · ".join(alias.alias for alias in source.aliases.all())

    def save_model(self, request, obj, form, change):
        if not obj.slug:
            obj.slug = unique_slug(Source, obj.name, fallback="source")
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)

    @transaction.atomic
    def save_formset(self, request, form, formset, change):
        # Aliases go through the service, which derives the matching key and skips spellings taken already.
        for alias in formset.save(commit=False):
            if alias.pk:
                alias.delete()
            add_alias(source=form.instance, alias=alias.alias)
        for alias in formset.deleted_objects:
            alias.delete()
        add_alias(source=form.instance, alias=form.instance.name)
