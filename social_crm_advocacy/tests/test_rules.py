from datetime import date

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import AdvocacyCommon


@tagged("social_crm_advocacy", "post_install", "-at_install")
class TestAdvocacyRules(AdvocacyCommon):
    """Rules validate their input; ``_award`` applies the best rule, caps and anti-gaming checks."""

    def test_validation_messages(self):
        Rule = self.env["social.advocacy.rule"]
        cases = [
            ({"points": 0}, "points must be between 1 and 10000"),
            ({"points": -5}, "points must be between 1 and 10000"),
            ({"points": 10_001}, "points must be between 1 and 10000"),
            ({"cap_period": "week", "cap_count": 0}, "a cap per period needs a count of at least 1"),
            ({"cap_count": 3}, "choose the period the cap of 3 applies to"),
            ({"min_sentiment": 1.5}, "minimum sentiment is a score between -1 and 1"),
        ]
        for vals, message in cases:
            with self.subTest(vals=vals), self.assertRaisesRegex(ValidationError, message), \
                    self.env.cr.savepoint():
                Rule.create({"name": "Bad", "action_type": "share", "points": 10, **vals})
        rule = Rule.create({"name": "Good", "action_type": "share", "points": 10_000,
                            "cap_period": "day", "cap_count": 1})
        with self.assertRaisesRegex(ValidationError, "Rule Good: points"), self.env.cr.savepoint():
            rule.points = 0
        self.assertEqual(rule.points, 10_000)

    def test_best_matching_rule_network_and_company(self):
        Rule = self.env["social.advocacy.rule"]
        Rule.create([
            {"name": "Share on X", "action_type": "share", "points": 50, "network": "x"},
            {"name": "Share, other company", "action_type": "share", "points": 90,
             "company_id": self.env["res.company"].create({"name": "Other Co"}).id},
        ])
        on_forum = self._mention(self.ann, "s1")
        on_x = self._mention(self.ann, "s2", network="x")
        actions = Rule._award([(self.ann, "share", on_forum, date(2026, 3, 2)),
                               (self.ann, "share", on_x, date(2026, 3, 2))])
        self.assertEqual(sorted(actions.mapped("points")), [5, 50])
        self.assertEqual(actions.filtered(lambda a: a.mention_id == on_x).rule_id.name, "Share on X")
        self.assertEqual(self.ann.advocacy_balance, 55)

    def test_no_rule_no_points(self):
        vals_list, skipped = self.env["social.advocacy.rule"]._award_plan(
            [(self.ann, "ugc", self._mention(self.ann, "u1"), date(2026, 3, 2))])
        self.assertEqual((vals_list, skipped), ([], [(0, "no rule")]))

    def test_duplicates_in_batch_and_across_batches(self):
        Rule = self.env["social.advocacy.rule"]
        mention = self._mention(self.ann, "d1")
        first = Rule._award([(self.ann, "share", mention, date(2026, 3, 2)),
                             (self.ann, "share", mention, date(2026, 3, 2))])
        self.assertEqual(len(first), 1)
        _vals, skipped = Rule._award_plan([(self.ann, "share", mention, date(2026, 3, 3))])
        self.assertEqual(skipped, [(0, "duplicate")])
        self.assertFalse(Rule._award([(self.ann, "share", mention, date(2026, 3, 3))]))
        self.assertEqual(self._ledger_sum(self.ann), 5)

    def test_caps_per_period(self):
        Rule = self.env["social.advocacy.rule"]
        self.rule_manual_share.write({"cap_period": "week", "cap_count": 2})
        mentions = [self._mention(self.ann, f"c{i}") for i in range(6)]
        monday, sunday, next_monday = date(2026, 3, 2), date(2026, 3, 8), date(2026, 3, 9)
        first = Rule._award([(self.ann, "share", mentions[0], monday),
                             (self.ann, "share", mentions[1], sunday),
                             (self.ann, "share", mentions[2], sunday),
                             (self.bob, "share", self._mention(self.bob, "cb"), sunday)])
        self.assertEqual(len(first), 3, "two for Ann in the week, Bob has his own cap")
        # The cap counts what is already in the ledger, not only the batch.
        self.assertFalse(Rule._award([(self.ann, "share", mentions[3], monday)]))
        second = Rule._award([(self.ann, "share", mentions[4], next_monday),
                              (self.ann, "share", mentions[5], next_monday)])
        self.assertEqual(len(second), 2, "a new week, a new cap")
        self.assertEqual(self._ledger_sum(self.ann), 4 * 5)

    def test_community_answer_self_dealing(self):
        Rule = self.env["social.advocacy.rule"]
        ann_colleague = self.env["res.partner"].create({"name": "Ann's colleague", "parent_id": self.ann.id})
        question = self._mention(self.bob, "q")
        own_question = self._mention(self.ann, "oq")
        answers = [self._mention(self.ann, "a1", parent=question),
                   self._mention(self.ann, "a2", parent=own_question),
                   self._mention(ann_colleague, "a3", parent=own_question),
                   self._mention(self.ann, "a4")]
        # created mentions are scored as ingested ones are: the answer to another customer earned its points
        earned = self.env["social.advocacy.action"].search([("mention_id", "in", [a.id for a in answers])])
        self.assertEqual((earned.mention_id, earned.action_type, earned.points), (answers[0], "community_answer", 15))
        _vals, skipped = Rule._award_plan([(answer.partner_id, "community_answer", answer, date(2026, 3, 2))
                                           for answer in answers])
        self.assertEqual(skipped, [(0, "duplicate"), (1, "self-dealing"), (2, "self-dealing"),
                                   (3, "not an answer to a customer")])

    def test_action_types_shared_with_rules(self):
        """The rule offers the ledger's types (so ``selection_add`` on the action reaches rules),
        less those nobody scores by rule; each type's own checks are its ``_award_check_<type>``."""
        Rule, Action = self.env["social.advocacy.rule"], self.env["social.advocacy.action"]
        rule_types = dict(Rule._fields["action_type"]._description_selection(self.env))
        action_types = dict(Action._fields["action_type"]._description_selection(self.env))
        self.assertEqual(rule_types, {code: label for code, label in action_types.items()
                                      if code not in ("manual", "redemption", "reversal")})
        self.assertEqual(rule_types["community_answer"], "Community Answer")
        self.assertLessEqual({"positive_mention", "share", "review", "referral", "community_answer", "ugc"},
                             set(rule_types))
        for action_type in ("manual", "reversal", "bogus"):
            with self.subTest(action_type=action_type), self.env.cr.savepoint(), self.assertRaisesRegex(
                    ValidationError, f"Rule By hand: {action_type} actions are not awarded by rules"):
                Rule.create({"name": "By hand", "action_type": action_type, "points": 10})
        mention = self._mention(self.ann, "t1")
        self.assertEqual(Rule._award_check_referral(self.ann, mention), "referral without order")
        self.assertEqual(Rule._award_check_community_answer(self.ann, mention), "not an answer to a customer")
        self.assertEqual(Rule._award_refusal(self.ann, "referral", mention), "referral without order")
        self.assertIsNone(Rule._award_refusal(self.ann, "share", mention), "no check of its own")
        self.assertEqual(Rule._award_refusal(self.env.company.partner_id, "share", mention), "self-dealing")

    def test_referral_self_dealing(self):
        Rule = self.env["social.advocacy.rule"]
        salesman = self.env["res.users"].create({"name": "Sam Seller", "login": "adv_sam"})
        bob_employee = self.env["res.partner"].create({"name": "Bob's buyer", "parent_id": self.bob.id})
        order_ok = self._order(self.bob)
        order_own_company = self._order(bob_employee)
        order_salesman = self._order(self.carl, user_id=salesman.id)
        _vals, skipped = Rule._award_plan([
            (self.ann, "referral", order_ok, date(2026, 3, 2)),
            (self.bob, "referral", order_own_company, date(2026, 3, 2)),
            (salesman.partner_id, "referral", order_salesman, date(2026, 3, 2)),
            (self.env.company.partner_id, "referral", order_ok, date(2026, 3, 2)),
        ])
        self.assertEqual(skipped, [(1, "self-dealing"), (2, "self-dealing"), (3, "self-dealing")])
        with self.assertRaisesRegex(ValidationError, "cannot refer their own order"), self.env.cr.savepoint():
            self._order(bob_employee, referrer=self.bob)

    def test_min_sentiment(self):
        Mention = self.env["social.mention"]
        if "sentiment_score" not in Mention._fields:
            self.skipTest("social_crm_reputation does not score mentions yet")
        Rule = self.env["social.advocacy.rule"]
        self.rule_manual_share.min_sentiment = 0.5
        lukewarm = self._mention(self.ann, "m1", sentiment_score=0.2, sentiment_label="positive")
        enthusiastic = self._mention(self.ann, "m2", sentiment_score=0.9, sentiment_label="positive")
        _vals, skipped = Rule._award_plan([(self.ann, "share", lukewarm, date(2026, 3, 2)),
                                           (self.ann, "share", enthusiastic, date(2026, 3, 2))])
        self.assertEqual(skipped, [(0, "no rule")])
