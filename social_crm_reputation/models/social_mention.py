"""Mentions in the brand reputation: their sentiment (scored as they are created, rescored on demand),
sales team, campaign and product, and how far they stand for the customer base."""
import json
import threading
from collections import defaultdict
from datetime import timedelta

from markupsafe import escape

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import SQL, create_index, file_open, split_every

from odoo.addons.social_crm.models.social_mention import UNANSWERED_STATES

from ..lib import sentiment, stats, themes
from .res_config_settings import (
    ANECDOTAL_MIN_CUSTOMERS,
    ANECDOTAL_MIN_SHARE,
    NEGATIVE_THRESHOLD,
    POSITIVE_THRESHOLD,
)
from .social_sentiment_correction import TEAM_LABELS

SENTIMENT_LABELS = [
    ("positive", "Positive"),
    ("neutral", "Neutral"),
    ("negative", "Negative"),
    ("unscored", "Unscored"),
]
SCORED_LABELS = ("positive", "neutral", "negative")
SCORING_BATCH = 1000
DETECT_BATCH = 1000
OVERVIEW_SENTIMENT_DAYS = 30  # the overview's net sentiment: received mentions of the last 30 days
OVERVIEW_ALERTS = 5  # open alerts listed on the overview, the latest first
OVERVIEW_TEXT_CHARS = 500  # of an alert's mention, on the overview
OVERVIEW_THEME_DAYS = 7  # the overview's themes that rose: the last week's negative mentions
OVERVIEW_THEMES = 3

_scorer = None
_scorer_lock = threading.Lock()


def get_scorer():
    """The process-wide :class:`sentiment.Scorer`, built on first use (VADER's lexicon is read once)."""
    global _scorer  # noqa: PLW0603 - one analyzer per process, as the library recommends
    if _scorer is None:
        with _scorer_lock:
            if _scorer is None:
                _scorer = sentiment.Scorer()
    return _scorer


