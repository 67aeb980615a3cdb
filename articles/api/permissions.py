"""Who may do what through the API: anyone reads what is public; writes follow Django model permissions."""

from rest_framework.permissions import SAFE_METHODS, DjangoModelPermissions


class ReadPublicWriteByModelPermission(DjangoModelPermissions):
    """Reads are open (the view's queryset decides what each user sees); writes need the model permission
    (add for POST, change for PUT/PATCH, delete for DELETE), so the admin's groups govern the API too."""

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        return super().has_permission(request, view)


def can_see_unpublished(user) -> bool:
    """Staff with the view permission see drafts and scheduled stories; everyone else only what is public."""
    return bool(user and user.is_authenticated and user.has_perm("articles.view_article"))
