"""Who else has a story open: the change page's heartbeat endpoint."""

from django.http import Http404, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.services import presence


def notice(other: dict) -> str:
    """The notice "Layla has had this story open since 10:42.", the name isolated (U+2068 … U+2069: the notice is also
    set as plain text by presence.js), so a Latin name cannot pull the Arabic sentence's order apart."""
    return _("%(name)s has had this story open since %(since)s.") % {
        "name": f"\u2068{other['name']}\u2069",
        "since": timezone.localtime(other["since"]).strftime("%H:%M"),
    }


class PresenceMixin:
    def presence_view(self, request, object_id):
        """The open page's heartbeat (POST): who else has the story open; leave=1 when the page closes."""
        if request.method != "POST":
            return JsonResponse({"detail": "POST only"}, status=405)
        article = self.get_object(request, object_id)
        if article is None:
            raise Http404
        if request.POST.get("leave"):
            presence.leave(article_id=article.pk, user=request.user)
            return JsonResponse({"others": []})
        others = presence.touch(article_id=article.pk, user=request.user)
        return JsonResponse(
            {
                "others": [
                    {"name": other["name"], "since": other["since"].isoformat(), "message": notice(other)}
                    for other in others
                ]
            }
        )
