"""Each company's standing of every advocate, from that company's actions (see pre-migrate)."""
from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    api.Environment(cr, SUPERUSER_ID, {})["res.partner"]._advocacy_recompute_points(all_partners=True)
