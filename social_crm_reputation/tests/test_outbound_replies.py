from odoo.tests import tagged

from .common import VERY_NEGATIVE, ReputationCommon


@tagged("social_crm_reputation", "post_install", "-at_install")
class TestOutboundReplies(ReputationCommon):
    """Our own replies are no customer's voice: no sentiment, no series, no alert."""

    def test_replies_are_not_counted(self):
        self._source_of_own_company("Outbound")
        account = self.env["social.account"].create({
            "name": "Acme on X", "network": "x", "handle": "acme", "access_token": "token",
            "company_id": self.company.id, "state": "connected"})
        self.env["ir.config_parameter"].sudo().set_param("social_crm_reputation.alert_reach_threshold", "100")
        mention = self.Mention.create({
            "source_id": self.source.id, "network": "x", "external_id": "out-1", "author_handle": "ann",
            "partner_id": self.ann.id, "body": "Acme is fine.", "lang": "en", "reach": 5})
        reply = self.Mention.browse(mention.reply(VERY_NEGATIVE, account_id=account.id))
        self.assertEqual((reply.direction, reply.sentiment_label, reply.partner_id.id), ("outbound", "unscored", False))
        self.assertFalse(self.env["social.reputation.alert"].search([("mention_id", "=", reply.id)]))
        # a reach that would raise a loud-negative alert, and a full rebuild of the day: still not counted
        reply.write({"reach": 50000, "sentiment_label": "negative", "sentiment_score": -0.9})
        self.env["social.reputation.daily"]._refresh_days([mention.posted_at.date()])
        rows = self.env["social.reputation.daily"].search([("source_id", "=", self.source.id)])
        self.assertEqual((sum(rows.mapped("mention_count")), sum(rows.mapped("negative_count")),
                          sum(rows.mapped("reach"))), (1, 0, 5))
        self.env["social.reputation.alert"]._detect_for_mentions(reply._customer_voice())
        self.assertFalse(self.env["social.reputation.alert"].search([("mention_id", "=", reply.id)]))
