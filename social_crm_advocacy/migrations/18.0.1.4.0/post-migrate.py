"""The leaderboard's points (earned over the last 30 days) of every standing, and rolling points
that no longer deduct redemptions: every standing recomputed once."""
from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    api.Environment(cr, SUPERUSER_ID, {})["res.partner"]._advocacy_recompute_points(all_partners=True)
