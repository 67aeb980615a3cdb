"""Template filters that apply the formats' rules on the pages."""

from django import template

from articles.formats import withholds

register = template.Library()


@register.filter
def reader_summary(article) -> str:
    """The summary a reader may see (none for a retracted story)."""
    return "" if withholds(article) else article.summary


@register.simple_tag
def outdated_translations() -> int:
    """How many translations lag behind their original (the admin index shows it)."""
    from articles.models import TranslationBaseline

    return TranslationBaseline.objects.filter(outdated=True).count()


@register.simple_tag
def orphaned_annotations() -> int:
    """How many annotations lost their words (the admin index shows it, for an editor to re-attach them)."""
    from articles.models import Annotation

    return Annotation.objects.filter(anchoring=Annotation.Anchoring.ORPHANED).count()


@register.simple_tag
def pending_comments() -> int:
    """How many readers' comments on public stories wait for a moderator (the admin index shows it, linking to the
    queue, which lists those by default)."""
    from articles.selectors.comments import awaiting_moderation

    return awaiting_moderation()
