"""Writing what is rendered for readers and kept (a story's stored representation, its stored pages): one row,
inserted or replaced in one statement, and never a failure for the caller, a reader's request or a follower
after a commit. A story deleted meanwhile, a read-only database or a lost connection is logged, and the next
read renders the story again."""

import logging

from django.db import DatabaseError, connections, router, transaction

from newsroom.inserts import Upsert, insert

logger = logging.getLogger(__name__)


def upsert(row, *, unique_fields: list[str], update_fields: list[str], what: str) -> bool:
    """Insert `row`, or replace `update_fields` of the row with the same `unique_fields`; whether it was
    written. `what`: the row as the log names it."""
    model = type(row)
    database = router.db_for_write(model)

    def written():
        insert([row], using=database, upsert=Upsert(tuple(unique_fields), tuple(update_fields)))

    try:
        if connections[database].in_atomic_block:
            with transaction.atomic(using=database):  # a savepoint: a failure must not break the transaction around it
                written()
        else:
            written()  # one statement, atomic by itself
    except DatabaseError:
        logger.warning("%s was not stored", what, exc_info=True)
        return False
    return True
