"""Readers' comments: the form's endpoint and the report endpoint. No per-reader token, so story pages set
no cookie and stay cacheable: cross-site posts are refused by Origin/Referer and Sec-Fetch-Site instead."""

from urllib.parse import urlsplit

from django import forms
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from articles.formats import shown
from articles.models import Comment, CommentReport
from articles.services import comments as comment_services
from newsroom.security import client_ip


class CommentForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=200,
        strip=False,
        error_messages={"required": gettext_lazy("Please give a name.")},
    )
    email = forms.CharField(
        label=gettext_lazy("E-mail (optional, never shown)"), required=False, max_length=254, strip=False
    )
    body = forms.CharField(
        label=gettext_lazy("Your comment"),
        widget=forms.Textarea,
        max_length=50_000,
        strip=False,
        error_messages={"required": gettext_lazy("Please write your comment.")},
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    # Readers never see this field; bots fill it in.
    website = forms.CharField(required=False, label=gettext_lazy("Leave this empty"))


def same_site(request) -> bool:
    """A POST from one of our own pages: Sec-Fetch-Site (when the browser sends it) is same-origin, and Origin
    (or, when a browser sends none, Referer) names this site."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None and fetch_site != "same-origin":
        return False
    source = request.headers.get("Origin") or request.headers.get("Referer")
    if not source or source == "null":
        return False
    parts = urlsplit(source)
    return parts.netloc == request.get_host() and parts.scheme == request.scheme


def _story(pk):
    from .views import _story_query

    article = _story_query(None).filter(pk=pk).first()
    if article is None:
        raise Http404("No such story")
    return article


def _page(request, article, *, form, status=200, headers=None):
    from .views import _story_context

    context = _story_context(article, None, text=shown(article), comment_form=form)
    response = render(request, "articles/article_detail.html", context, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


@csrf_exempt
def post_comment(request, pk: int):
    """A reader's comment from the form under a story (works without JavaScript). Any other method is the
    story page itself: a story whose slug is "comments" lives at this address too."""
    if request.method != "POST":
        from .views import article_detail

        return article_detail(request, pk, "comments")
    article = _story(pk)
    if not same_site(request):
        return render(
            request,
            "articles/refused.html",
            {"message": _("Comments are taken only from this site's own pages.")},
            status=403,
        )
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _page(request, article, form=form, status=400)
    data = form.cleaned_data
    try:
        posted = comment_services.post_comment(
            article=article,
            name=data["name"],
            email=data["email"],
            body=data["body"],
            parent=data["parent"],
            ip=client_ip(request),
            honeypot=data["website"],
            by=request.user,
        )
    except comment_services.TooMany as error:
        form.add_error(None, error.message)
        return _page(request, article, form=form, status=429, headers={"Retry-After": str(error.retry_after)})
    except comment_services.CommentRefused as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return _page(request, article, form=form, status=400)
    outcome = "published" if posted.published else "pending"
    return redirect(f"{article.get_absolute_url()}?comment={outcome}#comments")


@csrf_exempt
@require_POST
def report_comment(request, pk: int, comment_id: int):
    """A reader's report of a comment (counted, never shown)."""
    article = _story(pk)
    if not same_site(request):
        return render(
            request,
            "articles/refused.html",
            {"message": _("Reports are taken only from this site's own pages.")},
            status=403,
        )
    comment = Comment.objects.filter(pk=comment_id, article=article, status=Comment.Status.APPROVED).first()
    if comment is None:
        raise Http404("No such comment")
    reason = request.POST.get("reason", "")
    if reason not in CommentReport.Reason.values:
        reason = CommentReport.Reason.ABUSE
    comment_services.report(comment=comment, reason=reason, ip=client_ip(request))
    return redirect(f"{article.get_absolute_url()}?comment=reported#comment-{comment.pk}")
