from datetime import timedelta

from odoo.tests import BaseCase, tagged

from odoo.addons.social_crm_reputation.lib import themes

from .common import ReputationCommon

BATTERY = [
    "The battery is terrible, it dies after one hour. Awful.",
    "Horrible battery: dead by noon every single day. I hate it.",
    "Worst battery ever, it drains overnight. Terrible!",
    "My battery died again during a call, this is awful",
    "Awful battery life, I regret buying it. Terrible.",
    "Battery swelling after a month, horrible and dangerous.",
]
DELIVERY = "Awful delivery, the parcel came late again. Terrible."
PRAISE = "Wonderful screen, I love the colours. Great!"


@tagged("social_crm_reputation", "post_install", "-at_install")
class TestLogOdds(BaseCase):
    def test_hand_computed_example(self):
        # alpha_0 = 10, both terms half of the background: alpha = 5 each; n = n' = 10
        # battery: delta = log((8 + 5) / (10 + 10 - 8 - 5)) - log((2 + 5) / (10 + 10 - 2 - 5))
        #                = log(13 / 7) - log(7 / 13) = 2 * 0.6190392 = 1.2380784
        #          var = 1 / 13 + 1 / 7 = 0.0769231 + 0.1428571 = 0.2197802, sd = 0.4688072
        #          z = 1.2380784 / 0.4688072 = 2.6409115
        changes = themes.log_odds_changes(
            {"battery": 8, "screen": 2}, {"battery": 2, "screen": 8}, {"battery": 10, "screen": 10}, alpha_0=10)
        self.assertEqual([change.term for change in changes], ["battery", "screen"])
        battery, screen = changes
        self.assertAlmostEqual(battery.delta, 1.2380784, places=6)
        self.assertAlmostEqual(battery.z, 2.6409115, places=6)
        self.assertTrue(battery.significant)
        self.assertAlmostEqual(screen.z, -2.6409115, places=6)
        self.assertFalse(screen.significant)
        self.assertEqual((battery.count, battery.baseline_count), (8, 2))

    def test_prior_shrinks_rare_terms(self):
        """A term seen once now and never before ranks below a frequent term that doubled: a plain
        ratio of frequencies would put it first."""
        counts = {"battery": 40, "once": 1, "delivery": 59}
        baseline = {"battery": 20, "delivery": 80}
        prior = {"battery": 60, "once": 1, "delivery": 139}
        changes = themes.log_odds_changes(counts, baseline, prior, alpha_0=100)
        self.assertEqual(changes[0].term, "battery")
        self.assertLess(next(change for change in changes if change.term == "once").z, 1.96)

    def test_key_phrases(self):
        extractor = themes.PhraseExtractor(ignored=["Acme", "acme corp"])
        phrases = extractor.extract(
            "The battery of my new #Acme phone dies after two hours https://t.co/x @acme_help &amp;", "en")
        self.assertIn("battery", phrases)
        self.assertLessEqual(len(phrases), themes.MAX_PHRASES)
        for phrase in phrases:
            self.assertEqual(phrase, phrase.lower())
            self.assertNotIn("acme", phrase.split(), "the brand says nothing of what a mention is about")
            self.assertNotIn("http", phrase)
            self.assertNotIn(themes.SEPARATOR, phrase)
        self.assertEqual(len(phrases), len(set(phrases)))
        self.assertIn("batterie", extractor.extract_joined("La batterie ne tient pas, service client lent", "fr"))
        for text in ("", None, "ok", "😡😡😡", "https://example.com", "123 456"):
            self.assertEqual(extractor.extract_joined(text, "en"), "", text)
        self.assertTrue(extractor.extract_joined("Ünïcödé bättery prøblem again", "xx"),
                        "a language without stop words")


