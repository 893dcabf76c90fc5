import json
import time

from markupsafe import Markup

from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged

from ..connectors import ConnectorError
from ..connectors.bluesky import BlueskyConnector
from ..connectors.jetstream import (
    DEFAULT_JETSTREAM_URL,
    FrameError,
    PostFilter,
    check_stream_url,
    parse_frame,
    subscribe_url,
)

DID = "did:plc:ewvi7nxzyoun6zhxrhs64oiz"


def now_us(offset_seconds=0):
    return int((time.time() + offset_seconds) * 1_000_000)


def post_event(rkey, text, time_us=None, did=DID, langs=("en",), facets=None, reply_to=None, created_at=None):
    """A Jetstream commit creating a post, in the shape the instances send."""
    record = {"$type": "app.bsky.feed.post", "text": text, "langs": list(langs),
              "createdAt": created_at or time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())}
    if facets:
        record["facets"] = facets
    if reply_to:
        record["reply"] = {"root": {"uri": reply_to, "cid": "bafyroot"}, "parent": {"uri": reply_to, "cid": "bafyp"}}
    return {"did": did, "time_us": time_us or now_us(), "kind": "commit",
            "commit": {"rev": "3l3qo2vutsw2b", "operation": "create", "collection": "app.bsky.feed.post",
                       "rkey": rkey, "record": record, "cid": f"bafy{rkey}"}}


def delete_event(rkey, time_us=None, did=DID):
    return {"did": did, "time_us": time_us or now_us(), "kind": "commit",
            "commit": {"rev": "3l3qo2vutsw2c", "operation": "delete", "collection": "app.bsky.feed.post",
                       "rkey": rkey}}


def tag_facet(tag):
    return {"index": {"byteStart": 0, "byteEnd": len(tag) + 1},
            "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": tag}]}


