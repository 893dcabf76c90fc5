"""Answering on the network: connected accounts, ``social.mention.reply`` and the delivery job,
against each network's write API played on 127.0.0.1 (request and answer shapes as documented:
auth header, body fields, error bodies, rate-limit headers)."""
import json
import logging
from datetime import timedelta

import psycopg2

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged
from odoo.tests.common import new_test_user
from odoo.tools import mute_logger

from odoo.addons.social_crm.connectors.publish import (
    BlueskyPublisher,
    MastodonPublisher,
    XPublisher,
    grapheme_length,
    weighted_length,
)

from .common import SocialCrmCommon
from .network_server import NetworkServerCase
from .test_connectors import json_reply

MASTODON_TOKEN = "mastodon-token-Zq81"
APP_PASSWORD = "abcd-efgh-ijkl-mnop"
DID = "did:plc:acmebrand2025xyz"
ANN_DID = "did:plc:annfan0000000001"
PARENT_URI = "at://did:plc:annfan0000000001/app.bsky.feed.post/3lbx2parent"
ROOT_URI = "at://did:plc:bob0000000000001/app.bsky.feed.post/3lbx1root"


def status(status_id, text, **extra):
    """A Mastodon Status as ``POST /api/v1/statuses`` answers it."""
    return json.dumps({
        "id": status_id, "created_at": "2026-01-01T10:00:00.000Z", "in_reply_to_id": "110000000000000001",
        "visibility": "unlisted", "uri": f"https://mastodon.example/users/acme/statuses/{status_id}",
        "url": f"https://mastodon.example/@acme/{status_id}", "content": f"<p>{text}</p>",
        "account": {"id": "4242", "username": "acme", "acct": "acme", "display_name": "Acme"}, **extra})


