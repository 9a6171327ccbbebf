"""Values a transaction read along with another query, kept in its session until it ends.

Every request reads the signed-in user (or the API token's) anyway; the reference data's revision
and the unread count come as columns of that query and are noted under a key of ``session.info``.
The next transaction may see other values (another server may have changed them), and so may the
rest of a transaction whose savepoint was rolled back, so every noted key is dropped when a
transaction or a savepoint ends; a flush's own inner transaction does not count (every flush would
otherwise cost a query).
"""

import sqlalchemy as sa
from sqlalchemy.orm import Session, SessionTransaction

_KEYS: set[str] = set()


def key(name: str) -> str:
    """A key of ``session.info`` whose value holds for the current transaction only."""
    _KEYS.add(name)
    return name


@sa.event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is not None and not transaction.nested:
        return
    for name in _KEYS:
        session.info.pop(name, None)
