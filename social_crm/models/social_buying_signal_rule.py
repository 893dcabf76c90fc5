import re

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError

from ..tools.language import primary_language

SIGNAL_TYPES = [
    ("price", "Price request"),
    ("quote", "Quotation request"),
    ("recommendation", "Recommendation request"),
    ("where_to_buy", "Where to buy"),
    ("comparison", "Comparison"),
    ("other", "Other"),
]
MAX_PATTERN_LENGTH = 1000


class SocialBuyingSignalRule(models.Model):
    """A regular expression that spots buying intent in the text of mentions (asking for a price,
    a quote, a recommendation, where to buy, …). The first matching rule, by sequence, wins."""

    _name = "social.buying.signal.rule"
    _description = "Social Buying Signal Rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    signal_type = fields.Selection(selection=SIGNAL_TYPES, string="Signal", required=True, default="other")
    lang = fields.Char(
        string="Language",
        help="Language code of the mentions this rule applies to (e.g. en, fr); empty for any language. "
             "Mentions whose language is unknown are tested against every rule.")
    pattern = fields.Char(
        required=True,
        help="Python regular expression searched in the mention text, case-insensitively, "
             r"e.g. \bhow much\b|\bprice\b")
    create_lead = fields.Boolean(
        default=True, help="Create a lead for the mention's author, or attach the mention to their open lead.")
    company_id = fields.Many2one(comodel_name="res.company", index=True, default=lambda self: self.env.company,
                                 help="Empty: shared by all companies.")
    mention_count = fields.Integer(compute="_compute_mention_count", string="Mentions")

    @api.constrains("pattern")
    def _check_pattern(self):
        for rule in self:
            if len(rule.pattern or "") > MAX_PATTERN_LENGTH:
                raise ValidationError(self.env._(
                    "The pattern of rule %(rule)s is longer than %(max)s characters.",
                    rule=rule.name, max=MAX_PATTERN_LENGTH))
            try:
                re.compile(rule.pattern or "", re.IGNORECASE)
            except re.error as error:
                raise ValidationError(self.env._(
                    "The pattern of rule %(rule)s is not a valid regular expression: %(error)s",
                    rule=rule.name, error=error)) from None
            if not (rule.pattern or "").strip():
                raise ValidationError(self.env._("The pattern of rule %(rule)s is empty.", rule=rule.name))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("lang"):
                vals["lang"] = self._normalize_lang(vals["lang"])
        rules = super().create(vals_list)
        self.env.registry.clear_cache()  # the compiled rules (_compiled_rules)
        return rules

    def write(self, vals):
        if vals.get("lang"):
            vals["lang"] = self._normalize_lang(vals["lang"])
        result = super().write(vals)
        self.env.registry.clear_cache()
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()
        return result

    @staticmethod
    def _normalize_lang(lang):
        """"fr_FR", "FR-fr", " fr " → "fr": rules match on the primary language (none for "und")."""
        return primary_language(lang) or False

    def _compute_mention_count(self):
        counts = dict(self.env["social.mention"]._read_group(
            [("buying_signal_rule_id", "in", self.ids)], ["buying_signal_rule_id"], ["__count"]))
        for rule in self:
            rule.mention_count = counts.get(rule, 0)

    @api.model
    def _get_matcher(self, company=None):
        """Compile the active rules once; answer ``match(text, lang) -> rule`` (empty recordset if none).

        A rule applies when its language is empty, when the mention's language is unknown, or when
        both share the same primary language ("en" matches "en-GB").
        """
        match_values = self._get_values_matcher(company)

        def match(text, lang=None):
            found = match_values(text, lang)
            return self.browse(found[0]) if found else self.browse()

        return match

    @api.model
    def _get_values_matcher(self, company=None):
        """:meth:`_get_matcher`, whose ``match(text, lang)`` answers ``(rule id, signal type, whether
        it creates a lead)`` of the rule found, or None: nothing of the rule is read again. As
        superuser (ingestion), the rules are compiled once per process and company, and compiled
        again once a rule changed (:meth:`_compiled_rules`)."""
        if self.env.su:
            compiled = self._compiled_rules(company.id if company else None)
        else:
            compiled = self._compile_rules(self.search(self._matcher_domain(company.id if company else None)))
        normalize = self._normalize_lang

        def match(text, lang=None):
            if not text:
                return None
            lang = normalize(lang) if lang else False
            for rule_id, rule_lang, regex, signal_type, create_lead in compiled:
                if rule_lang and lang and rule_lang != lang:
                    continue
                if regex.search(text):
                    return rule_id, signal_type, create_lead
            return None

        return match

    @api.model
    def _matcher_domain(self, company_id):
        return [("company_id", "in", [False, company_id])] if company_id else []

    @api.model
    @tools.ormcache("company_id", "self.env.context.get('active_test', True)")
    def _compiled_rules(self, company_id):
        """The compiled rules of ``company_id`` (and the shared ones; all without a company), read as
        superuser; kept per process until a rule is created, changed or deleted."""
        return self._compile_rules(self.sudo().search(self._matcher_domain(company_id)))

    @api.model
    def _compile_rules(self, rules):
        """``((id, language, regex, signal type, creates a lead), ...)`` of ``rules``, in their order."""
        compiled = []
        for rule in rules:
            try:
                regex = re.compile(rule.pattern, re.IGNORECASE)
            except re.error:  # stored before validation existed, or written in SQL: skip, never block ingestion
                continue
            compiled.append((rule.id, rule.lang or False, regex, rule.signal_type, rule.create_lead))
        return tuple(compiled)

    def action_view_mentions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("social_crm.social_mention_action")
        action["domain"] = [("buying_signal_rule_id", "=", self.id)]
        action["context"] = {}
        return action
