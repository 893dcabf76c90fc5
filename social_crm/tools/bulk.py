"""Set-based insertion of records whose values are complete, for the high-volume paths."""
import hashlib
import io
from datetime import date, datetime

import psycopg2.extensions

from odoo.tools import SQL, float_repr, float_round

# field types whose Python values go to their column as they are (False meaning NULL)
SCALAR_FIELD_TYPES = {"boolean", "char", "text", "selection", "many2one", "integer", "float", "datetime", "date"}
# COPY's text format: these characters of a value are written as escapes
COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value, field_type, digits=None):
    """``value`` in COPY's text format: ``\\N`` for NULL, escapes in strings; a float of a field with
    ``digits`` rounded to its scale, as the ORM writes it."""
    if digits and isinstance(value, float):
        return float_repr(float_round(value, precision_digits=digits[1]), precision_digits=digits[1])
    if field_type == "boolean":
        return "t" if value else "f"
    if value is False or value is None:
        return "\\N"
    if isinstance(value, str):
        return value.translate(COPY_ESCAPES)
    if isinstance(value, (int, float, date, datetime)):  # bool is handled above, as the field says
        return str(value)
    raise TypeError(f"{value!r} is not a value of a {field_type} field")


def insert_records(model, vals_list, row_order=None):
    """Insert ``vals_list`` into ``model``'s table with ``COPY`` and return the new records, in
    the order of ``vals_list``.

    The ORM's ``create``, and even its low-level ``_create``, spends more time in Python on each
    record (defaults, cache, recomputation bookkeeping, one value adapted at a time) than
    PostgreSQL spends storing it, and an ``INSERT`` of many rows costs as much again to adapt and
    parse. This is for callers whose values are complete and typed, in fields of scalar types:
    no default is applied, no ``create`` override runs, and the stored computed fields given are
    kept as given (the others are computed as ``create`` would). Like ``create``, it marks what
    other records depend on the new ones, and the one2many caches of their parents are dropped.
    Constraints and foreign keys are checked by PostgreSQL as for any insert.

    ``row_order`` (a function of the values) sets the order in which the rows are written, and so
    the order in which their unique keys are locked: concurrent writers using the same order wait
    for each other instead of deadlocking.
    """
    ids, _inserted = _insert(model, vals_list, row_order)
    return _created(model, vals_list, ids)


def insert_records_skipping_conflicts(model, vals_list, unique_columns, row_order=None):
    """:func:`insert_records`, except that the rows whose ``unique_columns`` (those of a unique
    constraint) hold a key stored already are skipped (``ON CONFLICT DO NOTHING``, through a
    temporary table: ``COPY`` has no such clause); answer ``{position in vals_list: record}`` of
    the rows inserted.

    In Odoo's ``REPEATABLE READ`` transactions, a key stored by a transaction committed after this
    one began is a serialization failure instead: the caller's transaction must run again on a
    fresh snapshot, where the key is known (as Odoo retries requests).
    """
    ids, inserted = _insert(model, vals_list, row_order, unique_columns)
    records = _created(model, [vals for record_id, vals in zip(ids, vals_list, strict=True) if record_id in inserted],
                       [record_id for record_id in ids if record_id in inserted])
    positions = [position for position, record_id in enumerate(ids) if record_id in inserted]
    return dict(zip(positions, records, strict=True))


