"""When the work goes to the job queue, and the lock that keeps one record's job from running twice at once."""
from odoo.tools import SQL, config

# context key: run as jobs even in a test (whose suite expects the work done in its own transaction)
JOBS_CONTEXT_KEY = "social_crm_queue_jobs"


def jobs_enabled(env):
    """Whether the work is given to the job queue: always, except while addons are installed or
    updated (demo data, install hooks: done at once, no job left for a runner that may not exist
    yet) and while Odoo runs tests, where the suites of the other addons check the results of the
    inline path in the test's own transaction, unless the test asks for jobs
    (``social_crm_queue_jobs`` in the context)."""
    return env.registry.ready and env.context.get(JOBS_CONTEXT_KEY, not config["test_enable"])


def try_lock(records, session=False):
    """Take the advisory lock of the one record ``records``, without waiting: False when another
    transaction holds it. A transaction's lock ends with it; a session's (``session``: a job that
    commits as it goes) is released by :func:`unlock`, or by PostgreSQL when the worker dies."""
    records.ensure_one()
    function = SQL("pg_try_advisory_lock") if session else SQL("pg_try_advisory_xact_lock")
    return records.env.execute_query(SQL("SELECT %s(%s::regclass::oid::int, %s)", function, records._table,
                                         records.id))[0][0]


def unlock(records):
    records.env.execute_query(SQL("SELECT pg_advisory_unlock(%s::regclass::oid::int, %s)", records._table,
                                  records.id))
