"""W3C Web Annotation documents (JSON-LD): pure mappings from annotations to dicts."""

from articles.models import Annotation

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
MEDIA_TYPE = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
# Our terms beside W3C's: the audience as schema.org's, and the anchoring state (W3C's `state` is a
# resource's State, not this).
ANNOTATION_CONTEXT = [
    CONTEXT,
    {
        "schema": "http://schema.org/",
        "newsroom": "urn:newsroom:terms:",
        "anchoring": "newsroom:anchoring",
    },
]


def _iso(value) -> str:
    return value.isoformat().replace("+00:00", "Z")


def annotation(item: Annotation, *, id_url: str, part_url: str, embedded: bool = False) -> dict:
    """One annotation. `id_url`: its absolute API URL; `part_url`: the absolute API URL of its part (the
    target's source; a deleted part's last address for an orphan)."""
    author = item.author
    document = {
        "id": id_url,
        "type": "Annotation",
        "motivation": item.purpose,
        "created": _iso(item.created_at),
        "modified": _iso(item.updated_at),
        "body": {"type": "TextualBody", "value": item.body, "format": "text/plain", "language": item.language},
        "target": {
            "source": part_url,
            "selector": [
                {"type": "TextQuoteSelector", "exact": item.exact, "prefix": item.prefix, "suffix": item.suffix},
                {"type": "TextPositionSelector", "start": item.start, "end": item.end},
            ],
        },
        "audience": {"type": "schema:Audience", "schema:audienceType": item.audience},
        "anchoring": item.anchoring,
    }
    if author is not None:
        document["creator"] = {"type": "Person", "name": author.get_full_name() or author.get_username()}
    return document if embedded else {"@context": ANNOTATION_CONTEXT, **document}


def collection(*, id_url: str, total: int, page: dict | None) -> dict:
    """An AnnotationCollection embedding its first page (None when it has no annotations)."""
    document = {"@context": ANNOTATION_CONTEXT, "id": id_url, "type": "AnnotationCollection", "total": total}
    if page is not None:
        document["first"] = page
    return document


def page(*, id_url: str, collection_url: str, items: list[dict], start_index: int, next_url: str | None) -> dict:
    document = {
        "id": id_url,
        "type": "AnnotationPage",
        "partOf": collection_url,
        "startIndex": start_index,
        "items": items,
    }
    if next_url:
        document["next"] = next_url
    return document
