from odoo.tests import BaseCase, tagged

from odoo.addons.social_crm.tools.identity import (
    IdentityError,
    canonical_handle,
    identity_key,
    normalize_email,
    normalize_phone,
    parse_profile_url,
    profile_key,
    profile_url,
    website_key,
)

# (pasted address, expected network, expected canonical handle)
PROFILE_URLS = [
    ("https://www.x.com/Name?s=20", "x", "name"),
    ("https://x.com/acme_fan", "x", "acme_fan"),
    ("x.com/Acme_Fan/", "x", "acme_fan"),
    ("http://twitter.com/name", "x", "name"),
    ("twitter.com/name", "x", "name"),
    ("https://mobile.twitter.com/SomeOne", "x", "someone"),
    ("https://twitter.com/jack/with_replies", "x", "jack"),
    ("https://x.com/jack#top", "x", "jack"),
    ("HTTPS://X.COM/JACK", "x", "jack"),
    ("https://www.facebook.com/zuck", "facebook", "zuck"),
    ("https://m.facebook.com/zuck", "facebook", "zuck"),
    ("https://web.facebook.com/acme.store/", "facebook", "acme.store"),
    ("https://www.facebook.com/profile.php?id=100004123456789", "facebook", "100004123456789"),
    ("https://fb.com/acme.store", "facebook", "acme.store"),
    ("https://www.facebook.com/acme.store/about", "facebook", "acme.store"),
    ("https://www.instagram.com/chloe.creates/", "instagram", "chloe.creates"),
    ("instagram.com/Chloe.Creates?igsh=abc123", "instagram", "chloe.creates"),
    ("https://instagr.am/chloe_creates", "instagram", "chloe_creates"),
    ("https://www.linkedin.com/in/bruno-keller/", "linkedin", "bruno-keller"),
    ("https://linkedin.com/in/Bruno-Keller", "linkedin", "bruno-keller"),
    ("https://fr.linkedin.com/in/chloe-martin-123a45b6", "linkedin", "chloe-martin-123a45b6"),
    ("https://www.linkedin.com/in/devikarao/details/experience/", "linkedin", "devikarao"),
    ("https://www.linkedin.com/company/acme-corp/", "linkedin", "company/acme-corp"),
    ("https://www.youtube.com/@HiroTech", "youtube", "hirotech"),
    ("https://m.youtube.com/@hirotech/videos", "youtube", "hirotech"),
    ("https://www.youtube.com/channel/UC_x5XG1OV2P6uZZ5FSM9Ttw", "youtube", "uc_x5xg1ov2p6uzz5fsm9ttw"),
    ("https://www.youtube.com/c/HiroTech", "youtube", "hirotech"),
    ("https://www.youtube.com/user/hirotech", "youtube", "hirotech"),
    ("https://www.tiktok.com/@chloecreates", "tiktok", "chloecreates"),
    ("https://www.tiktok.com/@Lucas.Moreau?lang=fr", "tiktok", "lucas.moreau"),
    ("https://www.reddit.com/user/emma_reviews/", "reddit", "emma_reviews"),
    ("https://old.reddit.com/u/Emma_Reviews", "reddit", "emma_reviews"),
    ("https://np.reddit.com/user/kbrennan/comments", "reddit", "kbrennan"),
    ("https://mastodon.social/@bkeller", "mastodon", "bkeller@mastodon.social"),
    ("https://fosstodon.org/@Grace", "mastodon", "grace@fosstodon.org"),
    ("https://bsky.app/profile/jonasweber.bsky.social", "bluesky", "jonasweber.bsky.social"),
    ("https://bsky.app/profile/Jay.BSKY.team", "bluesky", "jay.bsky.team"),
    ("https://annfair.bsky.social", "bluesky", "annfair.bsky.social"),
]

