"""The ninjs renderer: IPTC ninjs 3.1 as its own media type, chosen by ?format=ninjs or the Accept header."""

from rest_framework.renderers import JSONRenderer

from articles.formats.ninjs import MEDIA_TYPE


class NinjsRenderer(JSONRenderer):
    media_type = MEDIA_TYPE
    format = "ninjs"
    charset = None  # JSON is UTF-8 by definition
