"""The domain models, one module per concern, re-exported here."""

from .article import Article, ArticleQuerySet, ArticleSource, Correction, Part, Section, SourceRole
from .audit import AuditEntry
from .source import Source, SourceAlias, SourceKind
from .translation import TranslationBaseline

__all__ = [
    "Article",
    "ArticleQuerySet",
    "ArticleSource",
    "AuditEntry",
    "Correction",
    "Part",
    "Section",
    "Source",
    "SourceAlias",
    "SourceKind",
    "SourceRole",
    "TranslationBaseline",
]