class SocialMention(models.Model):
    _inherit = "social.mention"

    sentiment_score = fields.Float(
        string="Sentiment", readonly=True, aggregator="avg", digits=(3, 3),
        help="The engine's compound score (VADER for English, the company's enabled engine for another "
             "language), from -1 (very negative) to 1 (very positive); empty when unscored.")
    sentiment_label = fields.Selection(
        selection=SENTIMENT_LABELS, readonly=True, index=True,
        help="Positive, neutral or negative by the thresholds of the settings. Unscored: the text is empty "
             "or in a language without an enabled engine (see Sentiment Engines). Empty while the mention waits "
             "to be scored.")
    # The engine's own verdict is kept apart only for the few mentions the team corrected: the
    # columns stay empty (nothing written) for every other mention, so ingestion does no more work.
    sentiment_engine_label = fields.Selection(
        selection=SENTIMENT_LABELS, string="Engine Sentiment", readonly=True, copy=False,
        help="What the sentiment engine said of a mention the team corrected (the Sentiment is then the "
             "team's). Empty while the Sentiment is the engine's own.")
    sentiment_engine_score = fields.Float(
        string="Engine Score", readonly=True, digits=(3, 3), copy=False,
        help="The engine's score of a mention the team corrected, from -1 to 1; empty when the engine left "
             "it unscored, or while the Sentiment is the engine's own.")
    sentiment_correction_id = fields.Many2one(
        comodel_name="social.sentiment.correction", readonly=True, copy=False,
        index="btree_not_null", ondelete="set null",
        help="The team's latest correction of the sentiment: the Sentiment is its label, in every figure.")
    sentiment_corrected_by_id = fields.Many2one(related="sentiment_correction_id.user_id", string="Corrected By")
    sentiment_corrected_on = fields.Datetime(related="sentiment_correction_id.date", string="Corrected On")
    sentiment_color = fields.Integer(
        compute="_compute_sentiment_color",
        help="Colour of the inbox card: green when positive, red when negative, none otherwise.")
    detected_lang = fields.Char(string="Detected Language", readonly=True,
                                help="Language given by the network, or detected from the text.")
    theme_terms = fields.Char(
        string="Themes", readonly=True, copy=False,
        help="Key phrases of the text, separated by '|', extracted by the brand series' scheduled action "
             "(empty until then).")
    theme_list = fields.Char(string="Key Phrases", compute="_compute_theme_list",
                             help="What the mention is about, as its key phrases.")
    # dimensions of the brand reputation series (sparse keys: the partial index skips empty values)
    team_id = fields.Many2one(
        comodel_name="crm.team", string="Sales Team", index="btree_not_null", ondelete="set null",
        help="Sales team of the assignee, else of the source's responsible: the team the mention counts for "
             "in the brand reputation. Follows the assignee when the mention is reassigned.")
    campaign_id = fields.Many2one(
        comodel_name="utm.campaign", index="btree_not_null", ondelete="set null",
        help="Campaign of the source when the mention was received.")
    product_id = fields.Many2one(
        comodel_name="product.template", index="btree_not_null", ondelete="set null",
        domain="[('company_id', 'in', (company_id, False))]",
        help="Product the mention is about: the product of its source, else the product whose social keyword "
             "is the longest found in the text. Counted for this product in the brand reputation.")

    @api.depends("theme_terms")
    def _compute_theme_list(self):
        for mention in self:
            mention.theme_list = " · ".join(filter(None, (mention.theme_terms or "").split(themes.SEPARATOR)))

    @api.model
    def _theme_domain(self, term):
        """Mentions whose key phrases include ``term`` exactly."""
        escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        separator = themes.SEPARATOR
        return expression.OR([[("theme_terms", "=", term)]] + [
            [("theme_terms", "=like", pattern)] for pattern in (
                f"{escaped}{separator}%", f"%{separator}{escaped}", f"%{separator}{escaped}{separator}%")])

    @api.model
    def _theme_mentions_action(self, term, start, stop, domain=()):
        """The inbox's list of the negative mentions of ``term`` posted from ``start`` to ``stop``."""
        action = self.env["ir.actions.act_window"]._for_xml_id("social_crm.social_mention_action")
        action.update({
            "name": self.env._("Negative mentions of “%(term)s”", term=term),
            "domain": expression.AND([[("sentiment_label", "=", "negative"), ("posted_at", ">=", start),
                                       ("posted_at", "<", stop)], list(domain), self._theme_domain(term)]),
            "context": {},
        })
        return action

    @api.depends("sentiment_label")
    def _compute_sentiment_color(self):
        colors = {"positive": 10, "negative": 1}  # Odoo's colour palette: 10 green, 1 red
        for mention in self:
            mention.sentiment_color = colors.get(mention.sentiment_label, 0)

    # ------------------------------------------------------------------ scoring

    @api.model
    def _sentiment_thresholds(self):
        """``(positive, negative)`` thresholds of the settings; a clear error when they make no sense."""
        positive, negative = POSITIVE_THRESHOLD.read(self.env), NEGATIVE_THRESHOLD.read(self.env)
        if negative > positive:
            raise UserError(self.env._(
                "The negative sentiment threshold (%(negative)s) cannot be above the positive one (%(positive)s).",
                negative=negative, positive=positive))
        return positive, negative

    @api.model
    def _sentiment_engine_scores(self, texts, langs, company=None):
        """The sentiment engine: one ``(score, language)`` per text of the batch, in order.

        ``score`` goes from -1 (very negative) to 1 (very positive), None for a text the engine
        cannot judge (empty, or in a language it does not read); ``language`` is the given or
        detected ISO 639-1 code, None when unknown. ``langs`` are the languages the networks gave
        (None when they gave none). VADER for English, and the engines ``company`` (the current
        one by default) enabled for other languages (``social.sentiment.engine``); an addon plugs
        another engine by overriding this method. Labels follow the thresholds of the settings
        whatever the engine.
        """
        company = company or self.env.company
        analyzers = self.env["social.sentiment.engine"]._analyzers(company.id)
        return [(score, language)
                for score, _label, language in get_scorer().score_many(texts, langs, analyzers=analyzers)]

    @api.model
    def _sentiment_values(self, bodies, langs, company=None):
        """One ``{sentiment_score, sentiment_label, detected_lang}`` per text, scored in one batch
        with the engines of ``company`` (the current one by default)."""
        positive, negative = self._sentiment_thresholds()
        results = self._sentiment_engine_scores(
            [body or "" for body in bodies], [lang or None for lang in langs], company=company)
        return [{"sentiment_score": score, "sentiment_label": sentiment.label(score, positive, negative),
                 "detected_lang": language or False}
                for score, language in results]

    def init(self):
        result = super().init()
        # the series' job, woken up by every ingested batch, looks for the mentions changed since its
        # last run: an index keeps that lookup to the changed rows instead of the whole table
        create_index(self.env.cr, "social_mention_write_date_idx", self._table, ["write_date"])
        # and for the mentions whose key phrases are still to extract, newest first: few, once extracted
        create_index(self.env.cr, "social_mention_theme_pending_idx", self._table, ["posted_at DESC"],
                     where="theme_terms IS NULL")
        return result

    @api.model
    def _prepare_mention_vals(self, vals_list):
        # scored first: the routing rules of the core pipeline may ask for a sentiment
        self._add_sentiment_vals(vals_list)
        vals_list = super()._prepare_mention_vals(vals_list)
        self._add_dimension_vals(vals_list)
        return vals_list

    def _mention_after_work(self):
        result = super()._mention_after_work()
        voice = self._customer_voice()  # our own replies count in no series nor alert
        self._mark_partners_reputation_dirty(voice.partner_id.ids)
        self.env["social.reputation.daily"]._add_mentions(voice)  # alerts read the series
        self.env["social.reputation.alert"]._detect_for_mentions(voice)
        return result

    @api.model
    def _add_sentiment_vals(self, vals_list):
        for vals in vals_list:
            if vals.get("direction") == "outbound":
                vals.setdefault("sentiment_label", "unscored")  # our own words: no customer's sentiment
        todo = [vals for vals in vals_list if "sentiment_label" not in vals]
        if not todo:
            return
        # the company's engines score its mentions: the source's company, as the core pipeline sets it next
        sources = self.env["social.source"].sudo().browse({vals["source_id"] for vals in todo if vals.get("source_id")})
        source_companies = {source.id: source.company_id.id for source in sources}
        by_company = defaultdict(list)
        for vals in todo:
            company_id = vals.get("company_id") or source_companies.get(vals.get("source_id")) or self.env.company.id
            by_company[company_id].append(vals)
        for company_id, company_todo in by_company.items():
            scored = self._sentiment_values([vals.get("body") for vals in company_todo],
                                            [vals.get("lang") for vals in company_todo],
                                            company=self.env["res.company"].browse(company_id))
            for vals, sentiment_vals in zip(company_todo, scored, strict=True):
                vals.update(sentiment_vals)

    def write(self, vals):
        if "body" in vals and "theme_terms" not in vals:
            vals = {**vals, "theme_terms": False}  # extracted again by the series' job
        old_partner_ids = self.partner_id.ids if "partner_id" in vals else []
        result = super().write(vals)
        if "user_id" in vals and "team_id" not in vals:
            self._assign_sales_team()
        if ("body" in vals or "lang" in vals) and "sentiment_label" not in vals:
            self._rescore_sentiment()
        if {"partner_id", "posted_at", "reach", "sentiment_score"} & set(vals):
            self._mark_partners_reputation_dirty(old_partner_ids + self.partner_id.ids)
        if "product_id" in vals:
            self.env["social.reputation.daily"]._refresh_mentions_days(self)
        return result

    def unlink(self):
        partner_ids = self.sudo().partner_id.ids
        days = {posted_at.date() for posted_at in self.sudo().mapped("posted_at") if posted_at}
        result = super().unlink()
        self._mark_partners_reputation_dirty(partner_ids)
        # an erasure keeps the anonymous counts the series already holds (res.partner._social_erase)
        if not self.env.context.get("social_erase_keep_series"):
            self.env["social.reputation.daily"]._refresh_days(days)
        return result

    # ------------------------------------------------------------------ team and campaign

    @api.model
    def _sales_teams_of_users(self, user_ids):
        """``{user id: [(team id, team company id), ...]}``: the active teams of the users, main team
        first (the order of ``res.users.sale_team_id``), read in two queries whatever the number of users."""
        user_ids = [user_id for user_id in user_ids if user_id]
        if not user_ids:
            return {}
        # sudo: which team a user belongs to is organisational data, needed whoever assigns the mention
        members = self.env["crm.team.member"].sudo().search_fetch(
            [("user_id", "in", user_ids), ("crm_team_id.active", "=", True)], ["user_id", "crm_team_id"],
            order="create_date, id")
        members.crm_team_id.fetch(["company_id"])
        teams = defaultdict(list)
        for member in members:
            teams[member.user_id.id].append((member.crm_team_id.id, member.crm_team_id.company_id.id))
        return teams

    @api.model
    def _pick_sales_team(self, teams, user_ids, company_id):
        """The first team of the first of ``user_ids`` that has one in ``company_id`` (or in no company)."""
        for user_id in user_ids:
            for team_id, team_company_id in teams.get(user_id, ()):
                if not team_company_id or team_company_id == company_id:
                    return team_id
        return False

    @api.model
    def _add_dimension_vals(self, vals_list):
        """Complete ``team_id`` and ``campaign_id`` of mention values in batch (one read of the sources,
        two of the users' teams): the campaign of the source, the team of the assignee or else of the
        source's responsible. Values given are kept (empty ones, as a form sends them, are not a
        choice). The product is completed too (``_add_product_vals``)."""
        self._add_product_vals(vals_list)
        todo = [vals for vals in vals_list if not vals.get("team_id") or not vals.get("campaign_id")]
        if not todo:
            return
        # sudo: the source's campaign and responsible are needed whoever receives the mention
        sources = self.env["social.source"].sudo().browse({vals["source_id"] for vals in todo if vals.get("source_id")})
        sources.fetch(["campaign_id", "user_id", "company_id"])
        # plain values, looked up once per source and per (assignee, responsible, company), not per mention
        source_of = {source.id: (source.campaign_id.id, source.user_id.id, source.company_id.id) for source in sources}
        teams = self._sales_teams_of_users({vals.get("user_id") for vals in todo} | set(sources.user_id.ids))
        team_of = {}
        for vals in todo:
            campaign_id, responsible_id, source_company_id = source_of.get(vals.get("source_id"), (False,) * 3)
            if not vals.get("campaign_id"):
                vals["campaign_id"] = campaign_id
            if not vals.get("team_id"):
                key = (vals.get("user_id"), responsible_id, vals.get("company_id") or source_company_id)
                if key not in team_of:
                    team_of[key] = self._pick_sales_team(teams, key[:2], key[2])
                vals["team_id"] = team_of[key]

    def _assign_sales_team(self):
        """Set the team of ``self`` from its assignee (else the source's responsible), after a reassignment."""
        if not self:
            return
        sources = self.source_id.sudo()  # sudo: see _add_dimension_vals
        teams = self._sales_teams_of_users(set(self.user_id.ids) | set(sources.user_id.ids))
        moves = defaultdict(list)
        for mention in self:
            team_id = self._pick_sales_team(
                teams, (mention.user_id.id, mention.sudo().source_id.user_id.id), mention.company_id.id)
            if team_id != mention.team_id.id:
                moves[team_id].append(mention.id)
        for team_id, mention_ids in moves.items():
            self.browse(mention_ids).write({"team_id": team_id})

    # ------------------------------------------------------------------ product

    @api.model
    def _add_product_vals(self, vals_list):
        """Complete ``product_id`` of mention values in batch: one read of the sources, then the
        company's cached keyword pattern (``product.template._social_keyword_matcher``). A product
        given is kept (an empty one, as a form sends it, is not a choice)."""
        todo = [vals for vals in vals_list if not vals.get("product_id")]
        if not todo:
            return
        # sudo: the source's product and company are needed whoever receives the mention
        sources = self.env["social.source"].sudo().browse({vals["source_id"] for vals in todo if vals.get("source_id")})
        sources.fetch(["product_id", "company_id"])
        source_of = {source.id: (source.product_id.id, source.company_id.id) for source in sources}
        to_match = []
        for vals in todo:
            product_id, company_id = source_of.get(vals.get("source_id"), (False, False))
            vals["product_id"] = product_id
            if not product_id and vals.get("body"):
                to_match.append((vals, vals.get("company_id") or company_id))
        products = self.env["product.template"]._social_products_of_texts(
            [(company_id, vals["body"]) for vals, company_id in to_match])
        for (vals, _company_id), product_id in zip(to_match, products, strict=True):
            vals["product_id"] = product_id

    def _detect_products(self):
        """Set the product of the mentions of ``self`` that have none (stored before the product got
        keywords, or before the addon), one UPDATE per batch. Return the mentions given a product;
        their days of the brand reputation are left to the caller to rebuild."""
        self.flush_recordset(["product_id", "body", "source_id", "company_id"])
        detected = []
        for ids in split_every(DETECT_BATCH, self.ids):
            rows = self.env.execute_query(SQL(
                "SELECT id, source_id, company_id, body FROM social_mention WHERE id = ANY(%s) AND product_id IS NULL",
                list(ids)))
            vals_list = [{"source_id": source_id, "company_id": company_id, "body": body}
                         for _id, source_id, company_id, body in rows]
            self._add_product_vals(vals_list)
            found = [(row[0], vals["product_id"])
                     for row, vals in zip(rows, vals_list, strict=True) if vals["product_id"]]
            if not found:
                continue
            self.env.execute_query(SQL("""
                UPDATE social_mention m
                   SET product_id = v.product_id, write_date = (now() AT TIME ZONE 'UTC'), write_uid = %(uid)s
                  FROM unnest(%(ids)s::int[], %(products)s::int[]) AS v(id, product_id)
                 WHERE m.id = v.id
            """, uid=self.env.uid, ids=[mention_id for mention_id, _product in found],
                products=[product_id for _mention, product_id in found]))
            detected += [mention_id for mention_id, _product in found]
        mentions = self.browse(detected)
        mentions.invalidate_recordset(["product_id", "write_date", "write_uid"])
        return mentions

    def action_detect_products(self):
        """List action "Detect products": give the selected mentions without a product the product of
        their source or of their text (after keywords were added to products, for instance)."""
        self.check_access("write")
        mentions = self._detect_products()
        self.env["social.reputation.daily"]._refresh_mentions_days(mentions)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("%(count)s of %(total)s mentions got a product.",
                                      count=len(mentions), total=len(self)),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    # ------------------------------------------------------------------ partners and rescoring

    @api.model
    def _mark_partners_reputation_dirty(self, partner_ids):
        """Flag the partners whose reputation must be recomputed by the next incremental run."""
        if partner_ids:
            self.env["res.partner"]._mark_social_reputation_dirty(partner_ids)

    def _rescore_sentiment(self):
        """Score ``self`` again (in batches of ``SCORING_BATCH``), e.g. after a change of thresholds.

        Written with one UPDATE per batch rather than one per mention; ``write_date`` moves so
        reports know the mention changed. Partners and daily figures of the mentions follow.
        """
        if not self:
            return
        self.flush_recordset(["body", "lang", "sentiment_correction_id", "company_id"])
        positive, negative = self._sentiment_thresholds()
        for batch in split_every(SCORING_BATCH, self.ids, self.browse):
            batch = batch.exists()
            # sudo: scoring is not a read by the user
            rows = batch.sudo().read(["body", "lang", "sentiment_correction_id", "company_id"], load=None)
            values = [None] * len(rows)
            by_company = defaultdict(list)
            for index, row in enumerate(rows):
                by_company[row["company_id"]].append(index)
            for company_id, indexes in by_company.items():
                company = self.env["res.company"].browse(company_id) if company_id else None
                for index, vals in zip(indexes, self._sentiment_values(
                        [rows[index]["body"] for index in indexes], [rows[index]["lang"] for index in indexes],
                        company=company), strict=True):
                    values[index] = vals
            corrections = self.env["social.sentiment.correction"].sudo().browse(
                [row["sentiment_correction_id"] for row in rows if row["sentiment_correction_id"]])
            team_labels = {correction.id: correction.label for correction in corrections}
            for row, vals in zip(rows, values, strict=True):
                # a mention the team corrected keeps the team's label: the engine's goes beside it
                label = team_labels.get(row["sentiment_correction_id"])
                vals["engine_label"] = vals["sentiment_label"] if label else None
                vals["engine_score"] = vals["sentiment_score"] if label else None
                if label:
                    vals["sentiment_score"] = sentiment.corrected_score(
                        label, vals["sentiment_score"], positive, negative)
                    vals["sentiment_label"] = label
            self.env.execute_query(SQL("""
                UPDATE social_mention m
                   SET sentiment_score = v.score, sentiment_label = v.label, detected_lang = v.lang,
                       sentiment_engine_score = v.engine_score, sentiment_engine_label = v.engine_label,
                       write_date = (now() AT TIME ZONE 'UTC'), write_uid = %(uid)s
                  FROM unnest(%(ids)s::int[], %(scores)s::float8[], %(labels)s::varchar[], %(langs)s::varchar[],
                              %(engine_scores)s::float8[], %(engine_labels)s::varchar[])
                       AS v(id, score, label, lang, engine_score, engine_label)
                 WHERE m.id = v.id
            """, uid=self.env.uid, ids=[row["id"] for row in rows],
                scores=[vals["sentiment_score"] for vals in values],
                labels=[vals["sentiment_label"] for vals in values],
                langs=[vals["detected_lang"] or None for vals in values],
                engine_scores=[vals["engine_score"] for vals in values],
                engine_labels=[vals["engine_label"] for vals in values]))
            batch.invalidate_recordset(
                ["sentiment_score", "sentiment_label", "detected_lang", "sentiment_engine_score",
                 "sentiment_engine_label", "write_date", "write_uid"])
            self._mark_partners_reputation_dirty(batch.sudo().partner_id.ids)
            self.env["social.reputation.daily"]._refresh_mentions_days(batch)

    def action_rescore_sentiment(self):
        """Button and list action "Rescore sentiment": score the selected mentions again now."""
        self.check_access("write")
        self._rescore_sentiment()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("%(count)s mentions rescored.", count=len(self)),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    # ------------------------------------------------------------------ corrections by the team

    def action_sentiment_positive(self):
        """Button "Positive": the team says these mentions are positive."""
        return self._action_correct_sentiment("positive")

    def action_sentiment_neutral(self):
        """Button "Neutral": the team says these mentions are neutral."""
        return self._action_correct_sentiment("neutral")

    def action_sentiment_negative(self):
        """Button "Negative": the team says these mentions are negative."""
        return self._action_correct_sentiment("negative")

    def _action_correct_sentiment(self, label):
        self.check_access("write")  # whoever may work the mention may judge it
        self._correct_sentiment(label)
        return True

    def action_undo_sentiment_correction(self):
        """Button "Undo": withdraw the latest correction of these mentions; the one before wins
        again, else the engine's label."""
        self.check_access("write")
        self._undo_sentiment_correction()
        return True

    def _correct_sentiment(self, label):
        """Record ``label`` as the team's sentiment of the received mentions of ``self`` (one
        correction each, by the current user, now, beside what the engine said), then make every
        figure follow: clicking the label the engine gave records an agreement. Batched: one
        create, one UPDATE, one rebuild of the days and one computation of the customers."""
        if label not in dict(TEAM_LABELS):
            raise UserError(self.env._("A sentiment is positive, neutral or negative, not %(label)s.", label=label))
        # sudo: the figures are the system's bookkeeping; the caller checked the user may work the mentions
        mentions = self.sudo()._customer_voice()
        if not mentions:
            raise UserError(self.env._("Our own replies carry no customer's sentiment to correct."))
        # a second click on the team's current label changes nothing
        mentions = mentions.filtered(lambda mention: mention.sentiment_correction_id.label != label)
        if not mentions:
            return
        mentions.filtered(lambda mention: not mention.sentiment_label)._rescore_sentiment()  # not scored yet
        engine = mentions._sentiment_engine_values()
        mentions.fetch(["company_id", "network", "source_id", "detected_lang"])
        now = fields.Datetime.now()
        self.env["social.sentiment.correction"].sudo().create([{
            "mention_id": mention.id, "company_id": mention.company_id.id, "network": mention.network,
            "source_id": mention.source_id.id, "lang": mention.detected_lang or False,
            "engine_label": engine[mention.id][0], "engine_score": engine[mention.id][1] or 0.0,
            "label": label, "agree": engine[mention.id][0] == label, "user_id": self.env.uid, "date": now,
        } for mention in mentions])
        mentions._apply_sentiment_corrections(engine)
        labels = dict(self._fields["sentiment_label"]._description_selection(self.env))
        mentions.with_env(self.env)._message_log_batch(bodies={
            mention.id: escape(self.env._("Sentiment set to %(label)s by the team (the engine said %(engine)s).",
                                          label=labels[label], engine=labels[engine[mention.id][0]]))
            for mention in mentions})

    def _undo_sentiment_correction(self):
        """Withdraw the latest correction of each mention of ``self`` that has one."""
        mentions = self.sudo().filtered("sentiment_correction_id")  # sudo: see _correct_sentiment
        if not mentions:
            return
        engine = mentions._sentiment_engine_values()
        mentions.sentiment_correction_id.unlink()
        mentions._apply_sentiment_corrections(engine)
        labels = dict(self._fields["sentiment_label"]._description_selection(self.env))
        mentions.with_env(self.env)._message_log_batch(bodies={
            mention.id: escape(self.env._("Sentiment correction undone: the sentiment is %(label)s again.",
                                          label=labels[mention.sentiment_label]))
            for mention in mentions})

    def _sentiment_engine_values(self):
        """``{mention id: (label, score)}``: what the engine says of each mention of ``self``, the
        score None when unscored (the engine's columns of a corrected mention, else its sentiment)."""
        self.fetch(["sentiment_label", "sentiment_score", "sentiment_engine_label", "sentiment_engine_score",
                    "sentiment_correction_id"])
        values = {}
        for mention in self:
            if mention.sentiment_correction_id:
                label, score = mention.sentiment_engine_label or "unscored", mention.sentiment_engine_score
            else:
                label, score = mention.sentiment_label or "unscored", mention.sentiment_score
            values[mention.id] = (label, score if label in SCORED_LABELS else None)
        return values

    def _apply_sentiment_corrections(self, engine):
        """Give each mention of ``self`` the label of its latest correction (with the score of
        :func:`~..lib.sentiment.corrected_score`), or, when it has none left, the engine's values of
        ``engine`` (:meth:`_sentiment_engine_values`, read before the corrections changed), in one
        UPDATE; mark which correction is current; then rebuild the figures that read the sentiment."""
        if not self:
            return
        Correction = self.env["social.sentiment.correction"].sudo()
        Correction.flush_model()
        latest = {mention.id: correction_id for mention, correction_id in Correction._read_group(
            [("mention_id", "in", self.ids)], ["mention_id"], ["id:max"])}
        team_labels = {correction.id: correction.label for correction in Correction.browse(latest.values())}
        positive, negative = self._sentiment_thresholds()
        previous = {mention.id: mention.sentiment_label for mention in self}
        rows = []
        for mention in self:
            engine_label, engine_score = engine[mention.id]
            correction_id = latest.get(mention.id)
            if correction_id:
                label = team_labels[correction_id]
                rows.append((mention.id, label, sentiment.corrected_score(label, engine_score, positive, negative),
                             engine_label, engine_score, correction_id))
            else:
                rows.append((mention.id, engine_label, engine_score, None, None, None))
        self.flush_recordset()
        self.env.execute_query(SQL("""
            UPDATE social_mention m
               SET sentiment_label = v.label, sentiment_score = v.score, sentiment_engine_label = v.engine_label,
                   sentiment_engine_score = v.engine_score, sentiment_correction_id = v.correction_id,
                   write_date = (now() AT TIME ZONE 'UTC'), write_uid = %(uid)s
              FROM unnest(%(ids)s::int[], %(labels)s::varchar[], %(scores)s::float8[], %(engine_labels)s::varchar[],
                          %(engine_scores)s::float8[], %(corrections)s::int[])
                   AS v(id, label, score, engine_label, engine_score, correction_id)
             WHERE m.id = v.id
        """, uid=self.env.uid, ids=[row[0] for row in rows], labels=[row[1] for row in rows],
            scores=[row[2] for row in rows], engine_labels=[row[3] for row in rows],
            engine_scores=[row[4] for row in rows], corrections=[row[5] for row in rows]))
        self.env.execute_query(SQL("""
            UPDATE social_sentiment_correction SET is_current = (id = ANY(%(latest)s::int[]))
             WHERE mention_id = ANY(%(ids)s) AND is_current IS DISTINCT FROM (id = ANY(%(latest)s::int[]))
        """, ids=self.ids, latest=list(latest.values())))
        self.invalidate_recordset([
            "sentiment_label", "sentiment_score", "sentiment_engine_label", "sentiment_engine_score",
            "sentiment_correction_id", "write_date", "write_uid"])
        Correction.invalidate_model(["is_current"])
        self._sentiment_changed(previous)

    def _sentiment_changed(self, previous):
        """The sentiment of the received mentions of ``self`` was corrected (``previous``: ``{mention
        id: label before}``): rebuild what reads it, in batch. Their days of the brand series at
        once, their customers' reputation (at once, or by the scheduled action it wakes up before the
        prior of the day is known), their days of the share of voice (by the series' job it wakes
        up), and the alerts a newly negative mention raises (a loud author, a spike today or
        yesterday); addons extend it (advocacy points)."""
        self.env["social.reputation.daily"]._refresh_mentions_days(self)
        self.partner_id._recompute_social_reputation_soon()
        # the share of voice and the themes of these days are counted again by the series' job
        self.env.ref("social_crm_reputation.ir_cron_refresh_reputation_daily").sudo()._trigger()
        self.env["social.reputation.alert"]._detect_for_mentions(self.filtered(
            lambda mention: mention.sentiment_label == "negative" and previous.get(mention.id) != "negative"))

    @api.model
    def _load_demo_sentiment_corrections(self, source_id, path):
        """Demo data: the team's sentiment of mentions of the source, from a JSON list of
        ``{"id": external id, "label": label, "user": xml id of who set it}``, set as they would."""
        with file_open(path) as demo_file:
            items = json.load(demo_file)
        mentions = {mention.external_id: mention for mention in self.search(
            [("source_id", "=", source_id), ("external_id", "in", [item["id"] for item in items])])}
        todo = defaultdict(list)
        for item in items:
            if item["id"] in mentions:
                todo[item["user"], item["label"]].append(mentions[item["id"]].id)
        for (user_xmlid, label), mention_ids in todo.items():
            user = self.env.ref(user_xmlid, raise_if_not_found=False) or self.env.user
            self.browse(mention_ids).with_user(user)._correct_sentiment(label)

    @api.model
    def _cron_score_pending_mentions(self, batch_size=SCORING_BATCH):
        """Score mentions that have no sentiment yet (stored before the addon was installed, or
        written to the database by other means), ``batch_size`` at a time, committing each batch."""
        domain = [("sentiment_label", "=", False)]
        todo = self.search(domain, limit=batch_size * 10, order="id")
        total = self.search_count(domain) if len(todo) == batch_size * 10 else len(todo)
        auto_commit = not getattr(threading.current_thread(), "testing", False)
        done = 0
        for batch in split_every(batch_size, todo.ids, self.browse):
            batch._rescore_sentiment()
            done += len(batch)
            self.env["ir.cron"]._notify_progress(done=done, remaining=total - done)
            if auto_commit:
                # keep finished batches (see ir_cron._run_job)
                self.env.cr.commit()  # pylint: disable=invalid-commit
        return done

    @api.model
    def _score_all_pending(self):
        """Install hook: score every mention stored before the addon, batch after batch."""
        while True:
            todo = self.search([("sentiment_label", "=", False)], limit=SCORING_BATCH * 10, order="id")
            if not todo:
                return
            for batch in split_every(SCORING_BATCH, todo.ids, self.browse):
                batch._rescore_sentiment()

    # ------------------------------------------------------------------ representativeness

    @api.model
    def _active_customer_ids(self):
        """The active customer base: commercial entities with a sale confirmed in the last 12 months."""
        self.env["sale.order"].flush_model(["partner_id", "state", "date_order"])
        rows = self.env.execute_query(SQL("""
            SELECT DISTINCT partner.commercial_partner_id
              FROM sale_order sale JOIN res_partner partner ON partner.id = sale.partner_id
             WHERE sale.state = 'sale' AND sale.date_order >= %s
        """, fields.Datetime.now() - timedelta(days=365)))
        return [row[0] for row in rows if row[0]]

    @api.model
    def _active_customer_count(self):
        return len(self._active_customer_ids())

    @api.model
    def _anecdotal_limits(self):
        """``{"min_customers", "min_share"}`` of the settings: below either, a figure is anecdotal."""
        return {"min_customers": ANECDOTAL_MIN_CUSTOMERS.read(self.env),
                "min_share": ANECDOTAL_MIN_SHARE.read(self.env)}

    @api.model
    def get_representativeness(self, domain=None):
        """How far the mentions of ``domain`` stand for the customer base (public, for reports).

        :return: ``{"mentions", "scored", "positive", "negative", "customers", "customer_base",
            "customer_share", "positive_share", "positive_share_low", "positive_share_high", "anecdotal"}``;
            the interval is the 95 % Wilson interval of the share of positive mentions among scored ones.
        """
        domain = list(domain or [])
        groups = self._read_group(domain, ["sentiment_label"], ["__count"])
        counts = {label: count for label, count in groups}
        scored = sum(counts.get(label, 0) for label in ("positive", "neutral", "negative"))
        [(customers,)] = self._read_group(domain + [("partner_id", "!=", False)], [], ["partner_id:count_distinct"])
        base_ids = self._active_customer_ids()
        # the share counts only the speakers who belong to the base, so it never exceeds 100 %
        speaking = 0
        if base_ids:
            [(speaking,)] = self.env.execute_query(SQL(
                "SELECT COUNT(DISTINCT partner.commercial_partner_id) FROM res_partner partner"
                " WHERE partner.id IN (%s) AND partner.commercial_partner_id = ANY(%s)",
                self._search(domain + [("partner_id", "!=", False)]).subselect("partner_id"), base_ids))
        base = len(base_ids)
        share = speaking / base if base else 0.0
        low, high = stats.wilson_interval(counts.get("positive", 0), scored)
        return {
            "mentions": sum(counts.values()), "scored": scored, "positive": counts.get("positive", 0),
            "negative": counts.get("negative", 0), "customers": customers, "customer_base": base,
            "customer_share": share, "positive_share": counts.get("positive", 0) / scored if scored else 0.0,
            "positive_share_low": low, "positive_share_high": high,
            "anecdotal": stats.anecdotal(customers, share, **self._anecdotal_limits()),
        }

    # ------------------------------------------------------------------ overview

    @api.model
    def _get_overview(self, now):
        """The overview's data, and the reputation's part: ``reputation`` (the net sentiment of the
        received mentions of the last 30 days with its 95 % interval, the customers it rests on, how
        much of the customer base that is and whether it is anecdotal, as the reputation report
        says it), ``alerts`` (the latest open alerts, each with its mention's text) and the Alerts
        counter."""
        data = super()._get_overview(now)
        here = self._overview_company_domain()
        since = fields.Datetime.to_string(now - timedelta(days=OVERVIEW_SENTIMENT_DAYS))
        figures = self.get_representativeness(here + [("direction", "!=", "outbound"), ("posted_at", ">=", since)])
        positive, negative, scored = figures["positive"], figures["negative"], figures["scored"]
        low, high = stats.net_sentiment_interval(positive, scored - positive - negative, negative)
        data["reputation"] = {
            "days": OVERVIEW_SENTIMENT_DAYS,
            "mentions": figures["mentions"], "scored": scored, "positive": positive, "negative": negative,
            "net_sentiment": (positive - negative) / scored if scored else None,
            "net_sentiment_low": low if scored else None, "net_sentiment_high": high if scored else None,
            "customers": figures["customers"], "customer_base": figures["customer_base"],
            "customer_share": figures["customer_share"], "anecdotal": figures["anecdotal"],
            **self._anecdotal_limits(),
            "action": self._overview_action("social_crm_reputation.social_reputation_daily_action"),
        }
        data["alerts"] = self._overview_alerts(here)
        data["why"] = self._overview_why(here, now)
        data["counters"].append({
            "key": "alerts", "label": self.env._("Alerts"), "value": data["alerts"]["count"], "sequence": 30,
            "tone": "danger", "icon": "fa-bell", "help": self.env._("Open reputation alerts"),
            "action": data["alerts"]["action"],
        })
        return data

    @api.model
    def _overview_why(self, domain, now):
        """Why the figures move, on the overview: ``themes`` (those that rose in the negative
        mentions of the last OVERVIEW_THEME_DAYS days against the 28 before), ``agreement`` (the
        engine's measured agreement with the team, for those who may read it), ``competitors``
        (the share of voice of the last 30 days, the current company's brand first; empty without
        competitors)."""
        today = now.date()
        themes_action = self._overview_action("social_crm_reputation.social_theme_change_action_open")
        why = {
            "theme_days": OVERVIEW_THEME_DAYS,
            "themes": self.env["social.theme.daily"].get_changes(
                today - timedelta(days=OVERVIEW_THEME_DAYS - 1), today, domain, limit=OVERVIEW_THEMES),
            "themes_action": themes_action,
            "agreement": None,
            "competitors": [],
        }
        Agreement = self.env["social.sentiment.agreement"]
        if Agreement.has_access("read"):
            overall = Agreement.get_agreement(domain, groupby=())
            min_scored, low_below = Agreement._agreement_limits()
            why["agreement"] = dict(overall[0], min_scored=min_scored, low_below=low_below) if overall else {
                "corrections": 0, "scored": 0, "measured": False, "min_scored": min_scored, "low_below": low_below}
            why["agreement_action"] = self._overview_action("social_crm_reputation.social_sentiment_agreement_action")
        if self.env["social.competitor"].search_count([("company_id", "=", self.env.company.id)], limit=1):
            why["competitors"] = [
                {key: brand[key] for key in ("own", "brand", "mentions", "share_of_voice", "net_sentiment", "scored")}
                for brand in self.env["report.social_crm_reputation.report_reputation"]._competitors(
                    today - timedelta(days=OVERVIEW_SENTIMENT_DAYS - 1), today, self.env.company)]
            why["competitors_action"] = self._overview_action("social_crm_reputation.social_competitor_daily_action")
        return why

    @api.model
    def _overview_alerts(self, domain):
        """``{"count", "items", "action"}``: the open alerts of ``domain`` (companies), the latest
        ``OVERVIEW_ALERTS`` with their mention (its text, author, reach and whether it can be
        answered), read in one query each for the alerts and their mentions."""
        Alert = self.env["social.reputation.alert"]
        domain = domain + [("state", "=", "open")]
        alerts = Alert.search(domain, limit=OVERVIEW_ALERTS)
        count = Alert.search_count(domain) if len(alerts) == OVERVIEW_ALERTS else len(alerts)
        kinds = dict(Alert._fields["kind"]._description_selection(self.env))
        states = dict(self._fields["state"]._description_selection(self.env))
        items = []
        for alert in alerts:
            mention = alert.mention_id
            items.append({
                "id": alert.id, "name": alert.name, "kind": alert.kind, "kind_label": kinds.get(alert.kind),
                "date": fields.Date.to_string(alert.date), "source": alert.source_id.display_name,
                "mention": {
                    "id": mention.id, "body": (mention.body or "")[:OVERVIEW_TEXT_CHARS],
                    "truncated": len(mention.body or "") > OVERVIEW_TEXT_CHARS,
                    "author": mention.author_name or mention.author_handle, "handle": mention.author_handle,
                    "partner": mention.partner_id.display_name or False, "reach": mention.reach,
                    "network": mention.network, "url": mention.url or False,
                    "state": mention.state, "state_label": states.get(mention.state),
                    "can_reply": mention.direction != "outbound" and mention.state in UNANSWERED_STATES,
                } if mention else False,
            })
        return {"count": count, "items": items,
                "action": self._overview_action("social_crm_reputation.social_reputation_alert_action")}

    # ------------------------------------------------------------------ survey comparison

    @api.model
    def _survey_comparison(self, domain, date_from, date_to):
        """The social figure of ``domain`` next to the survey answers of the same customers, for
        ``[date_from, date_to]`` (days, UTC); None: no comparison. ``social_crm_reputation_survey``
        (installed with the Surveys app) computes it; the report leaves the comparison out on None."""
        return None
