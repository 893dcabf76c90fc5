"""Alerts when sentiment turns: a spike of negative mentions, or a negative mention with a large audience."""
from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.social_crm.tools.concurrency import create_skipping_duplicates

from ..lib import stats
from .res_config_settings import ALERT_REACH_THRESHOLD, ALERT_SPIKE_P_VALUE

BASELINE_DAYS = 28
TRIGGER_MENTIONS = 10  # negative mentions of a spike shown on the alert
ALERT_KINDS = [
    ("negative_spike", "Negative spike"),
    ("high_reach_negative", "Negative mention with high reach"),
]


class SocialReputationAlert(models.Model):
    """One alert per kind and source or product (spike) or mention (high reach) and day, never twice.

    The source's responsible gets a to-do activity; an alert of a source without responsible is
    for the Social CRM managers of its company, notified instead. The alert is closed once
    handled. A product spike names the source that brought most of the product's negative
    mentions that day. The alert shows the text of the mention behind it (high reach) or of the
    day's negative mentions (spike).
    """

    _name = "social.reputation.alert"
    _description = "Reputation Alert"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"

    name = fields.Char(required=True, readonly=True)
    kind = fields.Selection(selection=ALERT_KINDS, required=True, readonly=True, index=True)
    date = fields.Date(required=True, readonly=True, index=True, help="Day (UTC) the alert is about.")
    source_id = fields.Many2one(comodel_name="social.source", required=True, readonly=True,
                                index=True, ondelete="cascade",
                                help="For a spike of a product: the source with most of its negative mentions "
                                     "that day.")
    product_id = fields.Many2one(comodel_name="product.template", readonly=True,
                                 index="btree_not_null", ondelete="cascade",
                                 help="Product whose negative mentions spiked (empty: a spike of the source).")
    mention_id = fields.Many2one(comodel_name="social.mention", readonly=True,
                                 index="btree_not_null", ondelete="cascade")
    partner_id = fields.Many2one(related="mention_id.partner_id", string="Contact")
    mention_body = fields.Text(related="mention_id.body", string="Mention Text")
    mention_url = fields.Char(related="mention_id.url", string="Mention URL")
    mention_author = fields.Char(related="mention_id.author_handle", string="Author")
    trigger_mention_ids = fields.Many2many(
        comodel_name="social.mention", compute="_compute_trigger_mention_ids", string="Triggering Mentions",
        help="The mention with high reach, or the latest negative mentions of the spike's source (or product) "
             "that day.")
    company_id = fields.Many2one(related="source_id.company_id", store=True, index=True)
    user_id = fields.Many2one(comodel_name="res.users", string="Responsible", index=True, tracking=True,
                              domain="[('share', '=', False)]")
    negative_count = fields.Integer(string="Negative Mentions", readonly=True)
    mention_count = fields.Integer(string="Mentions", readonly=True,
                                   help="Every mention of the source (or product) that day, whatever its sentiment.")
    expected_count = fields.Float(string="Expected", readonly=True, digits=(6, 2),
                                  help="Mean daily negative mentions of the source (or product) over the previous "
                                       "28 days.")
    p_value = fields.Float(string="P-value", readonly=True, digits=(8, 6),
                           help="Probability of at least this many negative mentions on a normal day (Poisson).")
    reach = fields.Integer(readonly=True)
    state = fields.Selection(selection=[("open", "Open"), ("done", "Handled")], default="open", required=True,
                             index=True, tracking=True)
    dedup_key = fields.Char(required=True, readonly=True, copy=False)
    theme_change_html = fields.Html(
        string="What Changed", compute="_compute_theme_change_html", sanitize=False,
        help="The themes most over-represented in the negative mentions of the day against the 28 days before.")

    _sql_constraints = [
        ("dedup_key_uniq", "unique(dedup_key)", "This alert was already raised."),
    ]

    @api.depends("kind", "mention_id", "source_id", "product_id", "date")
    def _compute_trigger_mention_ids(self):
        """The mention of a high-reach alert; for a spike, the latest TRIGGER_MENTIONS negative
        mentions of its source (or product) that day: one query for every spike of ``self``, then
        one search that keeps those the user may read."""
        spikes = self._origin.filtered(lambda alert: alert.kind == "negative_spike")
        found = {}
        if spikes:
            self.env["social.mention"].flush_model(["sentiment_label", "posted_at", "source_id", "product_id",
                                                     "company_id"])
            self.flush_recordset(["kind", "date", "source_id", "product_id", "company_id"])
            rows = self.env.execute_query(SQL("""
                SELECT a.id, m.id
                  FROM social_reputation_alert a
            CROSS JOIN LATERAL (
                        SELECT m.id FROM social_mention m
                         WHERE m.sentiment_label = 'negative'
                           AND m.posted_at >= a.date::timestamp AND m.posted_at < a.date::timestamp + interval '1 day'
                           AND CASE WHEN a.product_id IS NULL THEN m.source_id = a.source_id
                                    ELSE m.product_id = a.product_id AND m.company_id = a.company_id END
                      ORDER BY m.posted_at DESC, m.id DESC
                         LIMIT %s
                       ) m
                 WHERE a.id = ANY(%s)
            """, TRIGGER_MENTIONS, spikes.ids))
            readable = set(self.env["social.mention"].search([("id", "in", [row[1] for row in rows])]).ids)
            for alert_id, mention_id in rows:
                if mention_id in readable:
                    found.setdefault(alert_id, []).append(mention_id)
        for alert in self:
            alert.trigger_mention_ids = (self.env["social.mention"].browse(found[alert._origin.id])
                                         if alert._origin.id in found else alert.mention_id)

    def _theme_domain(self):
        """The themes of the alert's mentions: its product's in its company, else its source's."""
        if self.product_id:
            return [("product_id", "=", self.product_id.id), ("company_id", "=", self.company_id.id)]
        return [("source_id", "=", self.source_id.id)]

    @api.depends("date", "source_id", "product_id")
    def _compute_theme_change_html(self):
        Themes = self.env["social.theme.daily"]
        for alert in self:
            if not (alert.date and alert.source_id):
                alert.theme_change_html = False
                continue
            changes = Themes.get_changes(alert.date, alert.date, alert._theme_domain(), baseline_days=BASELINE_DAYS,
                                         limit=5)
            alert.theme_change_html = self.env["ir.qweb"]._render(
                "social_crm_reputation.theme_changes", {"changes": changes, "scale": 1 / BASELINE_DAYS})

    def action_view_theme_changes(self):
        """"What changed?" on the alert's day, source or product, to explore further."""
        self.ensure_one()
        return self.env["social.theme.change.wizard"].with_context(
            default_date_from=fields.Date.to_string(self.date), default_date_to=fields.Date.to_string(self.date),
            default_company_id=self.company_id.id, default_baseline_days=BASELINE_DAYS,
            default_product_id=self.product_id.id,
            default_source_id=False if self.product_id else self.source_id.id,
        ).action_open()

    def action_view_trigger_mentions(self):
        """Every negative mention behind this alert, in the inbox's list."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("social_crm.social_mention_action")
        if self.mention_id:
            domain = [("id", "=", self.mention_id.id)]
        else:
            start = datetime.combine(self.date, time.min)
            domain = [("sentiment_label", "=", "negative"), ("posted_at", ">=", start),
                      ("posted_at", "<", start + timedelta(days=1))]
            domain += ([("product_id", "=", self.product_id.id), ("company_id", "=", self.company_id.id)]
                       if self.product_id else [("source_id", "=", self.source_id.id)])
        action.update({"domain": domain, "context": {}, "name": self.env._("Mentions of %(alert)s", alert=self.name)})
        return action

    def action_done(self):
        self.state = "done"
        self.activity_ids.action_feedback()

    def action_reopen(self):
        self.state = "open"

    @api.model
    def _detect_for_mentions(self, mentions):
        """Alerts raised by a batch of new mentions: their high-reach negatives, and spikes on
        their sources for today and yesterday (older days are history, not news)."""
        mentions = mentions.sudo()  # sudo: alerts concern every mention, whoever ingested it
        threshold = ALERT_REACH_THRESHOLD.read(self.env)
        loud = mentions.filtered(lambda m: m.sentiment_label == "negative" and m.reach >= threshold)
        vals_list = [{
            "kind": "high_reach_negative", "date": mention.posted_at.date(), "source_id": mention.source_id.id,
            "mention_id": mention.id, "reach": mention.reach, "negative_count": 1, "mention_count": 1,
            "user_id": mention.source_id.user_id.id or mention.user_id.id,
            "name": self.env._("Negative mention by %(author)s (%(reach)s followers)",
                               author=mention.author_handle, reach=mention.reach),
            "dedup_key": f"high_reach_negative:{mention.id}",
        } for mention in loud]
        today = fields.Date.context_today(self.with_context(tz="UTC"))
        recent = {today, today - timedelta(days=1)}
        sources_by_day, products_by_day = {}, {}
        for mention in mentions:
            if mention.sentiment_label == "negative" and mention.posted_at.date() in recent:
                sources_by_day.setdefault(mention.posted_at.date(), self.env["social.source"])
                sources_by_day[mention.posted_at.date()] |= mention.source_id
                if mention.product_id:
                    products_by_day.setdefault(mention.posted_at.date(), set()).add(mention.product_id.id)
        for day, sources in sources_by_day.items():
            vals_list += self._spike_vals(sources, day)
        for day, product_ids in products_by_day.items():
            vals_list += self._product_spike_vals(day, product_ids)
        return self._create_new(vals_list)

    @api.model
    def _spike_test(self, counts, key, day, p_threshold):
        """``(today's count, is_spike, expected, p_value)`` of ``key`` on ``day`` against the
        ``BASELINE_DAYS`` before, from ``counts`` = ``{(key, date): negative mentions}``."""
        today_count = counts.get((key, day), 0)
        baseline = [counts.get((key, day - timedelta(days=n)), 0) for n in range(1, BASELINE_DAYS + 1)]
        return today_count, *stats.poisson_spike(today_count, baseline, threshold_p=p_threshold)

    @api.model
    def _spike_vals(self, sources, day):
        """Values of the spike alerts of ``sources`` on ``day``: one query over the daily series."""
        p_threshold = ALERT_SPIKE_P_VALUE.read(self.env)
        Daily = self.env["social.reputation.daily"]
        Daily.flush_model()
        rows = self.env.execute_query(SQL("""
            SELECT source_id, date, SUM(negative_count), SUM(mention_count) FROM %s series
             WHERE source_id = ANY(%s) AND date BETWEEN %s AND %s GROUP BY source_id, date
        """, Daily._with_queue_sql(["source_id", "date", "negative_count", "mention_count"]), sources.ids,
            day - timedelta(days=BASELINE_DAYS), day))
        counts = {(source_id, date): count for source_id, date, count, _mentions in rows}
        volumes = {source_id: mentions for source_id, date, _count, mentions in rows if date == day}
        vals_list = []
        for source in sources:
            today_count, is_spike, expected, p_value = self._spike_test(counts, source.id, day, p_threshold)
            if is_spike:
                vals_list.append({
                    "kind": "negative_spike", "date": day, "source_id": source.id, "negative_count": today_count,
                    "mention_count": volumes[source.id], "expected_count": expected, "p_value": p_value,
                    "user_id": source.user_id.id,
                    "name": self.env._(
                        "%(count)s negative of %(mentions)s mentions on %(source_name)s (%(expected).1f negative "
                        "expected)", count=today_count, mentions=volumes[source.id], source_name=source.name,
                        expected=expected),
                    "dedup_key": f"negative_spike:{source.id}:{day}",
                })
        return vals_list

    @api.model
    def _product_spike_vals(self, day, product_ids=None):
        """Values of the spike alerts of products (all those with negative mentions on ``day``, or
        ``product_ids``) on ``day``, one per company: one query over the daily series."""
        p_threshold = ALERT_SPIKE_P_VALUE.read(self.env)
        Daily = self.env["social.reputation.daily"]
        Daily.flush_model()
        rows = self.env.execute_query(SQL("""
            WITH per_source AS (
                SELECT company_id, product_id, date, source_id, SUM(negative_count) AS negative,
                       SUM(mention_count) AS mentions
                  FROM %(series)s series
                 WHERE product_id IS NOT NULL AND date BETWEEN %(start)s AND %(day)s
                   AND (%(products)s::int[] IS NULL OR product_id = ANY(%(products)s::int[]))
              GROUP BY company_id, product_id, date, source_id)
            SELECT company_id, product_id, date, SUM(negative)::int,
                   (ARRAY_AGG(source_id ORDER BY negative DESC, source_id))[1], SUM(mentions)::int
              FROM per_source GROUP BY company_id, product_id, date
        """, series=Daily._with_queue_sql(
                ["company_id", "product_id", "date", "source_id", "negative_count", "mention_count"]),
            start=day - timedelta(days=BASELINE_DAYS), day=day,
            products=list(product_ids) if product_ids is not None else None))
        counts = {((company_id, product_id), date): count for company_id, product_id, date, count, *_rest in rows}
        main_source = {(company_id, product_id): source_id
                       for company_id, product_id, date, _count, source_id, _mentions in rows if date == day}
        volumes = {(company_id, product_id): mentions
                   for company_id, product_id, date, _count, _source, mentions in rows if date == day}
        # sudo: alerts concern every mention, whoever ingested it (see _detect_for_mentions)
        sources = self.env["social.source"].sudo().browse(list(set(main_source.values())))
        sources.fetch(["user_id"])
        products = self.env["product.template"].sudo().browse(list({product for _company, product in main_source}))
        products.fetch(["name"])
        vals_list = []
        for (company_id, product_id), source_id in main_source.items():
            today_count, is_spike, expected, p_value = self._spike_test(
                counts, (company_id, product_id), day, p_threshold)
            if is_spike:
                source, product = sources.browse(source_id), products.browse(product_id)
                vals_list.append({
                    "kind": "negative_spike", "date": day, "source_id": source_id, "product_id": product_id,
                    "negative_count": today_count, "mention_count": volumes[(company_id, product_id)],
                    "expected_count": expected, "p_value": p_value, "user_id": source.user_id.id,
                    "name": self.env._(
                        "%(count)s negative of %(mentions)s mentions of %(product)s (%(expected).1f negative "
                        "expected)", count=today_count, mentions=volumes[(company_id, product_id)],
                        product=product.name, expected=expected),
                    "dedup_key": f"negative_spike:product:{product_id}:{company_id}:{day}",
                })
        return vals_list

    @api.model
    def _create_new(self, vals_list):
        """Create the alerts not raised yet (one search for the keys), with an activity each."""
        if not vals_list:
            return self.browse()
        keys = {vals["dedup_key"] for vals in vals_list}
        known = set(self.sudo().with_context(active_test=False).search([("dedup_key", "in", list(keys))])
                    .mapped("dedup_key"))
        unique = {}
        for vals in vals_list:
            if vals["dedup_key"] not in known:
                unique.setdefault(vals["dedup_key"], vals)
        # the same spike may be seen by concurrent batches: the first one raises it
        alerts = create_skipping_duplicates(self.sudo().with_context(mail_create_nolog=True), list(unique.values()))
        activity_type = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        for alert in alerts.filtered("user_id"):
            alert.activity_schedule(
                activity_type_id=activity_type.id if activity_type else False, user_id=alert.user_id.id,
                summary=alert.name, date_deadline=fields.Date.context_today(alert))
        alerts.filtered(lambda alert: not alert.user_id)._notify_managers()
        return alerts

    def _notify_managers(self):
        """Alerts nobody is responsible for (their source has no responsible) go to the Social CRM
        managers of their company: a notification each (Inbox or e-mail, as each of them chose)."""
        managers = self.env.ref("social_crm.social_crm_group_manager").sudo().users.filtered(
            lambda user: user.active and not user.share)
        for company, alerts in self.grouped("company_id").items():
            told = managers.filtered(lambda user, company=company: not company or company in user.company_ids)
            if not told:
                continue
            for alert in alerts:
                alert.message_post(
                    body=self.env._(
                        "%(alert)s. Nobody is responsible for the source %(source_name)s: this alert is for "
                        "the Social CRM managers. Assign it, or give the source a responsible.",
                        alert=alert.name, source_name=alert.source_id.name),
                    message_type="comment", subtype_xmlid="mail.mt_note", partner_ids=told.partner_id.ids)

    @api.model
    def _cron_detect_alerts(self):
        """Spikes of today on every active source and every product (mentions stored by other means
        than ingestion)."""
        today = fields.Date.context_today(self.with_context(tz="UTC"))
        sources = self.env["social.source"].search([("active", "=", True)])
        return len(self._create_new(self._spike_vals(sources, today) + self._product_spike_vals(today)))