@tagged("social_crm", "post_install", "-at_install")
class TestJetstreamEvents(TransactionCase):
    """Jetstream frames as events, posts as webhook items, and the filters of a live source."""

    def test_create_event_becomes_a_webhook_item(self):
        at = now_us()
        event = parse_frame(json.dumps(post_event(
            "3kabc", "Acme rocks", time_us=at, langs=("en-GB", "fr"), facets=[tag_facet("AcmeCorp")],
            reply_to=f"at://{DID}/app.bsky.feed.post/3kparent", created_at="2026-03-04T05:06:07.123Z")))
        self.assertEqual((event.operation, event.time_us), ("create", at))
        self.assertEqual(event.external_id, f"at://{DID}/app.bsky.feed.post/3kabc")
        self.assertEqual(event.tags, frozenset({"acmecorp"}))
        self.assertEqual(event.langs, ("en-GB", "fr"))
        self.assertEqual(event.item, {
            "id": f"at://{DID}/app.bsky.feed.post/3kabc",
            "network": "bluesky",
            "author": {"account_id": DID, "url": f"https://bsky.app/profile/{DID}"},
            "text": "Acme rocks",
            "url": f"https://bsky.app/profile/{DID}/post/3kabc",
            "posted_at": "2026-03-04T05:06:07Z",
            "lang": "en-GB",
            "parent_id": f"at://{DID}/app.bsky.feed.post/3kparent",
            # what a reply to it needs: its cid and the strong reference of the thread's root
            "cid": "bafy3kabc",
            "root_id": f"at://{DID}/app.bsky.feed.post/3kparent",
            "root_cid": "bafyroot",
        })

    def test_post_without_a_valid_creation_date_is_dated_by_the_event(self):
        at = 1_780_000_000_123_456
        event = parse_frame(json.dumps(post_event("3k", "Acme", time_us=at, created_at="yesterday-ish")))
        self.assertEqual(event.item["posted_at"], "2026-05-28T20:26:40Z")

    def test_delete_event(self):
        event = parse_frame(json.dumps(delete_event("3kabc", time_us=42)))
        self.assertEqual((event.operation, event.time_us, event.external_id, event.item),
                         ("delete", 42, f"at://{DID}/app.bsky.feed.post/3kabc", None))

    def test_events_of_other_kinds_are_skipped(self):
        at = now_us()
        like = post_event("3k", "x", time_us=at)
        like["commit"]["collection"] = "app.bsky.feed.like"
        update = post_event("3k", "edited", time_us=at)
        update["commit"]["operation"] = "update"
        for event in (
            {"did": DID, "time_us": at, "kind": "identity", "identity": {"did": DID, "handle": "ann.bsky.social"}},
            {"did": DID, "time_us": at, "kind": "account", "account": {"active": False, "did": DID}},
            {"did": DID, "time_us": at, "kind": "something-new"},
            like, update,
        ):
            self.assertIsNone(parse_frame(json.dumps(event)), event)

    def test_malformed_frames_raise_frame_error(self):
        no_did = post_event("3k", "x")
        del no_did["did"]
        for frame in ("not json", "[1, 2]", json.dumps({"kind": "commit"}), json.dumps({"time_us": "12"}),
                      json.dumps(no_did), b"\xff\xfe", "x" * 1_000_001):
            with self.assertRaises(FrameError, msg=repr(frame)[:50]):
                parse_frame(frame)

    def test_subscribe_url(self):
        self.assertEqual(subscribe_url(DEFAULT_JETSTREAM_URL),
                         "wss://jetstream2.us-east.bsky.network/subscribe?wantedCollections=app.bsky.feed.post")
        self.assertEqual(subscribe_url("ws://127.0.0.1:9/subscribe?cursor=1&compress=false", 1725911162329308),
                         "ws://127.0.0.1:9/subscribe?compress=false&wantedCollections=app.bsky.feed.post"
                         "&cursor=1725911162329308")

    def test_stream_url_checks(self):
        check_stream_url("ws://127.0.0.1:9/subscribe", allow_private=True)
        with self.assertRaisesRegex(ConnectorError, "non-public address 127.0.0.1"):
            check_stream_url("ws://127.0.0.1:9/subscribe")
        with self.assertRaisesRegex(ConnectorError, "ws:// or wss://"):
            check_stream_url("https://jetstream2.us-east.bsky.network/subscribe")

    def matches(self, post_filter, text, langs=("en",), facets=None):
        return post_filter.matches(parse_frame(json.dumps(post_event("3k", text, langs=langs, facets=facets))))

    def test_filter_words_phrases_and_hashtags(self):
        post_filter = PostFilter('acme rocket, "frobnitz phone" OR #AcmeCorp')
        self.assertTrue(self.matches(post_filter, "The rocket from ACME landed"))
        self.assertFalse(self.matches(post_filter, "The rocket landed"), "every word of an alternative")
        self.assertFalse(self.matches(post_filter, "acmeish rockets"), "whole words only")
        self.assertTrue(self.matches(post_filter, "My Frobnitz   phone broke"))
        self.assertFalse(self.matches(post_filter, "phone frobnitz"), "a phrase keeps its order")
        self.assertTrue(self.matches(post_filter, "Love it #acmecorp!"))
        self.assertFalse(self.matches(post_filter, "Love it #acmecorporation"))
        self.assertTrue(self.matches(post_filter, "Love it", facets=[tag_facet("ACMECORP")]), "tag of a facet")
        self.assertFalse(self.matches(post_filter, "acmecorp without a hash"))

    def test_filter_languages(self):
        post_filter = PostFilter("acme", "en, fr")
        self.assertTrue(self.matches(post_filter, "acme", langs=("en-US",)))
        self.assertTrue(self.matches(post_filter, "acme", langs=("de", "fr")))
        self.assertFalse(self.matches(post_filter, "acme", langs=("de",)))
        self.assertFalse(self.matches(post_filter, "acme", langs=()))
        self.assertTrue(self.matches(PostFilter("acme"), "acme", langs=()))

    def test_empty_query_keeps_nothing(self):
        self.assertFalse(PostFilter(""))
        self.assertFalse(self.matches(PostFilter(" , #"), "anything"))


