"""The webhook through real HTTP requests: every answer of its contract, and what it stores."""
import hashlib
import hmac
import json
import xmlrpc.client

from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from ..models.res_config_settings import WEBHOOK_MAX_BYTES
from .common import save_settings

SECRET = "test-secret"
LOGGER = "odoo.addons.social_crm.controllers.social_crm"


def sign(body, secret=SECRET):
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def item(external_id, text="Loving my new @acme phone!", **overrides):
    return {
        "id": external_id, "network": "x",
        "author": {"handle": "@Acme_Fan", "name": "Ann", "url": "https://x.com/acme_fan", "followers": 1200},
        "text": text, "url": f"https://x.com/acme_fan/status/{external_id}",
        "posted_at": "2026-11-01T10:00:00Z", "lang": "en", "parent_id": None,
        **overrides,
    }


def encode(mentions):
    return json.dumps({"mentions": mentions}).encode()


@tagged("social_crm", "post_install", "-at_install")
class TestWebhook(HttpCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.source, cls.other_source, cls.inactive, cls.unsigned, cls.feed = cls.env["social.source"].create([
            {"name": "Webhook", "source_type": "webhook", "webhook_secret": SECRET, "network": "x"},
            {"name": "Other webhook", "source_type": "webhook", "webhook_secret": SECRET, "network": "x"},
            {"name": "Inactive webhook", "source_type": "webhook", "webhook_secret": SECRET, "network": "x",
             "active": False},
            {"name": "Webhook without secret", "source_type": "webhook", "webhook_secret": False, "network": "x"},
            {"name": "Feed", "source_type": "rss", "url": "https://example.com/feed.xml", "network": "x",
             "webhook_secret": SECRET},
        ])

    def post(self, body, source=None, signature=None, content_type="application/json", source_id=None):
        """POST ``body`` to the webhook of ``source``, signed unless ``signature`` is given ("" for none)."""
        headers = {"Content-Type": content_type}
        if signature is None:
            signature = sign(body if isinstance(body, bytes) else b"")
        if signature:
            headers["X-Social-CRM-Signature"] = signature
        source_id = source_id or (source or self.source).id
        url = f"{self.base_url()}/social_crm/webhook/{source_id}"
        with mute_logger(LOGGER):  # url_open would send an empty body with GET
            return self.opener.post(url, data=body, headers=headers, timeout=30)

    def assertAnswer(self, response, status):
        self.assertEqual(response.status_code, status, response.text)
        self.assertTrue(response.headers["Content-Type"].startswith("application/json"))
        answer = response.json()
        if status != 200:
            self.assertIsInstance(answer.get("error"), str)
        return answer

    def mentions_of(self, source):
        return self.env["social.mention"].search([("source_id", "=", source.id)])

    def set_max_bytes(self, value):
        self.env["ir.config_parameter"].set_param("social_crm.webhook_max_bytes", str(value))

    # ------------------------------------------------------------------ 200

    def test_signed_body_is_stored(self):
        answer = self.assertAnswer(self.post(encode([item("1890")])), 200)
        self.assertEqual(answer, {"created": 1, "duplicates": 0, "errors": []})
        mention = self.mentions_of(self.source)
        self.assertEqual(mention.external_id, "1890")
        self.assertEqual(mention.body, "Loving my new @acme phone!")

    def test_authors_known_by_email_or_phone_land_on_their_contact(self):
        """A review site or a form pushes what it knows of its authors: an e-mail, a phone."""
        ann, bob = self.env["res.partner"].create([
            {"name": "Hook Ann", "email": "hook.ann@example.com"},
            {"name": "Hook Bob", "phone": "+33 1 42 68 53 99"},
        ])
        body = encode([
            item("by-email", network="review", author={"email": "Hook Ann <HOOK.ANN@example.com>", "name": "Ann"}),
            item("by-phone", network="review", author={"phone": "+33 (0)1 42 68 53 99"}),
        ])
        answer = self.assertAnswer(self.post(body), 200)
        self.assertEqual(answer, {"created": 2, "duplicates": 0, "errors": []})
        mentions = {m.external_id: m for m in self.mentions_of(self.source)}
        self.assertEqual((mentions["by-email"].partner_id, mentions["by-email"].profile_id.canonical_key),
                         (ann, "review:email:hook.ann@example.com"))
        self.assertEqual((mentions["by-phone"].partner_id, mentions["by-phone"].profile_id.canonical_key),
                         (bob, "review:phone:+33142685399"))

    def test_charset_is_allowed(self):
        response = self.post(encode([item("1")]), content_type="application/json; charset=utf-8")
        self.assertEqual(self.assertAnswer(response, 200)["created"], 1)

    def test_same_body_twice_creates_once(self):
        body = encode([item("1890")])
        self.assertEqual(self.assertAnswer(self.post(body), 200), {"created": 1, "duplicates": 0, "errors": []})
        self.assertEqual(self.assertAnswer(self.post(body), 200), {"created": 0, "duplicates": 1, "errors": []})
        self.assertEqual(len(self.mentions_of(self.source)), 1)

    def test_bad_item_is_reported_and_quarantined_good_ones_kept(self):
        no_author = item("2", author=None)
        body = encode([item("1"), no_author, item("3")])
        answer = self.assertAnswer(self.post(body), 200)
        self.assertEqual(answer["created"], 2)
        self.assertEqual(answer["duplicates"], 0)
        self.assertEqual(len(answer["errors"]), 1)
        self.assertEqual(answer["errors"][0]["index"], 1)
        self.assertEqual(answer["errors"][0]["id"], "2")
        self.assertIn("author", answer["errors"][0]["error"])
        self.assertEqual(sorted(self.mentions_of(self.source).mapped("external_id")), ["1", "3"])
        failed = self.env["social.mention.quarantine"].search([("source_id", "=", self.source.id)])
        self.assertEqual(failed.external_id, "2")
        self.assertEqual(failed.state, "failed")
        self.assertEqual(json.loads(failed.payload), no_author)

    def test_numbers_too_long_for_python_fail_their_item_only(self):
        digits = "9" * 5000  # Python converts at most 4,300 digits to an integer
        body = ('{"mentions": [%s, {"id": %s, "author": {"handle": "a"}}, %s]}' % (
            json.dumps(item("1")), digits, json.dumps(item("3", author={"handle": "b", "followers": 0})).replace(
                '"followers": 0', f'"followers": {digits}'))).encode()
        answer = self.assertAnswer(self.post(body), 200)
        self.assertEqual(answer["created"], 1)
        self.assertEqual([(error["index"], error["id"]) for error in answer["errors"]], [(1, "9" * 255), (2, "3")])
        self.assertEqual(answer["errors"][0]["error"], "id: longer than 255 characters")
        self.assertIn("author.followers", answer["errors"][1]["error"])
        self.assertEqual(self.mentions_of(self.source).external_id, "1")

    def test_body_nested_too_deeply_is_refused_whole(self):
        depth = 100_000
        body = encode([item("1", extra="deep")]).replace(b'"deep"', b"[" * depth + b"]" * depth)
        self.assertEqual(self.assertAnswer(self.post(body), 400),
                         {"error": "The body is nested too deeply to be read."})

    def test_unknown_network_is_reported(self):
        answer = self.assertAnswer(self.post(encode([item("1"), item("2", network="myspace"), item("3")])), 200)
        self.assertEqual(answer["created"], 2)
        self.assertEqual([error["index"] for error in answer["errors"]], [1])
        self.assertIn("network", answer["errors"][0]["error"])

    def test_script_is_stored_as_plain_text(self):
        text = '<script>alert("x")</script> <b>bold</b> & co'
        self.assertAnswer(self.post(encode([item("1", text=text)])), 200)
        self.assertEqual(self.mentions_of(self.source).body, text)

    def test_huge_text_under_a_raised_limit_is_truncated(self):
        body = encode([item("1", text="a" * 10_000_000)])
        self.set_max_bytes(len(body))
        self.assertEqual(self.assertAnswer(self.post(body), 200)["created"], 1)
        mention = self.mentions_of(self.source)
        self.assertTrue(mention.body_truncated)
        self.assertLess(len(mention.body), 10_000_000)
        self.assertTrue(mention.body.startswith("aaa"))

    # ------------------------------------------------------------------ 404

    def test_unknown_inactive_or_other_sources_are_not_found(self):
        body = encode([item("1")])
        unknown_id = self.env["social.source"].with_context(active_test=False).search(
            [], order="id desc", limit=1).id + 1000
        answers = [
            self.assertAnswer(self.post(body, source_id=unknown_id), 404),
            self.assertAnswer(self.post(body, source=self.inactive), 404),
            self.assertAnswer(self.post(body, source=self.feed), 404),
        ]
        self.assertEqual(answers[0], answers[1], "an inactive source must look like an unknown one")
        self.assertEqual(answers[0], answers[2], "a source of another type must look like an unknown one")
        self.assertFalse(self.mentions_of(self.inactive) | self.mentions_of(self.feed))

    def test_garbage_source_ids_are_not_found(self):
        body = encode([item("1")])
        for garbage in ("abc", "null", "[1,2]", "99999999999999999999", str(2**31), "-1", "1.5", "%00", "0",
                        f"{self.source.id}%00", f"%20{self.source.id}", f"{self.source.id}.0", "١"):
            with self.subTest(source_id=garbage):
                url = f"{self.base_url()}/social_crm/webhook/{garbage}"
                with mute_logger(LOGGER, "werkzeug"):
                    response = self.opener.post(url, data=body, timeout=30, headers={
                        "Content-Type": "application/json", "X-Social-CRM-Signature": sign(body)})
                self.assertEqual(self.assertAnswer(response, 404), {"error": "Unknown webhook."})
        self.assertFalse(self.env["social.mention"].search([("external_id", "=", "1")]))

    def test_unknown_source_is_checked_before_size(self):
        self.set_max_bytes(10)
        self.assertAnswer(self.post(encode([item("1")]), source=self.inactive), 404)

    # ------------------------------------------------------------------ 413

    def test_body_over_the_limit(self):
        body = encode([item("1")])
        self.set_max_bytes(len(body) - 1)
        self.assertAnswer(self.post(body), 413)
        self.assertAnswer(self.post(body, signature=""), 413)  # size is checked before the signature
        self.assertFalse(self.mentions_of(self.source))

    def test_limit_set_on_the_settings_screen(self):
        body = encode([item("1")])
        save_settings(self.env, social_crm_webhook_max_bytes=len(body) - 1)
        self.assertEqual(self.env["ir.config_parameter"].get_param("social_crm.webhook_max_bytes"), str(len(body) - 1))
        self.assertAnswer(self.post(body), 413)
        save_settings(self.env, social_crm_webhook_max_bytes=len(body))
        self.assertAnswer(self.post(body), 200)

    def test_invalid_limit_answers_503_until_fixed(self):
        """A limit typed by hand that is no number: the sender is told to come back, the log says why."""
        body = encode([item("1")])
        self.set_max_bytes("1 MB")
        self.assertEqual(self.assertAnswer(self.post(body), 503),
                         {"error": "The webhook is misconfigured: try again later."})
        self.assertFalse(self.mentions_of(self.source))
        with self.assertRaises(UserError) as caught:
            WEBHOOK_MAX_BYTES.read(self.env)
        self.assertIn("social_crm.webhook_max_bytes", str(caught.exception), "what the log says")
        self.set_max_bytes("")
        self.assertEqual(self.assertAnswer(self.post(body), 200)["created"], 1, "empty: the default limit")

    def test_body_at_the_limit_is_accepted(self):
        body = encode([item("1")])
        self.set_max_bytes(len(body))
        self.assertAnswer(self.post(body), 200)

    def test_chunked_body_over_the_limit(self):
        """Without Content-Length, the body actually received is measured."""
        body = encode([item("1")])
        self.set_max_bytes(len(body) - 1)
        chunks = (body[start:start + 100] for start in range(0, len(body), 100))
        response = self.post(chunks, signature=sign(body))
        self.assertNotIn("Content-Length", response.request.headers)
        self.assertAnswer(response, 413)
        self.assertFalse(self.mentions_of(self.source))

    # ------------------------------------------------------------------ 401

    def test_missing_or_wrong_signature(self):
        body = encode([item("1")])
        self.assertAnswer(self.post(body, signature=""), 401)
        self.assertAnswer(self.post(body, signature=sign(body, "wrong-secret")), 401)
        self.assertAnswer(self.post(body, signature=sign(body).removeprefix("sha256=")), 401)
        self.assertAnswer(self.post(body, signature="sha256="), 401)
        self.assertAnswer(self.post(body, signature="sha256=é" + sign(body)[8:]), 401)
        self.assertFalse(self.mentions_of(self.source))

    def test_signature_of_another_body(self):
        tampered = encode([item("1", text="Tampered")])
        self.assertAnswer(self.post(tampered, signature=sign(encode([item("1")]))), 401)
        self.assertFalse(self.mentions_of(self.source))

    def test_source_without_secret_refuses_everything(self):
        body = encode([item("1")])
        self.assertAnswer(self.post(body, source=self.unsigned, signature=""), 401)
        self.assertAnswer(self.post(body, source=self.unsigned, signature=sign(body, "")), 401)
        self.assertFalse(self.mentions_of(self.unsigned))

    def test_signature_is_checked_before_the_shape(self):
        self.assertAnswer(self.post(b"not json", signature=sign(b"other")), 401)

    # ------------------------------------------------------------------ 400

    def test_body_not_of_the_webhook_shape(self):
        bodies = [
            b"not json",
            b"",
            b'{"mentions": [',
            b'[{"id": "1"}]',
            b'{"items": []}',
            b'{"mentions": {"id": "1"}}',
            b'"mentions"',
            b'{"mentions": [{"id": "1", "author": {"handle": "@a", "followers": Infinity}}]}',
        ]
        for body in bodies:
            with self.subTest(body=body):
                self.assertAnswer(self.post(body), 400)
        self.assertFalse(self.mentions_of(self.source))

    def test_invalid_utf8(self):
        body = b'{"mentions": [{"id": "1", "text": "caf\xe9"}]}'
        self.assertAnswer(self.post(body), 400)
        self.assertFalse(self.mentions_of(self.source))

    def test_wrong_content_type(self):
        body = encode([item("1")])
        for content_type in ("text/plain", "application/x-www-form-urlencoded", "application/jsonp"):
            with self.subTest(content_type=content_type):
                self.assertAnswer(self.post(body, content_type=content_type), 400)
        self.assertFalse(self.mentions_of(self.source))

    # ------------------------------------------------------------------ RPC

    def test_rpc_ingest_answers_like_the_webhook(self):
        mentions = [item("1"), item("2", author={}), item("3", network="myspace")]
        over_http = self.assertAnswer(self.post(encode(mentions)), 200)
        admin = self.env.ref("base.user_admin")
        over_rpc = self.env["social.mention"].with_user(admin).ingest(self.other_source.id, mentions)
        self.assertEqual(over_rpc, over_http)
        self.assertEqual(over_rpc["created"], 1)
        self.assertEqual([error["index"] for error in over_rpc["errors"]], [1, 2])

    def test_xmlrpc_answer_has_no_none(self):
        """An item without an id is reported with ``"id": False``: XML-RPC cannot carry None."""
        admin = self.env.ref("base.user_admin")
        admin.password = "admin-rpc-password"
        answer = self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, admin.id, "admin-rpc-password", "social.mention", "ingest",
            [self.source.id, [item("rpc-1", parent_id=""), {"text": "no id"},
                              item("rpc-3", parent_id="", network=["x"])]])
        self.assertEqual(answer["created"], 1)
        self.assertEqual([(error["index"], error["id"]) for error in answer["errors"]], [(1, False), (2, "rpc-3")])
        self.assertIn("network: unknown network", answer["errors"][1]["error"])
        with self.assertRaises(xmlrpc.client.Fault) as refusal:
            self.xmlrpc_object.execute_kw(
                self.env.cr.dbname, admin.id, "admin-rpc-password", "social.mention", "ingest", ["abc", []])
        self.assertIn("There is no active source with id 'abc'", refusal.exception.faultString)
