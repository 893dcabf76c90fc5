"""Set-based insertion of records whose values are complete, for the high-volume paths."""
from odoo.tools import SQL

# field types whose Python values go to their column as they are (False meaning NULL)
SCALAR_FIELD_TYPES = {"char", "text", "selection", "many2one", "integer", "float", "datetime", "date"}


def insert_records(model, vals_list):
    """Insert ``vals_list`` into ``model``'s table in ONE ``INSERT … SELECT FROM unnest(<one array
    per column>)`` and return the new records.

    The ORM's ``create``, and even its low-level ``_create``, spends more time in Python on each
    record (defaults, cache, recomputation bookkeeping, one value adapted at a time) than
    PostgreSQL spends storing it. This is for callers whose values are complete and typed: no
    default is applied, no ``create`` override runs, and the stored computed fields given are kept
    as given (the others are computed as ``create`` would). Like ``create``, it marks what other
    records depend on the new ones, and the one2many caches of their parents are dropped.
    """
    names = sorted({name for vals in vals_list for name in vals})
    columns, arrays = [], []
    for name in names:
        field = model._fields[name]
        if field.type == "boolean":
            values = [bool(vals.get(name)) for vals in vals_list]
        elif field.type in SCALAR_FIELD_TYPES and not field.translate:
            values = [None if vals.get(name) is False else vals.get(name) for vals in vals_list]
        else:
            values = [field.convert_to_column_insert(vals.get(name), model, vals) for vals in vals_list]
        columns.append(SQL.identifier(name))
        arrays.append(SQL("%s::%s[]", values, SQL(field.column_type[1])))
    env = model.env
    rows = env.execute_query(SQL("""
        INSERT INTO %(table)s (%(columns)s, create_uid, create_date, write_uid, write_date)
        SELECT *, %(uid)s, %(now)s, %(uid)s, %(now)s FROM unnest(%(arrays)s)
        RETURNING id
    """, table=SQL.identifier(model._table), columns=SQL(", ").join(columns), arrays=SQL(", ").join(arrays),
        uid=env.uid, now=env.cr.now()))
    records = model.browse([row[0] for row in rows])
    for name in names:
        for inverse in model.pool.field_inverses[model._fields[name]]:
            env[inverse.model_name].invalidate_model([inverse.name])
    given_computed = [model._fields[name] for name in names if model._fields[name].compute]
    with env.protecting(given_computed, records):
        records.modified(model._fields, create=True)
    return records