class ReplyCase(NetworkServerCase, SocialCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(cls.env, "reply_manager", groups="social_crm.social_crm_group_manager")
        cls.agent = new_test_user(cls.env, "reply_agent", groups="social_crm.social_crm_group_user")

    def account(self, network, **vals):
        defaults = {
            "mastodon": {"access_token": MASTODON_TOKEN, "handle": "acme@mastodon.example"},
            "bluesky": {"handle": "acme.example.com", "app_password": APP_PASSWORD},
            "reddit": {"handle": "acme_support", "client_id": "reddit-client-1", "client_secret": "reddit-secret-1",
                       "username": "acme_support", "password": "reddit-pass-1", "auth_url": self.server.url},
            "x": {"handle": "acme", "access_token": "x-access-1", "refresh_token": "x-refresh-1",
                  "client_id": "x-client-1", "account_ref": "1500000000000000001"},
        }[network]
        return self.env["social.account"].create({
            "name": f"Acme on {network}", "network": network, "base_url": self.server.url, "state": "connected",
            "user_id": self.manager.id, **defaults, **vals})

    def inbound(self, network, external_id, **vals):
        source = self.env["social.source"].create({
            "name": f"{network} mentions", "source_type": "webhook", "network": network})
        return self.env["social.mention"].create({
            "source_id": source.id, "network": network, "external_id": external_id,
            "author_handle": vals.pop("author_handle", "ann@mastodon.example"), "body": "Is the X2 in stock?",
            **vals})

    def deliver(self, **options):
        return self.env["social.mention"]._cron_deliver_replies(**{"timeout": (2, 2), **options})

    def make_due(self, reply):
        reply.delivery_next_at = fields.Datetime.now() - timedelta(seconds=1)


@tagged("social_crm", "post_install", "-at_install")
class TestAccounts(ReplyCase):
    def test_test_connection_mastodon_stores_own_name(self):
        account = self.account("mastodon", state="disconnected", handle=False)
        self.serve("/api/v1/accounts/verify_credentials", json_reply(json.dumps(
            {"id": "4242", "username": "acme", "acct": "acme", "display_name": "Acme Corp", "url": "x"})))
        account.action_test_connection()
        self.assertEqual((account.state, account.handle, account.display_name_network, account.account_ref),
                         ("connected", "acme@127.0.0.1", "Acme Corp", "4242"))
        self.assertEqual(self.server.received[0].headers["Authorization"], f"Bearer {MASTODON_TOKEN}")

    def test_test_connection_bluesky_opens_a_session(self):
        account = self.account("bluesky", state="disconnected")
        self.serve("/xrpc/com.atproto.server.createSession", json_reply(json.dumps(
            {"accessJwt": "access-jwt-1", "refreshJwt": "refresh-jwt-1", "handle": "acme.example.com", "did": DID})))
        self.serve("/xrpc/com.atproto.server.getSession", json_reply(json.dumps(
            {"handle": "acme.example.com", "did": DID})))
        account.action_test_connection()
        create, get = self.server.received
        self.assertEqual((create.method, create.json()),
                         ("POST", {"identifier": "acme.example.com", "password": APP_PASSWORD}))
        self.assertEqual(get.headers["Authorization"], "Bearer access-jwt-1")
        self.assertEqual((account.state, account.account_ref, account.access_jwt, account.refresh_jwt),
                         ("connected", DID, "access-jwt-1", "refresh-jwt-1"))

    def test_bluesky_expired_session_is_refreshed(self):
        account = self.account("bluesky", access_jwt="old-jwt", refresh_jwt="refresh-jwt-1", account_ref=DID)
        self.serve("/xrpc/com.atproto.server.getSession",
                   json_reply('{"error": "ExpiredToken", "message": "Token has expired"}', status=400),
                   json_reply(json.dumps({"handle": "acme.example.com", "did": DID})))
        self.serve("/xrpc/com.atproto.server.refreshSession", json_reply(json.dumps(
            {"accessJwt": "new-jwt", "refreshJwt": "refresh-jwt-2", "handle": "acme.example.com", "did": DID})))
        account.action_test_connection()
        paths = [(request.path, request.headers["Authorization"]) for request in self.server.received]
        self.assertEqual(paths, [
            ("/xrpc/com.atproto.server.getSession", "Bearer old-jwt"),
            ("/xrpc/com.atproto.server.refreshSession", "Bearer refresh-jwt-1"),
            ("/xrpc/com.atproto.server.getSession", "Bearer new-jwt"),
        ])
        self.assertEqual((account.access_jwt, account.refresh_jwt, account.state),
                         ("new-jwt", "refresh-jwt-2", "connected"))

    def test_test_connection_reddit_password_grant(self):
        account = self.account("reddit", state="disconnected")
        self.serve("/api/v1/access_token", json_reply(json.dumps(
            {"access_token": "reddit-bearer-1", "token_type": "bearer", "expires_in": 86400, "scope": "*"})))
        self.serve("/api/v1/me", json_reply(json.dumps({"name": "acme_support", "id": "abc12"})))
        account.action_test_connection()
        token, me = self.server.received
        self.assertEqual(token.form(), {"grant_type": "password", "username": "acme_support",
                                        "password": "reddit-pass-1"})
        self.assertEqual(token.headers["Authorization"], "Basic cmVkZGl0LWNsaWVudC0xOnJlZGRpdC1zZWNyZXQtMQ==")
        self.assertEqual(me.headers["Authorization"], "bearer reddit-bearer-1")
        self.assertIn("acme_support", me.headers["User-Agent"])
        self.assertEqual((account.state, account.handle, account.account_ref, account.access_token),
                         ("connected", "acme_support", "t2_abc12", "reddit-bearer-1"))

    def test_x_token_refreshed_then_revoked_refresh_disconnects(self):
        account = self.account("x")
        self.serve("/2/users/me", json_reply('{"title": "Unauthorized", "status": 401, "detail": "Unauthorized"}',
                                             status=401),
                   json_reply(json.dumps({"data": {"id": "1500000000000000001", "name": "Acme", "username": "acme"}})))
        self.serve("/2/oauth2/token", json_reply(json.dumps(
            {"token_type": "bearer", "access_token": "x-access-2", "refresh_token": "x-refresh-2",
             "expires_in": 7200, "scope": "tweet.write users.read tweet.read offline.access"})))
        account.action_test_connection()
        refresh = self.sent("/2/oauth2/token")[0]
        self.assertEqual(refresh.form(), {"grant_type": "refresh_token", "refresh_token": "x-refresh-1",
                                          "client_id": "x-client-1"})
        self.assertEqual((account.access_token, account.refresh_token, account.handle, account.display_name_network),
                         ("x-access-2", "x-refresh-2", "acme", "Acme"))
        # the refresh token revoked: the account is disconnected, its responsible told
        self.server.received.clear()
        self.serve("/2/users/me", json_reply('{"title": "Unauthorized", "detail": "Unauthorized"}', status=401))
        self.serve("/2/oauth2/token", json_reply(
            '{"error": "invalid_request", "error_description": "Value passed for the token was invalid."}',
            status=400))
        with self.assertLogs("odoo.addons.social_crm", logging.WARNING) as logs:
            action = account.action_test_connection()
        message = action["params"]["message"]
        self.assertEqual(action["params"]["type"], "danger")
        self.assertIn("The refresh token is no longer valid", message)
        self.assertEqual(account.state, "disconnected")
        activity = account.activity_ids
        self.assertEqual((activity.user_id, activity.summary), (self.manager, "Reconnect Acme on x"))
        for text in [message, account.last_error, *logs.output]:
            for secret in ("x-access-2", "x-refresh-2", "x-client-1"):
                self.assertNotIn(secret, text)

    def test_private_addresses_stay_refused_unless_allowed(self):
        self.env["ir.config_parameter"].sudo().set_param("social_crm.allow_private_source_urls", "False")
        account = self.account("mastodon")
        action = account.action_test_connection()
        self.assertEqual(action["params"]["type"], "danger")
        self.assertIn("Refused URL", action["params"]["message"])
        self.assertFalse(self.server.received)
        self.assertEqual(account.state, "connected", "a wrong address is no loss of access")

    def test_credentials_are_for_managers_only(self):
        account = self.account("mastodon")
        self.assertEqual(account.with_user(self.agent).read(["name", "handle", "state"])[0]["handle"],
                         "acme@mastodon.example")
        with self.assertRaises(AccessError):
            account.with_user(self.agent).read(["access_token"])
        with self.assertRaises(AccessError):
            account.with_user(self.agent).write({"name": "Renamed"})
        self.assertEqual(account.with_user(self.manager).access_token, MASTODON_TOKEN)
        self.assertFalse(account.copy({"network": "x", "name": "copy"}).sudo().access_token)

    def test_one_account_per_network_and_company_and_company_rule(self):
        self.account("mastodon")
        with self.assertRaises(psycopg2.IntegrityError), self.cr.savepoint(), mute_logger("odoo.sql_db"):
            self.account("mastodon")
        other = self.env["res.company"].create({"name": "Other Co"})
        foreign = self.account("mastodon", company_id=other.id)
        self.assertFalse(self.env["social.account"].with_user(self.agent).search([("id", "=", foreign.id)]))


@tagged("social_crm", "post_install", "-at_install")
class TestReplyChecks(ReplyCase):
    def test_bad_input_is_refused_clearly(self):
        mention = self.inbound("mastodon", "110000000000000001")
        with self.assertRaisesRegex(UserError, "No account answers on Mastodon"):
            mention.reply("Thanks!")
        account = self.account("mastodon")
        with self.assertRaisesRegex(UserError, "Write the reply"):
            mention.reply("  \n")
        with self.assertRaisesRegex(UserError, "at most 500"):
            mention.reply("a" * 496)  # Mastodon counts "@ann " (the domain is not counted): 501
        other = self.env["res.company"].create({"name": "Other Co"})
        foreign = self.account("mastodon", company_id=other.id)
        with self.assertRaisesRegex(UserError, "belongs to Other Co"):
            mention.reply("Thanks!", account_id=foreign.id)
        account.state = "disconnected"
        with self.assertRaisesRegex(UserError, "is disconnected"):
            mention.reply("Thanks!")
        self.assertFalse(self.env["social.mention"].search([("direction", "=", "outbound"),
                                                            ("parent_id", "=", mention.id)]))

    def test_reply_creates_a_queued_outbound_mention_through_the_pipeline(self):
        mention = self.inbound("mastodon", "110000000000000001", user_id=self.agent.id)
        account = self.account("mastodon")
        self.assertTrue(mention.activity_ids)
        reply_id = mention.with_user(self.agent).reply("We have it in stock, price is 199 EUR")
        reply = self.env["social.mention"].browse(reply_id)
        self.assertRecordValues(reply, [{
            "direction": "outbound", "account_id": account.id, "delivery_state": "queued", "parent_id": mention.id,
            "body": "@ann@mastodon.example We have it in stock, price is 199 EUR", "author_handle": account.handle,
            "source_id": mention.source_id.id, "company_id": mention.company_id.id, "state": "answered",
            "buying_signal_rule_id": False, "delivery_attempts": 0,
        }])
        self.assertTrue(reply.delivery_key)
        self.assertEqual((mention.state, mention.reply_body), ("answered", reply.body))
        self.assertFalse(mention.activity_ids)  # answered: the response activity is done
        self.assertIn(reply, mention.child_ids)
        cron = self.env.ref("social_crm.ir_cron_deliver_replies")
        self.assertTrue(self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]))
        with self.assertRaisesRegex(UserError, "Only a received mention"):
            reply.reply("again")


