import json
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from ..tools.bulk import insert_records
from .common import SocialCrmCommon


def item(external_id, handle="ann_test", text="Loving my new Acme phone!", **extra):
    author = extra.pop("author", {"handle": handle, "name": "Someone", "followers": 120})
    return {"id": external_id, "network": "x", "author": author, "text": text,
            "url": f"https://x.com/{handle}/status/{external_id}", "posted_at": "2026-11-01T10:00:00Z",
            "lang": "en", "parent_id": None, **extra}


@tagged("social_crm", "post_install", "-at_install")
class TestMentionIngest(SocialCrmCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.source = cls.env["social.source"].create(
            {"name": "Test hook", "source_type": "webhook", "network": "x", "user_id": cls.env.user.id})
        cls.Mention = cls.env["social.mention"]

    def ingest(self, *items):
        return self.Mention._ingest(self.source, list(items))

    def test_created_and_matched(self):
        result = self.ingest(item("1"), item("2", handle="@Stranger_1"))
        self.assertEqual((result["created"], result["duplicates"], result["errors"]), (2, 0, []))
        first = result["mentions"][0]
        self.assertEqual((first.partner_id, first.profile_id, first.reach), (self.ann, self.ann_x, 120))
        self.assertEqual(str(first.posted_at), "2026-11-01 10:00:00")
        self.assertEqual(first.user_id, self.env.user, "assigned to the source's responsible")
        second = result["mentions"][1]
        self.assertFalse(second.partner_id)
        self.assertEqual(second.profile_id.canonical_key, "x:stranger_1")

    def test_idempotent(self):
        self.ingest(item("1"), item("2"))
        again = self.ingest(item("1"), item("2"), item("3"), item("3"))
        self.assertEqual((again["created"], again["duplicates"]), (1, 3))
        self.assertEqual(self.Mention.search_count([("source_id", "=", self.source.id)]), 3)
        other = self.env["social.source"].create({"name": "Other hook", "source_type": "webhook", "network": "x"})
        self.assertEqual(self.Mention._ingest(other, [item("1")])["created"], 1,
                         "the same id from another source is another mention")

    def test_items_stored_meanwhile_are_reported_not_lost(self):
        """An item stored by another ingestion between the duplicate check and the insert is skipped
        by the batch's insert, and reported as a duplicate."""
        enrich = type(self.Mention)._prepare_mention_vals

        def enrich_while_another_stores_item_2(model, vals_list):
            vals_list = enrich(model, vals_list)
            insert_records(model, [dict(vals_list[1])])  # a real row, as the other ingestion stores it
            return vals_list

        with patch.object(type(self.Mention), "_prepare_mention_vals", enrich_while_another_stores_item_2):
            result = self.ingest(item("1"), item("2"), item("3"))
        self.assertEqual((result["created"], result["duplicates"], result["errors"]), (2, 1, []))
        self.assertEqual(sorted(self.Mention.search([("source_id", "=", self.source.id)]).mapped("external_id")),
                         ["1", "2", "3"], "the item stored meanwhile is kept, once")

    def test_bad_items_quarantined_good_ones_kept(self):
        items = [
            item("ok-1"),
            "not an object",
            item("bad-network", network="myspace"),
            item("no-author", author=None),
            {"network": "x", "author": {"handle": "x"}, "text": "no id"},
            item("bad-date", posted_at="the day after tomorrow"),
            item("bad-handle", handle="two words"),
            item("ok-2", handle="acme_friend", author={"handle": "acme_friend", "followers": 10**12}),
            dict(item("blank"), id="   "),
            item("bad-parent", parent_id={"x": 1}),
            item("bad-followers", author={"handle": "acme_friend", "followers": float("inf")}),
        ]
        result = self.ingest(*items)
        self.assertEqual(result["created"], 2)
        self.assertEqual([e["index"] for e in result["errors"]], [1, 2, 3, 4, 5, 6, 8, 9, 10])
        self.assertEqual(result["mentions"][7].reach, 2**31 - 1, "absurd follower counts are capped")
        self.assertIn("unknown network", result["errors"][1]["error"])
        self.assertEqual(result["errors"][1]["id"], "bad-network")
        quarantined = self.env["social.mention.quarantine"].search([("source_id", "=", self.source.id)])
        self.assertEqual(len(quarantined), 9)
        self.assertIn('"myspace"', quarantined.filtered(lambda q: q.external_id == "bad-network").payload)

    def test_items_that_once_broke_their_batch_fail_alone(self):
        """Each of these items used to lose its whole batch with a server error."""
        deep = []
        for _level in range(1500):
            deep = [deep]
        items = [
            item("ok-1"),
            item("surrogate", handle="two words", text="lone \ud800 surrogate"),
            item("network-list", network=["x"]),
            item("network-dict", network={"x": 1}),
            item("nul\x00id", author=None),
            item("year-1", posted_at="0001-01-01T00:00:00+01:00"),
            item("offset", posted_at="2026-11-01T10:00:00+99:00"),
            item("deep", author=None, extra=deep),
            item("ipv6", author={"url": "https://[x"}),
            dict(item("huge-id"), id=10**5000),
            item("huge-parent", parent_id=10**5000),
            item("odd-handle", author={"handle": ["ann"]}),
            item("ok-2", handle="acme_friend"),
        ]
        result = self.ingest(*items)
        self.assertEqual(result["created"], 2)
        self.assertEqual(sorted(m.external_id for m in result["mentions"].values()), ["ok-1", "ok-2"])
        errors = {error["index"]: error for error in result["errors"]}
        self.assertEqual(sorted(errors), list(range(1, 12)))
        self.assertEqual([errors[i]["id"] for i in range(1, 12)], [
            "surrogate", "network-list", "network-dict", "nulid", "year-1", "offset", "deep", "ipv6", False,
            "huge-parent", "odd-handle"])
        expected = {
            1: "contains spaces", 2: "network: unknown network ['x']", 3: "network: unknown network {'x': 1}",
            4: "author: missing", 5: "posted_at: '0001-01-01T00:00:00+01:00' is not a date",
            6: "posted_at: '2026-11-01T10:00:00+99:00' is not a date", 7: "author: missing",
            8: "author: 'https://[x' is not", 9: "id: longer than 255 characters",
            10: "parent_id: longer than 255 characters", 11: "author.handle: expected text, got list",
        }
        for index, message in expected.items():
            self.assertIn(message, errors[index]["error"])
        quarantined = self.env["social.mention.quarantine"].search([("source_id", "=", self.source.id)])
        self.assertEqual(len(quarantined), 11)
        self.env.invalidate_all()
        by_id = {q.external_id: q for q in quarantined}
        self.assertEqual(json.loads(by_id["surrogate"].payload)["text"], "lone \ud800 surrogate",
                         "kept as an escape, read back as it came")
        self.assertEqual(json.loads(by_id["nulid"].payload)["id"], "nul\x00id")
        self.assertTrue(by_id["deep"].payload.endswith("]" * 1500 + "}"))
        self.assertEqual(by_id["deep"].payload.count("["), 1501)
        by_id["deep"].action_retry()
        self.assertEqual((by_id["deep"].state, by_id["deep"].attempts), ("failed", 2), "still bad, and no crash")
        huge = quarantined.filtered(lambda q: q.error.startswith("id:"))
        self.assertFalse(huge.external_id)
        self.assertIn('"id":"an integer of 16610 bits"', huge.payload, "digits Python will not write, summed up")

    def test_unexpected_errors_fail_their_item_only(self):
        """A fault no rule foresaw, in reading an item or in matching its author, costs that item only."""
        parse, author_identity = type(self.Mention)._parse_item, type(self.env["social.identity"])._author_identity

        def parse_failing_on_bad(model, value, source):
            if value.get("id") == "read-fault":
                raise KeyError("unforeseen")
            return parse(model, value, source)

        def identity_failing_on_bad(model, author, *args):
            if author.get("handle") == "match_fault":
                raise ZeroDivisionError("unforeseen too")
            return author_identity(model, author, *args)

        with patch.object(type(self.Mention), "_parse_item", parse_failing_on_bad), \
                patch.object(type(self.env["social.identity"]), "_author_identity", identity_failing_on_bad), \
                self.assertLogs("odoo.addons.social_crm", "ERROR") as logs:
            result = self.ingest(item("ok"), item("read-fault"), item("match-fault", handle="match_fault"))
        self.assertEqual(result["created"], 1)
        self.assertEqual([(e["index"], e["id"]) for e in result["errors"]], [(1, "read-fault"), (2, "match-fault")])
        self.assertEqual(result["errors"][0]["error"], "could not be read: KeyError: 'unforeseen'")
        self.assertEqual(result["errors"][1]["error"],
                         "author: could not be identified: ZeroDivisionError: unforeseen too")
        self.assertEqual(len(logs.records), 2)
        self.assertTrue(all(record.exc_info for record in logs.records), "logged with the traceback")
        self.assertEqual(self.env["social.mention.quarantine"].search_count([("source_id", "=", self.source.id)]), 2)

    def test_author_urls_other_than_web_addresses_are_not_stored(self):
        result = self.ingest(
            item("js", author={"handle": "acme_js", "url": "javascript://x.com/acme_js"}),
            item("web", author={"handle": "acme_web", "url": "x.com/acme_web"}))
        self.assertEqual(result["errors"], [])
        js, web = result["mentions"].values()
        self.assertEqual(js.profile_id.url, "https://x.com/acme_js", "the canonical address instead")
        self.assertEqual(web.profile_id.url, "https://x.com/acme_web")

    def test_retry_from_quarantine(self):
        self.ingest(item("late", handle="two words"))
        failed = self.env["social.mention.quarantine"].search([("external_id", "=", "late")])
        failed.action_retry()
        self.assertEqual((failed.state, failed.attempts), ("failed", 2), "still bad: kept with a new attempt")
        failed.payload = failed.payload.replace("two words", "two_words")
        failed.action_retry()
        self.assertEqual(failed.state, "done")
        self.assertEqual(failed.mention_id.author_handle, "two_words")
        failed.action_retry()  # nothing happens twice
        self.assertEqual(self.Mention.search_count([("external_id", "=", "late")]), 1)

    def test_hostile_and_odd_input(self):
        result = self.ingest(
            item("html", text='<script>alert("x")</script><b>Hi</b>', url="javascript:alert(1)"),
            item("big", text="é" * 10_000_000),
            item("nul", text="a\x00b\ud800c"),
            item("epoch", posted_at=1762000000),
            item("nodate", posted_at=None),
            item("rfc", posted_at="Sat, 01 Nov 2025 10:00:00 +0100"),
            dict(item("ignored"), id=12345),
            item("escapes", author={"handle": "tabby", "name": "Tab\tby \\N"}, text="a\tb\nc\\d\r\\N\n\\.\n"),
        )
        self.assertEqual(result["errors"], [])
        self.env.invalidate_all()  # what follows is read back from the database
        mentions = {m.external_id: m for m in result["mentions"].values()}
        self.assertEqual(mentions["html"].body, '<script>alert("x")</script><b>Hi</b>', "plain text, unchanged")
        self.assertFalse(mentions["html"].url, "only http(s) links are kept")
        self.assertTrue(mentions["big"].body_truncated)
        self.assertEqual(len(mentions["big"].body), 50_000)
        self.assertEqual(mentions["nul"].body, "ab?c")
        self.assertEqual(str(mentions["epoch"].posted_at), "2025-11-01 12:26:40")
        self.assertTrue(mentions["nodate"].posted_at)
        self.assertEqual(str(mentions["rfc"].posted_at), "2025-11-01 09:00:00")
        self.assertIn("12345", mentions)
        self.assertEqual(mentions["escapes"].body, "a\tb\nc\\d\r\\N\n\\.\n", "stored character for character")
        self.assertEqual((mentions["escapes"].author_name, mentions["escapes"].profile_id.name), ("Tab\tby \\N",) * 2)

    def test_replies_threaded_whatever_the_order(self):
        result = self.ingest(item("reply", parent_id="root"), item("other"))
        reply = result["mentions"][0]
        self.assertFalse(reply.parent_id)
        root = self.ingest(item("root"))["mentions"][0]
        self.assertEqual(reply.parent_id, root)
        self.assertEqual(root.child_ids, reply)
        # a reply to a stored mention, and a reply arriving with its parent in the same batch
        late, parent, child = self.ingest(item("late", parent_id="root"), item("p2"), item("c2", parent_id="p2"))[
            "mentions"].values()
        self.assertEqual((late.parent_id, child.parent_id, parent.parent_id), (root, parent, self.Mention))
        self.assertEqual(root.child_ids, reply | late)

    def test_authors_without_a_handle(self):
        """Review sites, forms and exports know authors by e-mail, phone or name: none is refused."""
        reviews = self.env["social.source"].create({"name": "Reviews", "source_type": "webhook", "network": "review"})
        result = self.Mention._ingest(reviews, [
            dict(item("by-email"), network=None, author={"email": "ANN.TEST@example.com", "name": "Ann T."}),
            dict(item("by-phone"), network=None, author={"phone": "(212) 555-0166"}),
            dict(item("by-name"), network=None, author={"name": "  Zoë   Martin "}),
            dict(item("by-site"), network=None, author={"url": "https://www.acme-fans-forum.example/users/devika"}),
            dict(item("nobody"), network=None, author={"name": "   "}),
            dict(item("no-author"), network=None, author=None),
        ])
        self.assertEqual([(e["id"], e["error"][:15]) for e in result["errors"]],
                         [("nobody", "author: needs a"), ("no-author", "author: missing")],
                         "a webhook item must name its author")
        by_email, by_phone, by_name, by_site = (result["mentions"][i] for i in range(4))
        self.assertEqual((by_email.author_handle, by_email.author_name, by_email.partner_id,
                          by_email.profile_id.canonical_key),
                         ("ANN.TEST@example.com", "Ann T.", self.ann, "review:email:ann.test@example.com"))
        self.assertEqual((by_phone.author_handle, by_phone.partner_id, by_phone.profile_id.canonical_key),
                         ("(212) 555-0166", self.bob, "review:phone:+12125550166"))
        self.assertEqual((by_name.author_handle, by_name.partner_id, by_name.profile_id.canonical_key),
                         ("Zoë   Martin", self.env["res.partner"], f"review:name:{reviews.id}:zoë martin"))
        self.assertEqual((by_site.profile_id.identity_type, by_site.profile_id.network, by_site.profile_id.source_id),
                         ("website", "review", reviews))

    def test_opt_out_policies(self):
        self.ann.social_opt_out = True
        kept = self.ingest(item("o1"))["mentions"][0]
        self.assertFalse(kept.partner_id)
        self.assertFalse(kept.profile_id)
        self.assertEqual(kept.author_handle, "ann_test")
        self.env["ir.config_parameter"].sudo().set_param("social_crm.opt_out_policy", "drop")
        result = self.ingest(item("o2"))
        self.assertEqual((result["created"], result["opted_out"]), (0, 1))

    def test_public_ingest_checks_access_and_input(self):
        result = self.Mention.ingest(self.source.id, [item("rpc-1")])
        self.assertEqual(result, {"created": 1, "duplicates": 0, "errors": []})
        with self.assertRaises(ValidationError):
            self.Mention.ingest(self.source.id, {"mentions": []})
        with self.assertRaises(UserError):
            self.Mention.ingest(999999, [])
        for garbage in ("abc", [self.source.id], None, True, 10**12, -1, {"id": 1}, 1.0):
            with self.subTest(source_id=garbage), self.assertRaises(UserError):
                self.Mention.ingest(garbage, [item("rpc-garbage")])
        answer = self.Mention.ingest(self.source.id, [{"text": "no id"}, {"id": None}])
        self.assertEqual([(error["index"], error["id"]) for error in answer["errors"]], [(0, False), (1, False)],
                         "no None: XML-RPC cannot send it")
        user = new_test_user(self.env, login="ingest_user", groups="social_crm.social_crm_group_user")
        with self.assertRaises(AccessError):
            self.Mention.with_user(user).ingest(self.source.id, [item("rpc-2")])

    def test_query_count_does_not_grow_with_the_batch(self):
        self.ingest(*[item(f"warm-{i}", handle=f"warm_{i}") for i in range(5)])
        # per batch, not per mention: the routing rules, the calendars and leaves of the deadlines
        self.env.invalidate_all()
        with self.assertQueryCount(52):
            self.ingest(*[item(f"s-{i}", handle=f"small_{i}") for i in range(10)])
        self.env.invalidate_all()
        with self.assertQueryCount(52):
            self.ingest(*[item(f"b-{i}", handle=f"big_{i}") for i in range(300)])
