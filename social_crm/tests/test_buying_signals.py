from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import SocialCrmCommon


def item(external_id, text, handle="ann_test", lang="en", network="x"):
    return {"id": external_id, "network": network,
            "author": {"handle": handle, "name": handle.title(), "followers": 50},
            "text": text, "url": f"https://x.com/{handle}/status/{external_id}",
            "posted_at": "2026-11-01T10:00:00Z", "lang": lang, "parent_id": None}


@tagged("social_crm", "post_install", "-at_install")
class TestBuyingSignals(SocialCrmCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # only the rules of this test: the default ones would make the expectations depend on data
        cls.env["social.buying.signal.rule"].search([]).active = False
        cls.rule_price_en, cls.rule_where_en, cls.rule_price_fr, cls.rule_compare = \
            cls.env["social.buying.signal.rule"].create([
                {"name": "Price EN", "signal_type": "price", "lang": "en", "sequence": 1,
                 "pattern": r"\bhow much\b|\bprice\b", "create_lead": True},
                {"name": "Where EN", "signal_type": "where_to_buy", "lang": "EN_gb", "sequence": 2,
                 "pattern": r"where can i buy", "create_lead": True},
                {"name": "Prix FR", "signal_type": "price", "lang": "fr", "sequence": 3,
                 "pattern": r"\bcombien\b|\bprix\b", "create_lead": True},
                {"name": "Compare (any language)", "signal_type": "comparison", "sequence": 4,
                 "pattern": r"\bvs\b", "create_lead": False},
            ])
        cls.source = cls.env["social.source"].create(
            {"name": "Signals hook", "source_type": "webhook", "network": "x", "user_id": cls.env.user.id})
        cls.Mention = cls.env["social.mention"]

    def ingest(self, *items):
        """Ingest, then run the job ingestion wakes up to create the queued leads."""
        result = self.Mention._ingest(self.source, list(items))
        self.assertFalse(result["errors"])
        self.Mention._cron_create_signal_leads()
        return [result["mentions"][index] for index in sorted(result["mentions"])]

    def test_rules_match_per_language(self):
        price_en, price_fr_text_en, prix_fr, prix_untagged, where, compare, nothing = self.ingest(
            item("1", "How much is the Acme Pro?"),
            item("2", "Combien pour le Acme Pro ?", handle="someone_en"),  # French words, English tag
            item("3", "Combien coûte le Acme Pro ?", handle="someone_fr", lang="fr"),
            item("4", "PRIX du Acme Pro ?", handle="someone_any", lang=None),
            item("5", "Where can I buy Acme in Lyon?", handle="someone_gb", lang="en-GB"),
            item("6", "Acme vs Globex", handle="someone_de", lang="de"),
            item("7", "Loving my Acme phone", handle="someone_else"),
        )
        self.assertEqual(self.rule_where_en.lang, "en", "languages are stored as their primary code")
        self.assertEqual((price_en.buying_signal_rule_id, price_en.buying_signal_type), (self.rule_price_en, "price"))
        self.assertFalse(price_fr_text_en.buying_signal_rule_id, "a French rule does not fire on an English mention")
        self.assertEqual(prix_fr.buying_signal_rule_id, self.rule_price_fr)
        self.assertEqual(prix_untagged.buying_signal_rule_id, self.rule_price_fr, "untagged: every rule applies")
        self.assertEqual(where.buying_signal_rule_id, self.rule_where_en)
        self.assertEqual(compare.buying_signal_type, "comparison")
        self.assertFalse(nothing.buying_signal_rule_id)
        intent = self.Mention.search([("source_id", "=", self.source.id), ("buying_signal_rule_id", "!=", False)])
        self.assertEqual(len(intent), 5)

    def test_undetermined_language_is_unknown(self):
        """X tags media-only posts "qme" and undetermined ones "und": no language, so every rule applies."""
        media_only, undetermined = self.ingest(item("qme-1", "Prix ?", handle="someone_qme", lang="qme"),
                                               item("und-1", "Prix ?", handle="someone_und", lang="und"))
        self.assertEqual((media_only.buying_signal_rule_id, undetermined.buying_signal_rule_id),
                         (self.rule_price_fr, self.rule_price_fr))
        rule = self.env["social.buying.signal.rule"].create({"name": "Any", "lang": "und", "pattern": "x"})
        self.assertFalse(rule.lang, "a rule for no language applies to every language")

    def test_english_rule_not_on_french_mention(self):
        (mention,) = self.ingest(item("fr-1", "How much? price?", lang="fr"))
        self.assertFalse(mention.buying_signal_rule_id)
        self.assertFalse(mention.lead_id)

    def test_first_rule_by_sequence(self):
        (mention,) = self.ingest(item("seq", "Where can I buy it, and at what price?"))
        self.assertEqual(mention.buying_signal_rule_id, self.rule_price_en)
        self.rule_where_en.sequence = 0
        (mention,) = self.ingest(item("seq-2", "Where can I buy it, and at what price?"))
        self.assertEqual(mention.buying_signal_rule_id, self.rule_where_en)

    def test_rule_changes_apply_to_the_next_batch(self):
        """Ingestion keeps the compiled rules per process: a rule created, changed, archived or deleted
        after a batch applies to the next one."""
        [first] = self.ingest(item("k1", "Is there a demo of the Acme Pro?"))
        self.assertFalse(first.buying_signal_rule_id)
        demo = self.env["social.buying.signal.rule"].create(
            {"name": "Demo", "signal_type": "other", "pattern": r"\bdemo\b", "create_lead": False})
        [second] = self.ingest(item("k2", "Is there a demo of the Acme Pro?", handle="k2_author"))
        self.assertEqual((second.buying_signal_rule_id, second.signal_lead_pending), (demo, False))
        demo.write({"pattern": r"\btrial\b", "signal_type": "quote"})
        demo_text, trial = self.ingest(item("k3", "A demo?", handle="k3_author"), item("k4", "A trial?", handle="k4"))
        self.assertFalse(demo_text.buying_signal_rule_id)
        self.assertEqual((trial.buying_signal_rule_id, trial.buying_signal_type), (demo, "quote"))
        demo.active = False
        [archived] = self.ingest(item("k5", "A trial?", handle="k5_author"))
        self.assertFalse(archived.buying_signal_rule_id)
        demo.active = True
        demo.unlink()
        [deleted] = self.ingest(item("k6", "A trial?", handle="k6_author"))
        self.assertFalse(deleted.buying_signal_rule_id)

    def test_invalid_regex_refused(self):
        with self.assertRaisesRegex(ValidationError, "not a valid regular expression"):
            self.env["social.buying.signal.rule"].create(
                {"name": "Broken", "signal_type": "other", "pattern": "(unclosed"})
        with self.assertRaisesRegex(ValidationError, "not a valid regular expression"), self.cr.savepoint():
            self.rule_price_en.pattern = "[a-"
        self.rule_price_en.invalidate_recordset()
        self.assertEqual(self.rule_price_en.pattern, r"\bhow much\b|\bprice\b", "the stored rule is intact")

    def test_leads_are_queued_then_created_by_the_job(self):
        cron = self.env.ref("social_crm.ir_cron_create_signal_leads")
        Trigger = self.env["ir.cron.trigger"]
        triggers = Trigger.search_count([("cron_id", "=", cron.id)])
        result = self.Mention._ingest(self.source, [item("q1", "What is your price?"), item("q2", "Nice shop.")])
        signal, plain = result["mentions"][0], result["mentions"][1]
        self.assertEqual((signal.signal_lead_pending, signal.lead_id.id), (True, False),
                         "storing the mentions does not wait for the lead")
        self.assertFalse(plain.signal_lead_pending)
        self.assertEqual(Trigger.search_count([("cron_id", "=", cron.id)]), triggers + 1, "the job is woken up")
        self.assertEqual(self.Mention._cron_create_signal_leads(), 1)
        self.assertEqual(signal.lead_id.partner_id, self.ann)
        self.assertFalse(signal.signal_lead_pending)
        self.assertEqual(self.Mention._cron_create_signal_leads(), 0, "nothing twice")

    def test_converting_a_queued_signal_by_hand_dequeues_it(self):
        signal = self.Mention._ingest(self.source, [item("m1", "What is your price?")])["mentions"][0]
        signal.action_create_lead()
        self.assertTrue(signal.lead_id)
        self.assertFalse(signal.signal_lead_pending)
        lead = signal.lead_id
        self.Mention._cron_create_signal_leads()
        self.assertEqual(signal.lead_id, lead)
        self.assertEqual(self.env["crm.lead"].search_count([("partner_id", "=", self.ann.id)]), 1)

    def test_leads_created_in_batch_and_escaped(self):
        hostile = '<script>alert("x")</script> how much for <b>50</b> phones?'
        ann_mention, stranger, stranger_again, compare = self.ingest(
            item("h1", hostile),
            item("h2", "What is your price list?", handle="new_buyer"),
            item("h3", "Still waiting for the price", handle="new_buyer"),
            item("h4", "Acme vs Globex", handle="other_buyer"),
        )
        lead = ann_mention.lead_id
        self.assertTrue(lead)
        self.assertEqual(lead.type, "lead")
        self.assertEqual(lead.partner_id, self.ann)
        self.assertEqual(lead.user_id, self.env.user, "the lead goes to the mention's assignee")
        self.assertEqual(lead.name, "Buying signal: Ann Test on X (Twitter)")
        self.assertEqual(lead.medium_id.name, "X")
        self.assertEqual(lead.source_id.name, "Signals hook")
        self.assertNotIn("<script>", lead.description)
        self.assertIn("&lt;script&gt;", lead.description)
        self.assertIn("&lt;b&gt;50&lt;/b&gt;", lead.description)
        self.assertIn("<blockquote", lead.description, "the quote itself is markup")
        self.assertEqual(stranger.lead_id, stranger_again.lead_id, "one lead per author in a batch")
        self.assertNotEqual(stranger.lead_id, lead)
        self.assertEqual(stranger.lead_id.contact_name, "New_Buyer")
        self.assertEqual(stranger.lead_id.social_mention_count, 2)
        self.assertFalse(compare.lead_id, "the rule does not create leads")
        self.assertEqual(lead.social_mention_ids, ann_mention)

        # the UTM records are found again, not duplicated
        (later,) = self.ingest(item("h5", "Price of the Acme tablet?", handle="third_buyer"))
        self.assertEqual(later.lead_id.medium_id, lead.medium_id)
        self.assertEqual(later.lead_id.source_id, lead.source_id)

    def test_attach_to_open_lead(self):
        old_lead, open_lead = self.env["crm.lead"].create([
            {"name": "Older lead", "partner_id": self.ann.id, "type": "opportunity"},
            {"name": "Ann wants phones", "partner_id": self.ann.id, "type": "opportunity"},
        ])
        (mention,) = self.ingest(item("a1", "how much for 10 phones?"))
        self.assertEqual(mention.lead_id, open_lead, "the latest open lead of the partner is enriched")
        self.assertEqual(self.env["crm.lead"].search_count([("partner_id", "=", self.ann.id)]), 2)
        self.assertIn("how much for 10 phones?", open_lead.message_ids[0].body)

        open_lead.action_set_lost()
        old_lead.action_set_won()
        (other,) = self.ingest(item("a2", "price for 20 phones?"))
        self.assertNotIn(other.lead_id, old_lead | open_lead, "won and lost leads are not reused")
        self.assertEqual(other.lead_id.partner_id, self.ann)

    def test_no_lead_without_create_lead(self):
        self.rule_price_en.create_lead = False
        (mention,) = self.ingest(item("n1", "how much is it?"))
        self.assertEqual(mention.buying_signal_rule_id, self.rule_price_en)
        self.assertFalse(mention.lead_id)
        # created on demand from the form
        action = mention.action_create_lead()
        self.assertTrue(mention.lead_id)
        self.assertEqual((action["res_model"], action["res_id"]), ("crm.lead", mention.lead_id.id))
        self.assertEqual(mention.lead_id.partner_id, self.ann)
        with self.assertRaisesRegex(UserError, "already linked to the lead"):
            mention.action_create_lead()

    def test_query_count_bounded(self):
        def batch(prefix, size):
            return [item(f"{prefix}-{n}", f"how much for {n} phones?", handle=f"{prefix}_{n}") for n in range(size)]

        self.ingest(*batch("warm", 3))  # caches of the registry, UTM records
        self.env.invalidate_all()
        queries_before = self.cr.sql_log_count
        small = self.ingest(*batch("small", 10))
        self.env.flush_all()
        small_count = self.cr.sql_log_count - queries_before
        self.assertTrue(all(mention.lead_id for mention in small))
        self.env.invalidate_all()
        with self.assertQueryCount(small_count + 10):  # not 10 times more: nothing per mention or lead
            big = self.ingest(*batch("big", 100))
        self.assertEqual(len(big), 100)
        self.assertEqual(len(set(m.lead_id.id for m in big)), 100)

    def test_quotation_from_lead(self):
        first, latest = self.ingest(
            item("q1", "price of the Acme Pro?"),
            dict(item("q2", "how much for 5?"), posted_at="2026-11-02T10:00:00Z"),
        )
        lead = latest.lead_id
        self.assertEqual(first.lead_id, lead)
        lead.convert_opportunity(self.ann)
        action = lead.action_sale_quotations_new()
        self.assertEqual(action["context"]["default_social_mention_id"], latest.id)
        order_form = Form(self.env["sale.order"].with_context(**action["context"]))
        order = order_form.save()
        self.assertEqual(order.social_mention_id, latest)
        self.assertEqual(order.social_source_id, self.source)
        self.assertEqual(order.opportunity_id, lead)
        self.assertEqual((order.source_id, order.medium_id), (lead.source_id, lead.medium_id))
        self.assertTrue(order.medium_id)

    def test_partner_mention_count(self):
        self.ingest(item("p1", "hello"), item("p2", "how much?"), item("p3", "hi", handle="someone_else"))
        partners = self.ann | self.bob
        self.assertEqual(partners.mapped("social_mention_count"), [2, 0])
        self.assertEqual(len(self.ann.social_latest_mention_ids), 2)
        self.ingest(*[item(f"p-more-{n}", "hello again") for n in range(6)])
        self.ann.invalidate_recordset()
        self.assertEqual(self.ann.social_mention_count, 8)
        self.assertEqual(len(self.ann.social_latest_mention_ids), 5)
        action = self.ann.action_view_social_mentions()
        self.assertEqual(self.env["social.mention"].search_count(action["domain"]), 8)

    def test_demo_mentions_carry_signals(self):
        demo_source = self.env.ref("social_crm.social_source_webhook_demo", raise_if_not_found=False)
        if not demo_source:
            self.skipTest("no demo data")
        signals = self.Mention.search([("source_id", "=", demo_source.id), ("buying_signal_rule_id", "!=", False)])
        self.assertTrue(signals)
        self.assertTrue(signals.lead_id, "demo buying signals created leads")
        self.assertTrue(set(signals.mapped("buying_signal_type")) >= {"price", "where_to_buy", "recommendation"})
