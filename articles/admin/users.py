"""Staff accounts in the admin: Django's own user admin, and readers' pages kept exact when a translator's name
changes (a translation's page and its API representation credit its translators by name: «ترجمة: …»)."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from articles.models import Article
from articles.services import pagecache

NAMES = {"first_name", "last_name", "username"}


class NewsroomUserAdmin(UserAdmin):
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        renamed = change and NAMES & set(form.changed_data)
        if renamed and Article.translated_by.through.objects.filter(user=obj).exists():
            pagecache.public_changed()  # every cached page moves on once this commits (docs/caching.md)

    def delete_model(self, request, obj):
        self.delete_queryset(request, User.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        # A translator's name leaves the credit line of every translation they made («ترجمة: …»).
        translated = Article.translated_by.through.objects.filter(user__in=queryset).exists()
        super().delete_queryset(request, queryset)
        if translated:
            pagecache.public_changed()


User = get_user_model()
admin.site.unregister(User)
admin.site.register(User, NewsroomUserAdmin)