@tagged("social_crm", "post_install", "-at_install")
class TestMastodonDelivery(ReplyCase):
    PATH = "/api/v1/statuses"

    def setUp(self):
        super().setUp()
        self.mention = self.inbound("mastodon", "110000000000000001", visibility="unlisted", lang="en")
        self.account("mastodon")
        self.reply = self.env["social.mention"].browse(self.mention.reply("In stock!"))

    def test_posts_the_reply_as_documented(self):
        self.serve(self.PATH, json_reply(status("110000000000000099", "@ann In stock!")))
        self.assertEqual(self.deliver(), 1)
        (sent,) = self.sent(self.PATH)
        self.assertEqual(sent.json(), {"status": "@ann@mastodon.example In stock!",
                                       "in_reply_to_id": "110000000000000001", "visibility": "unlisted",
                                       "language": "en"})
        self.assertEqual(sent.headers["Authorization"], f"Bearer {MASTODON_TOKEN}")
        self.assertEqual(sent.headers["Idempotency-Key"], self.reply.delivery_key)
        self.assertRecordValues(self.reply, [{
            "delivery_state": "sent", "external_id": "110000000000000099", "delivery_attempts": 1,
            "url": "https://mastodon.example/@acme/110000000000000099", "delivery_error": False}])

    def test_500_then_200_posts_once(self):
        self.serve(self.PATH, json_reply('{"error": "Internal Server Error"}', status=500),
                   json_reply(status("110000000000000099", "ok")))
        before = fields.Datetime.now()
        self.assertEqual(self.deliver(), 0)
        self.assertEqual((self.reply.delivery_state, self.reply.delivery_attempts), ("queued", 1))
        self.assertGreaterEqual(self.reply.delivery_next_at, before + timedelta(seconds=29))
        self.assertEqual(self.deliver(), 0)  # not due yet: nothing sent
        self.assertEqual(len(self.sent(self.PATH)), 1)
        self.make_due(self.reply)
        self.assertEqual(self.deliver(), 1)
        first, second = self.sent(self.PATH)
        self.assertEqual(first.headers["Idempotency-Key"], second.headers["Idempotency-Key"])
        self.assertEqual((self.reply.delivery_state, self.reply.delivery_attempts), ("sent", 2))
        self.assertEqual(self.deliver(), 0)
        self.assertEqual(len(self.sent(self.PATH)), 2)

    def test_429_retry_after_is_honoured(self):
        self.serve(self.PATH, json_reply('{"error": "Too many requests"}', status=429,
                                         headers={"Retry-After": "120", "X-RateLimit-Remaining": "0"}))
        before = fields.Datetime.now()
        self.deliver()
        self.assertEqual(self.reply.delivery_state, "queued")
        self.assertGreaterEqual(self.reply.delivery_next_at, before + timedelta(seconds=119))
        self.assertLessEqual(self.reply.delivery_next_at, fields.Datetime.now() + timedelta(seconds=121))
        self.assertIn("HTTP 429", self.reply.delivery_error)

    def test_permanent_failures_keep_the_network_message_and_can_be_retried(self):
        for code, body, expected in (
            (404, '{"error": "Record not found"}', "Mastodon answered HTTP 404: Record not found."),
            (403, '{"error": "This action is not allowed"}', "Mastodon answered HTTP 403: This action is not allowed."),
            (422, '{"error": "Validation failed: Text character limit of 500 exceeded"}',
             "Mastodon answered HTTP 422: Validation failed: Text character limit of 500 exceeded."),
        ):
            with self.subTest(code=code):
                self.serve(self.PATH, json_reply(body, status=code))
                self.deliver()
                self.assertEqual((self.reply.delivery_state, self.reply.delivery_error), ("failed", expected))
                self.reply.action_retry_delivery()
                self.assertEqual((self.reply.delivery_state, self.reply.delivery_error), ("queued", False))
        self.serve(self.PATH, json_reply(status("110000000000000099", "ok")))
        self.deliver()
        self.assertEqual(self.reply.delivery_state, "sent")

    def test_401_disconnects_the_account(self):
        self.serve(self.PATH, json_reply('{"error": "The access token was revoked"}', status=401))
        self.deliver()
        self.assertEqual(self.reply.delivery_state, "failed")
        self.assertIn("The access token was revoked", self.reply.delivery_error)
        account = self.reply.account_id
        self.assertEqual(account.state, "disconnected")
        self.assertEqual(account.activity_ids.user_id, self.manager)
        with self.assertRaisesRegex(UserError, "disconnected"):
            self.reply.action_retry_delivery()

    def test_timeout_after_the_post_was_accepted_posts_once(self):
        self.serve(self.PATH, json_reply(status("110000000000000099", "ok"), delay=1.0),
                   json_reply(status("110000000000000099", "ok")))
        self.deliver(timeout=(2, 0.3))
        self.assertEqual((self.reply.delivery_state, self.reply.delivery_uncertain), ("queued", True))
        self.make_due(self.reply)
        self.deliver()
        first, second = self.sent(self.PATH)
        # the instance answers a repeated key with the status it created, and posts nothing new
        self.assertEqual(first.headers["Idempotency-Key"], second.headers["Idempotency-Key"])
        self.assertEqual((self.reply.delivery_state, self.reply.external_id), ("sent", "110000000000000099"))

    def test_edit_of_a_failed_reply(self):
        self.serve(self.PATH, json_reply('{"error": "Validation failed: Text contains a banned word"}', status=422))
        self.deliver()
        action = self.reply.action_edit_reply()
        wizard = Form(self.env["social.mention.reply"].with_context(**action["context"]))
        wizard.body = "Back in stock on Monday"
        self.assertEqual(wizard.preview, "@ann@mastodon.example Back in stock on Monday")
        wizard.save().action_send()
        self.assertEqual((self.reply.delivery_state, self.reply.body),
                         ("queued", "@ann@mastodon.example Back in stock on Monday"))
        self.assertEqual(self.env["social.mention"].search_count([("direction", "=", "outbound"),
                                                                  ("parent_id", "=", self.mention.id)]), 1)


