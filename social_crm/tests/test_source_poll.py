import json

from odoo.tests import tagged

from .common import save_settings
from .test_connectors import ConnectorCase, Reply, json_reply, payload

TAG_PATH = "/api/v1/timelines/tag/acme"


@tagged("social_crm", "post_install", "-at_install")
class TestSourcePoll(ConnectorCase):
    """A source polled through its connector, against a real HTTP server on 127.0.0.1."""

    def setUp(self):
        super().setUp()
        self.env["ir.config_parameter"].sudo().set_param("social_crm.allow_private_source_urls", "True")
        self.source = self.env["social.source"].create({
            "name": "#acme", "source_type": "mastodon", "base_url": self.server.url, "hashtag": "acme"})

    def poll(self):
        return self.source._poll(sleep=self.waits.append)

    def mentions(self):
        return self.env["social.mention"].search([("source_id", "=", self.source.id)])

    def test_pages_ingested_and_cursor_saved(self):
        self.serve(TAG_PATH, json_reply("mastodon_tag_page1.json"), json_reply("mastodon_tag_page2.json"),
                   json_reply("[]"))
        result = self.poll()
        self.assertEqual(result["created"], len(self.mentions()))
        self.assertGreaterEqual(result["created"], 3)
        self.assertTrue(self.source.sudo().cursor)
        self.assertFalse(self.source.last_error)
        self.assertEqual(set(self.mentions().mapped("network")), {"mastodon"})

    def test_next_run_brings_only_newer_items(self):
        self.serve(TAG_PATH, json_reply("mastodon_tag_page1.json"), json_reply("mastodon_tag_page2.json"),
                   json_reply("[]"))
        first = self.poll()["created"]
        self.serve(TAG_PATH, json_reply("mastodon_tag_newer.json"), json_reply("[]"))
        second = self.poll()
        self.assertEqual(second["duplicates"], 0)
        self.assertEqual(len(self.mentions()), first + second["created"])
        self.assertEqual(len(set(self.mentions().mapped("external_id"))), len(self.mentions()))

    def test_failure_keeps_what_was_stored_and_says_why(self):
        self.serve(TAG_PATH, json_reply("mastodon_tag_page1.json"), Reply(500, b"boom"))
        self.poll()
        stored, cursor = len(self.mentions()), self.source.sudo().cursor
        self.assertTrue(stored)
        self.assertIn("500", self.source.last_error)
        self.serve(TAG_PATH, json_reply("mastodon_tag_page2.json"), json_reply("[]"))
        self.poll()
        self.assertGreater(len(self.mentions()), stored, "the next run resumes from the saved cursor")
        self.assertNotEqual(self.source.sudo().cursor, cursor)
        self.assertFalse(self.source.last_error)

    def test_private_addresses_refused_unless_allowed(self):
        self.env["ir.config_parameter"].sudo().set_param("social_crm.allow_private_source_urls", "False")
        self.serve(TAG_PATH, json_reply("mastodon_tag_page1.json"))
        self.poll()
        self.assertFalse(self.mentions())
        self.assertIn("127.0.0.1", self.source.last_error)
        self.assertFalse(self.server.received, "nothing was sent to the internal address")

    def test_private_addresses_allowed_on_the_settings_screen(self):
        save_settings(self.env, social_crm_allow_private_source_urls=False)
        self.assertFalse(self.env["ir.config_parameter"].sudo().get_param("social_crm.allow_private_source_urls"))
        self.serve(TAG_PATH, json_reply("mastodon_tag_page1.json"), json_reply("[]"))
        self.poll()
        self.assertFalse(self.mentions())
        self.assertFalse(self.server.received)
        save_settings(self.env, social_crm_allow_private_source_urls=True)
        self.poll()
        self.assertTrue(self.mentions())
        self.assertFalse(self.source.last_error)

    def test_cron_polls_due_sources_only(self):
        self.serve(TAG_PATH, json_reply("mastodon_tag_page1.json"), json_reply("[]"))
        self.env["social.source"].search([("id", "!=", self.source.id)]).active = False
        self.assertEqual(self.env["social.source"]._cron_poll_sources(), 1)
        self.assertTrue(self.mentions())
        self.assertEqual(self.env["social.source"]._cron_poll_sources(), 0, "polled a moment ago: not due")

    def test_items_not_stored_are_shown_on_the_source(self):
        statuses = json.loads(payload("mastodon_tag_page1.json"))
        statuses[0]["account"] = None  # an answer of another shape: the status names no author
        self.serve(TAG_PATH, json_reply(json.dumps(statuses)), json_reply("[]"))
        result = self.poll()
        self.assertEqual((result["created"], result["errors"]), (len(statuses) - 1, 1))
        self.assertEqual(self.source.last_poll_warning_count, 1)
        self.assertEqual(self.source.last_poll_warning, (
            f"1 of the {len(statuses)} items received were not stored (see Failed Items):\n"
            f"{statuses[0]['id']}: author: needs a handle, an account id, a profile url, an e-mail, a phone or a name"))
        self.assertFalse(self.source.last_error)
        self.assertEqual(self.source.quarantine_count, 1)
        warned = self.env["social.source"].search([("last_poll_warning_count", ">", 0)])
        self.assertIn(self.source, warned, "the list's filter finds it")
        self.serve(TAG_PATH, json_reply("mastodon_tag_newer.json"), json_reply("[]"))
        self.poll()
        self.assertEqual((self.source.last_poll_warning_count, self.source.last_poll_warning), (0, False),
                         "a clean poll clears the warning")

    def test_manual_poll_that_fails_is_recorded_and_told(self):
        self.serve(TAG_PATH, Reply(404, b'{"error": "Record not found"}'))
        action = self.source.action_poll_now()
        self.assertEqual((action["tag"], action["params"]["type"]), ("display_notification", "danger"))
        self.assertIn("404", action["params"]["message"])
        self.assertIn("404", self.source.last_error, "kept on the source: the button no longer undoes it")
        self.assertEqual(self.source.last_error_at, self.source.last_run_at)

    def test_an_item_sent_again_updates_its_failure(self):
        Quarantine = self.env["social.mention.quarantine"]
        first = Quarantine._record(self.source, [({"id": "s1", "text": "v1"}, "author: needs a handle"),
                                                 ({"text": "no id"}, "id: missing")])
        again = Quarantine._record(self.source, [({"id": "s1", "text": "v2"}, "author: still no handle"),
                                                 ({"text": "no id"}, "id: missing")])
        failed = Quarantine.search([("source_id", "=", self.source.id)])
        self.assertEqual(len(failed), 3, "one row for s1, one per item without an id")
        resent = failed.filtered(lambda row: row.external_id == "s1")
        self.assertEqual(resent, first[0])
        self.assertIn(resent, again)
        self.assertEqual((resent.attempts, resent.error, json.loads(resent.payload)["text"]),
                         (2, "author: still no handle", "v2"))
        resent.action_discard()
        self.assertEqual(len(Quarantine._record(self.source, [({"id": "s1"}, "again")])), 1)
        self.assertEqual(Quarantine.search_count([("source_id", "=", self.source.id), ("external_id", "=", "s1")]), 2,
                         "a discarded failure stays as it was; the new one is a new row")

    def test_handled_failures_are_forgotten_after_90_days(self):
        Quarantine = self.env["social.mention.quarantine"]
        old, recent, waiting = Quarantine._record(self.source, [({"id": f"g{i}"}, "bad") for i in range(3)])
        (old | recent).action_discard()
        self.env.flush_all()
        self.env.cr.execute("UPDATE social_mention_quarantine SET write_date = now() - interval '91 days' "
                            "WHERE id IN %s", [(old.id, waiting.id)])
        Quarantine._gc_handled()
        self.assertEqual(Quarantine.search([("source_id", "=", self.source.id)]), recent | waiting)

    def test_source_list_counts_its_mentions(self):
        self.env["social.mention"]._ingest(self.source, [
            {"id": "m1", "author": {"handle": "ann"}, "text": "Acme rocks", "network": "mastodon"}])
        self.assertEqual(self.source.mention_count, 1, "pushed or polled alike")

