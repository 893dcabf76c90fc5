from datetime import timedelta

from odoo import fields

from odoo.addons.social_crm.tests.common import SocialCrmCase

VERY_NEGATIVE = "This is the worst, most horrible and disgusting service ever. I HATE it!!!"
VERY_POSITIVE = "Absolutely wonderful, the best phone I ever had. I LOVE it!!!"


class ReputationCommon(SocialCrmCase):
    """A webhook source, three test customers and helpers to post mentions at a given age."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Mention = cls.env["social.mention"]
        cls.Partner = cls.env["res.partner"]
        cls.source = cls._create_source("Reputation test webhook")
        cls.ann, cls.bob, cls.carl = cls.Partner.create([
            {"name": "Ann Reputation"}, {"name": "Bob Reputation"}, {"name": "Carl Reputation"}])
        cls.now = fields.Datetime.now()
        cls._counter = 0

    @classmethod
    def _source_of_own_company(cls, name):
        """A webhook source in a new company of the user's, so that demo mentions stay out of the figures."""
        cls.company = cls.env["res.company"].create({"name": f"{name} company"})
        cls.env.user.company_ids |= cls.company
        cls.source = cls._create_source(f"{name} webhook", company_id=cls.company.id)

    @classmethod
    def _mentions(cls, *specs):
        """Create mentions from ``(partner, text, days_ago, reach)`` tuples in one batch."""
        vals_list = []
        for spec in specs:
            partner, text, days_ago, reach = (*spec, 0, 0)[:4] if len(spec) < 4 else spec
            vals_list.append({
                "author_handle": f"author{partner.id if partner else 0}",
                "partner_id": partner.id if partner else False,
                "body": text, "lang": "en", "reach": reach,
                "posted_at": cls.now - timedelta(days=days_ago)})
        return cls._create_mentions(cls.source, vals_list)

    def _ingest(self, *items):
        return self._ingest_into(self.source, items)

    def _ingest_into(self, source, items):
        """Ingest as a poller does, then run the series' job that ingestion wakes up: it makes the
        distinct authors and customers of the days exact (ingestion adds the rest itself)."""
        result = self.Mention._ingest(source, list(items))
        self.env["social.reputation.daily"]._cron_refresh_daily()
        return result

    @staticmethod
    def _item(external_id, text, lang="en", handle="someone", followers=0, posted_at="2026-01-10T10:00:00Z",
              network="x"):
        return {"id": external_id, "network": network, "author": {"handle": handle, "followers": followers},
                "text": text, "lang": lang, "posted_at": posted_at}
