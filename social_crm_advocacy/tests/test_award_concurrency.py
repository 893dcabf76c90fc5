from odoo import SUPERUSER_ID, api, fields
from odoo.tests import tagged
from odoo.tools import SQL, mute_logger

from odoo.addons.social_crm.tests.common import CommittedCase

CAP = 3


@tagged("social_crm_advocacy", "post_install", "-at_install")
class TestAwardConcurrency(CommittedCase):
    """Two batches award the same advocate at once, each on a connection of its own, committed as
    two webhook requests are."""

    def setUp(self):
        super().setUp()
        with self.committed_env() as env:
            partner = env["res.partner"].create({"name": "Concurrent Sharer"})
            # an advocate already: giving a first code updates a key of the contact's row, which
            # rows about the contact written meanwhile by another batch wait for (their foreign key)
            partner._advocacy_ensure_referral_code()
            self.partner_id = partner.id
            # worth the most: the best matching rule of its type, whatever other rules exist
            self.rule_id = env["social.advocacy.rule"].create({
                "name": "Shares, capped", "action_type": "share", "points": 9_000,
                "cap_period": "day", "cap_count": CAP}).id
        self.addCleanup(self.remove_committed)

    def remove_committed(self):
        with self.committed_env() as env:
            env.execute_query(SQL("""
                DELETE FROM social_advocacy_award_queue WHERE partner_id = %(p)s;
                DELETE FROM social_advocacy_action WHERE partner_id = %(p)s;
            """, p=self.partner_id))
            env["res.partner"].browse(self.partner_id).unlink()
            env["social.advocacy.rule"].browse(self.rule_id).unlink()

    def award(self, env, count):
        """``count`` shares of the advocate today, scored as one batch; answer the actions recorded."""
        partner = env["res.partner"].browse(self.partner_id)
        today = fields.Date.context_today(partner)
        return env["social.advocacy.rule"]._award([(partner, "share", env["sale.order"], today)] * count)

    def ledger(self):
        """``[(points, cap slot)]`` of the advocate's actions, the referral code and the standing, as committed."""
        with self.committed_env() as env:
            actions = env.execute_query(SQL(
                "SELECT points, cap_slot FROM social_advocacy_action WHERE partner_id = %s ORDER BY cap_slot",
                self.partner_id))
            [(code,)] = env.execute_query(SQL(
                "SELECT advocacy_referral_code FROM res_partner WHERE id = %s", self.partner_id))
            standing = env.execute_query(SQL(
                "SELECT points FROM social_advocacy_standing WHERE partner_id = %s", self.partner_id))
            queued = env.execute_query(SQL(
                "SELECT COUNT(*) FROM social_advocacy_award_queue WHERE partner_id = %s", self.partner_id))
        return actions, code, standing, queued[0][0]

    def run_jobs(self):
        with self.committed_env() as env:
            recorded = env["social.advocacy.award.queue"]._cron_record_queued()
            env["social.advocacy.standing.queue"]._cron_recompute_queued()
        return recorded

    def test_cap_holds_when_the_other_batch_has_not_committed_yet(self):
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            env_a, env_b = api.Environment(cr_a, SUPERUSER_ID, {}), api.Environment(cr_b, SUPERUSER_ID, {})
            cr_a.execute("SELECT 1")
            cr_b.execute("SELECT 1")  # both batches began before either recorded anything
            self.assertEqual(len(self.award(env_a, 2)), 2)
            # B sees no share yet and numbers its two as 1 and 2 too: A holds those numbers
            with mute_logger("odoo.sql_db"):
                self.assertEqual(len(self.award(env_b, 2)), 0, "queued, neither waited for nor failed")
            cr_a.commit()
            cr_b.commit()
        actions, code, standing, queued = self.ledger()
        self.assertEqual((actions, standing, queued), ([(9_000, 1), (9_000, 2)], [(18_000,)], 2))
        self.assertEqual(self.run_jobs(), 1, "one more share within the cap of 3, the other over it")
        actions, code_after, standing, queued = self.ledger()
        self.assertEqual((actions, standing, queued), ([(9_000, 1), (9_000, 2), (9_000, 3)], [(27_000,)], 0))
        self.assertEqual(code_after, code)
        self.assertEqual(self.run_jobs(), 0)

    def test_cap_holds_when_the_other_batch_committed_first(self):
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            env_a, env_b = api.Environment(cr_a, SUPERUSER_ID, {}), api.Environment(cr_b, SUPERUSER_ID, {})
            cr_a.execute("SELECT 1")
            cr_b.execute("SELECT 1")
            self.assertEqual(len(self.award(env_a, CAP)), CAP)
            cr_a.commit()
            # B's snapshot predates A's commit: it sees no share, no code, no standing of the advocate
            with mute_logger("odoo.sql_db"):
                self.assertEqual(len(self.award(env_b, CAP)), 0)
            cr_b.commit()
        actions, code, standing, queued = self.ledger()
        self.assertEqual((len(actions), standing, queued), (CAP, [(CAP * 9_000,)], CAP))
        self.assertEqual(self.run_jobs(), 0, "the cap was reached by A: B's shares earn nothing")
        actions_after, code_after, standing, queued = self.ledger()
        self.assertEqual((actions_after, code_after, standing, queued), (actions, code, [(CAP * 9_000,)], 0))
        self.assertEqual([slot for _points, slot in actions], list(range(1, CAP + 1)))

