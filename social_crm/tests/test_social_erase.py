import json
from datetime import timedelta

from markupsafe import Markup

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException

from ..models.res_partner import strip_quotes
from .common import SocialCrmCommon

TEXT = "Where can I buy the Frobnitz phone in Brussels?"


def item(external_id, handle, text=TEXT, **extra):
    return {"id": external_id, "network": "x", "lang": "en", "author": {"handle": handle, "followers": 5},
            "text": text, "url": f"https://x.com/{handle}/status/{external_id}",
            "posted_at": (fields.Datetime.now() - timedelta(hours=1)).isoformat() + "Z", **extra}


@tagged("social_crm", "post_install", "-at_install")
class TestSocialErase(SocialCrmCommon):
    """Erasure and export of a contact's social data, as far as the base addon holds it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(cls.env, login="sc_erase_mgr", groups="social_crm.social_crm_group_manager")
        cls.source = cls.env["social.source"].create({"name": "Erase source", "source_type": "webhook", "network": "x"})
        cls.ann_bsky = cls.env["social.profile"].create(
            {"partner_id": cls.ann.id, "url": "https://bsky.app/profile/ann.bsky.social"})
        result = cls.env["social.mention"]._ingest(cls.source, [
            item("m1", "ann_test"), item("m2", "bob_other", "Bob says the Frobnitz is fine")])
        cls.mention, cls.bobs = result["mentions"][0], result["mentions"][1]

    def failed(self, *payloads):
        return self.env["social.mention.quarantine"]._record(
            self.source, [(payload, "author: invalid") for payload in payloads])

    def test_failed_items_found_by_identity(self):
        mine = self.failed(
            {"id": "f1", "author": {"handle": "@ANN_TEST"}},
            {"id": "f2", "author": {"url": "https://twitter.com/Ann_Test?s=20"}},
            {"id": "f3", "author": {"url": "https://bsky.app/profile/ann.bsky.social"}},
            {"id": "f4", "author": {"name": "Ann", "email": "ANN.TEST@example.com"}},
            {"id": "f5", "author": {"name": "Ann", "phone": "(415) 555-0177"}},
            {"id": "f6", "author": {"name": "Ann", "phone": "+14155550177"}},
        )
        # cut payloads are not JSON any more: they are still searched as text
        mine |= self.env["social.mention.quarantine"].sudo().create({
            "source_id": self.source.id, "payload": '{"author": {"handle": "ann_test", "na', "error": "cut"})
        others = self.failed(
            {"id": "o1", "author": {"handle": "joann_test"}},
            {"id": "o2", "author": {"handle": "ann_test2"}},
            {"id": "o3", "author": {"email": "xann.test@example.com"}},
            {"id": "o4", "author": {"email": "ann.test@example.com.au"}},
            {"id": "o5", "author": {"phone": "+1 415 555 01770"}},
            {"id": "o6", "author": {"handle": "someone"}, "text": "ann test is a name, not a handle"},
        )
        found = self.ann._social_data_quarantine(self.ann._social_data_profiles(), self.mention)
        self.assertEqual(found, mine)
        self.assertFalse(found & others)

    def test_failed_item_of_an_erased_mention(self):
        """An item that failed, then was ingested as one of the mentions, goes with it."""
        retried = self.failed({"id": "m1", "author": {"name": "?"}, "text": TEXT})
        retried.write({"state": "done", "mention_id": self.mention.id})
        self.assertEqual(self.ann._social_data_quarantine(self.env["social.profile"], self.mention), retried)

    def test_erase(self):
        lead = self.env["crm.lead"].create({"name": "Frobnitz", "partner_id": self.ann.id})
        self.mention.lead_id = lead
        lead.description = self.mention._lead_note() + Markup("<p>Called back on Monday.</p>")
        lead.message_post(body=self.mention._lead_note())
        lead.message_post(body="Quote sent.")
        # a tracked text field of another record that once held the mention's text
        field = self.env["ir.model.fields"]._get("crm.lead", "description")
        lead._message_log(body="", tracking_value_ids=[Command.create(
            {"field_id": field.id, "old_value_char": False, "new_value_char": TEXT[:100]})])
        self.mention.message_post(body="Internal note on the mention")
        failed = self.failed({"id": "f1", "author": {"handle": "ann_test"}})

        self.ann.with_user(self.manager).action_social_erase()

        self.assertFalse(self.ann.social_profile_ids)
        self.assertFalse(self.mention.exists())
        self.assertFalse(failed.exists())
        self.assertTrue(self.bobs.exists())
        self.assertFalse(self.env["mail.message"].search_count(
            [("model", "=", "social.mention"), ("res_id", "=", self.mention.id)]))
        self.assertTrue(lead.exists())
        self.assertNotIn("Frobnitz phone", lead.description)
        self.assertNotIn("x.com/ann_test", lead.description)
        self.assertIn("Called back on Monday.", lead.description)
        bodies = lead.message_ids.mapped("body")
        self.assertFalse([body for body in bodies if "Frobnitz phone" in (body or "")])
        self.assertIn("<p>Quote sent.</p>", bodies)
        self.assertFalse(self.env["mail.tracking.value"].sudo().search_count(
            ["|", ("new_value_char", "ilike", "Frobnitz phone"), ("old_value_char", "ilike", "Frobnitz phone")]))
        trace = self.ann.message_ids[0].body
        self.assertIn("2 social profiles", trace)
        self.assertIn("1 mentions", trace)
        self.assertIn("1 failed items", trace)
        self.assertIn("1 leads cleaned", trace)
        self.assertIn("1 tracked values", trace)
        self.assertNotIn("Frobnitz", trace)
        self.assertNotIn("ann_test", trace)

    def test_erase_lead_of_a_profile_without_contact(self):
        """A mention of Ann's profile not linked to her (she was unknown then): its lead is named after
        the handle, which goes with the erasure."""
        mention = self.env["social.mention"]._ingest(self.source, [item("m3", "ann_test")])["mentions"][0]
        mention.partner_id = False
        mention.action_create_lead()
        lead = mention.lead_id
        self.assertEqual((lead.contact_name, lead.name), ("ann_test", "Buying signal: ann_test on X (Twitter)"))
        self.ann.with_user(self.manager).action_social_erase()
        self.assertFalse(mention.exists())
        self.assertEqual((lead.contact_name, lead.name), (False, "Buying signal"))
        self.assertNotIn("Frobnitz", lead.description or "")

    def test_strip_quotes_keeps_what_is_not_a_quote(self):
        note = self.mention._lead_note()
        self.assertEqual(strip_quotes(note, {"WherecanIbuytheFrobnitzphoneinBrussels?"}, {self.mention.url}), "")
        kept = "<p>Other text</p><blockquote>Someone else's words</blockquote>"
        self.assertEqual(strip_quotes(kept, {"WherecanIbuytheFrobnitzphoneinBrussels?"}, set()), kept)

    def test_export_and_erase_refused_for_user(self):
        user = new_test_user(self.env, login="sc_erase_user", groups="social_crm.social_crm_group_user")
        for method in ("action_social_export", "action_social_erase"):
            with self.subTest(method=method), self.assertRaises(AccessError):
                getattr(self.ann.with_user(user), method)()
        self.assertTrue(self.mention.exists())

    def test_export_data(self):
        self.mention.message_post(body="not exported: the chatter is the company's own notes")
        data = self.ann.sudo()._social_export_data()
        self.assertEqual([(p["network"], p["handle"]) for p in data["profiles"]],
                         [("bluesky", "ann.bsky.social"), ("x", "@Ann_Test")])
        [mention] = data["mentions"]
        self.assertEqual(mention["id"], self.mention.id)
        self.assertEqual(mention["text"], TEXT)
        self.assertEqual(mention["author_handle"], "ann_test")
        self.assertEqual(mention["url"], "https://x.com/ann_test/status/m1")
        self.assertEqual(mention["source"], "Erase source")
        self.assertEqual(mention["profile_id"], self.ann_x.id)
        self.assertEqual(mention["posted_at"], fields.Datetime.to_string(self.mention.posted_at))
        self.assertIsNone(mention["reply"])
        self.assertEqual(data["failed_items"], [])


@tagged("social_crm", "post_install", "-at_install")
class TestSocialExportHttp(HttpCase):
    """The export is one JSON file downloaded by a manager, over the web client's RPC and HTTP."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(cls.env, login="sc_export_mgr", password="sc_export_mgr",
                                    groups="social_crm.social_crm_group_manager")
        cls.user = new_test_user(cls.env, login="sc_export_user", password="sc_export_user",
                                 groups="social_crm.social_crm_group_user")
        cls.partner = cls.env["res.partner"].create({"name": "Exported Ann", "email": "exported.ann@example.com"})
        cls.env["social.profile"].create({"partner_id": cls.partner.id, "network": "x", "handle": "exported_ann"})
        source = cls.env["social.source"].create({"name": "Export source", "source_type": "webhook", "network": "x"})
        cls.env["social.mention"]._ingest(source, [item("x1", "exported_ann", "Hello from the export test")])

    def call(self, method):
        return self.make_jsonrpc_request(f"/web/dataset/call_kw/res.partner/{method}", {
            "model": "res.partner", "method": method, "args": [[self.partner.id]], "kwargs": {}})

    def test_export_over_rpc(self):
        self.authenticate("sc_export_mgr", "sc_export_mgr")
        action = self.call("action_social_export")
        self.assertEqual(action["type"], "ir.actions.act_url")
        response = self.url_open(action["url"])
        self.assertEqual(response.status_code, 200)
        self.assertIn(f"social-data-{self.partner.id}.json", response.headers["Content-Disposition"])
        self.assertEqual(response.headers["Content-Type"], "application/json; charset=utf-8")
        data = json.loads(response.content)
        self.assertEqual(data["contact"]["email"], "exported.ann@example.com")
        self.assertEqual([p["handle"] for p in data["profiles"]], ["exported_ann"])
        self.assertEqual([(m["external_id"], m["text"]) for m in data["mentions"]],
                         [("x1", "Hello from the export test")])

    def test_export_refused_to_user(self):
        self.authenticate("sc_export_user", "sc_export_user")
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self.call("action_social_export")
        response = self.url_open(f"/social_crm/partner/{self.partner.id}/social_data")
        self.assertEqual(response.status_code, 403)
        self.assertNotIn("Hello from the export test", response.text)
