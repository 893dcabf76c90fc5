"""The Settings screen of Social CRM and the one reader of its system parameters."""
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from ..models.res_config_settings import ALLOW_PRIVATE_SOURCE_URLS, OPT_OUT_POLICY, WEBHOOK_MAX_BYTES
from ..tools.settings import IDS, Setting
from .common import SocialCrmCommon, save_settings
from .test_mention_ingest import item


@tagged("social_crm", "post_install", "-at_install")
class TestSettingReader(SocialCrmCommon):
    """:class:`Setting` on its own: what each kind accepts, and the error for what it does not."""

    def parse(self, setting, raw):
        return setting.parse(self.env, raw)

    def assertRefused(self, setting, raw, expected):
        with self.assertRaises(UserError) as caught:
            self.parse(setting, raw)
        self.assertEqual(str(caught.exception),
                         f"The system parameter {setting.key} must be {expected}, not {raw!r}.")

    def test_empty_is_the_default(self):
        setting = Setting("test_social_crm.number", float, 0.5, minimum=0.0, maximum=1.0)
        for raw in (None, False, "", "  "):
            with self.subTest(raw=raw):
                self.assertEqual(self.parse(setting, raw), 0.5)

    def test_numbers(self):
        share = Setting("test_social_crm.share", float, 0.5, minimum=0.0, maximum=1.0)
        self.assertEqual([self.parse(share, raw) for raw in ("0", " 0.25 ", "1", "1e-1")], [0.0, 0.25, 1.0, 0.1])
        for raw in ("1.5", "-0.1", "half", "nan", "inf"):
            with self.subTest(raw=raw):
                self.assertRefused(share, raw, "a number between 0.0 and 1.0")
        count = Setting("test_social_crm.count", int, 3, positive=True)
        self.assertEqual(self.parse(count, "12"), 12)
        for raw in ("0", "-2", "2.5", "12.0", "many"):
            with self.subTest(raw=raw):
                self.assertRefused(count, raw, "a whole number above 0")
        self.assertRefused(Setting("test_social_crm.at_least", int, 3, minimum=1), "0",
                           "a whole number of at least 1")
        self.assertRefused(Setting("test_social_crm.p", float, 0.01, positive=True, maximum=1.0), "2",
                           "a number above 0 and at most 1.0")

    def test_booleans_choices_and_ids(self):
        flag = Setting("test_social_crm.flag", bool, False)
        self.assertEqual([self.parse(flag, raw) for raw in ("True", "true", "1", "yes", "on")], [True] * 5)
        self.assertEqual([self.parse(flag, raw) for raw in ("False", "0", "no", "OFF")], [False] * 4)
        self.assertRefused(flag, "maybe", "true or false")
        policy = Setting("test_social_crm.policy", str, "keep", choices=["keep", "drop"])
        self.assertEqual(self.parse(policy, " drop "), "drop")
        self.assertRefused(policy, "Drop", "one of keep, drop")
        ids = Setting("test_social_crm.ids", IDS, ())
        self.assertEqual(self.parse(ids, "3, 1,,2"), [3, 1, 2])
        for raw in ("1;2", "1,-2", "a"):
            with self.subTest(raw=raw):
                self.assertRefused(ids, raw, "record ids separated by commas")

    def test_read_from_the_database(self):
        params = self.env["ir.config_parameter"].sudo()
        params.set_param(WEBHOOK_MAX_BYTES.key, False)
        self.assertEqual(WEBHOOK_MAX_BYTES.read(self.env), 1_048_576, "missing: the default")
        params.set_param(WEBHOOK_MAX_BYTES.key, "2048")
        self.assertEqual(WEBHOOK_MAX_BYTES.read(self.env), 2048)
        params.set_param(WEBHOOK_MAX_BYTES.key, "2 kB")
        with self.assertRaises(UserError):
            WEBHOOK_MAX_BYTES.read(self.env)
        with self.assertLogs("odoo.addons.social_crm.tools.settings", "WARNING"):
            self.assertEqual(WEBHOOK_MAX_BYTES.read(self.env, strict=False), 1_048_576)


