"""Recording editorial actions in the audit trail."""

from articles.models import Article, AuditEntry


def audit(*, article: Article, action: str, by=None, via: str = AuditEntry.Via.SYSTEM, detail: dict | None = None):
    """Append one entry to the audit trail; entries are never changed afterwards."""
    user = by if getattr(by, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        action=action,
        article=article if article.pk and Article.objects.filter(pk=article.pk).exists() else None,
        article_ref=article.pk,
        headline=article.headline[:500],
        user=user,
        via=via,
        detail=detail or {},
    )
