from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import SocialCrmCommon


@tagged("social_crm", "post_install", "-at_install")
class TestMentionPipeline(SocialCrmCommon):
    """``create`` runs what ingestion runs: the values completed from the source and the text, then
    threads, response activities and the lead queue; ingestion's bulk insert checks the constraints
    ``create`` checks. The same items made both ways are compared in tests/test_mention_paths.py."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["social.buying.signal.rule"].search([]).active = False
        cls.rule = cls.env["social.buying.signal.rule"].create({
            "name": "Price", "signal_type": "price", "lang": "en", "pattern": r"\bhow much\b", "create_lead": True})
        cls.agent = cls.env["res.users"].create({"name": "Agent Pipeline", "login": "pipeline_agent"})
        cls.source = cls.env["social.source"].create({
            "name": "Pipeline hook", "source_type": "webhook", "network": "x", "user_id": cls.agent.id})
        cls.Mention = cls.env["social.mention"]
        cls.answer_type = cls.env.ref("social_crm.mail_activity_type_social_answer")

    def vals(self, external_id, **extra):
        return {"source_id": self.source.id, "network": "x", "external_id": external_id,
                "author_handle": "ann_test", "partner_id": self.ann.id, "body": "Loving it", "lang": "en",
                "posted_at": fields.Datetime.now(), **extra}

    def test_create_completes_and_follows_up_as_ingestion(self):
        signal, plain = self.Mention.create([self.vals("p1", body="How much is the Acme Pro?"), self.vals("p2")])
        self.assertEqual((signal.company_id, signal.user_id), (self.source.company_id, self.agent),
                         "the company and the responsible of the source")
        self.assertEqual((signal.buying_signal_rule_id, signal.buying_signal_type, signal.signal_lead_pending),
                         (self.rule, "price", True))
        self.assertEqual((plain.buying_signal_rule_id, plain.signal_lead_pending), (self.rule.browse(), False))
        self.assertTrue(self.env["ir.cron.trigger"].search(
            [("cron_id", "=", self.env.ref("social_crm.ir_cron_create_signal_leads").id)]), "the lead job is woken up")
        for mention in (signal, plain):
            self.assertEqual((mention.activity_ids.activity_type_id, mention.activity_ids.user_id),
                             (self.answer_type, self.agent), "one response activity for the assignee")
        self.Mention._create_queued_signal_leads()
        self.assertEqual((signal.lead_id.partner_id, signal.signal_lead_pending), (self.ann, False))
        self.assertFalse(plain.lead_id)

    def test_given_values_are_kept(self):
        mention = self.Mention.create(self.vals("g1", user_id=self.env.user.id, body="How much?",
                                                buying_signal_rule_id=False))
        self.assertEqual((mention.user_id, mention.buying_signal_rule_id), (self.env.user, self.rule.browse()))
        self.assertEqual(mention.activity_ids.user_id, self.env.user)

    def test_create_links_threads_both_ways(self):
        reply = self.Mention.create(self.vals("t2", parent_external_id="t1"))
        self.assertFalse(reply.parent_id, "its parent is not stored yet")
        parent = self.Mention.create(self.vals("t1"))
        self.assertEqual(reply.parent_id, parent, "the stored reply finds its new parent")
        second = self.Mention.create(self.vals("t3", parent_external_id="t1"))
        self.assertEqual(parent.child_ids, reply | second)

    def test_company_of_the_source(self):
        other = self.env["res.company"].create({"name": "Pipeline other company"})
        with self.assertRaisesRegex(ValidationError, "belong to its company"), self.env.cr.savepoint():
            self.Mention.create(self.vals("c1", company_id=other.id))
        # ingestion's bulk insert checks it too: the refused row fails alone
        errors = {}
        good, bad = (self.Mention._parse_item({"id": external_id, "author": {"handle": "ann_test"}}, self.source)
                     for external_id in ("c2", "c3"))
        bad["company_id"] = other.id
        for vals in (good, bad):
            del vals["_author"]
        created, _meanwhile = self.Mention._create_mentions({0: good, 1: bad}, errors)
        self.assertEqual(list(created), [0])
        self.assertEqual(created[0].external_id, "c2")
        self.assertRegex(errors[1], r"^refused: The mentions of Pipeline hook belong to its company")
        self.assertFalse(self.Mention.search([("external_id", "=", "c3")]))

    def test_profiles_stored_in_bulk_are_checked(self):
        """Ingestion stores new authors' profiles with one COPY: the handle is checked as ``create`` checks it."""
        vals = {"network": "x", "handle": "two words", "identity_type": "handle", "source_id": False,
                "canonical_handle": "two words", "canonical_key": "x:two words", "name": False, "followers": 0,
                "company_id": self.company.id, "partner_id": False, "url": False, "active": True}
        with self.assertRaisesRegex(ValidationError, "Invalid social profile"), self.env.cr.savepoint():
            self.env["social.identity"]._create_profiles({"x:two words": vals})
        self.assertFalse(self.env["social.profile"].search([("canonical_key", "=", "x:two words")]))
