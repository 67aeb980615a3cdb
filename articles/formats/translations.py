"""Language versions of a story, as every surface shows them (API, ninjs, the public page's switcher)."""

from articles.models import Article


def baseline_of(article: Article):
    """The translation's baseline when loaded (select_related), else None."""
    try:
        return article.baseline
    except Article.baseline.RelatedObjectDoesNotExist:
        return None


def is_outdated(article: Article) -> bool | None:
    """Whether a translation lags behind its original (None for a story that is not a translation)."""
    if article.translation_of_id is None:
        return None
    baseline = baseline_of(article)
    return True if baseline is None else baseline.outdated


def original_changed_at(article: Article, original: Article | None):
    """When the original of a translation changed since the translation's baseline (its page says so when the
    translation is outdated); None for a story that is not a translation, or whose original is not shown."""
    baseline = baseline_of(article) if article.translation_of_id else None
    if baseline is None or original is None:
        return None
    return baseline.original_changed_at or original.updated_at


def language_version(article: Article) -> dict:
    """One language version: id, language, headline, status, public path (None until readers may see it),
    outdated."""
    return {
        "id": article.pk,
        "language": article.language,
        "headline": article.headline,
        "status": article.status,
        "url": article.get_absolute_url() if article.is_public else None,
        "outdated": is_outdated(article),
    }


def language_versions(article: Article) -> list[dict]:
    """The story's translations its reader may see (loaded by selectors.with_language_versions)."""
    return [language_version(translation) for translation in getattr(article, "visible_translations", [])]


# Between the names in `translator_names`, the column selectors.related.translator_names() adds to a story.
NAMES_SEPARATOR = "\x1f"


def translators(article: Article) -> list[str]:
    """The names translators are credited with («ترجمة: …»): from the story's `translator_names` column when
    its query loaded it, else from its translators."""
    loaded = getattr(article, "translator_names", False)
    if loaded is not False:
        return [name for name in (loaded or "").split(NAMES_SEPARATOR) if name]
    return [user.get_full_name() or user.get_username() for user in article.translated_by.all()]