# (network, typed handle, canonical handle)
HANDLES = [
    ("x", "@Acme_Fan", "acme_fan"),
    ("x", "  acme_fan ", "acme_fan"),
    ("x", "@@acme_fan", "acme_fan"),
    ("x", "ＡＣＭＥ", "acme"),  # full-width letters (NFKC)
    ("instagram", "@chloe.creates", "chloe.creates"),
    ("tiktok", "@Lucas.Moreau", "lucas.moreau"),
    ("mastodon", "@bkeller@Mastodon.Social", "bkeller@mastodon.social"),
    ("mastodon", "bkeller@mastodon.social", "bkeller@mastodon.social"),
    ("mastodon", "@grace", "grace"),
    ("bluesky", "@jonasweber.bsky.social", "jonasweber.bsky.social"),
    ("bluesky", "jonasweber", "jonasweber.bsky.social"),
    ("bluesky", "Jay.Bsky.Team", "jay.bsky.team"),
    ("reddit", "u/Emma_Reviews", "emma_reviews"),
    ("reddit", "/u/emma_reviews", "emma_reviews"),
    ("reddit", "user/kbrennan", "kbrennan"),
    ("youtube", "@HiroTech", "hirotech"),
    ("linkedin", "in/bruno-keller", "bruno-keller"),
    ("linkedin", "Bruno-Keller", "bruno-keller"),
    ("facebook", "Acme.Store", "acme.store"),
    ("review", "emma.l", "emma.l"),
    ("forum", "grace_helps", "grace_helps"),
    ("other", "José_García", "josé_garcía"),
]

# (network, handle) that must be refused with a message
BAD_HANDLES = [
    ("x", "acme fan"),            # space
    ("x", "acme😀"),              # emoji
    ("x", "a_name_that_is_far_too_long"),  # X allows 15 characters
    ("x", ""),
    ("x", "   "),
    ("x", "@"),
    ("instagram", "chloe creates"),
    ("bluesky", "not a domain"),
    ("mastodon", "user@"),
    ("reddit", "ab"),             # Reddit names have 3 characters at least
    ("forum", "🙂🙂"),
    ("myspace", "tom"),           # unknown network
]

NOT_PROFILE_URLS = [
    "https://x.com/acme_fan/status/1890",
    "https://x.com/home",
    "https://x.com/search?q=acme",
    "https://twitter.com/i/lists/123",
    "https://x.com/",
    "https://www.facebook.com/groups/acmefans",
    "https://www.instagram.com/p/Cx1234abcd/",
    "https://www.linkedin.com/feed/",
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    "https://www.tiktok.com/@chloecreates/video/7234",
    "https://www.reddit.com/r/odoo/",
    "https://bsky.app/profile/jonas.bsky.social/post/3k2",
    "https://www.example.com/about",
    "https://www.acme-fans-forum.example/users/devika",  # a forum's page, not a Mastodon account
    "https://mastodon.social/users/bkeller",  # Mastodon's ActivityPub address, not the profile page
    "ftp://x.com/acme",
    "mailto:ann@example.com",
    "",
    "not a url at all",
]