def _insert(model, vals_list, row_order=None, unique_columns=None):
    """Write the rows; answer the ids given to ``vals_list`` and the set of those inserted."""
    if not vals_list:
        return [], set()
    env, cr = model.env, model.env.cr
    fields = [model._fields[name] for name in sorted({name for vals in vals_list for name in vals})]
    unsupported = [field.name for field in fields if field.type not in SCALAR_FIELD_TYPES or field.translate]
    if unsupported:
        raise TypeError(f"insert_records() stores scalar fields only, not {', '.join(unsupported)}")
    table = SQL.identifier(model._table)
    columns = SQL(", ").join(SQL.identifier(column) for column in (
        "id", *(field.name for field in fields), "create_uid", "create_date", "write_uid", "write_date"))
    # With unique columns, the rows go through a temporary table of the same columns, emptied in the
    # same round trip as the ids are drawn. It is made once per connection and set of columns (its
    # name says which, and the registry's version, which a module update changes) and emptied at
    # each commit: creating and dropping a table for each batch costs more than a small batch's
    # insert. A rollback drops it if it was made meanwhile.
    staging = SQL.identifier("pg_temp", f"{model._table}_staging_"
                                        f"{_digest(f'{env.registry.registry_sequence}:{columns.code}')}")
    prepare = SQL("CREATE TEMPORARY TABLE IF NOT EXISTS %s ON COMMIT DELETE ROWS AS SELECT %s FROM %s WITH NO DATA;"
                  " DELETE FROM %s;", staging, columns, table, staging) if unique_columns else SQL()
    # the ids first (COPY returns nothing), from the sequence of the table's serial id
    cr.execute(SQL("%s SELECT nextval(%s::regclass) FROM generate_series(1, %s)",
                   prepare, f"{model._table}_id_seq", len(vals_list)))
    ids = [row[0] for row in cr.fetchall()]
    now = cr.now()
    stamp = f"{env.uid}\t{now}\t{env.uid}\t{now}\n"
    # the scale of float fields with digits, as the ORM rounds their values
    digits = [field.get_digits(env) if field.type == "float" else None for field in fields]
    rows = list(zip(ids, vals_list, strict=True))
    if row_order:
        rows.sort(key=lambda row: row_order(row[1]))
    data = io.StringIO("".join(
        "\t".join([str(record_id), *(_copy_text(vals.get(field.name, False), field.type, field_digits)
                                      for field, field_digits in zip(fields, digits, strict=True)), stamp])
        for record_id, vals in rows))
    if not unique_columns:
        _copy(cr, table, columns, data)
        return ids, set(ids)
    _copy(cr, staging, columns, data)
    # a serialization failure here is the caller's to handle: not logged as a bad query
    cr.execute(SQL("INSERT INTO %s (%s) SELECT %s FROM %s ON CONFLICT (%s) DO NOTHING RETURNING id",
                   table, columns, columns, staging,
                   SQL(", ").join(SQL.identifier(column) for column in unique_columns)), log_exceptions=False)
    return ids, {row[0] for row in cr.fetchall()}


def _digest(text):
    """A short name for ``text`` (a list of columns)."""
    return hashlib.sha1(text.encode()).hexdigest()[:12]


def _created(model, vals_list, ids):
    """The records just stored, marked as ``create`` marks new records; their values stored are put
    in the cache, as ``create`` does, so that reading them again costs no query."""
    records = model.browse(ids)
    if not records:
        return records
    env = model.env
    fields = [model._fields[name] for name in sorted({name for vals in vals_list for name in vals})]
    for field in fields:
        for inverse in model.pool.field_inverses[field]:
            env[inverse.model_name].invalidate_model([inverse.name])
        if not field.company_dependent and field not in model.pool.field_depends_context:
            # what the row holds: a value missing from some values was stored as NULL (False)
            env.cache.update(records, field, [field.convert_to_cache(vals.get(field.name, False), records,
                                                                     validate=False) for vals in vals_list])
    given_computed = [field for field in fields if field.compute]
    with env.protecting(given_computed, records):
        records.modified(model._fields, create=True)
    return records


def _copy(cr, table, columns, data):
    """``COPY`` ``data`` (text format) into ``columns`` of ``table``."""
    # as in Odoo's own use of COPY (BaseModel.__ensure_xml_id): no asynchronous wait callback meanwhile
    callback = psycopg2.extensions.get_wait_callback()
    psycopg2.extensions.set_wait_callback(None)
    try:
        cr.copy_expert(SQL("COPY %s (%s) FROM STDIN", table, columns).code, data)
    finally:
        psycopg2.extensions.set_wait_callback(callback)
