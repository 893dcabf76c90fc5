import json
from datetime import timedelta
from urllib.parse import urlsplit

from odoo import fields
from odoo.tests import HttpCase, common, new_test_user, tagged

from .network_server import _NetworkHandler
from .test_connectors import json_reply, start_server

DID = "did:plc:acmebrand2025xyz"
PARENT_URI = "at://did:plc:annfan0000000001/app.bsky.feed.post/3lbx2parent"


@tagged("social_crm", "post_install", "-at_install")
class TestReplyTour(HttpCase):
    """In a real browser: an agent answers a Bluesky mention, the job posts it to a Bluesky PDS
    played on 127.0.0.1, and the conversation shows the mention and the reply, sent."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = start_server(cls.addClassCleanup)
        cls.server.RequestHandlerClass = _NetworkHandler
        cls.env["ir.config_parameter"].sudo().set_param("social_crm.allow_private_source_urls", "True")
        cls.agent = new_test_user(cls.env, login="reply_tour_agent", name="Reply Agent",
                                  groups="social_crm.social_crm_group_user")
        cls.account = cls.env["social.account"].create({
            "name": "Acme on Bluesky", "network": "bluesky", "base_url": cls.server.url,
            "handle": "acme.example.com", "app_password": "abcd-efgh-ijkl-mnop", "access_jwt": "jwt-1",
            "refresh_jwt": "refresh-1", "account_ref": DID, "state": "connected"})
        source = cls.env["social.source"].create({"name": "Bluesky tour", "source_type": "webhook",
                                                  "network": "bluesky"})
        cls.mention = cls.env["social.mention"].create({
            "source_id": source.id, "network": "bluesky", "external_id": PARENT_URI,
            "external_cid": "bafyparentcid", "author_handle": "ann.bsky.social", "author_name": "Ann",
            "body": "Is the X2 in stock? I need one by Friday."})
        # the next one to answer once this one is: older than any other of the database
        cls.env["social.mention"].create({
            "source_id": source.id, "network": "bluesky", "external_id": f"{PARENT_URI}-0",
            "author_handle": "bob.bsky.social", "body": "Where is my order? Placed it two weeks ago.",
            "posted_at": fields.Datetime.now() - timedelta(days=3650)})

    @classmethod
    def _request_handler(cls, s, r, /, **kw):
        """The job's requests to the PDS on 127.0.0.1 go out; anything else stays blocked."""
        if urlsplit(r.url).hostname != "127.0.0.1":
            return super()._request_handler(s, r, **kw)
        return common._super_send(s, r, **kw)

    def test_agent_answers_a_bluesky_mention(self):
        self.server.script["/xrpc/com.atproto.repo.createRecord"] = [json_reply(json.dumps(
            {"uri": f"at://{DID}/app.bsky.feed.post/3lbxreply1", "cid": "bafyreplycid"}))]
        url = f"/odoo/action-social_crm.social_mention_action/{self.mention.id}"
        self.start_tour(url, "social_crm_reply_send_tour", login="reply_tour_agent", timeout=180)
        reply = self.mention.child_ids
        self.assertEqual((reply.direction, reply.delivery_state, reply.body),
                         ("outbound", "queued", "Thanks Ann, the X2 ships tomorrow!"))
        self.assertFalse(self.server.received, "nothing is posted inside the user's request")
        self.assertEqual(self.env["social.mention"]._cron_deliver_replies(timeout=(2, 10)), 1)
        (sent,) = self.server.received
        self.assertEqual(sent.json()["record"]["reply"]["parent"], {"uri": PARENT_URI, "cid": "bafyparentcid"})
        self.assertEqual((reply.delivery_state, reply.url),
                         ("sent", "https://bsky.app/profile/acme.example.com/post/3lbxreply1"))
        self.start_tour(url, "social_crm_reply_conversation_tour", login="reply_tour_agent", timeout=180)

    def test_manager_approves_an_agents_reply(self):
        self.env["ir.config_parameter"].sudo().set_param("social_crm.reply_approval", "True")
        new_test_user(self.env, login="reply_tour_manager", name="Reply Manager",
                      groups="social_crm.social_crm_group_manager")
        reply = self.env["social.mention"].browse(self.mention.with_user(self.agent).reply(
            "Sold out today, we can hold one for you on Monday."))
        self.assertEqual(reply.delivery_state, "to_approve")
        self.start_tour("/odoo/action-social_crm.social_mention_action_approval", "social_crm_reply_approval_tour",
                        login="reply_tour_manager", timeout=180)
        self.assertEqual((reply.delivery_state, self.mention.state), ("queued", "answered"))
        self.server.script["/xrpc/com.atproto.repo.createRecord"] = [json_reply(json.dumps(
            {"uri": f"at://{DID}/app.bsky.feed.post/3lbxreply2", "cid": "bafyreplycid2"}))]
        self.assertEqual(self.env["social.mention"]._cron_deliver_replies(timeout=(2, 10)), 1)
        self.assertEqual(reply.delivery_state, "sent")