@tagged("social_crm", "post_install", "-at_install")
class TestBlueskyDelivery(ReplyCase):
    CREATE = "/xrpc/com.atproto.repo.createRecord"

    def setUp(self):
        super().setUp()
        self.mention = self.inbound(
            "bluesky", PARENT_URI, author_handle="ann.bsky.social", external_cid="bafyparentcid",
            thread_root_external_id=ROOT_URI, thread_root_cid="bafyrootcid", lang="en")
        self.account("bluesky", access_jwt="jwt-1", refresh_jwt="refresh-1", account_ref=DID)

    def test_create_record_with_strong_refs_and_facets(self):
        text = "Hi @ann.bsky.social, caf\u00e9 d\u00e9tails: https://acme.example/x2 \U0001F44D"
        reply = self.env["social.mention"].browse(self.mention.reply(text))
        self.serve("/xrpc/com.atproto.identity.resolveHandle", json_reply(json.dumps({"did": ANN_DID})))
        self.serve(self.CREATE, json_reply(json.dumps(
            {"uri": f"at://{DID}/app.bsky.feed.post/3lbxreply1", "cid": "bafyreplycid",
             "commit": {"cid": "bafycommit", "rev": "3lbxrev"}, "validationStatus": "valid"})))
        self.assertEqual(self.deliver(), 1)
        (sent,) = self.sent(self.CREATE)
        body = sent.json()
        record = body.pop("record")
        self.assertEqual(body, {"repo": DID, "collection": "app.bsky.feed.post"})
        self.assertEqual(sent.headers["Authorization"], "Bearer jwt-1")
        self.assertTrue(record.pop("createdAt").endswith("Z"))
        encoded = text.encode()
        link_start = encoded.index(b"https://")
        self.assertEqual(record, {
            "$type": "app.bsky.feed.post", "text": text, "langs": ["en"],
            "reply": {"root": {"uri": ROOT_URI, "cid": "bafyrootcid"},
                      "parent": {"uri": PARENT_URI, "cid": "bafyparentcid"}},
            "facets": [
                {"index": {"byteStart": 3, "byteEnd": 19},
                 "features": [{"$type": "app.bsky.richtext.facet#mention", "did": ANN_DID}]},
                {"index": {"byteStart": link_start, "byteEnd": link_start + len(b"https://acme.example/x2")},
                 "features": [{"$type": "app.bsky.richtext.facet#link", "uri": "https://acme.example/x2"}]},
            ]})
        self.assertEqual(encoded[3:19], b"@ann.bsky.social")
        self.assertRecordValues(reply, [{
            "delivery_state": "sent", "external_id": f"at://{DID}/app.bsky.feed.post/3lbxreply1",
            "external_cid": "bafyreplycid", "url": "https://bsky.app/profile/acme.example.com/post/3lbxreply1",
            "thread_root_external_id": ROOT_URI, "thread_root_cid": "bafyrootcid"}])

    def test_timeout_after_accepted_is_found_and_not_posted_again(self):
        reply = self.env["social.mention"].browse(self.mention.reply("Thanks Ann"))
        self.serve(self.CREATE, json_reply(json.dumps({"uri": f"at://{DID}/app.bsky.feed.post/3lbxr2",
                                                        "cid": "bafyr2"}), delay=1.0))
        self.deliver(timeout=(2, 0.3))
        self.assertEqual((reply.delivery_state, reply.delivery_uncertain), ("queued", True))
        self.serve("/xrpc/com.atproto.repo.listRecords", json_reply(json.dumps({"records": [
            {"uri": f"at://{DID}/app.bsky.feed.post/3lbxr2", "cid": "bafyr2", "value": {
                "$type": "app.bsky.feed.post", "text": "Thanks Ann", "createdAt": "2026-01-01T10:00:00.000Z",
                "reply": {"root": {"uri": ROOT_URI, "cid": "bafyrootcid"},
                          "parent": {"uri": PARENT_URI, "cid": "bafyparentcid"}}}},
        ]})))
        self.make_due(reply)
        self.assertEqual(self.deliver(), 1)
        self.assertEqual(len(self.sent(self.CREATE)), 1)
        listed = self.sent("/xrpc/com.atproto.repo.listRecords")[0]
        self.assertEqual(listed.query["repo"], [DID])
        self.assertEqual((reply.delivery_state, reply.external_id, reply.external_cid),
                         ("sent", f"at://{DID}/app.bsky.feed.post/3lbxr2", "bafyr2"))

    def test_deleted_post_fails(self):
        reply = self.env["social.mention"].browse(self.mention.reply("Thanks Ann"))
        self.serve(self.CREATE, json_reply(
            json.dumps({"error": "InvalidRequest", "message": f"Could not locate record: {PARENT_URI}"}), status=400))
        self.deliver()
        self.assertEqual((reply.delivery_state, reply.delivery_error),
                         ("failed", f"Bluesky answered HTTP 400: Could not locate record: {PARENT_URI}."))

    def test_grapheme_limit(self):
        self.assertEqual(grapheme_length("e\u0301t\u00e9"), 3)
        self.assertEqual(grapheme_length("\U0001F469\u200d\U0001F4BB ok \U0001F44D\U0001F3FD"), 6)
        self.assertEqual(BlueskyPublisher.max_length, 300)
        with self.assertRaisesRegex(UserError, "301 characters .* at most 300"):
            self.mention.reply("\U0001F600" * 301)
        self.assertTrue(self.mention.reply("\U0001F600" * 300))


