"""Potential advocates are no longer a database view (its 90-day window followed the database's
clock); the model now queries its rows itself, so the view is dropped."""
from odoo import tools


def migrate(cr, version):
    tools.drop_view_if_exists(cr, "social_advocacy_potential")
