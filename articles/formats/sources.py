"""How a source is named to a reader: in the reader's interface language, from the source's display names."""

# The interface languages a source carries its own display name for (Source.name_ar, Source.name_en).
DISPLAY_LANGUAGES = ("ar", "en")


def source_name(source, language: str | None) -> str:
    """The source's name for a reader of the interface in `language` ("ar", "en", "en-gb" …): its display
    name in that language when the newsroom gave one, else its name as stored — the Latin name for the agencies
    the migrations know (so an Urdu page, which has no display names of its own, reads "Reuters"), the
    spelling of the dateline that first named it for a source ingest created."""
    code = (language or "").split("-")[0].lower()
    own = getattr(source, f"name_{code}", "") if code in DISPLAY_LANGUAGES else ""
    return own or source.name
