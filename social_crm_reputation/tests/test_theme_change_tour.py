from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged


@tagged("social_crm_reputation", "post_install", "-at_install")
class TestThemeChangeTour(HttpCase):
    """In a real browser: "What Changed?" from the menu ranks the theme that rose, and opens its mentions."""

    def test_theme_change_tour(self):
        source = self.env["social.source"].create({"name": "Themes tour webhook", "source_type": "webhook",
                                                   "network": "x"})
        now = fields.Datetime.now()
        texts = [(days, "Lovely delivery, wonderful people, great!") for days in range(8, 30)]
        texts += [(days, "Awful delivery, late again. Terrible.") for days in range(8, 30, 2)]
        texts += [(1 + n % 3, f"Zorblat hinge snapped again after the update, horrible and awful {n}")
                  for n in range(8)]
        self.env["social.mention"]._ingest(source, [{
            "id": f"themes-tour-{n}", "network": "x", "lang": "en", "author": {"handle": f"themes_tour_{n}"},
            "text": text, "posted_at": (now - timedelta(days=days)).isoformat() + "Z",
        } for n, (days, text) in enumerate(texts)])
        self.env["social.reputation.daily"]._cron_refresh_daily()
        changes = self.env["social.theme.daily"].get_changes(
            fields.Date.today() - timedelta(days=6), fields.Date.today(), [("company_id", "=", self.env.company.id)])
        self.assertIn("zorblat", [change["term"] for change in changes if change["significant"]])
        self.start_tour("/odoo/crm", "social_theme_change_tour", login="admin", timeout=180)
