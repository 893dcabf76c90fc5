from datetime import date, timedelta

from odoo import fields
from odoo.tests import BaseCase, tagged

from odoo.addons.social_crm_reputation import post_init_hook
from odoo.addons.social_crm_reputation.lib import keywords

from .common import ReputationCommon

DAY = date(2026, 5, 6)
REPORT = "social_crm_reputation.action_report_reputation"


@tagged("social_crm_reputation", "post_install", "-at_install")
class TestKeywordLib(BaseCase):
    """The pure matching functions: whole words, overlaps, longest keyword."""

    def test_split_keywords(self):
        self.assertEqual(keywords.split_keywords(" Aurora  Lamp, #AuroraLamp ,, "), ["aurora lamp", "#auroralamp"])
        self.assertEqual(keywords.split_keywords(False), [])

    def test_longest_of_overlapping_keywords(self):
        pattern = keywords.compile_keywords(["aurora lamp", "lamp pro max", "aurora"])
        # "aurora lamp" is found first, yet the longer "lamp pro max" overlapping it wins
        self.assertEqual(keywords.longest_keyword(pattern, "My Aurora Lamp Pro Max!"), "lamp pro max")
        self.assertEqual(keywords.longest_keyword(pattern, "aurora, then aurora lamp"), "aurora lamp")
        self.assertEqual(keywords.longest_keyword(pattern, "aurorae and lamps"), None)

    def test_no_keywords(self):
        self.assertIsNone(keywords.compile_keywords([]))
        self.assertIsNone(keywords.longest_keyword(None, "aurora lamp"))
        self.assertIsNone(keywords.longest_keyword(keywords.compile_keywords(["x"]), ""))


