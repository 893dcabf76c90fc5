"""Rolling points and tiers moved from res_partner columns to the narrow social_advocacy_standing
table: fill it once, then drop the columns nothing reads any more (the tier history keeps its own
date and no longer records who wrote it)."""
from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    cr.execute("""ALTER TABLE social_advocacy_tier_history
                  DROP COLUMN IF EXISTS create_uid, DROP COLUMN IF EXISTS create_date,
                  DROP COLUMN IF EXISTS write_uid, DROP COLUMN IF EXISTS write_date""")
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["res.partner"]._advocacy_recompute_points(all_partners=True)
    cr.execute("ALTER TABLE res_partner DROP COLUMN IF EXISTS advocacy_points, DROP COLUMN IF EXISTS advocacy_tier_id")
