"""The POST data of the story admin's change form, as a browser sends it (shared by admin tests)."""


def change_form_data(article, *, new_body="", extra=None):
    """The POST data of the change form as the browser would send it, with an optional new part."""
    parts = list(article.parts.order_by("number"))
    credits = list(article.credits.order_by("position"))
    data = {
        "headline": article.headline,
        "slug": article.slug,
        "section": article.section_id or "",
        "language": article.language,
        "summary": article.summary,
        "byline": article.byline,
        "dateline": article.dateline,
        "dateline_date": article.dateline_date.isoformat() if article.dateline_date else "",
        "dateline_place": article.dateline_place,
        "status": article.status,
        "published_at_0": article.published_at.strftime("%Y-%m-%d") if article.published_at else "",
        "published_at_1": article.published_at.strftime("%H:%M:%S") if article.published_at else "",
        "translation_of": "",
        "loaded_version": article.version,
        **({"comments_open": "on"} if article.comments_open else {}),
        "comment_moderation": article.comment_moderation,
        "credits-TOTAL_FORMS": len(credits),
        "credits-INITIAL_FORMS": len(credits),
        "credits-MIN_NUM_FORMS": 0,
        "credits-MAX_NUM_FORMS": 1000,
        "parts-TOTAL_FORMS": len(parts) + 1,
        "parts-INITIAL_FORMS": len(parts),
        "parts-MIN_NUM_FORMS": 0,
        "parts-MAX_NUM_FORMS": 1000,
    }
    for i, credit in enumerate(credits):
        data.update(
            {
                f"credits-{i}-id": credit.pk,
                f"credits-{i}-article": article.pk,
                f"credits-{i}-position": credit.position,
                f"credits-{i}-source": credit.source_id,
                f"credits-{i}-role": credit.role,
            }
        )
    for i, part in enumerate(parts):
        data.update(
            {
                f"parts-{i}-id": part.pk,
                f"parts-{i}-article": article.pk,
                f"parts-{i}-label": part.label,
                f"parts-{i}-body": part.body,
                f"parts-{i}-continues": "on" if part.continues else "",
            }
        )
    n = len(parts)
    data.update({f"parts-{n}-article": article.pk, f"parts-{n}-label": "", f"parts-{n}-body": new_body})
    data.update(extra or {})
    return {key: value for key, value in data.items() if value != "" or key.endswith("body")}
