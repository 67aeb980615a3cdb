"""The story page's head for machines: canonical URL, description, OpenGraph and Twitter tags and the
NewsArticle JSON-LD, from formats.structured with the request's absolute URLs."""

import json

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from articles.formats import structured

register = template.Library()

# Inside <script> only "</script" (and "<!--") can end the element early; escaping <, > and & as JSON's
# \u escapes keeps the document identical for a JSON-LD reader and inert for the HTML parser.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld_script(document: dict) -> SafeString:
    """A JSON-LD <script> element that no text in the document can close or break out of."""
    text = json.dumps(document, ensure_ascii=False, cls=DjangoJSONEncoder).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


def publisher(request, *, absolute=None) -> structured.Publisher:
    """The newsroom as publisher: its configured name and its home page on this host."""
    absolute = absolute or request.build_absolute_uri
    return structured.Publisher(name=settings.NEWSROOM_PUBLICATION_NAME, url=absolute(reverse("articles:home")))


@register.simple_tag(takes_context=True)
def story_meta(context, article, original=None) -> dict:
    """What the story page's head tells machines; `original` is the original story of a translation when its
    reader may see it (the view's context), named as isBasedOn. In a page rendered to be stored
    (articles/web/assembled.py) the addresses start with a mark that the reader's host fills in."""
    request = context["request"]
    marks = context.get("marks")
    absolute = marks.absolute if marks is not None else request.build_absolute_uri
    url = absolute(article.get_absolute_url())
    original_url = absolute(original.get_absolute_url()) if original is not None else None
    document = structured.news_article(
        article,
        url=url,
        uri_prefix=settings.NEWSROOM_URI_PREFIX,
        publisher=publisher(request, absolute=absolute),
        original_url=original_url,
    )
    return {
        "url": url,
        "description": structured.description(article),
        "social": structured.social_meta(article, url=url, site_name=settings.NEWSROOM_PUBLICATION_NAME),
        "json_ld": json_ld_script(document),
    }
