"""The domain models, one module per concern, re-exported here."""

from .annotation import Annotation
from .article import Article, ArticleQuerySet, ArticleSource, Correction, Part, Section, SourceRole
from .audit import AuditEntry
from .source import Source, SourceAlias, SourceKind
from .translation import TranslationBaseline

__all__ = [
    "Annotation",
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