@tagged("social_crm", "post_install", "-at_install")
class TestRedditDelivery(ReplyCase):
    def setUp(self):
        super().setUp()
        self.mention = self.inbound("reddit", "t3_1gx0abc", author_handle="PhoneNerd42")
        self.account("reddit", access_token="reddit-bearer-1")
        self.reply = self.env["social.mention"].browse(self.mention.reply("Thanks for the feedback!"))

    def test_comment_with_the_parent_fullname(self):
        self.serve("/api/comment", json_reply(json.dumps({"json": {"errors": [], "data": {"things": [
            {"kind": "t1", "data": {"id": "lq1x2y3", "name": "t1_lq1x2y3", "parent_id": "t3_1gx0abc",
                                    "body": "Thanks for the feedback!",
                                    "permalink": "/r/acme/comments/1gx0abc/x2/lq1x2y3/"}}]}}})))
        self.assertEqual(self.deliver(), 1)
        (sent,) = self.sent("/api/comment")
        self.assertEqual(sent.form(), {"thing_id": "t3_1gx0abc", "text": "Thanks for the feedback!",
                                       "api_type": "json"})
        self.assertEqual(sent.headers["Authorization"], "bearer reddit-bearer-1")
        self.assertTrue(sent.headers["User-Agent"].startswith("web:odoo-social-crm:"))
        self.assertRecordValues(self.reply, [{
            "delivery_state": "sent", "external_id": "t1_lq1x2y3",
            "url": "https://www.reddit.com/r/acme/comments/1gx0abc/x2/lq1x2y3/"}])

    def test_errors_in_a_200_answer_fail(self):
        self.serve("/api/comment", json_reply(json.dumps({"json": {"errors": [
            ["DELETED_COMMENT", "that comment has been deleted", "parent"]]}})))
        self.deliver()
        self.assertEqual((self.reply.delivery_state, self.reply.delivery_error),
                         ("failed", "Reddit refused the comment: DELETED_COMMENT: that comment has been deleted."))

    def test_expired_token_is_renewed_and_timeout_checked_before_retry(self):
        self.serve("/api/comment", json_reply('{"message": "Unauthorized", "error": 401}', status=401),
                   json_reply('{"json": {"errors": []}}', delay=1.0))
        self.serve("/api/v1/access_token", json_reply(json.dumps(
            {"access_token": "reddit-bearer-2", "token_type": "bearer", "expires_in": 86400})))
        self.deliver(timeout=(2, 0.3))
        self.assertEqual(self.reply.account_id.access_token, "reddit-bearer-2")
        self.assertEqual(self.reply.delivery_uncertain, True)
        self.serve("/user/acme_support/comments", json_reply(json.dumps({"kind": "Listing", "data": {"children": [
            {"kind": "t1", "data": {"name": "t1_other", "parent_id": "t3_other", "body": "Thanks for the feedback!"}},
            {"kind": "t1", "data": {"name": "t1_lq9", "parent_id": "t3_1gx0abc", "body": "Thanks for the feedback!",
                                    "permalink": "/r/acme/comments/1gx0abc/x2/lq9/"}}]}})))
        self.make_due(self.reply)
        self.deliver()
        self.assertEqual(len(self.sent("/api/comment")), 2)  # the 401, then the one that timed out
        self.assertEqual((self.reply.delivery_state, self.reply.external_id), ("sent", "t1_lq9"))


