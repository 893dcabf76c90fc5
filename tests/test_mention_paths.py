"""A mention made any way behaves the same: the same items created by ingestion, by ``create`` (ORM
and XML-RPC), by the form and by Odoo's import (``base_import`` on a CSV file, and ``load``) get
the same sentiment, team, campaign, product, buying signal and queued lead, response activity,
daily series, alerts and advocacy points, compared field by field."""
import csv
import io
from datetime import timedelta

from odoo import fields
from odoo.tests import Form, HttpCase, new_test_user, tagged

PATHS = ("ingestion", "create", "xml_rpc", "form", "base_import", "load")
# a positive mention asking for a quote, a negative one: two sentiments, one buying signal
TEXTS = (
    "I love my Acme phone, the best purchase ever! We need a quote for twenty more.",
    "Awful support, my tablet broke after one day. Terrible, I hate it.",
)
MENTION_FIELDS = (
    "body", "lang", "reach", "posted_at", "network", "state", "company_id", "user_id", "team_id", "campaign_id",
    "product_id", "sentiment_score", "sentiment_label", "detected_lang", "buying_signal_rule_id",
    "buying_signal_type", "signal_lead_pending",
)
DAILY_FIELDS = (
    "date", "network", "company_id", "team_id", "campaign_id", "product_id", "mention_count", "positive_count",
    "neutral_count", "negative_count", "unscored_count", "scored_count", "net_sentiment", "sentiment_avg",
    "sentiment_sum", "reach", "author_count", "customer_count",
)
LEAD_FIELDS = ("type", "user_id", "team_id", "company_id", "medium_id", "stage_id", "contact_name")


def plain(values):
    """A row of ``read()`` with its many2one pairs reduced to their ids."""
    return {name: value[0] if isinstance(value, tuple) else value for name, value in values.items() if name != "id"}