@tagged("social_crm", "post_install", "-at_install")
class TestSettingsScreen(SocialCrmCommon):
    """CRM › Configuration › Settings, block Social CRM: what it shows, stores and refuses."""

    def setUp(self):
        super().setUp()
        self.params = self.env["ir.config_parameter"].sudo()

    def test_defaults_shown_and_stored_values_read_back(self):
        for key in (ALLOW_PRIVATE_SOURCE_URLS.key, OPT_OUT_POLICY.key, WEBHOOK_MAX_BYTES.key):
            self.params.set_param(key, False)
        settings = Form(self.env["res.config.settings"])
        self.assertEqual((settings.social_crm_allow_private_source_urls, settings.social_crm_opt_out_policy,
                          settings.social_crm_webhook_max_bytes), (False, "unlinked", 1_048_576))
        # as the data file and scripts store them: "False" is false (bool("False") would show it ticked)
        self.params.set_param(ALLOW_PRIVATE_SOURCE_URLS.key, "False")
        self.params.set_param(OPT_OUT_POLICY.key, "drop")
        self.params.set_param(WEBHOOK_MAX_BYTES.key, "4096")
        settings = Form(self.env["res.config.settings"])
        self.assertEqual((settings.social_crm_allow_private_source_urls, settings.social_crm_opt_out_policy,
                          settings.social_crm_webhook_max_bytes), (False, "drop", 4096))
        self.params.set_param(ALLOW_PRIVATE_SOURCE_URLS.key, "yes")
        self.assertTrue(Form(self.env["res.config.settings"]).social_crm_allow_private_source_urls)

    def test_saved_values_are_what_ingestion_reads(self):
        save_settings(self.env, social_crm_opt_out_policy="drop", social_crm_allow_private_source_urls=True,
                      social_crm_webhook_max_bytes=2048)
        self.assertEqual([self.params.get_param(key) for key in (OPT_OUT_POLICY.key, ALLOW_PRIVATE_SOURCE_URLS.key,
                                                                 WEBHOOK_MAX_BYTES.key)], ["drop", "True", "2048"])
        source = self.env["social.source"].create({"name": "Settings hook", "source_type": "webhook", "network": "x"})
        self.assertTrue(source._allow_private_urls())
        self.ann.social_opt_out = True
        result = self.env["social.mention"]._ingest(source, [item("settings-1"), item("settings-2", handle="other_1")])
        self.assertEqual((result["created"], result["opted_out"]), (1, 1), "Ann's mention is not stored")
        self.assertEqual([mention.author_handle for mention in result["mentions"].values()], ["other_1"])

        save_settings(self.env, social_crm_opt_out_policy="unlinked", social_crm_allow_private_source_urls=False)
        self.assertFalse(source._allow_private_urls())
        [kept] = self.env["social.mention"]._ingest(source, [item("settings-3")])["mentions"].values()
        self.assertEqual((kept.author_handle, kept.partner_id, kept.profile_id),
                         ("ann_test", self.env["res.partner"], self.env["social.profile"]), "stored without Ann")

    def test_invalid_values_are_refused_on_save(self):
        self.params.set_param(WEBHOOK_MAX_BYTES.key, "4096")
        settings = Form(self.env["res.config.settings"])
        settings.social_crm_webhook_max_bytes = 0
        record = settings.save()
        with self.assertRaises(ValidationError) as caught:
            record.execute()
        self.assertEqual(str(caught.exception), "Largest Webhook Body must be a whole number of at least 1.")
        self.assertEqual(self.params.get_param(WEBHOOK_MAX_BYTES.key), "4096", "nothing saved")

    def test_screen_opens_on_a_bad_stored_value(self):
        """A value typed by hand that makes no sense: the screen shows the default, so that saving fixes it."""
        self.params.set_param(WEBHOOK_MAX_BYTES.key, "lots")
        self.params.set_param(OPT_OUT_POLICY.key, "forget")
        with self.assertLogs("odoo.addons.social_crm.tools.settings", "WARNING"):
            settings = Form(self.env["res.config.settings"])
        self.assertEqual((settings.social_crm_webhook_max_bytes, settings.social_crm_opt_out_policy),
                         (1_048_576, "unlinked"))
        with self.assertRaises(UserError) as caught:
            self.env["social.mention"]._ingest(self.env["social.source"].create(
                {"name": "Bad hook", "source_type": "webhook", "network": "x"}), [item("bad-setting")])
        self.assertIn("social_crm.opt_out_policy", str(caught.exception))
        with self.assertLogs("odoo.addons.social_crm.tools.settings", "WARNING"):
            save_settings(self.env)
        self.assertEqual((self.params.get_param(WEBHOOK_MAX_BYTES.key), self.params.get_param(OPT_OUT_POLICY.key)),
                         ("1048576", "unlinked"))
