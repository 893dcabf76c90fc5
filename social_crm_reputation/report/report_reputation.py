"""Figures of the printable "Reputation report", from SQL aggregates over one period and company."""
from datetime import datetime, time, timedelta

from markupsafe import Markup

from odoo import api, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from ..lib import stats
from ..models.social_theme_daily import BASELINE_DAYS
from .social_sentiment_agreement import UNKNOWN_LANGUAGE

TOP_MENTIONS = 5
TOP_MOVERS = 10
TOP_PRODUCTS = 20
SVG_WIDTH, SVG_HEIGHT, SVG_AXIS = 640, 180, 24
COLOURS = {"positive": "#2e7d32", "neutral": "#9e9e9e", "negative": "#c62828"}
SCORED_LABELS = ("positive", "neutral", "negative")


class ReportReputation(models.AbstractModel):
    _name = "report.social_crm_reputation.report_reputation"
    _description = "Reputation Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env["social.reputation.report.wizard"].browse(docids)
        return {
            "doc_ids": docids,
            "doc_model": "social.reputation.report.wizard",
            "docs": docs,
            "figures": {doc.id: self._reputation_figures(doc.date_from, doc.date_to, doc.company_id, doc.product_id)
                        for doc in docs},
        }

    @api.model
    def _reputation_figures(self, date_from, date_to, company, product=None):
        """Every figure of the report for ``[date_from, date_to]`` (days, UTC) and ``company``, and
        only the mentions of ``product`` (a ``product.template``) when one is given.

        A period without mention gives zeros, empty tables, no chart and the anecdotal flag.
        """
        if company not in self.env.user.company_ids:
            raise AccessError(self.env._("You cannot print the reputation report of %(company)s.",
                                         company=company.display_name))
        start = datetime.combine(date_from, time.min)
        stop = datetime.combine(date_to + timedelta(days=1), time.min)
        Mention = self.env["social.mention"]
        Mention.flush_model()
        domain = [("company_id", "=", company.id), ("posted_at", ">=", start), ("posted_at", "<", stop)]
        if product:
            domain.append(("product_id", "=", product.id))
        representativeness = Mention.get_representativeness(domain)
        params = {"company": company.id, "start": start, "stop": stop, "product": product.id if product else None}
        [(neutral, authors, net)] = self.env.execute_query(SQL("""
            SELECT COUNT(*) FILTER (WHERE sentiment_label = 'neutral'),
                   COUNT(DISTINCT COALESCE(profile_id::varchar, author_handle)),
                   (COUNT(*) FILTER (WHERE sentiment_label = 'positive')
                    - COUNT(*) FILTER (WHERE sentiment_label = 'negative'))::float8
                   / NULLIF(COUNT(*) FILTER (WHERE sentiment_label IN ('positive', 'neutral', 'negative')), 0)
              FROM social_mention
             WHERE company_id = %(company)s AND posted_at >= %(start)s AND posted_at < %(stop)s
               AND (%(product)s::int IS NULL OR product_id = %(product)s)
        """, **params))
        scored = representativeness["scored"]
        headline = dict(representativeness, neutral=neutral, authors=authors, net_sentiment=net or 0.0)
        for label in ("positive", "neutral", "negative"):
            headline[f"{label}_pct"] = 100.0 * headline[label] / scored if scored else 0.0
        weeks = self._weeks(params) if headline["mentions"] else []
        alert_domain = [("company_id", "=", company.id), ("date", ">=", date_from), ("date", "<=", date_to)]
        if product:
            alert_domain.append(("product_id", "=", product.id))
        return {
            "date_from": date_from, "date_to": date_to, "company": company, "product": product,
            "headline": headline,
            # None unless social_crm_reputation_survey compares: the report then leaves the comparison out
            "survey": Mention._survey_comparison(domain, date_from, date_to),
            "weeks": weeks,
            "chart": self._svg_chart(weeks) if weeks else None,
            "top_positive": self._top_mentions(params, "positive"),
            "top_negative": self._top_mentions(params, "negative"),
            "alerts": self.env["social.reputation.alert"].search(alert_domain, order="date desc, id desc"),
            "movers": self._movers(params),
            "products": self._products(params) if headline["mentions"] else [],
            "agreement": self._sentiment_agreement(params),
            "competitors": self._competitors(date_from, date_to, company),
            "theme_changes": self.env["social.theme.daily"].get_changes(
                date_from, date_to, [("company_id", "=", company.id)]
                + ([("product_id", "=", product.id)] if product else []), baseline_days=BASELINE_DAYS),
            "theme_scale": ((date_to - date_from).days + 1) / BASELINE_DAYS,
            "baseline_days": BASELINE_DAYS,
        }

    @api.model
    def _weeks(self, params):
        """One row per week (Monday) of the period, empty weeks included."""
        rows = self.env.execute_query(SQL("""
            SELECT w.week::date,
                   COUNT(m.id),
                   COUNT(m.id) FILTER (WHERE m.sentiment_label = 'positive'),
                   COUNT(m.id) FILTER (WHERE m.sentiment_label = 'neutral'),
                   COUNT(m.id) FILTER (WHERE m.sentiment_label = 'negative')
              FROM generate_series(date_trunc('week', %(start)s::timestamp),
                                   %(stop)s::timestamp - interval '1 microsecond', interval '1 week') AS w(week)
         LEFT JOIN social_mention m
                ON m.company_id = %(company)s AND m.posted_at >= %(start)s AND m.posted_at < %(stop)s
               AND (%(product)s::int IS NULL OR m.product_id = %(product)s)
               AND date_trunc('week', m.posted_at) = w.week
          GROUP BY w.week
          ORDER BY w.week
        """, **params))
        weeks = []
        for week, mentions, positive, neutral, negative in rows:
            scored = positive + neutral + negative
            weeks.append({"week": week, "mentions": mentions, "positive": positive, "neutral": neutral,
                          "negative": negative, "net_sentiment": (positive - negative) / scored if scored else 0.0})
        return weeks

    @api.model
    def _svg_chart(self, weeks):
        """Stacked bars (positive, neutral, negative mentions) per week, as inline SVG markup."""
        peak = max(week["positive"] + week["neutral"] + week["negative"] for week in weeks) or 1
        slot = SVG_WIDTH / len(weeks)
        bar = max(slot * 0.7, 1.0)
        height = SVG_HEIGHT - SVG_AXIS
        parts = [Markup('<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" '
                        'role="img" aria-label="%s">') % (SVG_WIDTH, SVG_HEIGHT, SVG_WIDTH, SVG_HEIGHT,
                                                          self.env._("Mentions per week by sentiment"))]
        for index, week in enumerate(weeks):
            x = index * slot + (slot - bar) / 2
            y = float(height)
            for label in ("negative", "neutral", "positive"):
                bar_height = height * week[label] / peak
                if bar_height:
                    y -= bar_height
                    parts.append(Markup('<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s">'
                                        '<title>%s</title></rect>')
                                 % (x, y, bar, bar_height, COLOURS[label], f"{week['week']}: {week[label]} {label}"))
            if len(weeks) <= 26 or index % 4 == 0:
                parts.append(Markup('<text x="%.1f" y="%d" font-size="9" text-anchor="middle">%s</text>')
                             % (x + bar / 2, SVG_HEIGHT - 8, week["week"].strftime("%d/%m")))
        parts.append(Markup("</svg>"))
        return Markup("").join(parts)

    @api.model
    def _top_mentions(self, params, label):
        order = SQL("m.sentiment_score DESC" if label == "positive" else "m.sentiment_score ASC")
        rows = self.env.execute_query(SQL("""
            SELECT m.id FROM social_mention m
             WHERE m.company_id = %(company)s AND m.posted_at >= %(start)s AND m.posted_at < %(stop)s
               AND m.sentiment_label = %(label)s AND (%(product)s::int IS NULL OR m.product_id = %(product)s)
          ORDER BY %(order)s, m.reach DESC NULLS LAST, m.id
             LIMIT %(limit)s
        """, label=label, order=order, limit=TOP_MENTIONS, **params))
        return self.env["social.mention"].browse([row[0] for row in rows])

    @api.model
    def _movers(self, params):
        """Customers mentioned in the period, by the largest absolute 30-day trend of their reputation."""
        Partner = self.env["res.partner"].with_company(params["company"])  # the figures of the report's company
        Partner.flush_model(["social_reputation_trend", "social_reputation_evidence"])
        rows = self.env.execute_query(SQL("""
            SELECT p.id FROM res_partner p
             WHERE (p.social_reputation_evidence->>%(key)s)::int > 0
               AND (p.social_reputation_trend->>%(key)s)::float8 <> 0
               AND EXISTS (SELECT 1 FROM social_mention m
                            WHERE m.partner_id = p.id AND m.company_id = %(company)s
                              AND m.posted_at >= %(start)s AND m.posted_at < %(stop)s
                              AND (%(product)s::int IS NULL OR m.product_id = %(product)s))
          ORDER BY abs((p.social_reputation_trend->>%(key)s)::float8) DESC, p.id
             LIMIT %(limit)s
        """, limit=TOP_MOVERS, key=str(params["company"]), **params))
        return Partner.browse([row[0] for row in rows])

    @api.model
    def _products(self, params):
        """The products mentioned in the period, most mentioned first: mentions, net sentiment,
        distinct customers and whether that is anecdotal (as for the headline figures)."""
        Mention = self.env["social.mention"]
        base_ids = Mention._active_customer_ids()
        limits = Mention._anecdotal_limits()
        rows = self.env.execute_query(SQL("""
            SELECT m.product_id, COUNT(*),
                   COALESCE((COUNT(*) FILTER (WHERE m.sentiment_label = 'positive')
                             - COUNT(*) FILTER (WHERE m.sentiment_label = 'negative'))::float8
                            / NULLIF(COUNT(*) FILTER (WHERE m.sentiment_label IN ('positive', 'neutral', 'negative')),
                                     0), 0),
                   COUNT(DISTINCT m.partner_id),
                   COUNT(DISTINCT p.commercial_partner_id) FILTER (WHERE p.commercial_partner_id = ANY(%(base)s::int[]))
              FROM social_mention m
         LEFT JOIN res_partner p ON p.id = m.partner_id
             WHERE m.company_id = %(company)s AND m.posted_at >= %(start)s AND m.posted_at < %(stop)s
               AND m.product_id IS NOT NULL AND (%(product)s::int IS NULL OR m.product_id = %(product)s)
          GROUP BY m.product_id
          ORDER BY COUNT(*) DESC, m.product_id
             LIMIT %(limit)s
        """, base=base_ids, limit=TOP_PRODUCTS, **params))
        products = self.env["product.template"].browse([row[0] for row in rows])
        return [{"product": product, "mentions": mentions, "net_sentiment": net, "customers": customers,
                 "anecdotal": stats.anecdotal(customers, speaking / len(base_ids) if base_ids else 0.0, **limits)}
                for product, (_id, mentions, net, customers, speaking) in zip(products, rows, strict=True)]

    @api.model
    def _sentiment_agreement(self, params):
        """How far the period's sentiment figures rest on an engine the team measured.

        For each language and network of the period's received mentions: the mentions whose
        sentiment is the engine's (scored, not set by the team), those the team set, and the
        engine's agreement with the team on every correction of the company (``lines``, most
        engine-scored mentions first; ``status`` "low", "measured", "unmeasured", or "team" where
        every mention of the period has the team's sentiment); the overall
        agreement and confusion matrix of the company; how many of the period's engine-scored
        mentions lie where the agreement is low (``low_mentions``) or not measured yet.
        """
        # sudo: the report checked that the user may print this company's figures, which the
        # corrections of the company only are
        Agreement = self.env["social.sentiment.agreement"].sudo()
        domain = [("company_id", "=", params["company"])]
        groups = {(group["lang"], group["network"]): group for group in Agreement.get_agreement(domain)}
        overall = Agreement.get_agreement(domain, groupby=())
        self.env["social.mention"].flush_model(
            ["company_id", "posted_at", "product_id", "direction", "detected_lang", "network", "sentiment_label",
             "sentiment_correction_id"])
        rows = self.env.execute_query(SQL("""
            SELECT COALESCE(NULLIF(m.detected_lang, ''), %(unknown)s), m.network,
                   COUNT(*) FILTER (WHERE m.sentiment_correction_id IS NULL AND m.sentiment_label IN %(scored)s),
                   COUNT(*) FILTER (WHERE m.sentiment_correction_id IS NOT NULL)
              FROM social_mention m
             WHERE m.company_id = %(company)s AND m.posted_at >= %(start)s AND m.posted_at < %(stop)s
               AND (%(product)s::int IS NULL OR m.product_id = %(product)s)
               AND m.direction IS DISTINCT FROM 'outbound'
          GROUP BY 1, 2
        """, unknown=UNKNOWN_LANGUAGE, scored=SCORED_LABELS, **params))
        networks = dict(self.env["social.mention"]._fields["network"]._description_selection(self.env))
        lines = []
        for lang, network, engine_scored, corrected in rows:
            if not engine_scored and not corrected:
                continue  # unscored mentions the team left alone: no sentiment figure rests on them
            group = groups.get((lang, network))
            status = "unmeasured"
            if not engine_scored:
                status = "team"  # no figure of the period rests on the engine there
            elif group and group["measured"]:
                status = "low" if group["low_agreement"] else "measured"
            lines.append({"lang": lang, "network": network, "network_label": networks.get(network, network),
                          "engine_scored": engine_scored, "corrected": corrected, "group": group, "status": status})
        lines.sort(key=lambda line: (-line["engine_scored"], -line["corrected"], line["lang"], line["network"]))
        min_scored, low_below = Agreement._agreement_limits()
        matrix = Agreement.get_confusion_matrix(domain)
        return {
            "lines": lines,
            "overall": overall[0] if overall else None,
            "matrix": matrix,
            # the engine's columns of the matrix: "unscored" only when the team judged such mentions
            "engine_labels": [*SCORED_LABELS, *(["unscored"] if any(engine == "unscored" for _team, engine in matrix)
                                                else [])],
            "engine_scored": sum(line["engine_scored"] for line in lines),
            "corrected": sum(line["corrected"] for line in lines),
            "low_mentions": sum(line["engine_scored"] for line in lines if line["status"] == "low"),
            "unmeasured_mentions": sum(line["engine_scored"] for line in lines if line["status"] == "unmeasured"),
            "label_names": dict(Agreement._fields["engine_label"]._description_selection(self.env)),
            "min_scored": min_scored,
            "low_below": low_below,
        }

    @api.model
    def _competitors(self, date_from, date_to, company):
        """The company's brand against each competitor over the period (every mention of the
        company, whatever the product): mentions, share of voice and net sentiment of each brand,
        ours first, each with its difference from ours; empty without competitors."""
        # sudo: the report checked that the user may print this company's figures
        rows = self.env["social.competitor.daily"].sudo()._read_group(
            [("company_id", "=", company.id), ("date", ">=", date_from), ("date", "<=", date_to)],
            ["own_brand", "brand"],
            ["mention_count:sum", "scored_count:sum", "share_of_voice:avg", "net_sentiment:avg"],
            order="own_brand desc, brand")
        brands = [{"own": own, "brand": brand, "mentions": mentions, "scored": scored, "share_of_voice": share,
                   "net_sentiment": net} for own, brand, mentions, scored, share, net in rows]
        ours = next((brand for brand in brands if brand["own"]), None)
        for brand in brands:
            brand["net_vs_ours"] = brand["net_sentiment"] - ours["net_sentiment"] if ours else 0.0
        return brands