@tagged("social_crm_reputation", "post_install", "-at_install")
class TestThemes(ReputationCommon):
    """Key phrases extracted by the series' job, counted by day, and what rose in negative mentions."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._source_of_own_company("Themes")
        cls.company.social_brand_keywords = "acme"
        specs = []
        for days_ago in range(2, 30):  # the baseline: a late parcel and a praise every day
            specs += [(cls.ann, DELIVERY, days_ago), (cls.bob, PRAISE, days_ago)]
        specs += [(cls.carl, text, 1) for text in BATTERY]  # yesterday: the battery
        specs += [(cls.ann, DELIVERY, 1), (cls.bob, PRAISE, 1), (cls.ann, "Acme https://acme.example", 1)]
        cls.mentions = cls._mentions(*specs)
        cls.battery_mentions = cls.mentions.filtered(lambda mention: mention.body in BATTERY)
        cls.yesterday = (cls.now - timedelta(days=1)).date()
        cls.Themes = cls.env["social.theme.daily"]

    def _refresh(self):
        self.env["social.reputation.daily"]._cron_refresh_daily()

    def _changes(self, **options):
        return self.Themes.get_changes(self.yesterday, self.yesterday, [("company_id", "=", self.company.id)],
                                       **options)

    def test_key_phrases_extracted_off_ingestion(self):
        self.assertFalse(any(self.mentions.mapped("theme_terms")), "nothing extracted while mentions arrive")
        self._refresh()
        for mention in self.battery_mentions:
            self.assertIn("battery", mention.theme_terms.split(themes.SEPARATOR), mention.body)
            self.assertIn("battery", mention.theme_list)
        link_only = self.mentions.filtered(lambda mention: mention.body.startswith("Acme https"))
        self.assertEqual(link_only.theme_terms, "", "extracted, and nothing to say: never extracted again")
        self.assertFalse(any("acme" in (mention.theme_terms or "").split() for mention in self.mentions))
        battery = self.Themes.search([("company_id", "=", self.company.id), ("date", "=", self.yesterday),
                                      ("term", "=", "battery")])
        self.assertEqual((battery.mention_count, battery.negative_count, battery.positive_count),
                         (len(BATTERY), len(BATTERY), 0))
        self.assertEqual((battery.source_id, battery.network), (self.source, self.source.network))
        action = battery.action_view_negative_mentions()
        self.assertEqual(self.env["social.mention"].search(action["domain"]), self.battery_mentions)
        # an edited text is extracted again by the next run
        mention = self.battery_mentions[0]
        mention.body = "The screen cracked on the first day, horrible."
        self.assertFalse(mention.theme_terms)
        self._refresh()
        self.assertNotIn("battery", mention.theme_terms.split(themes.SEPARATOR))
        self.assertFalse(battery.exists(), "the day was rebuilt: its rows are replaced, never added to")
        self.assertEqual(self.Themes.search([("company_id", "=", self.company.id), ("date", "=", self.yesterday),
                                             ("term", "=", "battery")]).negative_count, len(BATTERY) - 1)

    def test_what_changed_ranks_the_battery_first(self):
        self._refresh()
        changes = self._changes()
        self.assertEqual(changes[0]["term"], "battery", changes)
        first = changes[0]
        self.assertTrue(first["significant"])
        self.assertEqual((first["count"], first["baseline_count"]), (len(BATTERY), 0))
        self.assertGreater(first["z"], 1.96)
        self.assertEqual([change["z"] for change in changes], sorted((change["z"] for change in changes), reverse=True))
        delivery = [change for change in changes if "delivery" in change["term"]]
        self.assertTrue(all(not change["significant"] for change in delivery), "the parcel is late as always")
        self.assertTrue(all(change["z"] > 0 for change in changes), "only the themes that rose")
        other = self.env["res.company"].create({"name": "Themes other company"})
        self.assertEqual(self.Themes.get_changes(self.yesterday, self.yesterday, [("company_id", "=", other.id)]), [])

    def test_corrections_change_the_themes(self):
        self._refresh()
        self.battery_mentions[:2]._correct_sentiment("positive")
        self._refresh()
        battery = self.Themes.search([("company_id", "=", self.company.id), ("date", "=", self.yesterday),
                                      ("term", "=", "battery")])
        self.assertEqual((battery.negative_count, battery.positive_count), (len(BATTERY) - 2, 2))
        self.assertEqual(self._changes()[0]["count"], len(BATTERY) - 2)

    def test_alert_and_wizard_show_what_changed(self):
        self._refresh()
        alert = self.env["social.reputation.alert"].create({
            "name": "Spike", "kind": "negative_spike", "date": self.yesterday, "source_id": self.source.id,
            "dedup_key": f"test-themes-{self.source.id}"})
        self.assertIn("battery", alert.theme_change_html)
        self.assertIn("table-danger", alert.theme_change_html, "a significant rise stands out")
        action = alert.action_view_theme_changes()
        wizard = self.env["social.theme.change.wizard"].browse(action["res_id"])
        self.assertEqual((wizard.date_from, wizard.date_to, wizard.source_id), (self.yesterday, self.yesterday,
                                                                                 self.source))
        self.assertEqual(wizard.line_ids[0].term, "battery")
        self.assertIn("rose significantly", wizard.summary)
        mentions = wizard.line_ids[0].action_view_mentions()
        self.assertEqual(self.env["social.mention"].search(mentions["domain"]), self.battery_mentions)
        wizard.date_from = wizard.date_to = self.yesterday - timedelta(days=10)
        wizard.action_compute()
        self.assertNotIn("battery", wizard.line_ids.mapped("term"), "ten days ago, nobody spoke of it")

    def test_reputation_report_says_what_changed(self):
        self._refresh()
        figures = self.env["report.social_crm_reputation.report_reputation"]._reputation_figures(
            self.yesterday, self.yesterday, self.company)
        self.assertEqual(figures["theme_changes"][0]["term"], "battery")
        wizard = self.env["social.reputation.report.wizard"].create(
            {"date_from": self.yesterday, "date_to": self.yesterday, "company_id": self.company.id})
        html = self.env["ir.actions.report"]._render_qweb_html(
            "social_crm_reputation.action_report_reputation", wizard.ids)[0].decode()
        self.assertIn("What changed in negative mentions", html)
        self.assertIn("<td>battery</td>", html)

    def test_rebuild_all_by_the_series_job(self):
        self._refresh()
        domain = [("company_id", "=", self.company.id), ("date", "=", self.yesterday), ("term", "=", "battery")]
        self.Themes.search(domain).unlink()
        self.env["social.reputation.daily"]._refresh_all()  # the manager's "Rebuild all"
        self.assertFalse(self.Themes.search(domain), "a year of themes is no work for the request")
        self._refresh()
        self.assertEqual(self.Themes.search(domain).negative_count, len(BATTERY))
        self.assertFalse(self.env["ir.config_parameter"].get_param("social_crm_reputation.theme_series_stale"))

    def test_overview_says_what_changed(self):
        self._refresh()
        manager = self.env["res.users"].create({
            "name": "Themes manager", "login": "themes_manager", "company_id": self.company.id,
            "company_ids": [(6, 0, [self.company.id])],
            "groups_id": [(6, 0, [self.env.ref("social_crm.social_crm_group_manager").id])]})
        self.env["social.competitor"].create({"name": "Globex", "keywords": "parcel", "company_id": self.company.id})
        self._refresh()
        why = self.env["social.mention"].with_user(manager).with_company(self.company).get_overview_data()["why"]
        self.assertEqual(why["themes"][0]["term"], "battery")
        self.assertGreater(why["themes"][0]["z"], 1)
        self.assertLessEqual(len(why["themes"]), 3)
        self.assertEqual(why["themes_action"]["type"], "ir.actions.server")
        self.assertEqual((why["agreement"]["corrections"], why["agreement"]["measured"]), (0, False))
        self.battery_mentions[:1]._correct_sentiment("negative")  # the engine said so too: an agreement
        why = self.env["social.mention"].with_user(manager).with_company(self.company).get_overview_data()["why"]
        self.assertEqual((why["agreement"]["corrections"], why["agreement"]["agree"]), (1, 1))
        brands = {brand["brand"]: brand for brand in why["competitors"]}
        self.assertEqual(set(brands), {"Themes company", "Globex"})
        self.assertTrue(brands["Themes company"]["own"])
        self.assertAlmostEqual(sum(brand["share_of_voice"] for brand in brands.values()), 1.0)
        user = self.env["res.users"].create({
            "name": "Themes user", "login": "themes_user", "company_id": self.company.id,
            "company_ids": [(6, 0, [self.company.id])],
            "groups_id": [(6, 0, [self.env.ref("social_crm.social_crm_group_user").id])]})
        why = self.env["social.mention"].with_user(user).with_company(self.company).get_overview_data()["why"]
        self.assertIsNone(why["agreement"], "the engine's agreement is for managers")
        self.assertEqual(why["themes"][0]["term"], "battery")
