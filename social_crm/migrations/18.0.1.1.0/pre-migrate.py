"""``social.source.account_id`` now names the connected account that answers the source's
mentions: the Mastodon account id read by the poller moves to ``mastodon_account_id``, its
values kept (the update then adds the new ``account_id`` column).

The live-stream parts of the source and mention views are now in those views themselves: their
former extension views are dropped first, or the new mention form would be checked against an
extension written for the former one."""
from odoo.tools.sql import column_exists, table_columns

FORMER_VIEWS = ("social_source_view_form_stream", "social_source_view_list_stream", "social_mention_view_form_stream")


def migrate(cr, version):
    columns = table_columns(cr, "social_source")
    old = columns.get("account_id")
    if old and old["udt_name"] in ("varchar", "text") and not column_exists(cr, "social_source", "mastodon_account_id"):
        cr.execute('ALTER TABLE "social_source" RENAME COLUMN "account_id" TO "mastodon_account_id"')
    cr.execute("""
        WITH former AS (
            DELETE FROM ir_model_data
             WHERE module = 'social_crm' AND model = 'ir.ui.view' AND name IN %s
         RETURNING res_id
        )
        DELETE FROM ir_ui_view WHERE id IN (SELECT res_id FROM former)
    """, [FORMER_VIEWS])
