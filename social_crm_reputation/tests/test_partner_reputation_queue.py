from odoo import SUPERUSER_ID, api
from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL


@tagged("social_crm_reputation", "post_install", "-at_install")
class TestPartnerReputationQueue(TransactionCase):
    """A customer whose contact row a concurrent transaction holds while a batch flags them."""

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:  # committed: the concurrent transactions must see the customer
            self.partner_id = api.Environment(cr, SUPERUSER_ID, {})["res.partner"].create(
                {"name": "Concurrent Customer"}).id
        self.addCleanup(self.remove_partner)

    def remove_partner(self):
        with self.registry.cursor() as cr:
            api.Environment(cr, SUPERUSER_ID, {})["res.partner"].browse(self.partner_id).unlink()

    def queued(self, env):
        return env.execute_query(SQL(
            "SELECT COUNT(*) FROM social_reputation_partner_queue WHERE partner_id = %s", self.partner_id))[0][0]

    def test_held_customer_is_queued_then_taken_out_by_the_computation(self):
        with self.registry.cursor() as other, self.registry.cursor() as cr:
            # another transaction writes the contact (the lock an UPDATE takes)
            other.execute(SQL("SELECT id FROM res_partner WHERE id = %s FOR NO KEY UPDATE", self.partner_id))
            env = api.Environment(cr, SUPERUSER_ID, {})
            Partner = env["res.partner"]
            Partner._mark_social_reputation_dirty([self.partner_id])
            partner = Partner.browse(self.partner_id)
            self.assertFalse(partner.social_reputation_dirty, "not waited for")
            self.assertEqual(self.queued(env), 1, "queued instead")
            other.rollback()

            prior = Partner._social_reputation_prior()
            self.assertIn(self.partner_id, Partner._social_reputation_due_ids(prior), "due all the same")
            partner._recompute_social_reputation(prior)
            self.assertEqual(self.queued(env), 0, "computed: out of the queue")
            self.assertNotIn(self.partner_id, Partner._social_reputation_due_ids(prior))

            Partner._mark_social_reputation_dirty([self.partner_id])  # nobody holds the row now
            self.assertTrue(partner.social_reputation_dirty)
            self.assertEqual(self.queued(env), 0)
            cr.rollback()