@tagged("social_crm", "post_install", "-at_install")
class TestIdentityNormalisation(BaseCase):
    """The canonical keys: one table of real-world forms per rule (100+ cases)."""

    def test_profile_urls(self):
        for url, network, handle in PROFILE_URLS:
            with self.subTest(url=url):
                self.assertEqual(parse_profile_url(url), (network, handle))

    def test_handles(self):
        for network, typed, expected in HANDLES:
            with self.subTest(network=network, handle=typed):
                self.assertEqual(canonical_handle(network, typed), expected)

    def test_bad_handles_refused_with_a_message(self):
        for network, typed in BAD_HANDLES:
            with self.subTest(network=network, handle=typed), self.assertRaises(IdentityError) as caught:
                canonical_handle(network, typed)
            self.assertTrue(str(caught.exception))

    def test_handles_with_any_kind_of_space_say_so(self):
        for typed in ("acme\tfan", "acme\u00a0fan", "acme\u2028fan", "acme\u3000fan", "acme\x1cfan"):
            with self.subTest(handle=typed), self.assertRaisesRegex(IdentityError, "contains spaces"):
                canonical_handle("mastodon", typed)

    def test_not_profile_urls_refused(self):
        for url in NOT_PROFILE_URLS:
            with self.subTest(url=url), self.assertRaises(IdentityError):
                parse_profile_url(url)

    def test_url_and_handle_forms_meet_on_one_key(self):
        self.assertEqual(profile_key("x", "@Acme_Fan"), "x:acme_fan")
        network, handle = parse_profile_url("https://twitter.com/ACME_fan?s=20")
        self.assertEqual(f"{network}:{handle}", profile_key("x", "@Acme_Fan"))

    def test_profile_url_round_trip(self):
        for network, handle in [("x", "acme_fan"), ("instagram", "chloe.creates"), ("tiktok", "lucas.moreau"),
                                ("reddit", "emma_reviews"), ("bluesky", "jonasweber.bsky.social"),
                                ("mastodon", "bkeller@mastodon.social"), ("linkedin", "bruno-keller"),
                                ("linkedin", "company/acme-corp"), ("youtube", "hirotech"), ("facebook", "zuck")]:
            with self.subTest(network=network, handle=handle):
                self.assertEqual(parse_profile_url(profile_url(network, handle)), (network, handle))
        self.assertIsNone(profile_url("review", "emma.l"))

    def test_emails(self):
        cases = [
            ("  Ann.Fairweather@Example.COM ", "ann.fairweather@example.com"),
            ("mailto:kate@example.co.uk", "kate@example.co.uk"),
            ("Ann Fairweather <Ann@Example.com>", "ann@example.com"),
            ("ann@example", "ann@example"),  # Odoo keeps addresses of a domain without a dot
            ("not an email", None),
            ("", None),
            (None, None),
        ]
        for typed, expected in cases:
            with self.subTest(email=typed):
                self.assertEqual(normalize_email(typed), expected)

    def test_phones(self):
        cases = [
            ("+1 415 555 0101", None, ("+14155550101", True)),
            ("(415) 555-0101", "US", ("+14155550101", True)),
            ("030 901820", "DE", ("+4930901820", True)),
            ("01 42 68 53 00", "fr", ("+33142685300", True)),
            ("+33 (0)1 42 68 53 00", None, ("+33142685300", True)),
            ("0044 20 7946 0958", "GB", ("+442079460958", True)),
            ("020 7946 0958", "GB", ("+442079460958", True)),
            ("415 555 0101", None, (None, False)),   # national number without a region
            ("12", "US", (None, False)),
            ("call me", "US", (None, False)),
            ("+1 555 0000 000000", None, (None, False)),
            ("", "US", (None, False)),
        ]
        for typed, region, expected in cases:
            with self.subTest(phone=typed, region=region):
                self.assertEqual(normalize_phone(typed, region), expected)

    def test_identity_keys_of_authors_without_handle(self):
        cases = [
            (("handle", "x", "@Acme_Fan", None), ("acme_fan", "x:acme_fan")),
            (("email", "review", " Ann <ANN@Example.com>", None), ("ann@example.com", "review:email:ann@example.com")),
            (("phone", "review", "+1 (415) 555-0101", None), ("+14155550101", "review:phone:+14155550101")),
            (("website", "other", "https://www.Devika.example/blog/?utm=x#top", 7),
             ("devika.example/blog", "other:website:7:devika.example/blog")),
            (("name", "forum", "  Léo   DUPONT ", 7), ("léo dupont", "forum:name:7:léo dupont")),
        ]
        for args, expected in cases:
            with self.subTest(args=args):
                self.assertEqual(identity_key(*args), expected)
        self.assertEqual(website_key("https://www.acme-fans-forum.example/users/Devika"),
                         "acme-fans-forum.example/users/devika")
        for args in [("name", "forum", "Léo", None), ("website", "other", "https://devika.example", False),
                     ("email", "review", "not an e-mail", None), ("phone", "review", "12", None),
                     ("name", "forum", "   ", 7), ("handle", "myspace", "tom", None),
                     ("website", "other", "javascript:alert(1)", 7), ("website", "other", "devika.example", 7)]:
            with self.subTest(args=args), self.assertRaises(IdentityError):
                identity_key(*args)
