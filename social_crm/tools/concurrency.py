"""Writes that concurrent transactions may contend for, in Odoo's ``REPEATABLE READ`` transactions."""
import contextlib
import uuid

import psycopg2.errors

from odoo.tools import SQL, mute_logger

# a row another transaction holds (beyond the lock timeout) or changed since this one began, or a deadlock
CONCURRENCY_ERRORS = (psycopg2.errors.SerializationFailure, psycopg2.errors.DeadlockDetected,
                      psycopg2.errors.LockNotAvailable)
# how long a write that has another way out waits for a row another transaction holds
SHORT_LOCK_TIMEOUT = "50ms"


def execute_unless_contended(cr, query, lock_timeout=SHORT_LOCK_TIMEOUT, errors=()):
    """Execute ``query`` in a savepoint, waiting at most ``lock_timeout`` for the rows other
    transactions hold; answer whether it was done. It is not (and changes nothing) when a row it
    writes is held longer, or was changed by a transaction committed since this one began: the
    caller then takes its other way (e.g. a queue that a job merges), rather than waiting for
    the other transaction or failing with it. ``errors`` are further exceptions that mean the same.

    The savepoint, the lock timeout, the query, the timeout's reset and the release go to the
    database as one message (one round trip, where a savepoint of the cursor takes five): the
    query's rows, if any, are not fetched. Only when it fails does a second one roll back."""
    name = SQL.identifier(str(uuid.uuid1()))
    try:
        cr.execute(SQL("SAVEPOINT %s; SET LOCAL lock_timeout = %s; %s; SET LOCAL lock_timeout TO DEFAULT;"
                       " RELEASE SAVEPOINT %s", name, lock_timeout, query, name), log_exceptions=False)
    except CONCURRENCY_ERRORS + tuple(errors):
        _rollback_to(cr, name)
        return False  # the rollback to the savepoint restored the lock timeout too
    except Exception:
        with contextlib.suppress(psycopg2.Error):  # the error itself matters (the savepoint may not exist)
            _rollback_to(cr, name)
        raise
    return True


def run_unless_contended(cr, func, lock_timeout=SHORT_LOCK_TIMEOUT, errors=()):
    """:func:`execute_unless_contended` for any ``func`` writing with ``cr``: answer ``(done, its
    result)``, ``(False, None)`` when contended (the savepoint rolled back whatever it wrote).

    The savepoint is taken with the lock timeout, and released with its reset, in one message
    each (as ``cr.savepoint(flush=False)`` would, in two round trips fewer)."""
    name = SQL.identifier(str(uuid.uuid1()))
    cr.execute(SQL("SAVEPOINT %s; SET LOCAL lock_timeout = %s", name, lock_timeout))
    try:
        result = func()  # contention is expected here, not a bad query
        cr.execute(SQL("SET LOCAL lock_timeout TO DEFAULT; RELEASE SAVEPOINT %s", name))
    except CONCURRENCY_ERRORS + tuple(errors):
        _rollback_to(cr, name)
        return False, None  # the savepoint's rollback restored the lock timeout too
    except Exception:
        with contextlib.suppress(psycopg2.Error):  # the error itself matters (the savepoint may not exist)
            _rollback_to(cr, name)
        raise
    return True, result


def _rollback_to(cr, name):
    """Undo what was done since the savepoint ``name`` (an identifier), and release it."""
    cr.execute(SQL("ROLLBACK TO SAVEPOINT %s; RELEASE SAVEPOINT %s", name, name))


def create_skipping_duplicates(model, vals_list):
    """``model.create(vals_list)``, except that the records a concurrent transaction stored
    meanwhile (the same unique key: refused by the database) are skipped rather than failing the
    whole transaction; answer the records created. One ``create`` normally; one per record, each
    in a savepoint, only after a refusal."""
    cr = model.env.cr
    try:
        with cr.savepoint(), mute_logger("odoo.sql_db"):
            return model.create(vals_list)
    except psycopg2.errors.UniqueViolation:
        records = model.browse()
        for vals in vals_list:
            try:
                with cr.savepoint(), mute_logger("odoo.sql_db"):
                    records |= model.create([vals])
            except psycopg2.errors.UniqueViolation:
                continue  # stored by the other transaction
        return records
