"""Routing rules applied by the mention pipeline, in batch and in sequence order."""
from datetime import timedelta

from odoo import fields
from odoo.tests import new_test_user, tagged

from .common import SocialCrmCommon


@tagged("social_crm", "post_install", "-at_install")
class TestRoutingRule(SocialCrmCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Rule = cls.env["social.routing.rule"]
        cls.Rule.search([]).active = False  # only this test's rules
        cls.vip = cls.env["res.partner.category"].create({"name": "VIP"})
        cls.ann.category_id = cls.vip
        cls.members = [new_test_user(cls.env, login=f"sc_route_{i}", name=f"Router {i}",
                                     groups="social_crm.social_crm_group_user") for i in range(3)]
        cls.team = cls.env["crm.team"].create(
            {"name": "Care team", "member_ids": [(6, 0, [user.id for user in cls.members])]})
        cls.source = cls.env["social.source"].create({"name": "Routing hook", "source_type": "webhook", "network": "x"})
        cls.other_source = cls.env["social.source"].create(
            {"name": "Routing feed", "source_type": "webhook", "network": "mastodon"})

    def item(self, external_id, text="Hello", handle="someone", followers=10, **author):
        return {"id": external_id, "text": text, "lang": "en", "posted_at": fields.Datetime.now().isoformat() + "Z",
                "author": {"handle": handle, "followers": followers, **author}}

    def ingest(self, *items, source=None):
        mentions = self.env["social.mention"]._ingest(source or self.source, list(items))["mentions"]
        return self.env["social.mention"].browse([mentions[i].id for i in sorted(mentions)])

    def test_conditions_and_actions(self):
        refund = self.Rule.create({"name": "Refunds", "sequence": 1, "keywords": "refund, money back",
                                   "team_id": self.team.id, "assign_mode": "user", "user_id": self.members[2].id,
                                   "priority": "2"})
        big = self.Rule.create({"name": "Big accounts", "sequence": 2, "min_reach": 10000, "priority": "1",
                                "stop": False})
        self.Rule.create({"name": "Spam", "sequence": 3, "keywords": "crypto", "ignore": True})
        vip = self.Rule.create({"name": "VIP", "sequence": 4, "partner_category_ids": [(6, 0, self.vip.ids)],
                                "assign_mode": "user", "user_id": self.members[0].id})
        a, b, c, d, e = self.ingest(
            self.item("r1", "I want a REFUND now", followers=20000),  # refund stops: priority 2 kept
            self.item("r2", "Free crypto!!!", followers=50000),  # big (goes on) then spam
            self.item("r3", "Love it", handle="ann_test", email="ann.test@example.com"),  # VIP
            self.item("r4", "refunded? no: refundable"),  # no whole word
            self.item("r5", "Nice", followers=10000),  # big only
        )
        self.assertEqual((a.routing_rule_id, a.team_id, a.user_id, a.priority, a.state),
                         (refund, self.team, self.members[2], "2", "new"))
        self.assertEqual((b.state, b.priority, b.response_breached), ("ignored", "1", False))
        self.assertEqual((c.partner_id, c.routing_rule_id, c.user_id), (self.ann, vip, self.members[0]))
        self.assertEqual((d.routing_rule_id.id, d.priority), (False, "0"))
        self.assertEqual((e.routing_rule_id, e.priority), (big, "1"))

    def test_language_network_source_and_buying_signal(self):
        rule = self.Rule.create({"name": "French Mastodon sales", "langs": "fr, de", "network": "mastodon",
                                 "source_ids": [(6, 0, self.other_source.ids)], "buying_signal": True,
                                 "priority": "2"})
        price = "Combien coûte l'Acme Pro ? how much is it"
        matched, other_lang = self.ingest(
            {**self.item("l1", price, handle="@fr@example.social"), "lang": "fr-FR"},
            {**self.item("l2", price, handle="@en@example.social")}, source=self.other_source)
        self.assertTrue(matched.buying_signal_rule_id)
        self.assertEqual((matched.routing_rule_id, other_lang.routing_rule_id.id), (rule, False))
        elsewhere = self.ingest({**self.item("l3", price), "lang": "fr"})
        self.assertFalse(elsewhere.routing_rule_id, "another source")

    def test_rule_changes_apply_to_the_next_batch(self):
        """Ingestion keeps the list of rules per process: a rule created, reordered, archived or deleted
        after a batch applies to the next one."""
        self.assertFalse(self.ingest(self.item("c1", "refund please")).routing_rule_id)
        refunds = self.Rule.create({"name": "Refunds", "keywords": "refund", "priority": "2"})
        self.assertEqual(self.ingest(self.item("c2", "refund please")).routing_rule_id, refunds)
        urgent = self.Rule.create({"name": "Urgent refunds", "keywords": "refund", "priority": "1", "sequence": 20})
        self.assertEqual(self.ingest(self.item("c3", "refund please")).routing_rule_id, refunds)
        refunds.sequence = 30
        self.assertEqual(self.ingest(self.item("c4", "refund please")).routing_rule_id, urgent)
        urgent.active = False
        self.assertEqual(self.ingest(self.item("c5", "refund please")).routing_rule_id, refunds)
        refunds.unlink()
        self.assertFalse(self.ingest(self.item("c6", "refund please")).routing_rule_id)

    def test_round_robin_and_least_loaded(self):
        rr = self.Rule.create({"name": "Turns", "keywords": "turn", "team_id": self.team.id,
                               "assign_mode": "round_robin"})
        mentions = self.ingest(*(self.item(f"t{i}", "my turn", handle=f"turn_{i}") for i in range(4)))
        ids = [u.id for u in self.members]
        self.assertEqual(mentions.mapped("user_id").ids[:3], ids)
        self.assertEqual(mentions[3].user_id.id, ids[0])
        self.assertEqual(rr.last_user_id.id, ids[0])
        more = self.ingest(self.item("t9", "my turn", handle="turn_9"))
        self.assertEqual(more.user_id.id, ids[1], "goes on from the last one")
        rr.active = False
        self.Rule.create({"name": "Load", "keywords": "load", "team_id": self.team.id, "assign_mode": "least_loaded"})
        # open mentions now: member 0 has 2, member 1 has 2, member 2 has 1
        loaded = self.ingest(*(self.item(f"ld{i}", "load", handle=f"load_{i}") for i in range(3)))
        self.assertEqual(loaded.mapped("user_id").ids, [ids[2], ids[0], ids[1]])

    def test_batch_of_1000_with_rules_in_bounded_queries(self):
        self.Rule.create([{"name": f"Rule {i}", "sequence": i, "keywords": f"word{i}", "team_id": self.team.id,
                           "assign_mode": "least_loaded" if i % 2 else "round_robin", "stop": False}
                          for i in range(5)])
        self.Rule.create({"name": "VIP", "partner_category_ids": [(6, 0, self.vip.ids)], "priority": "2"})

        def run(prefix, count):
            items = [self.item(f"{prefix}{i}", f"word{i % 6} and more", handle=f"{prefix}_{i}") for i in range(count)]
            before = self.cr.sql_log_count
            mentions = self.ingest(*items)
            return self.cr.sql_log_count - before, mentions

        run("warm", 10)
        small, _mentions = run("s", 10)
        big, mentions = run("b", 1000)
        self.assertEqual(len(mentions), 1000)
        self.assertEqual(len(mentions.filtered("routing_rule_id")), sum(1 for i in range(1000) if i % 6 != 5))
        self.assertLessEqual(big, small + 40, "the rules cost no query per mention")

    def test_test_mode_shows_last_week_matches(self):
        old, recent, other = self.env["social.mention"].create([{
            "source_id": self.source.id, "network": "x", "external_id": f"tm{i}", "author_handle": f"tm_{i}",
            "body": body, "posted_at": fields.Datetime.now() - timedelta(days=days)}
            for i, (body, days) in enumerate((("refund please", 10), ("refund please", 2), ("thanks", 1)))])
        rule = self.Rule.create({"name": "Refunds", "keywords": "refund"})
        action = rule.action_test_rule()
        matched = self.env["social.mention"].search(action["domain"])
        self.assertIn(recent, matched)
        self.assertNotIn(old, matched)
        self.assertNotIn(other, matched)
        self.assertEqual(action["res_model"], "social.mention")
