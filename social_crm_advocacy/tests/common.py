from odoo.addons.social_crm.tests.common import SocialCrmCase


class AdvocacyCommon(SocialCrmCase):
    """Customers, a forum source and points rules shared by the advocacy tests."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Start from a known programme: the demo rules and tiers are archived in these tests.
        cls.env["social.advocacy.rule"].search([]).active = False
        cls.env["social.advocacy.tier"].search([]).active = False
        cls.ann, cls.bob, cls.carl = cls.env["res.partner"].create([
            {"name": "Ann Advocate", "email": "ann.advocate@example.com"},
            {"name": "Bob Buyer", "email": "bob.buyer@example.com"},
            {"name": "Carl Customer", "email": "carl.customer@example.com"},
        ])
        cls.source = cls._create_source("Community forum", network="forum")
        cls.rule_answer, cls.rule_referral, cls.rule_manual_share = cls.env["social.advocacy.rule"].create([
            {"name": "Forum answer", "action_type": "community_answer", "points": 15, "min_sentiment": -1.0},
            {"name": "Referral", "action_type": "referral", "points": 200},
            {"name": "Share", "action_type": "share", "points": 5},
        ])
        cls.product = cls.env["product.product"].create({"name": "Acme phone", "list_price": 300.0})

    @classmethod
    def _mention(cls, partner, external_id, parent=False, network="forum", **vals):
        return cls.env["social.mention"].create({
            "source_id": cls.source.id, "network": network, "external_id": external_id,
            "author_handle": partner.name if partner else "anonymous",
            "partner_id": partner.id if partner else False,
            "parent_id": parent.id if parent else False,
            "body": "Try resetting the settings.", **vals})

    @classmethod
    def _order(cls, customer, referrer=False, **vals):
        return cls.env["sale.order"].create({
            "partner_id": customer.id,
            "advocacy_referrer_id": referrer.id if referrer else False,
            "order_line": [(0, 0, {"product_id": cls.product.id, "product_uom_qty": 1})],
            **vals})

    def _ledger_sum(self, partner):
        actions = self.env["social.advocacy.action"].search([("partner_id", "=", partner.id)])
        return sum(actions.mapped("points"))