@tagged("social_crm_stack", "post_install", "-at_install")
class TestOneMentionPipeline(HttpCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.admin = env.ref("base.user_admin")
        # the programme starts known: only the rule of this test awards points for positive mentions
        env["social.advocacy.rule"].search([]).active = False
        env["social.advocacy.tier"].search([]).active = False
        cls.points_rule = env["social.advocacy.rule"].create(
            {"name": "Paths positive", "action_type": "positive_mention", "points": 10, "min_sentiment": 0.3})
        cls.signal_rule = env["social.buying.signal.rule"].create({
            "name": "Paths quote", "sequence": 1, "signal_type": "quote", "pattern": r"\bneed a quote\b",
            "create_lead": True})
        cls.responsible = new_test_user(env, login="paths_sam", groups="sales_team.group_sale_salesman",
                                        name="Sam Paths")
        cls.team = env["crm.team"].create({"name": "Paths team", "member_ids": [(6, 0, cls.responsible.ids)]})
        cls.campaign = env["utm.campaign"].create({"name": "Paths campaign"})
        cls.posted_at = fields.Datetime.now().replace(microsecond=0) - timedelta(hours=1)
        # one source and one author per path: each path's series, alerts, points and lead are its own
        cls.sources, cls.partners, cls.profiles = {}, {}, {}
        for path in PATHS:
            cls.sources[path] = env["social.source"].create({
                "name": f"Paths {path}", "source_type": "webhook", "network": "x",
                "user_id": cls.responsible.id, "campaign_id": cls.campaign.id})
            cls.partners[path] = env["res.partner"].create({"name": f"Author of {path}"})
            cls.profiles[path] = env["social.profile"].create(
                {"partner_id": cls.partners[path].id, "network": "x", "handle": f"paths_{path}"[:15]})

    def _vals(self, path):
        """The values of the path's two mentions, as a client of ``create`` gives them."""
        return [{
            "source_id": self.sources[path].id, "network": "x", "external_id": f"{path}-{position}",
            "author_handle": self.profiles[path].handle, "partner_id": self.partners[path].id,
            "profile_id": self.profiles[path].id, "body": text, "lang": "en", "reach": 50,
            "posted_at": fields.Datetime.to_string(self.posted_at),
        } for position, text in enumerate(TEXTS)]

    # ------------------------------------------------------------------ the ways in

    def _by_ingestion(self):
        items = [{"id": vals["external_id"], "network": "x",
                  "author": {"handle": vals["author_handle"], "followers": 50},
                  "text": vals["body"], "lang": "en", "posted_at": vals["posted_at"]}
                 for vals in self._vals("ingestion")]
        result = self.env["social.mention"].with_user(self.admin).ingest(self.sources["ingestion"].id, items)
        self.assertEqual((result["created"], result["errors"]), (2, []))

    def _by_create(self):
        self.env["social.mention"].with_user(self.admin).create(self._vals("create"))

    def _by_xml_rpc(self):
        uid = self.xmlrpc_common.authenticate(self.env.cr.dbname, "admin", "admin", {})
        ids = self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, uid, "admin", "social.mention", "create", [self._vals("xml_rpc")])
        self.assertEqual(len(ids), 2)
        self.env.invalidate_all()  # written by the server's thread

    def _by_form(self):
        for vals in self._vals("form"):
            with Form(self.env["social.mention"].with_user(self.admin)) as form:
                form.source_id = self.sources["form"]
                form.network = "x"
                form.external_id = vals["external_id"]
                form.author_handle = vals["author_handle"]
                form.partner_id = self.partners["form"]
                form.profile_id = self.profiles["form"]
                form.body = vals["body"]
                form.lang = "en"
                form.reach = 50
                form.posted_at = self.posted_at

    def _columns(self, path):
        """Columns and rows of a file to import; its dates are in the importing user's time zone, as
        Odoo's import reads them."""
        names = ["external_id", "network", "source_id/.id", "author_handle", "partner_id/.id", "profile_id/.id",
                 "body", "lang", "reach", "posted_at"]
        keys = [name.removesuffix("/.id") for name in names]
        local = fields.Datetime.context_timestamp(self.admin, self.posted_at).replace(tzinfo=None)
        rows = [[str(vals[key]) for key in keys] for vals in self._vals(path)]
        for row in rows:
            row[-1] = fields.Datetime.to_string(local)
        return names, rows

    def _by_base_import(self):
        names, rows = self._columns("base_import")
        data = io.StringIO()
        csv.writer(data).writerows([names, *rows])
        wizard = self.env["base_import.import"].with_user(self.admin).create({
            "res_model": "social.mention", "file": data.getvalue().encode(), "file_name": "mentions.csv",
            "file_type": "text/csv"})
        result = wizard.execute_import(names, names, {
            "quoting": '"', "separator": ",", "encoding": "utf-8", "has_headers": True, "date_format": "%Y-%m-%d",
            "datetime_format": "%Y-%m-%d %H:%M:%S", "float_thousand_separator": ",", "float_decimal_separator": "."})
        self.assertEqual((len(result["ids"]), result["messages"]), (2, []))

    def _by_load(self):
        names, rows = self._columns("load")
        result = self.env["social.mention"].with_user(self.admin).load(names, rows)
        self.assertEqual((len(result["ids"]), result["messages"]), (2, []))

    # ------------------------------------------------------------------ what each made

    def _made_by(self, path):
        """What the pipeline made of a path's mentions, without what differs by design (ids, author, source)."""
        source, partner = self.sources[path], self.partners[path]
        mentions = self.env["social.mention"].search([("source_id", "=", source.id)], order="external_id")
        self.assertEqual(mentions.mapped("external_id"), [f"{path}-0", f"{path}-1"])
        self.assertEqual((mentions.partner_id, mentions.profile_id), (partner, self.profiles[path]))
        outcome = {"mentions": [plain(row) for row in mentions.read(MENTION_FIELDS)]}
        outcome["activities"] = [[
            (activity.activity_type_id.id, activity.user_id.id, activity.date_deadline, activity.automated,
             activity.summary.startswith("Answer by "))
            for activity in mention.activity_ids] for mention in mentions]
        daily = self.env["social.reputation.daily"].search([("source_id", "=", source.id)], order="product_id, id")
        outcome["daily"] = [plain(row) for row in daily.read(DAILY_FIELDS)]
        alerts = self.env["social.reputation.alert"].search([("source_id", "=", source.id)], order="kind, id")
        outcome["alerts"] = [(alert.kind, alert.date, alert.negative_count, alert.mention_count) for alert in alerts]
        actions = self.env["social.advocacy.action"].search([("partner_id", "=", partner.id)], order="id")
        outcome["points"] = ([(a.action_type, a.points, a.rule_id.id, a.mention_id.external_id[-1]) for a in actions],
                             partner.advocacy_balance)
        return outcome

    def _leads(self, path):
        mentions = self.env["social.mention"].search([("source_id", "=", self.sources[path].id)], order="external_id")
        self.assertEqual(mentions.lead_id.partner_id, self.partners[path])
        return [(mention.external_id[-1], plain(mention.lead_id.read(LEAD_FIELDS)[0]) if mention.lead_id else None,
                 mention.body in (mention.lead_id.description or ""), mention.signal_lead_pending)
                for mention in mentions]

    def test_every_way_in_gives_the_same_mentions(self):
        for path in PATHS:
            getattr(self, f"_by_{path}")()
        self.env.flush_all()
        outcomes = {path: self._made_by(path) for path in PATHS}

        # what ingestion makes, stated: the comparison below cannot pass on empty results
        expected = outcomes["ingestion"]
        quote, complaint = expected["mentions"]
        self.assertEqual((quote["sentiment_label"], complaint["sentiment_label"]), ("positive", "negative"))
        self.assertGreater(quote["sentiment_score"], 0.3)
        self.assertEqual(quote["detected_lang"], "en")
        for mention in (quote, complaint):
            self.assertEqual((mention["user_id"], mention["team_id"], mention["campaign_id"], mention["company_id"]),
                             (self.responsible.id, self.team.id, self.campaign.id, self.env.company.id))
        self.assertEqual(quote["product_id"], self.env.ref("social_crm_reputation.product_template_acme_phone_demo").id)
        self.assertEqual((quote["buying_signal_rule_id"], quote["buying_signal_type"], quote["signal_lead_pending"]),
                         (self.signal_rule.id, "quote", True))
        self.assertEqual((complaint["buying_signal_rule_id"], complaint["signal_lead_pending"]), (False, False))
        answer_type = self.env.ref("social_crm.mail_activity_type_social_answer")
        self.assertEqual([[activity[:2] for activity in activities] for activities in expected["activities"]],
                         [[(answer_type.id, self.responsible.id)]] * 2)
        # one row per product of the day: the phone's, and the complaint's without product
        self.assertEqual([(day["date"], day["product_id"], day["mention_count"], day["positive_count"],
                           day["negative_count"], day["reach"], day["team_id"], day["campaign_id"])
                          for day in expected["daily"]],
                         [(self.posted_at.date(), quote["product_id"], 1, 1, 0, 50, self.team.id, self.campaign.id),
                          (self.posted_at.date(), False, 1, 0, 1, 50, self.team.id, self.campaign.id)])
        self.assertEqual(expected["points"], ([("positive_mention", 10, self.points_rule.id, "0")], 10))

        for path in PATHS[1:]:
            with self.subTest(path=path):
                for name, value in expected.items():
                    self.assertEqual(outcomes[path][name], value, f"{path}: {name}")

        # the queued leads, made by the job that creation wakes up
        self.assertTrue(self.env["ir.cron.trigger"].search(
            [("cron_id", "=", self.env.ref("social_crm.ir_cron_create_signal_leads").id)]))
        self.env["social.mention"]._create_queued_signal_leads()
        leads = {path: self._leads(path) for path in PATHS}
        [(_quote, lead, quoted, pending), (_complaint, no_lead, _quoted, _pending)] = leads["ingestion"]
        self.assertEqual((lead["type"], lead["user_id"], lead["team_id"], quoted, pending, no_lead),
                         ("lead", self.responsible.id, self.team.id, True, False, None))
        for path in PATHS[1:]:
            with self.subTest(path=path):
                self.assertEqual(leads[path], leads["ingestion"], f"{path}: leads")
