"""Who may do what through the API: reads are open (selectors.visible_to decides what each client sees);
writes follow Django model permissions, and the services check each story."""

from rest_framework.permissions import SAFE_METHODS, DjangoModelPermissions


class ReadPublicWriteByModelPermission(DjangoModelPermissions):
    """Reads are open (the view's queryset decides what each user sees); writes need the model permission
    (add for POST, change for PUT/PATCH, delete for DELETE), so the admin's groups govern the API too."""

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        return super().has_permission(request, view)
