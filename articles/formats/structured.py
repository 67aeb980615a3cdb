"""What machines are told about a story: schema.org NewsArticle JSON-LD, OpenGraph and Twitter card tags, and
the description and full text of feed items. Pure functions from a loaded story (no queries): the retraction
rule comes from story.shown(), the stable identifier, dates and HTML body from what ninjs uses, so a search
engine, a feed reader and an API partner are told the same story."""

from dataclasses import dataclass
from datetime import datetime
from html import escape

from django.utils.text import Truncator

from articles.models import Article

from .ninjs import body_html, iso_date
from .sources import source_name
from .story import shown

# A lede used as a description is cut at this many characters (search results and cards show about that).
DESCRIPTION_LENGTH = 300


@dataclass(frozen=True)
class Publisher:
    """The newsroom that publishes the stories: its name (NEWSROOM_PUBLICATION_NAME) and its home page."""

    name: str
    url: str


@dataclass(frozen=True)
class Meta:
    """One <meta> tag: OpenGraph names go in `property`, Twitter's in `name`."""

    attribute: str
    key: str
    content: str


def story_uri(article: Article, *, uri_prefix: str) -> str:
    """The story's stable identifier, the ninjs `uri`: the same across edits, whatever its headline and slug."""
    return f"{uri_prefix}{article.pk}"


def modified_at(article: Article) -> datetime:
    """When the story last changed for its readers: its last save, but never before it appeared (a story
    scheduled yesterday for this morning was not modified before it was published)."""
    if article.published_at is None:
        return article.updated_at
    return max(article.updated_at, article.published_at)


def description(article: Article) -> str:
    """One paragraph a reader may see: the summary, else the lede shortened; for a retracted story its
    retraction notice, never the withheld text."""
    view = shown(article)
    if view.withheld:
        return article.retraction_notice
    if view.summary:
        return view.summary
    for part in view.parts:
        for paragraph in part.paragraphs:
            return Truncator(paragraph.strip()).chars(DESCRIPTION_LENGTH)
    return ""


def full_text(article: Article) -> str:
    """The story as HTML for a feed reader: the summary, every part (ninjs's body, takes as <section>s) and
    the public corrections; a retracted story gives its notice only."""
    view = shown(article)
    if view.withheld:
        return f"<p>{escape(article.retraction_notice, quote=False)}</p>"
    html = f"<p><strong>{escape(view.summary, quote=False)}</strong></p>" if view.summary else ""
    html += body_html(article, view.parts)
    return html + "".join(f"<p><em>{escape(note['text'], quote=False)}</em></p>" for note in corrections(article))


def corrections(article: Article) -> list[dict]:
    """The public correction notes as schema.org CorrectionComments, oldest first; a retraction is the last
    word on a story and is listed as one too."""
    notes = [
        {"@type": "CorrectionComment", "text": correction.note, "datePublished": iso_date(correction.created_at)}
        for correction in sorted(article.corrections.all(), key=lambda correction: correction.created_at)
        if correction.public
    ]
    if article.is_retracted and article.retracted_at:
        notes.append(
            {
                "@type": "CorrectionComment",
                "text": article.retraction_notice,
                "datePublished": iso_date(article.retracted_at),
            }
        )
    return notes


def _organisation(source, language: str) -> dict:
    # Named as a reader of the story's language reads it («رويترز» for an Arabic story, Reuters for its English
    # translation), the document's inLanguage.
    organisation = {"@type": "NewsMediaOrganization", "name": source_name(source, language)}
    if source.website:
        organisation["url"] = source.website
    return organisation


def news_article(
    article: Article, *, url: str, uri_prefix: str, publisher: Publisher, original_url: str | None = None
) -> dict:
    """The story as a schema.org NewsArticle (JSON-LD). `url` is the story's absolute canonical URL;
    `original_url` the original's, for a translation whose original its reader may see (isBasedOn)."""
    document = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "@id": url,
        "url": url,
        "mainEntityOfPage": url,
        "identifier": story_uri(article, uri_prefix=uri_prefix),
        "headline": article.headline,
        "inLanguage": article.language,
        "dateModified": iso_date(modified_at(article)),
        "publisher": {"@type": "NewsMediaOrganization", "name": publisher.name, "url": publisher.url},
        "isAccessibleForFree": True,
    }
    if article.published_at:
        document["datePublished"] = iso_date(article.published_at)
    text = description(article)
    if text:
        document["description"] = text
    if article.section_id:
        document["articleSection"] = article.section.name
    if article.byline:
        document["author"] = [{"@type": "Person", "name": article.byline}]
    credits = article.ordered_credits
    if credits:
        document["sourceOrganization"] = [_organisation(credit.source, article.language) for credit in credits]
    if original_url:
        document["isBasedOn"] = original_url
        document["translationOfWork"] = {"@id": original_url}
    notes = corrections(article)
    if notes:
        document["correction"] = notes
    return document


def social_meta(article: Article, *, url: str, site_name: str) -> list[Meta]:
    """OpenGraph and Twitter card tags: what a shared link shows (a summary card; stories have no image yet)."""
    text = description(article)
    tags = [
        Meta("property", "og:type", "article"),
        Meta("property", "og:title", article.headline),
        *([Meta("property", "og:description", text)] if text else []),
        Meta("property", "og:url", url),
        Meta("property", "og:site_name", site_name),
    ]
    if article.published_at:
        tags.append(Meta("property", "article:published_time", iso_date(article.published_at)))
    tags.append(Meta("property", "article:modified_time", iso_date(modified_at(article))))
    if article.section_id:
        tags.append(Meta("property", "article:section", article.section.name))
    tags += [Meta("name", "twitter:card", "summary"), Meta("name", "twitter:title", article.headline)]
    if text:
        tags.append(Meta("name", "twitter:description", text))
    return tags
