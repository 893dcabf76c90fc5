from datetime import timedelta

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.social_crm_reputation.lib import keywords

from .common import ReputationCommon

# (text, days ago, the brands it names: "ours" is the company's own)
MENTIONS = [
    ("I love Acme, way better than Globex!", 1, {"ours", "Globex"}),
    ("Globex support is terrible, awful experience.", 1, {"Globex"}),
    ("#Globex rocks, great stuff", 1, {"Globex"}),
    ("Initech is fine I guess", 1, {"Initech"}),
    ("My new phone is wonderful", 1, {"ours"}),
    ("My phone broke after a day, awful.", 1, {"ours"}),
    ("The Globexian empire strikes back", 1, {"ours"}),  # whole words only: no competitor
    ("Acme is great", 2, {"ours"}),
]


@tagged("social_crm_reputation", "post_install", "-at_install")
class TestCompetitors(ReputationCommon):
    """Share of voice and net sentiment of the company against its competitors, by day and network."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._source_of_own_company("Competitors")
        cls.company.social_brand_keywords = "acme, #acme"
        cls.globex, cls.initech = cls.env["social.competitor"].create([
            {"name": "Globex", "keywords": "globex, #globex", "company_id": cls.company.id},
            {"name": "Initech", "keywords": "Initech", "company_id": cls.company.id}])
        cls.mentions = cls._mentions(*[(cls.ann, text, days_ago) for text, days_ago, _brands in MENTIONS])
        cls.Series = cls.env["social.competitor.daily"]
        cls.today = fields.Date.context_today(cls.env["res.partner"].with_context(tz="UTC"))

    def _refresh(self):
        self.env["social.reputation.daily"]._cron_refresh_daily()

    def _rows(self, **domain):
        return self.Series.search([("company_id", "=", self.company.id)]
                                  + [(name, "=", value) for name, value in domain.items()])

    def _expected(self, brand, days_ago=None):
        """``(mentions, net sentiment)`` of ``brand`` from the fixture's texts and their labels."""
        labels = [mention.sentiment_label for mention, (_text, ago, brands) in zip(self.mentions, MENTIONS, strict=True)
                  if brand in brands and (days_ago is None or ago == days_ago)]
        scored = [label for label in labels if label in ("positive", "neutral", "negative")]
        net = (scored.count("positive") - scored.count("negative")) / len(scored) if scored else 0.0
        return len(labels), net

    def test_share_of_voice_by_day(self):
        self._refresh()
        day = self.mentions[0].posted_at.date()
        rows = self._rows(date=day)
        self.assertEqual(sorted(rows.mapped("brand")), sorted(["Competitors company", "Globex", "Initech"]))
        by_brand = {("ours" if row.own_brand else row.brand): row for row in rows}
        self.assertEqual(by_brand["Globex"].competitor_id, self.globex)
        self.assertFalse(by_brand["ours"].competitor_id)
        self.assertEqual({brand: row.mention_count for brand, row in by_brand.items()},
                         {"ours": 4, "Globex": 3, "Initech": 1}, "a mention naming Acme and Globex counts for both")
        self.assertEqual(set(rows.mapped("voice_count")), {8})
        self.assertEqual({brand: row.share_of_voice for brand, row in by_brand.items()},
                         {"ours": 0.5, "Globex": 0.375, "Initech": 0.125})
        for brand, row in by_brand.items():
            self.assertAlmostEqual(row.net_sentiment, self._expected(brand, days_ago=1)[1], msg=brand)
        # the day only we were named: every brand has its row, the competitors' at zero
        older = {row.brand: row.mention_count for row in self._rows(date=day - timedelta(days=1))}
        self.assertEqual(older, {"Competitors company": 1, "Globex": 0, "Initech": 0})

    def test_grouped_shares_come_from_summed_counts(self):
        self._refresh()
        groups = self.Series._read_group([("company_id", "=", self.company.id)], ["brand"],
                                         ["mention_count:sum", "share_of_voice:avg", "net_sentiment:avg"])
        figures = {brand: (mentions, share, net) for brand, mentions, share, net in groups}
        self.assertEqual({brand: mentions for brand, (mentions, _share, _net) in figures.items()},
                         {"Competitors company": 5, "Globex": 3, "Initech": 1})
        self.assertAlmostEqual(figures["Competitors company"][1], 5 / 9, msg="5 of the 9 voices of both days")
        self.assertAlmostEqual(figures["Globex"][1], 3 / 9)
        self.assertAlmostEqual(figures["Initech"][1], 1 / 9)
        self.assertAlmostEqual(sum(share for _mentions, share, _net in figures.values()), 1.0)
        # a group of several brands: their share together; of all of them: every voice
        [(together,)] = self.Series._read_group(
            [("company_id", "=", self.company.id), ("own_brand", "=", False)], [], ["share_of_voice:avg"])
        self.assertAlmostEqual(together, 4 / 9)
        [(everyone,)] = self.Series._read_group([("company_id", "=", self.company.id)], [], ["share_of_voice:avg"])
        self.assertAlmostEqual(everyone, 1.0)
        self.assertAlmostEqual(figures["Globex"][2], self._expected("Globex")[1])
        self.assertAlmostEqual(figures["Competitors company"][2], self._expected("ours")[1])

    def test_the_team_label_and_keyword_changes_follow(self):
        self._refresh()
        complaint = self.mentions[1]
        self.assertEqual(complaint.sentiment_label, "negative")
        globex_before = self._rows(brand="Globex", date=complaint.posted_at.date()).net_sentiment
        complaint.action_sentiment_positive()
        self._refresh()
        globex_after = self._rows(brand="Globex", date=complaint.posted_at.date()).net_sentiment
        self.assertAlmostEqual(globex_after, globex_before + 2 / 3, msg="one of three went from negative to positive")
        # a keyword added: the series counts again, every day
        self.initech.keywords = "initech, globexian"
        self._refresh()
        self.assertEqual(self._rows(brand="Initech", date=complaint.posted_at.date()).mention_count, 2)
        self.assertEqual(self._rows(own_brand=True, date=complaint.posted_at.date()).mention_count, 3)
        # without our brand keywords, a mention naming a competitor is only the competitor's
        self.company.social_brand_keywords = False
        self._refresh()
        self.assertEqual(self._rows(own_brand=True, date=complaint.posted_at.date()).mention_count, 2)
        self.initech.active = False
        self._refresh()
        self.assertFalse(self._rows(brand="Initech"))

    def test_our_replies_are_no_voice_and_a_company_without_competitors_has_no_series(self):
        self._create_mentions(self.source, [{"body": "Globex? Acme is better, try it", "direction": "outbound",
                                             "posted_at": self.mentions[0].posted_at}])
        self._refresh()
        self.assertEqual(self._rows(brand="Globex", date=self.mentions[0].posted_at.date()).mention_count, 3)
        other = self.env["res.company"].create({"name": "No competitors"})
        self.env.user.company_ids |= other
        source = self._create_source("No competitors webhook", company_id=other.id)
        self._create_mentions(source, [{"body": "Globex is great", "posted_at": self.now}])
        self._refresh()
        self.assertFalse(self.Series.search([("company_id", "=", other.id)]))

    def test_on_the_reputation_report(self):
        self._refresh()
        wizard = self.env["social.reputation.report.wizard"].create(
            {"date_from": self.today - timedelta(days=6), "date_to": self.today, "company_id": self.company.id})
        figures = self.env["report.social_crm_reputation.report_reputation"]._get_report_values(
            wizard.ids)["figures"][wizard.id]
        brands = figures["competitors"]
        self.assertEqual([brand["brand"] for brand in brands], ["Competitors company", "Globex", "Initech"])
        self.assertEqual([brand["mentions"] for brand in brands], [5, 3, 1])
        self.assertAlmostEqual(brands[1]["net_vs_ours"], brands[1]["net_sentiment"] - brands[0]["net_sentiment"])
        html = self.env["ir.actions.report"]._render_qweb_html(
            "social_crm_reputation.action_report_reputation", wizard.ids)[0].decode()
        self.assertIn("o_competitors", html)
        self.assertIn("55.6 %", html, "our share of voice: 5 of 9")

    def test_keywords_are_required(self):
        with self.assertRaises(ValidationError):
            self.env["social.competitor"].create({"name": "Nobody", "keywords": " , ", "company_id": self.company.id})


@tagged("social_crm_reputation", "post_install", "-at_install")
class TestKeywordPatterns(ReputationCommon):
    """PostgreSQL finds the keywords as Python does: whole words, any case, hashtags."""

    def test_postgres_pattern_matches_as_python(self):
        kws = keywords.split_keywords("aurora lamp, #auroralamp, Lamp-X, c++")
        python = keywords.compile_keywords(kws)
        postgres = keywords.postgres_pattern(kws)
        texts = ["Love my #AuroraLamp!", "the Aurora Lamp.", "#auroralamps are sold out", "AURORA LAMP rocks",
                 "an auroralamp", "my lamp-x broke", "lamp-xl", "I code in C++ daily", "aurora lampshade",
                 "Ça marche: aurora lamp", ""]
        [row] = self.env.execute_query(SQL("SELECT ARRAY(SELECT t ~* %s FROM unnest(%s::text[]) t)", postgres, texts))
        self.assertEqual(row[0], [bool(python.findall(text.lower())) for text in texts])
        self.assertEqual(row[0], [True, True, False, True, False, True, False, True, False, True, False])
        self.assertIsNone(keywords.postgres_pattern([]))
