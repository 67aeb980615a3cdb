"""Changing and deleting the paper's sections. A story shows its section's name and links to its page, so a
section changed or deleted moves every public page on and raises the section's version, which the API's ETags
of its stories carry (articles/api/stories.py). Sections are created where stories name them
(stories.section_named): a new section is on no page until a story is in it, and that story's change moves
the pages."""

from django.db import transaction
from django.db.models import F

from articles.models import Section

from . import pagecache


@transaction.atomic
def save_section(section: Section) -> Section:
    """Store a section as a form filled it: a new one as it is; a changed one with its version raised."""
    if section._state.adding:
        section.save()
        return section
    section.version = F("version") + 1
    section.save()
    section.refresh_from_db(fields=["version"])
    pagecache.public_changed()  # pages print its name and link to it
    return section


@transaction.atomic
def delete_sections(sections) -> int:
    """Delete sections (their stories keep no section); how many were deleted."""
    ids = [section.pk for section in sections]
    deleted, _ = Section.objects.filter(pk__in=ids).delete()
    if deleted:
        pagecache.public_changed()
    return deleted
