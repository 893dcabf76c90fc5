"""``social.source.account_id`` now names the connected account that answers the source's
mentions: the Mastodon account id read by the poller moves to ``mastodon_account_id``, its
values kept (the update then adds the new ``account_id`` column)."""
from odoo.tools.sql import column_exists, table_columns


def migrate(cr, version):
    columns = table_columns(cr, "social_source")
    old = columns.get("account_id")
    if old and old["udt_name"] in ("varchar", "text") and not column_exists(cr, "social_source", "mastodon_account_id"):
        cr.execute('ALTER TABLE "social_source" RENAME COLUMN "account_id" TO "mastodon_account_id"')
