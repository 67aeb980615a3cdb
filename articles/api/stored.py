"""The public's representations of a story, rendered once and stored (StoredRepresentation), as Superdesk's
content API keeps each published item's document: an anonymous client's retrieve of a story then costs one
statement and a JSON parse instead of four statements and a render.

Exact by construction. A stored document is served only when its key equals the key the same request computes
from the story as it is now: the ETag (the story's version, the versions of its sources and section, in JSON the
public annotations' count: everything the representation shows that can change, articles/api/stories.py
`etag_of`) behind the revision of the code that renders it. The statement that reads the document also decides,
with selectors.visible_to, whether the public may see the story at all, so a retracted, unpublished or
deleted story is never answered from a document stored while it was public. A story with language versions
is stored as any other: the statement reads its family's rows (the story and its visible translations, with
their versions, baselines and translators' names), from which story_etag computes the same tag as the general
path, so that a translation published, edited, outdated or marked current moves the key.

The site's own addresses (the story's page, its annotations) are stored relative and made absolute for each
request (`absolute`), on both paths, so that any allowed host is answered with its own addresses."""

from __future__ import annotations

import hashlib
import json
import logging
from functools import cache
from pathlib import Path

import django
import rest_framework
from django.conf import settings
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from articles.formats.ninjs import article_to_ninjs
from articles.models import StoredRepresentation
from articles.services import kept

from .conditional import story_etag
from .renderers import NinjsRenderer
from .serializers import ArticleSerializer

logger = logging.getLogger(__name__)

FORMATS = ("json", "ninjs")

_ARTICLES = Path(__file__).resolve().parents[1]
# The code a representation is rendered by, its addresses included: a release that changes one of these files
# (or Django, DRF, or a setting below) stores its documents anew, the old ones being stale from its first request.
_RENDERED_BY = [
    _ARTICLES / "api" / "serializers.py",
    _ARTICLES / "api" / "stored.py",
    _ARTICLES / "languages.py",
    _ARTICLES / "models" / "article.py",
    _ARTICLES / "web" / "urls.py",
    _ARTICLES.parent / "newsroom" / "urls.py",
    *sorted((_ARTICLES / "formats").glob("*.py")),
]
# The settings a document's text depends on: the ninjs URIs, the time zone its dates are written in, DRF's own.
_SETTINGS = ("NEWSROOM_URI_PREFIX", "TIME_ZONE", "USE_TZ", "REST_FRAMEWORK")


@cache
def revision() -> str:
    digest = hashlib.sha256()
    for path in _RENDERED_BY:
        digest.update(path.read_bytes())
    digest.update(f"{django.__version__} {rest_framework.__version__}".encode())
    for name in _SETTINGS:
        digest.update(repr(getattr(settings, name, None)).encode())
    return digest.hexdigest()[:12]


def key(etag: str) -> str:
    """What a document rendered for this ETag is stored under."""
    return f"{revision()}:{etag}"


def render(article, fmt: str) -> dict:
    """The public's representation of a loaded story, its site addresses relative (as the general path loads
    it: credits, parts, public corrections, translations, the public annotations' count in JSON)."""
    if fmt == "ninjs":
        return article_to_ninjs(article, uri_prefix=settings.NEWSROOM_URI_PREFIX, public_url=article.get_absolute_url())
    return ArticleSerializer(article, context={"show_retracted_text": False}).data


def _addresses(document: dict, fmt: str, site) -> dict:
    """The document with each of the site's own addresses (relative) replaced by site(address); the document
    itself is left as it is."""
    if fmt == "ninjs":
        alt_ids = [
            {**alt, "value": site(alt["value"])} if alt["role"] == "canonical-url" else alt
            for alt in document.get("altIds", ())
        ]
        return {**document, "altIds": alt_ids} if "altIds" in document else document
    return {
        **document,
        "url": site(document["url"]),
        "annotations": {**document["annotations"], "url": site(document["annotations"]["url"])},
        "translations": [
            {**version, "url": site(version["url"])} if version["url"] else version
            for version in document["translations"]
        ],
    }


