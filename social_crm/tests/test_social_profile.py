from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

from .common import SocialCrmCommon


@tagged("social_crm", "post_install", "-at_install")
class TestSocialProfile(SocialCrmCommon):

    def test_canonical_key_stored_and_url_built(self):
        self.assertEqual(self.ann_x.canonical_handle, "ann_test")
        self.assertEqual(self.ann_x.canonical_key, "x:ann_test")
        self.assertEqual(self.ann_x.url, "https://x.com/ann_test")
        self.assertEqual(self.ann_x.display_name, "@ann_test (X (Twitter))")
        self.assertEqual(self.ann.social_profile_count, 1)

    def test_create_from_url_only(self):
        profile = self.env["social.profile"].create({"url": "https://www.instagram.com/Ann.Test/?hl=en"})
        self.assertEqual((profile.network, profile.handle, profile.canonical_key),
                         ("instagram", "ann.test", "instagram:ann.test"))

    def test_networks_defined_once_for_every_model(self):
        Networks = self.env["social.network.mixin"]
        codes = {code for code, _label in Networks._fields["network"].selection}
        self.assertLessEqual({"x", "youtube", "mastodon", "bluesky", "review", "other"}, codes)
        self.assertEqual(Networks._network_codes(), codes)
        for model in ("social.profile", "social.mention", "social.source", "social.reply.template"):
            with self.subTest(model=model):
                self.assertIn(model, Networks._inherit_children)
                self.assertEqual(self.env[model]._fields["network"].selection,
                                 Networks._fields["network"].selection)
        # the network rules, as the models reach them
        self.assertEqual(Networks._network_parse_profile_url("https://m.youtube.com/@Acme.Fan"),
                         ("youtube", "acme.fan"))
        self.assertEqual(Networks._network_profile_url("youtube", "acme.fan"), "https://www.youtube.com/@acme.fan")
        self.assertEqual(Networks._network_identity_key("account", "youtube", "UCabc"),
                         ("ucabc", "youtube:account:ucabc"))
        self.assertEqual(Networks._network_canonical_handle("bluesky", "@Ann"), "ann.bsky.social")
        self.assertEqual([Networks._network_handle_prefix(code) for code in ("x", "mastodon", "linkedin")],
                         ["@", "", ""])
        self.assertEqual([Networks._network_free_form(code) for code in ("forum", "x")], [True, False])
        for identity_type in ("handle", "email"):
            with self.subTest(identity_type=identity_type), self.assertRaisesRegex(ValueError, "Unknown network"):
                Networks._network_identity_key(identity_type, "myspace", "ann@example.com")

    def test_paste_url_on_partner_form(self):
        with Form(self.bob) as partner_form:
            with partner_form.social_profile_ids.new() as line:
                line.url = "https://mastodon.social/@BobTest"
                self.assertEqual(line.network, "mastodon")
                self.assertEqual(line.handle, "bobtest@mastodon.social")
            with partner_form.social_profile_ids.new() as line:
                line.url = "twitter.com/bob_test?s=20"
        profiles = self.bob.social_profile_ids.sorted("network")
        self.assertEqual(profiles.mapped("canonical_key"), ["mastodon:bobtest@mastodon.social", "x:bob_test"])
        self.assertEqual(profiles.partner_id, self.bob)

    def test_paste_not_a_profile_url_warns_and_changes_nothing(self):
        form = Form(self.env["social.profile"])
        form.url = "https://x.com/ann_test/status/1890"  # a post, not a profile
        self.assertFalse(form.network)
        self.assertFalse(form.handle)
        with self.assertRaises(ValidationError):
            self.env["social.profile"].create({"url": "https://x.com/ann_test/status/1890"})

    def test_only_web_addresses_are_kept(self):
        Profile = self.env["social.profile"]
        for url in ("javascript://x.com/ann_js", "javascript:alert(1)", "data:text/html,<b>x</b>", "ftp://x.com/a"):
            with self.subTest(url=url), self.assertRaises(ValidationError):
                Profile.create({"network": "x", "handle": "ann_js", "url": url})
        typed = Profile.create({"network": "review", "handle": "ann_reviews", "url": " www.reviews.example/u/ann "})
        self.assertEqual(typed.url, "https://www.reviews.example/u/ann", "typed without a scheme: https")
        with self.assertRaises(ValidationError):
            typed.url = "javascript://www.reviews.example/u/ann"
        self.assertEqual(typed.url, "https://www.reviews.example/u/ann")
        typed.url = "http://reviews.example/ann"
        self.assertEqual(typed.url, "http://reviews.example/ann")
        typed.url = False
        self.assertFalse(typed.url)

    def test_bad_handles_refused(self):
        for network, handle in [("x", "ann test"), ("x", "ann😀"), ("instagram", "")]:
            with self.subTest(handle=handle), self.assertRaises(ValidationError):
                self.env["social.profile"].create({"network": network, "handle": handle})

    def test_unknown_network_refused(self):
        with self.assertRaises(ValueError):
            self.env["social.profile"].create({"network": "myspace", "handle": "tom"})

    def test_duplicate_paste_names_the_owner_and_keeps_the_original(self):
        with self.assertRaises(ValidationError) as caught:
            self.env["social.profile"].create({"url": "https://twitter.com/ANN_TEST", "partner_id": self.bob.id})
        self.assertIn("Ann Test", str(caught.exception))
        self.assertEqual(self.ann_x.partner_id, self.ann)
        self.assertEqual(self.env["social.profile"].search_count([("canonical_key", "=", "x:ann_test")]), 1)

    def test_duplicate_refused_by_database_too(self):
        profile = self.env["social.profile"]
        with mute_logger("odoo.sql_db"), self.assertRaises(ValidationError):
            with self.env.cr.savepoint():
                profile.create({"network": "x", "handle": "ann_test"}).flush_recordset()
        self.assertEqual(self.ann_x.handle, "@Ann_Test")

    def test_same_identity_allowed_in_another_company(self):
        other = self.env["res.company"].create({"name": "Other Co"})
        profile = self.env["social.profile"].create({"network": "x", "handle": "ann_test", "company_id": other.id})
        self.assertEqual(profile.canonical_key, self.ann_x.canonical_key)

    def test_erase_social_data(self):
        self.env["social.profile"].create({"partner_id": self.ann.id, "url": "https://bsky.app/profile/ann.bsky.social"})
        self.ann.action_social_erase()
        self.assertFalse(self.ann.social_profile_ids)
        message = self.ann.message_ids[0]
        self.assertIn("2 social profiles", message.body)
        self.assertNotIn("ann_test", message.body)  # the trace names counts, never content

    def test_access_rights(self):
        user = new_test_user(self.env, login="sc_user", groups="social_crm.social_crm_group_user")
        manager = new_test_user(self.env, login="sc_manager", groups="social_crm.social_crm_group_manager")
        profile = self.env["social.profile"].with_user(user).create({"network": "reddit", "handle": "u/someone"})
        self.assertEqual(profile.canonical_key, "reddit:someone")
        with self.assertRaises(AccessError):
            profile.unlink()
        with self.assertRaises(AccessError):
            self.ann.with_user(user).action_social_erase()
        profile.with_user(manager).unlink()
        self.assertFalse(profile.exists())

    def test_multi_company_rule(self):
        other = self.env["res.company"].create({"name": "Other Co"})
        hidden = self.env["social.profile"].create({"network": "x", "handle": "hidden_one", "company_id": other.id})
        user = new_test_user(self.env, login="sc_user_mc", groups="social_crm.social_crm_group_user",
                             company_id=self.company.id, company_ids=[(6, 0, self.company.ids)])
        visible = self.env["social.profile"].with_user(user).search([("handle", "=", "hidden_one")])
        self.assertFalse(visible)
        self.assertTrue(hidden.exists())

    def test_partner_search_filters(self):
        Partner = self.env["res.partner"]
        self.assertIn(self.ann, Partner.search([("social_profile_ids", "!=", False)]))
        self.assertNotIn(self.bob, Partner.search([("social_profile_ids", "!=", False)]))
        self.assertIn(self.ann, Partner.search([("social_profile_ids.network", "=", "x")]))
        self.assertIn(self.ann, Partner.search([("social_profile_ids.canonical_handle", "ilike", "ann_te")]))
