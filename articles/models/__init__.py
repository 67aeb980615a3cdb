"""The domain models, one module per concern, re-exported here."""

from .annotation import Annotation
from .article import Article, ArticleQuerySet, ArticleSource, Correction, Part, Section, SourceRole
from .audit import AuditEntry
from .comment import Comment, CommentReport, ModerationTerm
from .representation import StoredPage, StoredRepresentation
from .search import SearchDocument
from .source import Source, SourceAlias, SourceKind
from .translation import TranslationBaseline

__all__ = [
    "Annotation",
    "Article",
    "ArticleQuerySet",
    "ArticleSource",
    "AuditEntry",
    "Comment",
    "CommentReport",
    "Correction",
    "ModerationTerm",
    "Part",
    "SearchDocument",
    "Section",
    "Source",
    "SourceAlias",
    "SourceKind",
    "SourceRole",
    "StoredPage",
    "StoredRepresentation",
    "TranslationBaseline",
]