def absolute(document: dict, fmt: str, request) -> dict:
    """The document with the site's addresses made absolute for this request's scheme and host."""
    return _addresses(document, fmt, request.build_absolute_uri)


# A stored document holds each site address behind a NUL, which JSON writes as the escape below: no text a story
# shows can hold U+0000 (PostgreSQL refuses it in text, and the services refuse it everywhere), so that escape
# at the start of a string is always an address, and one replace() makes the stored text the answer's.
_MARK = "\x00"
_MARKED = '"\\u0000'


def _renderer(fmt: str):
    return NinjsRenderer() if fmt == "ninjs" else JSONRenderer()


def _stored_text(document: dict, fmt: str) -> str:
    """The document as the renderer writes it (compact, as DRF answers), its site addresses marked."""
    return _renderer(fmt).render(_addresses(document, fmt, lambda path: _MARK + path)).decode()


def stored(row, etag: str) -> str | None:
    """The text stored with the row (the retrieve's statement reads it as `stored_key`, `stored_body`) when it
    was rendered for this ETag by this code; else None."""
    if row.stored_key != key(etag):
        return None
    return row.stored_body


def absolute_text(text: str, request) -> str:
    """A stored text with the site's addresses made absolute for this request's scheme and host."""
    origin = request.build_absolute_uri("/")[:-1]
    return text.replace(_MARKED, '"' + json.dumps(origin, ensure_ascii=False)[1:-1])


class StoredResponse(Response):
    """The answer from a stored text: the text itself, the site's addresses made absolute by one replace(), with
    the headers DRF gives the same document. A client asking for indented JSON (`Accept: …; indent=4`) gets
    the document parsed and rendered by DRF as before."""

    def __init__(self, text: str, request, **kwargs):
        super().__init__(None, **kwargs)
        self.text = absolute_text(text, request)

    @property
    def rendered_content(self):
        renderer = self.accepted_renderer
        if renderer.charset is not None or renderer.get_indent(self.accepted_media_type, self.renderer_context):
            self.data = json.loads(self.text)
            return super().rendered_content
        self["Content-Type"] = self.content_type or renderer.media_type
        self.renderer_context["response"] = self
        return self.text.encode()


def store(article_id: int, documents: dict[str, tuple[str, dict]]) -> None:
    """Store a story's documents, {format: (ETag, document)}, in one statement, replacing those formats' rows.
    Never fails its caller (a reader's request, or a follower after the commit): a story deleted meanwhile, a
    read-only database or a lost connection is logged, and the next read renders the story again."""
    fields = {}
    for fmt, (etag, document) in documents.items():
        fields[f"{fmt}_key"] = key(etag)
        fields[f"{fmt}_body"] = _stored_text(document, fmt)
    row = StoredRepresentation(article_id=article_id, **fields)
    kept.upsert(
        row, unique_fields=["article"], update_fields=list(fields), what=f"story {article_id}: its representation"
    )


def follow_stories(*, article_id: int, version: int, what) -> None:
    """Receiver of story changes (services/followers.py): a story published (or retracted) has its
    representations stored at once, so that its first reader is answered from them too. A story created public
    (ingest's published copy) is rendered from the rows its change held in memory (`what.story`), in one more
    statement; a story whose status changed is read as its first reader would read it. Other changes (an edit,
    a take) leave the stored row behind, never served again (its key no longer matches): the story's next
    anonymous reader stores it anew, so a desk's string of edits costs no render each."""
    if what.deleted or not what.public:
        return
    article = what.story
    if what.created and article is not None:
        if article.is_public and article.translation_of_id is None:
            # A story just created has no translations, no annotations and no translators.
            article.visible_translations, article.annotation_count, article.translator_names = [], 0, ""
            documents = {fmt: (story_etag(article, ninjs=fmt == "ninjs"), render(article, fmt)) for fmt in FORMATS}
            store(article_id, documents)
    elif what.status:
        from .stories import store_public_representations  # the retrieve's own reads (stories imports this)

        store_public_representations(article_id)
