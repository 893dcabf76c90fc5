from odoo import SUPERUSER_ID, api, fields
from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL


@tagged("social_crm_advocacy", "post_install", "-at_install")
class TestStandingQueue(TransactionCase):
    """New actions of a batch whose advocate's standing a concurrent transaction holds."""

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:  # committed: the concurrent transactions must see the advocate
            self.partner_id = api.Environment(cr, SUPERUSER_ID, {})["res.partner"].create(
                {"name": "Concurrent Advocate"}).id
        self.addCleanup(self.remove_partner)

    def remove_partner(self):
        with self.registry.cursor() as cr:
            api.Environment(cr, SUPERUSER_ID, {})["res.partner"].browse(self.partner_id).unlink()

    def test_contended_standing_is_queued_then_recomputed_by_its_job(self):
        with self.registry.cursor() as other, self.registry.cursor() as cr:
            # another batch is writing this advocate's standing and has not committed yet
            other.execute(SQL("INSERT INTO social_advocacy_standing (partner_id, company_id, points)"
                              " VALUES (%s, %s, 7)", self.partner_id, self.env.company.id))
            env = api.Environment(cr, SUPERUSER_ID, {})
            partner = env["res.partner"].browse(self.partner_id)
            cron = env.ref("social_crm_advocacy.ir_cron_recompute_queued_standings")
            triggers = env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)])
            env["social.advocacy.action"]._record([
                {"partner_id": partner.id, "action_type": "manual", "points": 40, "company_id": env.company.id,
                 "date": fields.Date.context_today(partner)}])
            queued = env.execute_query(SQL(
                "SELECT COUNT(*) FROM social_advocacy_standing_queue WHERE partner_id = %s", partner.id))
            # its standing, and its referral code: the other batch's row refers to the contact
            self.assertEqual(queued, [(2,)], "queued, not waited for")
            self.assertEqual(env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]), triggers + 2)
            other.rollback()  # the other batch ends

            self.assertEqual(env["social.advocacy.standing.queue"]._cron_recompute_queued(), 1)
            standing = env["social.advocacy.standing"].search([("partner_id", "=", partner.id)])
            self.assertEqual((len(standing), standing.points), (1, 40))
            self.assertTrue(partner.advocacy_referral_code)
            self.assertEqual(env.execute_query(SQL(
                "SELECT COUNT(*) FROM social_advocacy_standing_queue WHERE partner_id = %s", partner.id)), [(0,)])
            cr.rollback()