@tagged("social_crm_reputation", "post_install", "-at_install")
class TestReputationProduct(ReputationCommon):
    """The product dimension: mentions get the product they are about, the series and alerts follow."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Product = cls.env["product.template"]
        cls.other_company = cls.env["res.company"].create({"name": "Reputation product company"})
        cls.lamp, cls.lamp_pro, cls.plain, cls.kettle = cls.Product.create([
            {"name": "Aurora Lamp", "social_keywords": "aurora lamp, #auroralamp"},
            {"name": "Aurora Lamp Pro", "social_keywords": "Aurora Lamp Pro",
             "company_id": cls.env.company.id},
            {"name": "Aurora Plain"},
            {"name": "Zephyr Kettle", "social_keywords": "zephyr kettle", "company_id": cls.other_company.id},
        ])
        cls.today = fields.Date.context_today(cls.env["res.users"].with_context(tz="UTC"))

    def _match(self, text, company=None):
        return self.Product.browse(
            self.Product._social_products_of_texts([((company or self.env.company).id, text)])[0])

    def _rows(self, source=None, day=DAY):
        return self.env["social.reputation.daily"].search(
            [("source_id", "=", (source or self.source).id), ("date", "=", day)])

    def _counts(self, source=None):
        counts = {}
        for row in self._rows(source):
            counts[row.product_id] = counts.get(row.product_id, 0) + row.mention_count
        return counts

    # ------------------------------------------------------------------ matching

    def test_whole_words_whatever_the_case(self):
        self.assertEqual(self._match("I love my aurora lamp."), self.lamp)
        self.assertEqual(self._match("AURORA LAMP rocks"), self.lamp)
        for text in ("aurora lamps everywhere", "superaurora lamp", "auroralamp", "aurora"):
            self.assertEqual(self._match(text), self.Product, text)

    def test_hashtags(self):
        self.assertEqual(self._match("Look at this #AuroraLamp!"), self.lamp)
        self.assertEqual(self._match("#auroralamps"), self.Product)
        self.assertEqual(self._match("me#auroralamp"), self.Product)

    def test_longest_keyword_wins(self):
        self.assertEqual(self._match("The Aurora Lamp Pro is great"), self.lamp_pro)
        self.assertEqual(self._match("an aurora lamp, then an aurora lamp pro"), self.lamp_pro)
        self.assertEqual(self._match("an aurora lamp, then an aurora lamp professional"), self.lamp)

    def test_companies_are_separate(self):
        self.assertEqual(self._match("zephyr kettle"), self.Product, "a product of another company")
        self.assertEqual(self._match("zephyr kettle", self.other_company), self.kettle)
        self.assertEqual(self._match("aurora lamp", self.other_company), self.lamp, "a shared product")
        self.assertEqual(self._match("aurora lamp pro", self.other_company), self.lamp,
                         "the longer keyword belongs to the first company")

    def test_no_keyword_no_product(self):
        self.assertEqual(self._match("Nothing about a product here."), self.Product)
        self.assertEqual(self._match(""), self.Product)
        self.assertEqual(self._match("aurora plain"), self.Product, "a product without keywords is never found")

    def test_keyword_changes_reach_the_matcher(self):
        self.assertEqual(self._match("my aurora plain"), self.Product)
        self.plain.social_keywords = "aurora plain"
        self.assertEqual(self._match("my aurora plain"), self.plain)
        self.plain.active = False
        self.assertEqual(self._match("my aurora plain"), self.Product)
        self.lamp.social_keywords = "aurora light"
        self.assertEqual(self._match("my aurora lamp"), self.Product)
        self.assertEqual(self._match("my aurora light"), self.lamp)
        self.lamp_pro.company_id = self.other_company
        self.assertEqual(self._match("aurora lamp pro", self.other_company), self.lamp_pro)
        self.lamp_pro.unlink()
        self.assertEqual(self._match("aurora lamp pro", self.other_company), self.Product)

    # ------------------------------------------------------------------ mentions

    def test_ingestion_sets_the_product(self):
        result = self._ingest(self._item("p1", "My #AuroraLamp arrived!", posted_at="2026-05-06T10:00:00Z"),
                              self._item("p2", "The Aurora Lamp Pro is bright.", posted_at="2026-05-06T11:00:00Z"),
                              self._item("p3", "Nothing to see.", posted_at="2026-05-06T12:00:00Z"))
        self.assertEqual([mention.product_id for mention in result["mentions"].values()],
                         [self.lamp, self.lamp_pro, self.Product])

    def test_source_product_beats_keywords(self):
        self.source.product_id = self.lamp
        result = self._ingest(self._item("s1", "The Aurora Lamp Pro is bright."), self._item("s2", "No keyword."))
        self.assertEqual(result["mentions"][0].product_id | result["mentions"][1].product_id, self.lamp)
        created = self._mentions((self.ann, "zephyr kettle, aurora lamp pro"))
        self.assertEqual(created.product_id, self.lamp)
        given = self.Mention.create({"source_id": self.source.id, "network": "x", "external_id": "given-1",
                                     "author_handle": "someone", "body": "Aurora lamp.",
                                     "product_id": self.lamp_pro.id})
        self.assertEqual(given.product_id, self.lamp_pro, "an explicit product is kept")

    def test_daily_series_by_product(self):
        mentions = self._ingest(
            self._item("d1", "I love my aurora lamp!", handle="a", posted_at="2026-05-06T08:00:00Z"),
            self._item("d2", "The aurora lamp is awful.", handle="b", posted_at="2026-05-06T09:00:00Z"),
            self._item("d3", "Acme is fine.", handle="c", posted_at="2026-05-06T10:00:00Z"),
        )["mentions"]
        empty = self.Product
        self.assertEqual(self._counts(), {self.lamp: 2, empty: 1})
        lamp_row = self._rows().filtered(lambda row: row.product_id == self.lamp)
        self.assertEqual((lamp_row.positive_count, lamp_row.negative_count), (1, 1))
        # a manual change of product moves the mention at once
        mentions[1].product_id = self.lamp_pro
        self.assertEqual(self._counts(), {self.lamp: 1, self.lamp_pro: 1, empty: 1})
        mentions[0].product_id = False
        self.assertEqual(self._counts(), {self.lamp_pro: 1, empty: 2})
        self.assertEqual(self.env["social.reputation.daily"].search_count(
            [("product_id", "=", self.lamp_pro.id), ("date", "=", DAY)]), 1)

    def test_detect_products_of_older_mentions(self):
        older = self.Mention.create([
            {"source_id": self.source.id, "network": "x", "external_id": f"old-{n}", "author_handle": "old",
             "body": text, "posted_at": "2026-05-06 10:00:00"}
            for n, text in enumerate(["aurora plain is nice", "aurora lamp", "nothing"])])
        older.product_id = False  # as mentions stored before their products had keywords
        self.env["social.reputation.daily"]._refresh_days([DAY])
        self.assertEqual(self._counts(), {self.Product: 3})
        older[1].product_id = self.lamp_pro  # chosen by hand: kept
        self.plain.social_keywords = "aurora plain"
        action = older.action_detect_products()
        self.assertEqual(older.mapped("product_id"), self.plain | self.lamp_pro)
        self.assertEqual(older[0].product_id, self.plain)
        self.assertIn("1 of 3", action["params"]["message"])
        self.assertEqual(self._counts(), {self.plain: 1, self.lamp_pro: 1, self.Product: 1})

    def test_product_spike_alert(self):
        Alert = self.env["social.reputation.alert"]
        sources = self.env["social.source"].create([
            {"name": f"Product spike source {n}", "source_type": "webhook", "network": "x",
             "user_id": self.env.ref("base.user_admin").id} for n in range(3)])

        def at(days_ago, hour):
            return f"{self.today - timedelta(days=days_ago)}T{hour:02d}:00:00Z"

        # a quiet baseline: one negative mention of the lamp a week, on the first source
        self._ingest_into(sources[0], [self._item(f"b{n}", "The aurora lamp is awful.", handle=f"b{n}",
                                                     posted_at=at(7 * n, 10)) for n in range(1, 5)])
        # today: negative mentions of the lamp spread over three sources (none spikes by itself)
        def today_batch(source, count):
            self._ingest_into(source, [self._item(f"t{source.id}-{n}", "The aurora lamp is terrible!",
                                                     handle=f"t{source.id}{n}", posted_at=at(0, 8 + n))
                                          for n in range(count)])

        today_batch(sources[0], 2)
        self.assertFalse(Alert.search([("product_id", "=", self.lamp.id)]), "two mentions are no spike")
        today_batch(sources[1], 2)
        alert = Alert.search([("product_id", "=", self.lamp.id)])
        self.assertEqual(len(alert), 1)
        self.assertEqual((alert.kind, alert.date, alert.negative_count), ("negative_spike", self.today, 4))
        self.assertAlmostEqual(alert.expected_count, 4 / 28, places=2)
        self.assertLess(alert.p_value, 0.01)
        self.assertEqual(alert.source_id, sources[0], "the source with most of the day's negative mentions")
        self.assertEqual(alert.mention_count, 4)
        self.assertIn("4 negative of 4 mentions of Aurora Lamp (0.1 negative expected)", alert.name)
        self.assertEqual(alert.activity_ids.user_id, self.env.ref("base.user_admin"))
        # more negative mentions the same day, and the cron: still one alert, and no source spike
        today_batch(sources[2], 1)
        Alert._cron_detect_alerts()
        self.assertEqual(Alert.search([("source_id", "in", sources.ids)]), alert)

    def test_ingestion_queries_do_not_grow_with_the_batch(self):
        def items(prefix, count):
            texts = ["I love my aurora lamp!", "The Aurora Lamp Pro is bright.", "Nothing here."]
            return [self._item(f"{prefix}{n}", texts[n % 3], handle=f"{prefix}h{n}",
                               posted_at=f"2026-06-{1 + n % 3:02d}T10:00:00Z") for n in range(count)]

        def queries(prefix, count):
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            mentions = self.Mention._ingest(self.source, items(prefix, count))["mentions"]
            self.env.flush_all()
            self.assertEqual(len({mention.product_id for mention in mentions.values()}), 3)
            return self.env.cr.sql_log_count - before

        queries("warm", 3)  # caches (keyword matcher, sequences, …) filled
        self.assertEqual(queries("small", 3), queries("large", 60))

    def test_install_hook_gives_products(self):
        older = self.Mention.create([
            {"source_id": self.source.id, "network": "x", "external_id": f"hook-{n}", "author_handle": "old",
             "body": text, "product_id": False, "posted_at": "2026-05-06 10:00:00"}
            for n, text in enumerate(["my aurora lamp", "nothing"])])
        post_init_hook(self.env)
        self.assertEqual(older.product_id, self.lamp)
        self.assertEqual(self._counts(), {self.lamp: 1, self.Product: 1})
        phone = self.env.ref("social_crm_reputation.product_template_acme_phone_demo", raise_if_not_found=False)
        if phone:  # the demo mentions of social_crm talk about it
            self.assertGreater(self.Mention.search_count([("product_id", "=", phone.id)]), 10)
            self.assertTrue(self.env["social.reputation.daily"].search_count([("product_id", "=", phone.id)]))

    def test_views_show_the_product(self):
        views = self.env["social.reputation.daily"].get_views([(False, "search"), (False, "list")])["views"]
        self.assertIn("group_product", views["search"]["arch"])
        self.assertIn('name="product_id"', views["list"]["arch"])
        mention_form = self.Mention.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="product_id"', mention_form)
        source_form = self.env["social.source"].get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="product_id"', source_form)
        product_form = self.Product.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="social_keywords"', product_form)


@tagged("social_crm_reputation", "post_install", "-at_install")
class TestReportByProduct(ReputationCommon):
    """The reputation report, for every product or for one."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._source_of_own_company("Reputation product report")
        cls.lamp, cls.kettle = cls.env["product.template"].create([
            {"name": "Report Lamp", "social_keywords": "report lamp", "company_id": cls.company.id},
            {"name": "Report Kettle", "social_keywords": "report kettle", "company_id": cls.company.id}])
        cls._mentions((cls.ann, "I love my report lamp, wonderful!", 1), (cls.bob, "The report lamp is awful.", 2),
                      (cls.bob, "My report lamp is great!", 3), (cls.carl, "Report kettle: I love it!", 1),
                      (cls.carl, "Just a day.", 1))
        cls.today = fields.Date.context_today(cls.env["res.partner"].with_context(tz="UTC"))
        cls.wizard, cls.lamp_wizard = cls.env["social.reputation.report.wizard"].create([
            {"date_from": cls.today - timedelta(days=13), "date_to": cls.today, "company_id": cls.company.id},
            {"date_from": cls.today - timedelta(days=13), "date_to": cls.today, "company_id": cls.company.id,
             "product_id": cls.lamp.id}])

    def _figures(self, wizard):
        values = self.env["report.social_crm_reputation.report_reputation"]._get_report_values(wizard.ids)
        return values["figures"][wizard.id]

    def test_by_product_table(self):
        figures = self._figures(self.wizard)
        self.assertEqual(figures["headline"]["mentions"], 5)
        lines = figures["products"]
        self.assertEqual([line["product"] for line in lines], [self.lamp, self.kettle])
        lamp = lines[0]
        self.assertEqual((lamp["mentions"], lamp["customers"]), (3, 2))
        self.assertAlmostEqual(lamp["net_sentiment"], (2 - 1) / 3)
        self.assertTrue(lamp["anecdotal"])
        self.assertEqual((lines[1]["mentions"], lines[1]["customers"], lines[1]["net_sentiment"]), (1, 1, 1.0))
        html = self.env["ir.actions.report"]._render_qweb_html(REPORT, self.wizard.ids)[0].decode()
        self.assertIn("By product", html)
        self.assertIn("Report Kettle", html)
        self.assertIn(">anecdotal</span>", html)

    def test_report_of_one_product(self):
        figures = self._figures(self.lamp_wizard)
        self.assertEqual((figures["headline"]["mentions"], figures["headline"]["customers"]), (3, 2))
        self.assertEqual([line["product"] for line in figures["products"]], [self.lamp])
        self.assertEqual(sum(week["mentions"] for week in figures["weeks"]), 3)
        self.assertEqual(self.env["social.mention"].get_representativeness(
            [("product_id", "=", self.kettle.id)])["mentions"], 1)
        html = self.env["ir.actions.report"]._render_qweb_html(REPORT, self.lamp_wizard.ids)[0].decode()
        self.assertIn("Report Lamp", html)
        self.assertNotIn("Report Kettle", html)
