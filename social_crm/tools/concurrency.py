"""Writes that concurrent transactions may contend for, in Odoo's ``REPEATABLE READ`` transactions."""
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
    the other transaction or failing with it. ``errors`` are further exceptions that mean the same."""
    return run_unless_contended(cr, lambda: cr.execute(query, log_exceptions=False), lock_timeout, errors)[0]


def run_unless_contended(cr, func, lock_timeout=SHORT_LOCK_TIMEOUT, errors=()):
    """:func:`execute_unless_contended` for any ``func`` writing with ``cr``: answer ``(done, its
    result)``, ``(False, None)`` when contended (the savepoint rolled back whatever it wrote)."""
    try:
        with cr.savepoint(flush=False):
            cr.execute(SQL("SET LOCAL lock_timeout = %s", lock_timeout))
            result = func()  # contention is expected here, not a bad query
            cr.execute(SQL("SET LOCAL lock_timeout TO DEFAULT"))
    except CONCURRENCY_ERRORS + tuple(errors):
        return False, None  # the savepoint's rollback restored the lock timeout too
    return True, result


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
