"""IPTC ninjs 3.1 documents: a pure function from a loaded story to a dict."""

from html import escape

from django.utils import translation
from django.utils.translation import gettext as _

from articles.models import Article, SourceRole

from .story import shown

MEDIA_TYPE = "application/ninjs+json"
_ROLE_NAMES = {
    SourceRole.ORIGINATING_AGENCY: "originating agency",
    SourceRole.PUBLISHER: "publisher",
    SourceRole.CONTRIBUTOR: "contributor",
}


def iso_date(value) -> str:
    return value.isoformat().replace("+00:00", "Z")


def body_html(article: Article, parts) -> str:
    sections = []
    for index, part in enumerate(parts):
        paragraphs = part.paragraphs
        html = []
        for number, paragraph in enumerate(paragraphs):
            text = escape(paragraph, quote=False)
            if index == 0 and number == 0 and article.dateline:
                text = f'<span class="dateline">{escape(article.dateline, quote=False)}</span> {text}'
            html.append(f"<p>{text}</p>")
        continues = ' data-continues="true"' if part.continues else ""
        sections.append(f'<section class="part" data-part="{part.number}"{continues}>{"".join(html)}</section>')
    return "".join(sections)


def _status(article: Article) -> str:
    if article.is_retracted:
        return "canceled"
    return "usable" if article.is_public else "withheld"


def article_to_ninjs(
    article: Article, *, uri_prefix: str, public_url: str | None = None, show_retracted_text: bool = False
) -> dict:
    """The story as one ninjs 3.1 object; parts are kept as <section> boundaries of the HTML body
    and as one text/plain body each (role "part-N"). A retracted story carries its retraction notice
    instead of its text and summary (unless show_retracted_text, for editors). Notes to the receiving
    editor (edNote) are written in the story's language."""
    view = shown(article, withheld_text_visible=show_retracted_text)
    parts = list(view.parts)
    credits = article.ordered_credits
    document = {
        "uri": f"{uri_prefix}{article.pk}",
        "type": "text",
        "version": str(article.version),
        "firstCreated": iso_date(article.created_at),
        "versionCreated": iso_date(article.updated_at),
        "pubStatus": _status(article),
        "language": article.language,
        "headlines": [{"role": "main", "contentType": "text/plain", "value": article.headline}],
        "bodies": [
            {
                "role": "main",
                "contentType": "text/html",
                "value": body_html(article, parts),
                "charCount": sum(len(part.body) for part in parts),
            },
            *({"role": f"part-{part.number}", "contentType": "text/plain", "value": part.body} for part in parts),
        ],
        "altIds": [{"role": "newsroom-id", "value": str(article.pk)}],
    }
    if parts:
        document["contentCreated"] = iso_date(parts[0].filed_at)
    if view.summary:
        document["descriptions"] = [{"role": "summary", "contentType": "text/plain", "value": view.summary}]
    if article.byline:
        document["by"] = article.byline
    if article.section_id:
        document["slugline"] = article.section.name
    if credits:
        document["infoSources"] = [
            {
                "name": credit.source.name,
                "role": _ROLE_NAMES.get(credit.role, credit.role),
                "literal": credit.source.slug,
            }
            for credit in credits
        ]
    if article.dateline_place:
        document["located"] = article.dateline_place
    with translation.override(article.language):
        notes = _notes(article)
    if article.is_retracted:
        document["bodies"].insert(
            0, {"role": "retraction", "contentType": "text/plain", "value": article.retraction_notice}
        )
    if notes:
        document["edNote"] = "\n".join(notes)
    if public_url:
        document["altIds"].append({"role": "canonical-url", "value": public_url})
    associations = []
    if view.original_id:
        original = article.translation_of
        associations.append(
            {
                "name": "original",
                "rel": "translation-of",
                "uri": f"{uri_prefix}{view.original_id}",
                "language": original.language,
            }
        )
    associations += [
        {
            "name": f"translation-{translation.language}",
            "rel": "translation",
            "uri": f"{uri_prefix}{translation.pk}",
            "language": translation.language,
        }
        for translation in getattr(article, "visible_translations", [])
        if translation.is_public  # a partner document names only what readers may see
    ]
    if associations:
        document["associations"] = associations
    return document


def _notes(article: Article) -> list[str]:
    notes = []
    if article.is_retracted:
        notes.append(_("Retracted: %(notice)s") % {"notice": article.retraction_notice})
    elif article.developing:
        # ninjs has no property for takes; edNote (a note to the receiving editor) says more are coming.
        notes.append(_("Developing story: more parts will follow (تستمر)."))
    notes += [
        _("Correction (%(date)s): %(note)s") % {"date": c.created_at.date().isoformat(), "note": c.note}
        for c in article.corrections.all()
    ]
    return notes