@tagged("social_crm", "post_install", "-at_install")
class TestXDelivery(ReplyCase):
    def setUp(self):
        super().setUp()
        self.mention = self.inbound("x", "1850000000000000001", author_handle="acme_fan")
        self.account("x")

    def test_weighted_length(self):
        self.assertEqual(XPublisher.length("hello"), 5)
        self.assertEqual(XPublisher.length("\u65e5\u672c\u8a9e"), 6)  # CJK weighs 2
        self.assertEqual(XPublisher.length("see https://example.com/a/very/long/path/indeed?x=1 now"), 4 + 23 + 4)
        self.assertEqual(XPublisher.length("\u2014\u2019"), 2)  # typographic punctuation weighs 1
        self.assertEqual(weighted_length("\U0001F600", narrow=XPublisher.NARROW), 2)
        self.assertEqual(MastodonPublisher.length("@ann@mastodon.example hi"), len("@ann hi"))
        with self.assertRaisesRegex(UserError, "282 characters .* at most 280"):
            self.mention.reply("\u65e5" * 141)
        self.assertTrue(self.mention.reply("\u65e5" * 140))

    def test_post_and_forbidden(self):
        reply = self.env["social.mention"].browse(self.mention.reply("Thanks!"))
        self.serve("/2/tweets", json_reply(json.dumps({"data": {"id": "1850000000000000099", "text": "Thanks!",
                                                                "edit_history_tweet_ids": ["1850000000000000099"]}}),
                                           status=201))
        self.deliver()
        (sent,) = self.sent("/2/tweets")
        self.assertEqual(sent.json(), {"text": "Thanks!", "reply": {"in_reply_to_tweet_id": "1850000000000000001"}})
        self.assertEqual(sent.headers["Authorization"], "Bearer x-access-1")
        self.assertRecordValues(reply, [{"delivery_state": "sent", "external_id": "1850000000000000099",
                                         "url": "https://x.com/acme/status/1850000000000000099"}])
        second = self.env["social.mention"].browse(self.mention.reply("Again"))
        self.serve("/2/tweets", json_reply(json.dumps({
            "title": "Forbidden", "type": "about:blank", "status": 403,
            "detail": "You are not allowed to create a Tweet with duplicate content."}), status=403))
        self.deliver()
        self.assertEqual((second.delivery_state, second.delivery_error), (
            "failed", "X answered HTTP 403: You are not allowed to create a Tweet with duplicate content."))

    def test_429_uses_the_rate_limit_reset(self):
        reply = self.env["social.mention"].browse(self.mention.reply("Thanks!"))
        reset = int((fields.Datetime.now() + timedelta(minutes=10)).timestamp())
        self.serve("/2/tweets", json_reply('{"title": "Too Many Requests", "detail": "Too Many Requests"}',
                                           status=429, headers={"x-rate-limit-reset": str(reset),
                                                                "x-rate-limit-remaining": "0"}))
        self.deliver()
        self.assertEqual(reply.delivery_state, "queued")
        self.assertGreaterEqual(reply.delivery_next_at, fields.Datetime.now() + timedelta(minutes=9))


