"""The audit trail in the admin: read-only, newest first."""

from django.contrib import admin

from articles.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "action", "headline", "article_ref", "user", "via"]
    list_filter = ["action", "via", "at"]
    search_fields = ["headline", "user__username"]
    date_hierarchy = "at"
    list_select_related = ["user"]
    readonly_fields = [field.name for field in AuditEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
