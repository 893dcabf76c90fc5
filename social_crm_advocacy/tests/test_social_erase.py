from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL

from .common import AdvocacyCommon

POSITIVE = "The Zorblax phone is wonderful, the best purchase I ever made. I LOVE it!"
NEGATIVE = "My Quibbleware charger is the worst, horrible and disgusting. I HATE it!"
REPLY = "Thanks, glad the Zorblax suits you so well!"
# What may remain nowhere in the database once Ann's social data is erased.
TRACES = ("Zorblax", "Quibbleware", "ann_erase")


@tagged("social_crm_advocacy", "post_install", "-at_install")
class TestSocialErase(AdvocacyCommon):
    """A contact with every kind of social data (mentions, a reply, failed items, reputation, a lead,
    advocacy points, a referral, a redemption with its coupon) is erased, then exported empty."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ann.phone = "+1 415 555 0199"
        cls.manager = new_test_user(cls.env, login="erase_mgr", groups="social_crm.social_crm_group_manager")
        cls.user = new_test_user(cls.env, login="erase_user", groups="social_crm.social_crm_group_user")
        cls.x_source = cls.env["social.source"].create({"name": "Erase hook", "source_type": "webhook", "network": "x"})
        cls.ann_x, cls.bob_x = cls.env["social.profile"].create([
            {"partner_id": cls.ann.id, "network": "x", "handle": "@Ann_Erase", "followers": 120},
            {"partner_id": cls.bob.id, "network": "x", "handle": "bob_keeps"},
        ])
        cls.env["social.advocacy.rule"].create(
            {"name": "Positive", "action_type": "positive_mention", "points": 10, "min_sentiment": 0.3})
        cls.tier = cls.env["social.advocacy.tier"].create({"name": "Silver", "min_points": 100})
        now = fields.Datetime.now()

        def item(external_id, handle, text, hours_ago, followers=120, **extra):
            return {"id": external_id, "network": "x", "lang": "en",
                    "author": {"handle": handle, "followers": followers},
                    "text": text, "url": f"https://x.com/{handle}/status/{external_id}",
                    "posted_at": (now - timedelta(hours=hours_ago)).isoformat() + "Z", **extra}

        Mention = cls.env["social.mention"]
        result = Mention._ingest(cls.x_source, [
            item("e1", "Ann_Erase", POSITIVE, 3),
            item("e2", "ann_erase", NEGATIVE, 2, followers=50000),  # loud enough for an alert
            item("e3", "bob_keeps", "Bob likes the Acme phone, the best purchase ever!", 1, parent_id="e1"),
        ])
        cls.positive, cls.negative, cls.bobs = (result["mentions"][index] for index in range(3))
        # a lead from the first mention, the second attached to it (quoted in the lead's chatter)
        cls.positive.action_create_lead()
        cls.lead = cls.positive.lead_id
        cls.negative._create_leads_from_signals()
        # the reply recorded with the composer, a note in the mention's chatter
        cls.env["social.mention.reply"].create({"mention_id": cls.positive.id, "body": REPLY}).action_record()
        cls.negative.message_post(body="Customer care: call back about the Quibbleware charger.")
        # failed items: two about Ann (by handle and e-mail, by phone), one of a look-alike that stays
        Quarantine = cls.env["social.mention.quarantine"]
        cls.failed_ann = Quarantine._record(cls.x_source, [
            ({"id": "q1", "network": "x", "author": {"handle": "@ANN_ERASE", "email": "Ann.Advocate@Example.com"},
              "text": "Zorblax again"}, "author: bad date"),
            ({"id": "q2", "network": "review", "author": {"name": "A.", "phone": "(415) 555-0199"},
              "text": "Great shop"}, "author: needs a handle"),
        ])
        cls.failed_other = Quarantine._record(cls.x_source, [
            ({"id": "q3", "network": "x", "author": {"handle": "joann_erase2", "phone": "+1 415 555 01990"},
              "text": "Nice"}, "author: bad date")])
        cls.suggestion = cls.env["social.merge.suggestion"].create({
            "profile_id": cls.ann_x.id, "partner_a_id": cls.ann.id, "partner_b_id": cls.carl.id,
            "reason": "shared_email", "evidence": "ann_erase"})
        # advocacy: a manual grant, a referral, a redemption paid with a coupon
        cls.env["social.advocacy.action"].create({"partner_id": cls.ann.id, "action_type": "manual", "points": 500})
        cls.referred = cls._order(cls.bob, referrer=cls.ann)
        cls.referred.action_confirm()
        program = cls.env["loyalty.program"].create({"name": "Advocate coupon", "program_type": "coupons"})
        reward = cls.env["social.advocacy.reward"].create({
            "name": "10% coupon", "reward_type": "coupon", "points_cost": 100,
            "loyalty_program_id": program.id, "loyalty_points": 1})
        cls.redemption = cls.env["social.advocacy.redemption"].create(
            {"partner_id": cls.ann.id, "reward_id": reward.id})
        cls.redemption.with_user(cls.manager).action_approve()
        cls.carl_action = cls.env["social.advocacy.action"].create(
            {"partner_id": cls.carl.id, "action_type": "manual", "points": 40})
        cls.ann.action_recompute_social_reputation()
        cls.alert = cls.env["social.reputation.alert"].search([("mention_id", "=", cls.negative.id)])

    def _daily_totals(self):
        self.env["social.reputation.daily"].flush_model()
        return self.env.execute_query(SQL("""
            SELECT COALESCE(SUM(mention_count), 0), COALESCE(SUM(positive_count), 0),
                   COALESCE(SUM(negative_count), 0), COALESCE(SUM(scored_count), 0),
                   COUNT(*) FILTER (WHERE mention_count <> positive_count + neutral_count + negative_count
                                                        + unscored_count
                                       OR scored_count <> positive_count + neutral_count + negative_count)
              FROM social_reputation_daily WHERE source_id = %s
        """, self.x_source.id))[0]

    def _text_columns_holding(self, term):
        """``table.column`` of every text column of the database holding the word ``term``."""
        self.env.flush_all()
        columns = self.env.execute_query(SQL("""
            SELECT c.table_name, c.column_name FROM information_schema.columns c
              JOIN information_schema.tables t ON t.table_name = c.table_name AND t.table_schema = c.table_schema
             WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
               AND c.data_type IN ('text', 'character varying', 'jsonb')
        """))
        found = []
        for table, column in columns:
            [(hit,)] = self.env.execute_query(SQL(
                "SELECT EXISTS(SELECT 1 FROM %s WHERE %s::text ~* %s)",
                SQL.identifier(table), SQL.identifier(column), rf"\m{term}\M"))
            if hit:
                found.append(f"{table}.{column}")
        return found

    def test_set_up_holds_everything(self):
        """The contact really has each kind of data the erasure must remove."""
        self.assertEqual((self.positive.partner_id, self.negative.partner_id), (self.ann, self.ann))
        self.assertEqual(self.positive.sentiment_label, "positive")
        self.assertEqual(self.lead.partner_id, self.ann)
        self.assertEqual(self.negative.lead_id, self.lead)
        self.assertIn("Zorblax", self.lead.description)
        self.assertTrue(self.lead.message_ids.filtered(lambda m: "Quibbleware" in (m.body or "")))
        self.assertEqual(self.ann.social_reputation_evidence, 2)
        self.assertEqual(self.alert.kind, "high_reach_negative")
        self.assertIn("ann_erase", self.alert.name)
        self.assertEqual(self.ann.advocacy_tier_id, self.tier)
        self.assertEqual(self.redemption.state, "approved")
        self.assertTrue(self.redemption.coupon_id)
        self.assertEqual(self.ann.advocacy_balance, 10 + 500 + 200 - 100)
        self.assertEqual(self.referred.advocacy_referrer_id, self.ann)
        self.assertIn("social_mention.author_handle", self._text_columns_holding("ann_erase"))
        self.assertIn("social_mention_quarantine.payload", self._text_columns_holding("Zorblax"))

    def test_export(self):
        data = self.ann.sudo()._social_export_data()
        self.assertEqual(data["contact"], {"id": self.ann.id, "name": "Ann Advocate",
                                           "email": "ann.advocate@example.com", "phone": "+1 415 555 0199",
                                           "social_opt_out": False})
        self.assertEqual([(p["network"], p["handle"], p["url"], p["followers"]) for p in data["profiles"]],
                         [("x", "@Ann_Erase", "https://x.com/ann_erase", 120)])
        first, second = data["mentions"]
        self.assertEqual((first["external_id"], first["text"], first["author_handle"], first["source"]),
                         ("e1", POSITIVE, "Ann_Erase", "Erase hook"))
        self.assertEqual(first["url"], "https://x.com/Ann_Erase/status/e1")
        self.assertEqual(first["state"], "answered")
        self.assertEqual(first["reply"]["text"], REPLY)
        self.assertTrue(first["reply"]["recorded_at"])
        self.assertEqual(first["lead_id"], self.lead.id)
        self.assertEqual((first["sentiment_label"], second["sentiment_label"]), ("positive", "negative"))
        self.assertGreater(first["sentiment_score"], 0.3)
        self.assertEqual((second["external_id"], second["text"], second["reply"]), ("e2", NEGATIVE, None))
        self.assertEqual([item["external_id"] for item in data["failed_items"]], ["q1", "q2"])
        self.assertEqual(data["failed_items"][0]["payload"]["author"]["email"], "Ann.Advocate@Example.com")
        self.assertEqual(data["failed_items"][1]["error"], "author: needs a handle")
        self.assertEqual([(s["reason"], s["contacts"]) for s in data["merge_suggestions"]],
                         [("shared_email", [self.ann.id, self.carl.id])])
        self.assertEqual(data["leads"], [{"id": self.lead.id, "name": self.lead.name,
                                          "mention_ids": sorted([self.positive.id, self.negative.id])}])
        self.assertEqual(data["reputation"]["evidence"], 2)
        self.assertEqual(data["reputation"]["score"], self.ann.social_reputation_score)
        advocacy = data["advocacy"]
        self.assertEqual(sorted((a["type"], a["points"]) for a in advocacy["actions"]),
                         [("manual", 500), ("positive_mention", 10), ("redemption", -100), ("referral", 200)])
        self.assertEqual([(c["balance"], c["tier"]) for c in advocacy["companies"]], [(610, "Silver")])
        self.assertEqual(advocacy["referral_code"], self.ann.advocacy_referral_code)
        self.assertEqual([(r["reward"], r["points"], r["state"], r["coupon"]) for r in advocacy["redemptions"]],
                         [("10% coupon", 100, "approved", self.redemption.coupon_id.code)])
        self.assertEqual([(c["to"], c["from"]) for c in advocacy["tier_changes"]], [("Silver", None)])
        self.assertEqual(advocacy["referred_orders"], [self.referred.name])

    def test_erase_refused_for_user(self):
        with self.assertRaises(AccessError):
            self.ann.with_user(self.user).action_social_erase()
        self.assertTrue(self.positive.exists())

    def test_erase_everything(self):
        totals_before = self._daily_totals()
        coupon = self.redemption.coupon_id
        carl_balance = self.carl.advocacy_balance
        self.ann.with_user(self.manager).action_social_erase()
        self.env.invalidate_all()

        # social_crm: profiles, mentions with their chatter, failed items, suggestions, the lead's quotes
        self.assertFalse(self.ann.social_profile_ids)
        self.assertFalse((self.positive | self.negative).exists())
        self.assertFalse(self.env["mail.message"].search_count(
            [("model", "=", "social.mention"), ("res_id", "in", (self.positive | self.negative).ids)]))
        self.assertEqual(self.bobs.exists().body, "Bob likes the Acme phone, the best purchase ever!")
        self.assertFalse(self.bobs.parent_id)
        self.assertTrue(self.bob_x.exists())
        self.assertFalse(self.failed_ann.exists())
        self.assertEqual(self.failed_other.exists(), self.failed_other, "a look-alike handle and number stay")
        self.assertFalse(self.suggestion.exists())
        self.assertTrue(self.lead.exists(), "the lead stays, without the mentions")
        self.assertEqual(self.lead.partner_id, self.ann)
        self.assertNotIn("Zorblax", self.lead.description or "")
        # reputation: no score, no evidence (no company-dependent value at all); the series keeps its anonymous,
        # consistent counts
        [(score, evidence, dirty)] = self.env.execute_query(SQL(
            "SELECT social_reputation_score, social_reputation_evidence, social_reputation_dirty"
            " FROM res_partner WHERE id = %s", self.ann.id))
        self.assertEqual((score, evidence, dirty), (None, None, False))
        totals_after = self._daily_totals()
        self.assertEqual(totals_after, totals_before)
        self.assertEqual(totals_after[0], 3)
        self.assertEqual(totals_after[4], 0, "every row's counts add up")
        self.assertFalse(self.alert.exists())
        self.assertFalse(self.env["mail.activity"].search_count(
            [("res_model", "=", "social.reputation.alert"), ("res_id", "=", self.alert.id)]))
        # advocacy: ledger, standing, tier history, redemption, referral gone; the others' ledger intact
        self.assertFalse(self.env["social.advocacy.action"].search_count([("partner_id", "=", self.ann.id)]))
        self.assertFalse(self.env["social.advocacy.standing"].search_count([("partner_id", "=", self.ann.id)]))
        self.assertFalse(self.env["social.advocacy.tier.history"].search_count([("partner_id", "=", self.ann.id)]))
        self.assertFalse(self.redemption.exists())
        self.assertEqual((self.ann.advocacy_balance, self.ann.advocacy_points), (0, 0))
        self.assertFalse(self.ann.advocacy_tier_id)
        self.assertFalse(self.ann.advocacy_referral_code)
        self.assertFalse(self.referred.advocacy_referrer_id)
        self.assertEqual(self.referred.state, "sale", "the order stays")
        self.assertEqual(self.carl.advocacy_balance, carl_balance)
        self.assertEqual(self.carl_action.exists().points, 40)
        self.assertTrue(coupon.exists(), "the coupon issued stays the customer's")
        # nothing of the texts or the handle anywhere in the database
        for term in TRACES:
            with self.subTest(term=term):
                self.assertEqual(self._text_columns_holding(term), [])
        # one content-free trace, with counts
        trace = self.ann.message_ids[0]
        self.assertIn("Social data erased", trace.body)
        for count in ("1 social profiles", "2 mentions", "2 failed items", "1 merge suggestions",
                      "4 advocacy actions", "1 redemptions", "1 reputation scores", "1 reputation alerts"):
            self.assertIn(count, trace.body)
        # the export now holds nothing social
        data = self.ann.sudo()._social_export_data()
        self.assertEqual([data[key] for key in ("profiles", "mentions", "failed_items", "merge_suggestions",
                                               "leads", "reputation_alerts")], [[]] * 6)
        self.assertEqual((data["advocacy"]["actions"], data["advocacy"]["companies"]), ([], []))
        self.assertEqual(data["reputation"]["evidence"], 0)
