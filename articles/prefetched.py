"""Rows already in memory, held on a model instance exactly as prefetch_related holds what it loaded."""


def hold(instance, name: str, rows) -> None:
    """Make `instance.<name>.all()` answer `rows` without asking the database, as after prefetch_related(name);
    for a reverse foreign key each row's own link to the instance is known too (`part.article`), as prefetching
    leaves it."""
    manager = getattr(instance, name)
    rows = list(rows)
    field = getattr(manager, "field", None)  # a reverse foreign key's manager; a many-to-many one has none
    if field is not None:
        for row in rows:
            if not field.is_cached(row):
                field.set_cached_value(row, instance)
    queryset = manager.get_queryset()
    queryset._result_cache, queryset._prefetch_done = rows, True
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[name] = queryset
