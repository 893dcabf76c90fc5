"""Every connector end to end: a payload served on 127.0.0.1, the poll of a real source, the stored
mentions checked field by field (author, profile, contact, text, address, date, language, thread).

The payloads follow the formats the networks document (RSS 0.91, 1.0 and 2.0, Atom 0.3 and 1.0,
Blogger's comment feeds, Mastodon's Status, Reddit's listing, Bluesky's postView, X API v2 search)
with the variety of real answers: authors missing or known by a web site only, absent fields,
feeds in encodings they do not declare.
"""
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import SocialCrmCommon
from .test_connectors import X_TOKEN, ConnectorCase, Reply, json_reply, payload

FEED_PATH = "/feed"


@tagged("social_crm", "post_install", "-at_install")
class ConnectorIngestCase(ConnectorCase, SocialCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param("social_crm.allow_private_source_urls", "True")

    def source(self, source_type, **vals):
        settings = {"rss": {"url": f"{self.server.url}{FEED_PATH}"}}.get(source_type, {"base_url": self.server.url})
        return self.env["social.source"].create(
            {"name": f"{source_type} source", "source_type": source_type, **settings, **vals})

    def poll(self, source):
        self.polled_at = fields.Datetime.now()
        return source._poll(sleep=self.waits.append)

    def serve_feed(self, name, content_type="application/rss+xml"):
        headers = {"Content-Type": content_type} if content_type else {}
        self.serve(FEED_PATH, Reply(body=payload(name), headers=headers))

    def stored(self, source):
        mentions = self.env["social.mention"].search([("source_id", "=", source.id)])
        return {mention.external_id: mention for mention in mentions}

    @staticmethod
    def values(mention):
        profile = mention.profile_id
        return {
            "author": mention.author_handle,
            "name": mention.author_name,
            "profile": profile.canonical_key,
            "known_by": profile.identity_type,
            "partner": mention.partner_id,
            "body": mention.body,
            "url": mention.url,
            "posted_at": fields.Datetime.to_string(mention.posted_at),
            "lang": mention.lang,
            "parent": mention.parent_id.external_id,
        }

    def assertStored(self, source, expected):
        """The source holds exactly the ``expected`` mentions ({external id: values}), nothing failed."""
        stored = self.stored(source)
        self.assertEqual(sorted(stored), sorted(expected))
        for external_id, values in expected.items():
            with self.subTest(mention=external_id):
                self.assertEqual(self.values(stored[external_id]), values)
        self.assertFalse(source.last_error)
        self.assertEqual((source.quarantine_count, source.last_poll_warning_count), (0, 0))
        self.assertFalse(source.last_poll_warning)

    def assertUndated(self, mention):
        """An entry without a date is dated when it was received."""
        self.assertGreaterEqual(mention.posted_at, self.polled_at - timedelta(seconds=1))
        self.assertLessEqual(mention.posted_at, fields.Datetime.now())


@tagged("social_crm", "post_install", "-at_install")
class TestFeedIngest(ConnectorIngestCase):
    def test_rss2_with_dc_creator_email_author_and_no_author(self):
        source = self.source("rss", network="review")
        self.serve_feed("feed_rss2.xml")
        self.assertEqual(self.poll(source), {"created": 3, "duplicates": 0, "errors": 0})
        lyon = self.stored(source)["https://reviews.example.com/acme/questions/301"]
        self.assertUndated(lyon)
        self.assertStored(source, {
            "review-9012": {
                "author": "Ann Fan", "name": "Ann Fan", "profile": f"review:name:{source.id}:ann fan",
                "known_by": "name", "partner": self.env["res.partner"],
                "body": "Five stars for the X2\n\nGreat phone & great support.\n\nWould buy again.",
                "url": "https://reviews.example.com/acme/x2/review-9012", "posted_at": "2024-11-01 10:00:00",
                "lang": "en-us", "parent": False},
            "review-9007": {
                "author": "bob@example.net", "name": "Bob Builder", "profile": "review:email:bob@example.net",
                "known_by": "email", "partner": self.env["res.partner"],
                "body": "Screen cracked after a week\n\nNot happy, the screen cracked on its own.",
                "url": "https://reviews.example.com/acme/x2/review-9007", "posted_at": "2024-10-31 18:30:00",
                "lang": "en-us", "parent": False},
            "https://reviews.example.com/acme/questions/301": {
                "author": "Unknown author", "name": False, "profile": False, "known_by": False,
                "partner": self.env["res.partner"], "body": "Where to buy in Lyon?\n\nAsking for a friend.",
                "url": "https://reviews.example.com/acme/questions/301",
                "posted_at": fields.Datetime.to_string(lyon.posted_at), "lang": "en-us", "parent": False},
        })

    def test_rss1_rdf(self):
        source = self.source("rss", network="other")
        self.serve_feed("feed_rss1_rdf.xml", "application/rdf+xml")
        self.poll(source)
        self.assertStored(source, {
            "https://news.example.org/acme/2024/11/x2-teardown": {
                "author": "Priya Natarajan", "name": "Priya Natarajan",
                "profile": f"other:name:{source.id}:priya natarajan", "known_by": "name",
                "partner": self.env["res.partner"],
                "body": "X2 teardown: what is inside\n\nWe opened the X2. The battery is glued, sadly.",
                "url": "https://news.example.org/acme/2024/11/x2-teardown", "posted_at": "2024-11-01 03:00:00",
                "lang": "en", "parent": False},
            "https://news.example.org/acme/2024/11/x2-price": {
                "author": "Unknown author", "name": False, "profile": False, "known_by": False,
                "partner": self.env["res.partner"], "body": "The X2 gets cheaper\n\nA price cut of 10% from Monday.",
                "url": "https://news.example.org/acme/2024/11/x2-price", "posted_at": "2024-10-31 17:00:00",
                "lang": "en", "parent": False},
        })

    def test_rss091_without_guids_nor_dates(self):
        source = self.source("rss", network="other")
        self.serve_feed("feed_rss091.xml", "text/xml")
        self.poll(source)
        stored = self.stored(source)
        self.assertEqual(len(stored), 2)
        no_link = next(external_id for external_id in stored if external_id.startswith("sha256:"))
        self.assertStored(source, {
            "https://bricoleurs.example.fr/astuces/ecran-x2": {
                "author": "Unknown author", "name": False, "profile": False, "known_by": False,
                "partner": self.env["res.partner"],
                "body": "Réparer l'écran du X2\n\nUn écran neuf coûte 49 euros chez Acme : c'est honnête.",
                "url": "https://bricoleurs.example.fr/astuces/ecran-x2",
                "posted_at": self.values(stored["https://bricoleurs.example.fr/astuces/ecran-x2"])["posted_at"],
                "lang": "fr", "parent": False},
            no_link: {
                "author": "Unknown author", "name": False, "profile": False, "known_by": False,
                "partner": self.env["res.partner"],
                "body": "Coque du X2 : notre avis\n\nSolide, mais la coque jaunit après un mois.",
                "url": False, "posted_at": self.values(stored[no_link])["posted_at"], "lang": "fr", "parent": False},
        })
        for mention in stored.values():
            self.assertUndated(mention)
        self.serve_feed("feed_rss091.xml", "text/xml")
        source.cursor = False  # a full re-read: the entries keep their ids, nothing is stored twice
        self.assertEqual(self.poll(source), {"created": 0, "duplicates": 2, "errors": 0})

    def test_atom03_dates_and_the_feed_author(self):
        source = self.source("rss", network="other")
        self.serve_feed("feed_atom03.xml", "application/atom+xml")
        self.poll(source)
        site = f"other:website:{source.id}:devika.example.net"
        self.assertStored(source, {
            "tag:devika.example.net,2024:acme-x2-week": {
                "author": "https://devika.example.net/", "name": "Devika Rao", "profile": site,
                "known_by": "website", "partner": self.env["res.partner"],
                "body": "A week with the Acme X2\n\nThe camera is superb.",
                "url": "https://devika.example.net/2024/11/acme-x2-week", "posted_at": "2024-11-01 12:00:00",
                "lang": "en", "parent": False},
            "tag:devika.example.net,2024:acme-support": {  # no author of its own: the feed's
                "author": "Devika Rao", "name": "Devika Rao", "profile": f"other:name:{source.id}:devika rao",
                "known_by": "name", "partner": self.env["res.partner"],
                "body": "Acme's support, again\n\nThree days for an answer.",
                "url": "https://devika.example.net/2024/10/acme-support", "posted_at": "2024-10-30 09:00:00",
                "lang": "en", "parent": False},
        })

    def test_atom_authors_known_by_web_site_email_or_nothing(self):
        source = self.source("rss", network="forum")
        self.serve_feed("feed_atom_site_authors.xml", "application/atom+xml")
        self.poll(source)
        devika = f"forum:website:{source.id}:acme-fans-forum.example/users/devika"
        base = "https://www.acme-fans-forum.example/t/"
        self.assertStored(source, {
            f"{base}x2-or-pro/77": {
                "author": "https://www.acme-fans-forum.example/users/devika", "name": "devika", "profile": devika,
                "known_by": "website", "partner": self.env["res.partner"],
                "body": "X2 or X2 Pro?\n\nWhich one would you buy?", "url": f"{base}x2-or-pro/77",
                "posted_at": "2024-11-01 10:00:00", "lang": False, "parent": False},
            f"{base}x2-or-pro/77#p2": {
                "author": "https://www.acme-fans-forum.example/users/devika/", "name": False, "profile": devika,
                "known_by": "website", "partner": self.env["res.partner"],
                "body": "Re: X2 or X2 Pro?\n\nAnswering myself: the Pro, for the zoom.",
                "url": f"{base}x2-or-pro/77#p2",
                "posted_at": "2024-11-01 10:20:00", "lang": False, "parent": False},
            f"{base}shipping/78": {
                "author": "bob.test@example.com", "name": "Bob Test", "profile": "forum:email:bob.test@example.com",
                "known_by": "email", "partner": self.bob,
                "body": "Shipping to Canada\n\nDoes Acme ship the X2 to Canada?", "url": f"{base}shipping/78",
                "posted_at": "2024-11-01 11:00:00", "lang": False, "parent": False},
            f"{base}welcome/1": {
                "author": "Unknown author", "name": False, "profile": False, "known_by": False,
                "partner": self.env["res.partner"], "body": "Welcome to the forum\n\nRead the rules before posting.",
                "url": f"{base}welcome/1", "posted_at": "2024-10-01 08:00:00", "lang": False, "parent": False},
        })
        mastodon = self.env["social.profile"].search([("network", "=", "mastodon"), ("handle", "ilike", "devika")])
        self.assertFalse(mastodon, "a forum's /users/ page is no Mastodon account")

    def test_blogger_comments(self):
        source = self.source("rss", network="other")
        self.serve_feed("feed_blogger_comments.xml", "application/atom+xml; charset=UTF-8")
        self.poll(source)
        post = "https://acme-lovers.blogspot.com/2024/10/unboxing-x2.html"
        self.assertStored(source, {
            "tag:blogger.com,1999:blog-4242.post-5551": {  # Blogger's anonymous commenter: nobody known
                "author": "Unknown author", "name": False, "profile": False, "known_by": False,
                "partner": self.env["res.partner"],
                "body": "Where did you buy it?\n\nWhere did you buy it? I can't find the X2 in Milan.",
                "url": f"{post}?showComment=1730451600000#c5551", "posted_at": "2024-11-01 09:00:00",
                "lang": False, "parent": False},
            "tag:blogger.com,1999:blog-4242.post-5552": {
                "author": "https://www.blogger.com/profile/01234567890123456789", "name": "Marco",
                "profile": f"other:website:{source.id}:blogger.com/profile/01234567890123456789",
                "known_by": "website", "partner": self.env["res.partner"],
                "body": "At the Acme store in via Roma.", "url": f"{post}?showComment=1730457000000#c5552",
                "posted_at": "2024-11-01 10:30:00", "lang": False,
                "parent": "tag:blogger.com,1999:blog-4242.post-5551"},  # a reply to the first comment
            "tag:blogger.com,1999:blog-4242.post-5553": {  # noreply@blogger.com is nobody's address
                "author": "Giulia B.", "name": "Giulia B.", "profile": f"other:name:{source.id}:giulia b.",
                "known_by": "name", "partner": self.env["res.partner"], "body": "Great review!",
                "url": f"{post}?showComment=1730401200000#c5553", "posted_at": "2024-10-31 19:00:00",
                "lang": False, "parent": False},
        })
        stored = self.stored(source)
        self.assertEqual(stored["tag:blogger.com,1999:blog-4242.post-5553"].parent_external_id,
                         "tag:blogger.com,1999:blog-4242.post-1001", "the post commented on (not in the feed)")

    def test_encodings(self):
        """BOM, XML declaration, HTTP charset, or nothing at all: detection from the text."""
        koi8r = {"otzyv-1": ("Дмитрий Иванов", "Хороший телефон, но батарея слабая\n\nТелефон Acme X2 отличный",
                             "2024-11-01 10:00:00", "ru"),
                 "otzyv-2": ("Ольга", "Доставка быстрая\n\nКупил чехол для X2", "2024-11-01 06:15:00", "ru")}
        cases = [
            ("feed_koi8r_undeclared.xml", "application/rss+xml", koi8r),
            ("feed_koi8r_undeclared.xml", "text/xml", koi8r),
            ("feed_cp1251_declared.xml", "text/xml", koi8r),
            ("feed_shift_jis_undeclared.xml", "application/rss+xml", {
                "rev-101": ("山田太郎", "画面がきれい\n\nアクメのX2を買いました。", "2024-11-01 09:00:00", "ja"),
                "rev-102": ("佐藤花子", "少し熱くなる\n\n充電中に少し熱くなりますが", "2024-11-01 08:30:00", "ja")}),
            ("feed_shift_jis_undeclared.xml", None, {
                "rev-101": ("山田太郎", "画面がきれい\n\nアクメのX2を買いました。", "2024-11-01 09:00:00", "ja"),
                "rev-102": ("佐藤花子", "少し熱くなる\n\n充電中に少し熱くなりますが", "2024-11-01 08:30:00", "ja")}),
            ("feed_latin1_http_charset.xml", "application/rss+xml; charset=ISO-8859-1", {
                "avis-1": ("Hélène Lefèvre", "Très déçu\n\nL'écran s'est fissuré", "2024-11-01 09:00:00", "fr")}),
            ("feed_utf16_bom.xml", "application/xml", {
                "bew-1": ("Jürgen Weiß", "Größer als gedacht\n\nDas X2 ist größer", "2024-11-01 09:00:00", "de")}),
        ]
        for name, content_type, expected in cases:
            with self.subTest(feed=name, content_type=content_type):
                source = self.source("rss", network="review", name=f"{name} {content_type}")
                self.serve_feed(name, content_type)
                self.poll(source)
                stored = self.stored(source)
                self.assertEqual(sorted(stored), sorted(expected))
                for external_id, (author, body_start, posted_at, lang) in expected.items():
                    mention = stored[external_id]
                    self.assertEqual((mention.author_handle, mention.body[:len(body_start)],
                                      fields.Datetime.to_string(mention.posted_at), mention.lang),
                                     (author, body_start, posted_at, lang))
                    self.assertEqual(mention.profile_id.canonical_key,
                                     f"review:name:{source.id}:{author.casefold()}")
                self.assertFalse(source.last_error)

    def test_html_page_and_oversized_feed_are_errors_on_the_source(self):
        source = self.source("rss")
        self.serve(FEED_PATH, Reply(body=payload("not_a_feed.html"), headers={"Content-Type": "text/html"}))
        self.assertEqual(self.poll(source), {"created": 0, "duplicates": 0, "errors": 0})
        self.assertEqual(source.last_error,
                         f"{self.server.url}{FEED_PATH} answered an HTML page instead of an RSS or Atom feed.")
        self.assertEqual(source.last_error_at, source.last_run_at)
        entry = "<item><title>Acme X2</title><description>%s</description></item>" % ("x" * 1000)
        huge = ('<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>'
                + entry * 10_500 + "</channel></rss>").encode()
        self.assertGreater(len(huge), 10 * 1024 * 1024)
        self.serve(FEED_PATH, Reply(body=huge, headers={"Content-Type": "application/rss+xml"}))
        self.poll(source)
        self.assertEqual(source.last_error,
                         f"{self.server.url}{FEED_PATH} answered more than {10 * 1024 * 1024} bytes: refused.")
        self.assertFalse(self.stored(source), "nothing stored half")


@tagged("social_crm", "post_install", "-at_install")
class TestNetworkIngest(ConnectorIngestCase):
    def test_mastodon(self):
        source = self.source("mastodon", hashtag="acme")
        self.serve("/api/v1/timelines/tag/acme", json_reply("mastodon_tag_variety.json"), json_reply("[]"))
        self.poll(source)
        self.assertStored(source, {
            "113500000000000010": {
                "author": "acme_fan@mastodon.social", "name": "Ann Fan", "profile": "mastodon:acme_fan@mastodon.social",
                "known_by": "handle", "partner": self.env["res.partner"],
                "body": "Hot phone\n\nMy #acme X2 gets hot while charging.",
                "url": "https://mastodon.social/@acme_fan/113500000000000010", "posted_at": "2024-11-02 08:00:00",
                "lang": "en", "parent": False},
            "113500000000000030": {  # no language, no web address, no display name
                "author": "bernd@fosstodon.org", "name": "bernd", "profile": "mastodon:bernd@fosstodon.org",
                "known_by": "handle", "partner": self.env["res.partner"],
                "body": "@acme_fan same, the #acme X2 gets warm <here> too",
                "url": "https://fosstodon.org/users/bernd/statuses/113500000000000030",
                "posted_at": "2024-11-02 08:30:00", "lang": False, "parent": "113500000000000010"},
        })
        self.assertEqual(self.stored(source)["113500000000000030"].profile_id.followers, 87)
        # a reply keeps the visibility of the status it answers
        self.assertEqual({mention.visibility for mention in self.stored(source).values()}, {"public"})

    def test_reddit(self):
        source = self.source("reddit", query="acme")
        self.serve("/search.json", json_reply("reddit_listing_variety.json"))
        self.assertEqual(self.poll(source), {"created": 2, "duplicates": 0, "errors": 1})
        expected = {
            "t3_1gx9aaa": {
                "author": "Lyon_Carla", "name": "Lyon_Carla", "profile": "reddit:lyon_carla", "known_by": "handle",
                "partner": self.env["res.partner"],
                "body": "X2 delivery problems\n\nMine arrived with a scratch & a missing charger.",
                "url": f"{self.server.url}/r/acme/comments/1gx9aaa/x2_delivery_problems/",
                "posted_at": "2024-11-02 10:00:00", "lang": False, "parent": False},
            "t3_1gx8yyy": {  # a link post: no text of its own
                "author": "PhoneNerd42", "name": "PhoneNerd42", "profile": "reddit:phonenerd42", "known_by": "handle",
                "partner": self.env["res.partner"], "body": "Link: the X2 review everyone talks about",
                "url": f"{self.server.url}/r/acme/comments/1gx8yyy/link_the_x2_review/",
                "posted_at": "2024-11-02 08:00:00", "lang": False, "parent": False},
        }
        stored = self.stored(source)
        self.assertEqual(sorted(stored), sorted(expected))
        for external_id, values in expected.items():
            self.assertEqual(self.values(stored[external_id]), values)
        # a post whose author deleted the account names nobody: Reddit is no feed, it is not stored,
        # and the source says so
        self.assertEqual(source.last_poll_warning_count, 1)
        self.assertIn("1 of the 3 items received were not stored", source.last_poll_warning)
        self.assertIn("t3_1gx8zzz: author: needs a handle", source.last_poll_warning)
        self.assertEqual(source.quarantine_count, 1)
        self.assertFalse(source.last_error)

    def test_bluesky(self):
        source = self.source("bluesky", query="acme")
        self.serve("/xrpc/app.bsky.feed.searchPosts", json_reply("bluesky_search_variety.json"))
        self.poll(source)
        ann_post = "at://did:plc:4x2nv3sz7dk5nkhn7aozwbyl/app.bsky.feed.post/3l8aaaaaaaa1a"
        leo_post = "at://did:plc:ewvi7nxzyoun6zhxrhs64oiz/app.bsky.feed.post/3l8aaaaaaaa2b"
        self.assertStored(source, {
            ann_post: {
                "author": "ann.bsky.social", "name": "Ann", "profile": "bluesky:ann.bsky.social", "known_by": "handle",
                "partner": self.env["res.partner"], "body": "The Acme X2 screen flickers at night",
                "url": "https://bsky.app/profile/ann.bsky.social/post/3l8aaaaaaaa1a",
                "posted_at": "2024-11-02 08:00:00", "lang": "en", "parent": False},
            leo_post: {  # no display name, no language
                "author": "Leo.Example.org", "name": "Leo.Example.org", "profile": "bluesky:leo.example.org",
                "known_by": "handle", "partner": self.env["res.partner"],
                "body": "@ann.bsky.social mine too, Acme should fix it",
                "url": "https://bsky.app/profile/Leo.Example.org/post/3l8aaaaaaaa2b",
                "posted_at": "2024-11-02 09:05:00", "lang": False, "parent": ann_post},
        })
        self.assertEqual(self.stored(source)[ann_post].profile_id.followers, 321)
        # what a reply needs: each post's cid, and the thread's root of a reply
        refs = {external_id: (mention.external_cid, mention.thread_root_external_id, mention.thread_root_cid)
                for external_id, mention in self.stored(source).items()}
        self.assertEqual(refs, {
            ann_post: ("bafyreibbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", False, False),
            leo_post: ("bafyreiaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", ann_post,
                       "bafyreibbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"),
        })

    def test_x_authors_missing_from_includes(self):
        source = self.source("x", query="acme", bearer_token=X_TOKEN)
        self.serve("/2/tweets/search/recent", json_reply("x_search_authors_missing.json"))
        self.poll(source)
        unknown_user = "x:account:99887766554433"
        self.assertStored(source, {
            "1852400000000000300": {
                "author": "lu_charges", "name": "Lu", "profile": "x:lu_charges", "known_by": "handle",
                "partner": self.env["res.partner"], "body": "@acme my X2 will not charge > 80%, any idea?",
                "url": "https://x.com/lu_charges/status/1852400000000000300", "posted_at": "2024-11-01 12:00:00",
                "lang": "en", "parent": False},
            "1852400000000000310": {
                "author": "https://x.com/i/user/99887766554433", "name": False, "profile": unknown_user,
                "known_by": "account", "partner": self.env["res.partner"],
                "body": "@lu_charges same here since the update",
                "url": "https://x.com/i/web/status/1852400000000000310", "posted_at": "2024-11-01 12:05:30",
                "lang": False, "parent": "1852400000000000300"},
            "1852400000000000320": {
                "author": "https://x.com/i/user/99887766554433", "name": False, "profile": unknown_user,
                "known_by": "account", "partner": self.env["res.partner"], "body": "Acme X2 battery life is great",
                "url": "https://x.com/i/web/status/1852400000000000320", "posted_at": "2024-11-01 12:10:00",
                "lang": False, "parent": False},
        })
        profile = self.stored(source)["1852400000000000310"].profile_id
        self.assertEqual((profile.network, profile.handle, profile.url),
                         ("x", "99887766554433", "https://x.com/i/user/99887766554433"))
        lu = self.stored(source)["1852400000000000300"].profile_id
        self.assertEqual(lu.account_key, "x:account:1424213012458618882", "known by its id too")

        # the same author, now with a user name: still one profile
        self.serve("/2/tweets/search/recent", json_reply("x_search_author_named_later.json"))
        self.poll(source)
        later = self.stored(source)["1852500000000000400"]
        self.assertEqual(later.profile_id, profile)
        self.assertEqual(later.author_handle, "Dee_Charges")
        self.assertEqual(self.env["social.profile"].search_count([("account_key", "=", unknown_user)]), 1)

    def test_known_contact_found_through_their_profile(self):
        source = self.source("x", query="acme", bearer_token=X_TOKEN)
        self.ann_x.handle = "Lu_Charges"
        self.serve("/2/tweets/search/recent", json_reply("x_search_authors_missing.json"))
        self.poll(source)
        mention = self.stored(source)["1852400000000000300"]
        self.assertEqual((mention.profile_id, mention.partner_id), (self.ann_x, self.ann))