@tagged("social_crm", "post_install", "-at_install")
class TestLiveSource(TransactionCase):
    """A live Bluesky source storing a stream batch: posts, deletions, status."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.source = cls.env["social.source"].create({"name": "Live Acme", "source_type": "bluesky", "query": "acme"})

    def test_bluesky_sources_are_live_by_default(self):
        self.assertEqual((self.source.live, self.source.stream_url), (True, DEFAULT_JETSTREAM_URL))
        mastodon = self.env["social.source"].create(
            {"name": "Tag", "source_type": "mastodon", "base_url": "https://mastodon.social", "hashtag": "acme"})
        self.assertEqual((mastodon.live, mastodon.stream_url, mastodon.stream_timeline), (True, False, "hashtag"))
        self.assertIn(mastodon, self.env["social.source"]._stream_sources())
        with self.assertRaisesRegex(ValidationError, "must start with https://"):
            mastodon.stream_url = "wss://streaming.mastodon.social"
        mastodon.stream_timeline = "user"
        self.assertNotIn(mastodon, self.env["social.source"]._stream_sources(), "the account's token is needed")
        mastodon.bearer_token = "token"
        self.assertIn(mastodon, self.env["social.source"]._stream_sources())
        rss = self.env["social.source"].create({"name": "Feed", "source_type": "rss", "url": "https://example.com/f"})
        self.assertFalse(rss.live)
        with self.assertRaisesRegex(ValidationError, "only Bluesky and Mastodon sources stream"):
            rss.live = True
        with self.assertRaisesRegex(ValidationError, "must start with wss://"):
            self.source.stream_url = "https://jetstream2.us-east.bsky.network/subscribe"
        self.assertIn(self.source, self.env["social.source"]._stream_sources())
        self.source.query = False
        self.assertNotIn(self.source, self.env["social.source"]._stream_sources(), "a query is needed to stream")

    def test_mastodon_timeline_sources_are_read_by_their_stream_alone(self):
        source = self.env["social.source"].create({
            "name": "Federated", "source_type": "mastodon", "base_url": "https://mastodon.social",
            "stream_timeline": "public", "query": "acme"})
        self.assertIn(source, self.env["social.source"]._stream_sources())
        self.assertEqual(source._poll(), {"created": 0, "duplicates": 0, "errors": 0})
        self.assertEqual((bool(source.last_run_at), source.last_error), (True, False),
                         "not polled again and again, no error for the missing hashtag")

    def store(self, events, deleted=(), status=None):
        items = [parse_frame(json.dumps(event)).item for event in events]
        return self.source._stream_store(
            items, {f"at://{DID}/app.bsky.feed.post/{rkey}" for rkey in deleted}, status or {})

    def test_posts_are_stored_with_the_did_as_author(self):
        at = now_us(-3)
        created, forgotten = self.store([post_event("3ka", "Acme is great", time_us=at),
                                         post_event("3kb", "Acme again", did="did:plc:other")], status={
            "stream_cursor": str(at), "stream_received_count": 5, "stream_filtered_count": 3,
            "stream_connected": True, "stream_lag": 3.0})
        self.assertEqual((created, forgotten), (2, 0))
        mention = self.env["social.mention"].search(
            [("source_id", "=", self.source.id), ("external_id", "=", f"at://{DID}/app.bsky.feed.post/3ka")])
        self.assertEqual((mention.network, mention.body, mention.url, mention.lang),
                         ("bluesky", "Acme is great", f"https://bsky.app/profile/{DID}/post/3ka", "en"))
        self.assertEqual(mention.profile_id.network, "bluesky")
        self.assertEqual(mention.profile_id.url, f"https://bsky.app/profile/{DID}")
        self.assertEqual((self.source.stream_cursor, self.source.stream_received_count,
                          self.source.stream_filtered_count, self.source.stream_connected, self.source.stream_lag),
                         (str(at), 5, 3, True, 3.0))
        self.store([], status={"stream_received_count": 2, "stream_filtered_count": 1})
        self.assertEqual((self.source.stream_received_count, self.source.stream_filtered_count), (7, 4),
                         "counters add up over batches")
        self.store([post_event("3kc", "Acme once more", did="did:plc:other")])
        others = self.env["social.mention"].search(
            [("source_id", "=", self.source.id), ("external_id", "=like", "at://did:plc:other/%")])
        self.assertEqual(len(others), 2)
        self.assertEqual(len(others.profile_id), 1, "one profile per did")

    def test_author_seen_by_did_and_by_handle_is_one_profile(self):
        """The stream names an author by did, a search by handle (and did): one profile."""
        poller = BlueskyConnector({"query": "acme"})

        def searched(rkey, did, handle):
            return poller._normalize({
                "uri": f"at://{did}/app.bsky.feed.post/{rkey}", "indexedAt": "2026-01-01T10:00:00Z",
                "author": {"did": did, "handle": handle, "displayName": "Ann", "followersCount": 12},
                "record": {"text": "Acme searched", "createdAt": "2026-01-01T10:00:00Z"}})

        Mention = self.env["social.mention"]
        for first_streamed, did, handle in ((True, "did:plc:annfirst", "ann.bsky.social"),
                                            (False, "did:plc:bobfirst", "bob.bsky.social")):
            streamed = parse_frame(json.dumps(post_event("3ks", "Acme streamed", did=did))).item
            items = [streamed, searched("3kp", did, handle)]
            for item in items if first_streamed else items[::-1]:
                self.assertEqual(Mention._ingest(self.source, [item])["created"], 1)
            mentions = Mention.search([("source_id", "=", self.source.id), ("external_id", "=like", f"at://{did}/%")])
            self.assertEqual(len(mentions), 2)
            self.assertEqual(len(mentions.profile_id), 1, f"one profile for {handle}")
            self.assertEqual(mentions.profile_id.account_key, f"bluesky:account:{did}")

    def test_deleted_post_loses_its_text_and_its_quotes(self):
        self.store([post_event("3ka", "Where can I buy an Acme Frobnitz?"), post_event("3kb", "Acme kept")])
        deleted, kept = (self.env["social.mention"].search([("external_id", "=", f"at://{DID}/app.bsky.feed.post/{r}")])
                         for r in ("3ka", "3kb"))
        lead = self.env["crm.lead"].create({"name": "Frobnitz"})
        deleted.lead_id = lead
        lead.description = deleted._lead_note() + Markup("<p>Called back.</p>")
        lead.message_post(body=deleted._lead_note())
        failed = self.env["social.mention.quarantine"]._record(
            self.source, [({"id": deleted.external_id, "text": deleted.body}, "an older failure")])
        created, forgotten = self.store([], deleted=["3ka", "3kunknown"])
        self.assertEqual((created, forgotten), (0, 1))
        self.assertTrue(deleted.exists(), "the mention stays: figures already counted keep it")
        self.assertEqual((deleted.body, deleted.state), (False, "new"))
        self.assertTrue(deleted.network_deleted_at)
        self.assertEqual(kept.body, "Acme kept")
        self.assertNotIn("Frobnitz?", lead.description)
        self.assertIn("Called back.", lead.description)
        self.assertFalse([body for body in lead.message_ids.mapped("body") if "Frobnitz?" in (body or "")])
        self.assertFalse(failed.exists())
        self.assertEqual(self.source.stream_deleted_count, 1)
        self.assertEqual(self.store([], deleted=["3ka"]), (0, 0), "a deletion is applied once")
