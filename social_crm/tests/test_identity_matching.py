from odoo.tests import tagged

from .common import SocialCrmCommon


@tagged("social_crm", "post_install", "-at_install")
class TestIdentityMatching(SocialCrmCommon):
    """Batch resolution of mention authors to profiles and contacts."""

    def resolve(self, *authors):
        return self.env["social.identity"]._resolve_authors(list(authors))

    def test_known_profile_by_handle_and_by_url(self):
        by_handle, by_url = self.resolve(
            {"network": "x", "handle": "@ANN_test"},
            {"network": "x", "url": "https://mobile.twitter.com/Ann_Test?s=20"})
        for match in (by_handle, by_url):
            self.assertEqual(match.profile, self.ann_x)
            self.assertEqual(match.partner, self.ann)
            self.assertFalse(match.error)

    def test_unknown_author_gets_a_profile_linked_by_email(self):
        count = self.env["res.partner"].search_count([])
        (match,) = self.resolve({"network": "instagram", "handle": "bob.pics", "name": "Bob",
                                 "followers": 321, "email": " BOB.TEST@example.com "})
        self.assertEqual(match.partner, self.bob)
        self.assertEqual((match.profile.canonical_key, match.profile.partner_id, match.profile.followers),
                         ("instagram:bob.pics", self.bob, 321))
        self.assertEqual(self.env["res.partner"].search_count([]), count, "no contact is ever created")

    def test_unknown_author_linked_by_phone_in_company_region(self):
        (match,) = self.resolve({"network": "tiktok", "handle": "bobdances", "phone": "212-555-0166"})
        self.assertEqual(match.partner, self.bob)

    def test_unknown_author_without_keys_stays_unlinked(self):
        (match,) = self.resolve({"network": "reddit", "handle": "u/stranger42", "email": "nobody@example.org"})
        self.assertTrue(match.profile)
        self.assertFalse(match.partner)
        self.assertFalse(match.profile.partner_id)

    def test_same_author_twice_in_a_batch_creates_one_profile(self):
        first, second = self.resolve({"network": "bluesky", "handle": "twice.bsky.social"},
                                     {"network": "bluesky", "url": "https://bsky.app/profile/TWICE.bsky.social"})
        self.assertEqual(first.profile, second.profile)
        self.assertEqual(
            self.env["social.profile"].search_count([("canonical_key", "=", "bluesky:twice.bsky.social")]), 1)

    def test_unlinked_profile_linked_when_email_designates_one_contact(self):
        stray = self.env["social.profile"].create({"network": "x", "handle": "bob_alt"})
        (match,) = self.resolve({"network": "x", "handle": "bob_alt", "email": "bob.test@example.com"})
        self.assertEqual(match.profile, stray)
        self.assertEqual(stray.partner_id, self.bob)

    def test_conflict_becomes_a_suggestion_not_a_silent_choice(self):
        (match,) = self.resolve({"network": "x", "handle": "ann_test", "email": "bob.test@example.com"})
        self.assertEqual(match.partner, self.ann, "the confirmed profile owner stays")
        suggestion = self.env["social.merge.suggestion"].search([("profile_id", "=", self.ann_x.id)])
        self.assertEqual((suggestion.partner_a_id, suggestion.partner_b_id, suggestion.reason, suggestion.state),
                         (self.ann, self.bob, "profile_vs_email", "open"))
        self.resolve({"network": "x", "handle": "ann_test", "email": "bob.test@example.com"})
        self.assertEqual(self.env["social.merge.suggestion"].search_count([("profile_id", "=", self.ann_x.id)]), 1,
                         "the same conflict seen again makes no second suggestion")

    def test_shared_email_is_ambiguous(self):
        (match,) = self.resolve({"network": "x", "handle": "carl_x", "email": "carl@example.com"})
        self.assertFalse(match.partner)
        self.assertFalse(match.profile.partner_id)
        suggestion = self.env["social.merge.suggestion"].search([("profile_id", "=", match.profile.id)])
        self.assertEqual(suggestion.reason, "shared_email")
        self.assertEqual(suggestion.partner_a_id | suggestion.partner_b_id, self.carl | self.carl_twin)

    def test_email_and_phone_of_different_contacts(self):
        (match,) = self.resolve({"network": "x", "handle": "mixed_up", "email": "ann.test@example.com",
                                 "phone": "+1 212 555 0166"})
        self.assertFalse(match.partner)
        suggestion = self.env["social.merge.suggestion"].search([("profile_id", "=", match.profile.id)])
        self.assertEqual((suggestion.partner_a_id, suggestion.partner_b_id, suggestion.reason),
                         (self.ann, self.bob, "email_vs_phone"))

    def test_opted_out_partner_is_never_linked(self):
        self.bob.social_opt_out = True
        (new,) = self.resolve({"network": "x", "handle": "bob_new", "email": "bob.test@example.com"})
        self.assertFalse(new.partner)
        self.assertFalse(new.profile.partner_id)
        self.ann.social_opt_out = True
        (known,) = self.resolve({"network": "x", "handle": "ann_test"})
        self.assertTrue(known.opted_out)
        self.assertFalse(known.partner)

    def test_keys_agree_with_odoo_contacts(self):
        """What Odoo stores in email_normalized and phone_sanitized is what an author is keyed by."""
        from ..tools.identity import normalize_email, normalize_phone
        partners = self.env["res.partner"].create([
            {"name": "Odd Mail", "email": '"Odd, Mail" <Odd.Mail@Example.COM>'},
            {"name": "Odd Phone", "phone": "0044 20 7946 0321"},
            {"name": "French Phone", "phone": "01 42 68 53 00", "country_id": self.env.ref("base.fr").id},
        ])
        self.assertEqual(normalize_email('"Odd, Mail" <Odd.Mail@Example.COM>'), partners[0].email_normalized)
        self.assertEqual(normalize_phone("0044 20 7946 0321", "US")[0], partners[1].phone_sanitized)
        self.assertEqual(normalize_phone("01 42 68 53 00", "FR")[0], partners[2].phone_sanitized)
        email_only, phone_only = self.resolve(
            {"network": "review", "email": "odd.mail@example.com"},
            {"network": "review", "phone": "+44 20 7946 0321"})
        self.assertEqual((email_only.partner, phone_only.partner), (partners[0], partners[1]))

    def test_email_only_author_lands_on_the_contact(self):
        first, again = self.resolve({"network": "review", "email": " Ann.Test@EXAMPLE.com", "name": "Ann T."},
                                    {"network": "review", "email": "ann.test@example.com"})
        self.assertEqual(first.partner, self.ann)
        self.assertEqual(first.profile, again.profile, "one profile per e-mail")
        self.assertEqual(
            (first.profile.identity_type, first.profile.handle, first.profile.canonical_key, first.profile.partner_id,
             first.profile.name),
            ("email", "ann.test@example.com", "review:email:ann.test@example.com", self.ann, "Ann T."))

    def test_phone_only_author_lands_on_the_contact(self):
        (match,) = self.resolve({"network": "forum", "phone": "212 555 0166"})
        self.assertEqual(match.partner, self.bob)
        self.assertEqual((match.profile.identity_type, match.profile.canonical_key),
                         ("phone", "forum:phone:+12125550166"))

    def test_name_and_website_identify_within_their_source(self):
        forum, blog = self.env["social.source"].create([
            {"name": "Forum", "source_type": "rss", "url": "https://forum.example/feed", "network": "forum"},
            {"name": "Blog", "source_type": "rss", "url": "https://blog.example/feed", "network": "other"},
        ])
        leo_forum, leo_again, leo_blog, site, site_again = self.resolve(
            {"network": "forum", "name": "Léo Dupont", "source_id": forum.id},
            {"network": "forum", "handle": " LÉO  dupont", "source_id": forum.id},  # a forum's user name, spaces kept
            {"network": "other", "name": "Léo Dupont", "source_id": blog.id},
            {"network": "other", "name": "Devika", "url": "https://www.acme-fans-forum.example/users/devika",
             "source_id": blog.id},
            {"network": "other", "url": "https://acme-fans-forum.example/users/Devika/", "source_id": blog.id},
        )
        self.assertEqual(leo_forum.profile, leo_again.profile)
        self.assertNotEqual(leo_forum.profile, leo_blog.profile, "a name says who someone is within its source only")
        self.assertEqual(
            (leo_forum.profile.identity_type, leo_forum.profile.source_id, leo_forum.profile.handle,
             leo_forum.profile.canonical_key),
            ("name", forum, "Léo Dupont", f"forum:name:{forum.id}:léo dupont"))
        self.assertEqual(site.profile, site_again.profile)
        self.assertEqual(
            (site.profile.identity_type, site.profile.network, site.profile.url, site.profile.canonical_key,
             site.profile.name),
            ("website", "other", "https://www.acme-fans-forum.example/users/devika",
             f"other:website:{blog.id}:acme-fans-forum.example/users/devika", "Devika"))
        self.assertFalse(site.profile.partner_id)
        self.assertEqual(site.profile.display_name, "https://www.acme-fans-forum.example/users/devika (Other)")

    def test_an_address_that_is_no_web_address_leaves_the_name(self):
        forum = self.env["social.source"].create(
            {"name": "Forum", "source_type": "rss", "url": "https://forum.example/feed", "network": "forum"})
        (match,) = self.resolve(
            {"network": "forum", "name": "Kim", "url": "javascript:alert(1)", "source_id": forum.id})
        self.assertEqual(match.profile.canonical_key, f"forum:name:{forum.id}:kim")

    def test_unknown_host_is_never_taken_for_mastodon(self):
        (match,) = self.resolve({"network": "forum", "url": "https://www.acme-fans-forum.example/users/devika"})
        self.assertFalse(match.profile, "without a source, a web site identifies nobody")
        self.assertIn("not the address of a profile", match.error)
        self.assertFalse(self.env["social.profile"].search([("network", "=", "mastodon"),
                                                            ("handle", "ilike", "devika")]))
        (fediverse,) = self.resolve({"network": "forum", "url": "https://fosstodon.org/@Devika"})
        self.assertEqual(fediverse.profile.canonical_key, "mastodon:devika@fosstodon.org")

    def test_no_author_is_an_unknown_author(self):
        (match,) = self.resolve(None)
        self.assertEqual((match.profile, match.partner, match.opted_out, match.error),
                         (self.env["social.profile"], self.env["res.partner"], False, None))

    def test_bad_authors_reported_without_stopping_the_batch(self):
        bad, good, none = self.resolve({"network": "x", "handle": "has space"},
                                       {"network": "x", "handle": "ann_test"},
                                       {"network": "x", "name": "No handle"})
        self.assertIn("spaces", bad.error)
        self.assertFalse(bad.profile)
        self.assertEqual(good.partner, self.ann)
        self.assertTrue(none.error)

    def test_query_count_does_not_grow_with_the_batch(self):
        """One query per key type per batch: 10 or 200 authors cost the same number of queries."""
        def authors(prefix, n):
            return [{"network": "x", "handle": f"{prefix}{i}", "email": f"{prefix}{i}@example.com",
                     "phone": f"+1 415 555 {1000 + i}"} for i in range(n)]

        # warm-up (first use fills caches of the registry, not of the data)
        self.env["social.identity"]._resolve_authors(authors("warm", 3))
        known = authors("known", 200)
        self.env["social.identity"]._resolve_authors(known)  # profiles now exist
        self.env.invalidate_all()
        with self.assertQueryCount(8):
            self.env["social.identity"]._resolve_authors(known[:10])
        self.env.invalidate_all()
        with self.assertQueryCount(8):
            self.env["social.identity"]._resolve_authors(known)
