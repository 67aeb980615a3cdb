"""Rows already in memory, held on a model instance exactly as prefetch_related holds what it loaded."""


def hold(instance, name: str, rows) -> None:
    """Make `instance.<name>.all()` answer `rows` without asking the database, as after prefetch_related(name)."""
    queryset = getattr(instance, name).get_queryset()
    queryset._result_cache, queryset._prefetch_done = list(rows), True
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[name] = queryset
