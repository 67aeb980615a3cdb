"""The domain models, one module per concern, re-exported here."""

from .article import Article, ArticleQuerySet, ArticleSource, Part, Section, SourceRole
from .source import Source, SourceAlias, SourceKind

__all__ = [
    "Article",
    "ArticleQuerySet",
    "ArticleSource",
    "Part",
    "Section",
    "Source",
    "SourceAlias",
    "SourceKind",
    "SourceRole",
]
