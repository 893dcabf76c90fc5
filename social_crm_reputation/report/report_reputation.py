"""Figures of the printable "Reputation report", from SQL aggregates over one period and company."""
from datetime import datetime, time, timedelta

from markupsafe import Markup

from odoo import api, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

TOP_MENTIONS = 5
TOP_MOVERS = 10
SVG_WIDTH, SVG_HEIGHT, SVG_AXIS = 640, 180, 24
COLOURS = {"positive": "#2e7d32", "neutral": "#9e9e9e", "negative": "#c62828"}


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
            "figures": {doc.id: self._reputation_figures(doc.date_from, doc.date_to, doc.company_id) for doc in docs},
        }

    @api.model
    def _reputation_figures(self, date_from, date_to, company):
        """Every figure of the report for ``[date_from, date_to]`` (days, UTC) and ``company``.

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
        representativeness = Mention.get_representativeness(domain)
        params = {"company": company.id, "start": start, "stop": stop}
        [(neutral, authors, net)] = self.env.execute_query(SQL("""
            SELECT COUNT(*) FILTER (WHERE sentiment_label = 'neutral'),
                   COUNT(DISTINCT COALESCE(profile_id::varchar, author_handle)),
                   (COUNT(*) FILTER (WHERE sentiment_label = 'positive')
                    - COUNT(*) FILTER (WHERE sentiment_label = 'negative'))::float8
                   / NULLIF(COUNT(*) FILTER (WHERE sentiment_label IN ('positive', 'neutral', 'negative')), 0)
              FROM social_mention
             WHERE company_id = %(company)s AND posted_at >= %(start)s AND posted_at < %(stop)s
        """, **params))
        scored = representativeness["scored"]
        headline = dict(representativeness, neutral=neutral, authors=authors, net_sentiment=net or 0.0)
        for label in ("positive", "neutral", "negative"):
            headline[f"{label}_pct"] = 100.0 * headline[label] / scored if scored else 0.0
        weeks = self._weeks(params) if headline["mentions"] else []
        return {
            "date_from": date_from, "date_to": date_to, "company": company,
            "headline": headline,
            # None without the Surveys app: the report then leaves the comparison out
            "survey": Mention._survey_comparison(domain, date_from, date_to),
            "weeks": weeks,
            "chart": self._svg_chart(weeks) if weeks else None,
            "top_positive": self._top_mentions(params, "positive"),
            "top_negative": self._top_mentions(params, "negative"),
            "alerts": self.env["social.reputation.alert"].search(
                [("company_id", "=", company.id), ("date", ">=", date_from), ("date", "<=", date_to)],
                order="date desc, id desc"),
            "movers": self._movers(params),
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
               AND m.sentiment_label = %(label)s
          ORDER BY %(order)s, m.reach DESC NULLS LAST, m.id
             LIMIT %(limit)s
        """, label=label, order=order, limit=TOP_MENTIONS, **params))
        return self.env["social.mention"].browse([row[0] for row in rows])

    @api.model
    def _movers(self, params):
        """Customers mentioned in the period, by the largest absolute 30-day trend of their reputation."""
        self.env["res.partner"].flush_model(["social_reputation_trend", "social_reputation_evidence"])
        rows = self.env.execute_query(SQL("""
            SELECT p.id FROM res_partner p
             WHERE p.social_reputation_evidence > 0 AND p.social_reputation_trend <> 0
               AND EXISTS (SELECT 1 FROM social_mention m
                            WHERE m.partner_id = p.id AND m.company_id = %(company)s
                              AND m.posted_at >= %(start)s AND m.posted_at < %(stop)s)
          ORDER BY abs(p.social_reputation_trend) DESC, p.id
             LIMIT %(limit)s
        """, limit=TOP_MOVERS, **params))
        return self.env["res.partner"].browse([row[0] for row in rows])
