"""PostgreSQL planner settings for one statement, kept out of the business code that runs it."""
from odoo.tools import SQL


def without_jit(query):
    """``query`` run with PostgreSQL's JIT compilation off, and back to the default after it, in
    the same round trip. For statements over whole tables, whose estimated cost makes PostgreSQL
    compile them (close to a second) although compiled code runs them no faster."""
    return SQL("SET LOCAL jit = off; %s; SET LOCAL jit TO DEFAULT", query)