@tagged("social_crm", "post_install", "-at_install")
class TestDeliveryQueue(ReplyCase):
    def test_agent_sends_from_the_composer(self):
        mention = self.inbound("mastodon", "110000000000000001")
        account = self.account("mastodon")
        mention.source_id.account_id = account
        mention = mention.with_user(self.agent)
        action = mention.action_reply()
        wizard = Form(self.env["social.mention.reply"].with_user(self.agent).with_context(**action["context"]))
        self.assertEqual(wizard.account_id, account)
        wizard.body = "Yes!"
        self.assertEqual((wizard.reply_length, wizard.max_length, wizard.remaining), (9, 500, 491))
        wizard.save().action_send()
        reply = mention.child_ids
        self.assertEqual((reply.direction, reply.delivery_state, reply.body),
                         ("outbound", "queued", "@ann@mastodon.example Yes!"))

    def test_locked_replies_are_skipped_by_another_worker(self):
        mention = self.inbound("mastodon", "110000000000000001")
        self.account("mastodon")
        reply = self.env["social.mention"].browse(mention.reply("Yes!"))
        self.env.flush_all()
        self.assertEqual(self.env["social.mention"]._lock_due_replies(10), reply)
        reply.delivery_next_at = fields.Datetime.now() + timedelta(minutes=1)
        self.assertFalse(self.env["social.mention"]._lock_due_replies(10))


