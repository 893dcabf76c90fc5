"""Where the Surveys app is installed, the survey comparison now comes with social_crm_reputation_survey:
install it in the same update, so that the reputation report and the contacts keep their comparison."""
from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    Module = env["ir.module.module"]
    if Module.search_count([("name", "=", "survey"), ("state", "=", "installed")]):
        Module.search([("name", "=", "social_crm_reputation_survey"), ("state", "=", "uninstalled")]).button_install()