@tagged("social_crm", "post_install", "-at_install")
class TestComposer(ReplyCase):
    def test_templates_ranked_for_the_mention_and_greeting_by_first_name(self):
        mention = self.inbound("mastodon", "110000000000000001", body="How much is the X2?", partner_id=self.ann.id)
        self.assertEqual((mention.buying_signal_type, mention._reply_purpose()), ("price", "question"))
        self.assertEqual(mention._greeting_name(), "Ann")
        Template = self.env["social.reply.template"]
        _praise, question = Template.create([
            {"name": "Thanks", "body": "Thanks {first_name}!", "purpose": "praise", "sequence": 1},
            {"name": "Price", "body": "Hi {first_name}, the X2 is 199 EUR.", "purpose": "question", "sequence": 2},
        ])
        self.assertEqual(Template._rank_for(mention)[:1], question)
        wizard = Form(self.env["social.mention.reply"].with_context(default_mention_id=mention.id))
        self.assertEqual((wizard.template_id, wizard.body), (question, "Hi Ann, the X2 is 199 EUR."))
        sorry = Template.create({"name": "Sorry", "body": "Hi {first_name}, we are sorry.", "purpose": "complaint"})
        self.assertEqual(sorry._render_body(mention), "Hi Ann, we are sorry.")
        unknown = self.inbound("mastodon", "110000000000000002", author_handle="leo@mastodon.example",
                               author_name="Léo Martin", body="The shop opens at nine.")
        self.assertEqual((unknown._greeting_name(), unknown._reply_purpose()), ("Léo Martin", False))
        self.assertFalse(Form(self.env["social.mention.reply"].with_context(
            default_mention_id=unknown.id)).template_id)

    def test_private_follow_up_by_mastodon_direct_message(self):
        mention = self.inbound("mastodon", "110000000000000001", partner_id=self.ann.id, visibility="public")
        wizard = Form(self.env["social.mention.take.private"].with_context(default_mention_id=mention.id))
        wizard.channel = "mastodon"
        self.assertIn("No account answers on Mastodon", wizard.refusal_reason)
        self.account("mastodon")
        wizard = Form(self.env["social.mention.take.private"].with_context(default_mention_id=mention.id))
        wizard.channel = "mastodon"
        self.assertEqual((wizard.refusal_reason, wizard.recipient), (False, "ann@mastodon.example"))
        wizard.body = "Could you send us your order number?"
        wizard.save().action_send()
        reply = mention.child_ids
        self.assertEqual((reply.visibility, reply.delivery_state), ("direct", "queued"))
        self.serve("/api/v1/statuses", json_reply(status("110000000000000077", "ok", visibility="direct")))
        self.deliver()
        self.assertEqual(self.sent("/api/v1/statuses")[0].json()["visibility"], "direct")
        self.assertEqual(reply.delivery_state, "sent")
        # the same consent checks as e-mail and SMS
        self.ann.social_opt_out = True
        wizard = Form(self.env["social.mention.take.private"].with_context(default_mention_id=mention.id))
        wizard.channel = "mastodon"
        self.assertIn("opted out", wizard.refusal_reason)
