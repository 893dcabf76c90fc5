"""Routing rules: which team and user a new mention goes to, how urgent it is, or that it is ignored,
from what it says and who says it. Applied in batch by the mention pipeline, in sequence order."""
import re
from collections import Counter, defaultdict
from datetime import timedelta

from odoo import api, fields, models, tools

from ..tools.language import primary_language

ASSIGN_MODES = [
    ("keep", "Keep the source's responsible"),
    ("user", "A given user"),
    ("round_robin", "Round-robin among the team"),
    ("least_loaded", "The least loaded member of the team"),
]
MENTION_PRIORITIES = [("0", "Normal"), ("1", "High"), ("2", "Urgent")]
OPEN_STATES = ("new", "to_answer", "escalated")
# what decides which rules a company has, in which order (_rule_ids_of_companies)
RULE_LIST_FIELDS = {"active", "company_id", "sequence"}


def split_list(text):
    """``"a, b ,c"`` → ``["a", "b", "c"]`` (empty parts dropped)."""
    return [part.strip() for part in (text or "").split(",") if part.strip()]


class SocialRoutingRule(models.Model):
    """Conditions on a new mention (all those set must hold) and what to do with a mention that meets
    them. Rules apply in sequence order; a rule that says *Stop here* ends the routing of a mention
    it matched, otherwise the next ones apply too (a later rule's action overrides an earlier one's)."""

    _name = "social.routing.rule"
    _description = "Social Routing Rule"
    _inherit = ["social.network.mixin"]
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(comodel_name="res.company", required=True, index=True,
                                 default=lambda self: self.env.company)
    stop = fields.Boolean(string="Stop Here", default=True,
                          help="A mention this rule matches is not routed by the rules after it.")
    # conditions: each one set must hold
    keywords = fields.Char(help="Words or phrases separated by commas: the text must hold one of them "
                                "(whole words, any case).")
    langs = fields.Char(string="Languages", help="Language codes separated by commas (e.g. en, fr); empty: any.")
    network = fields.Selection(help="Empty: any network.")
    source_ids = fields.Many2many(comodel_name="social.source", string="Sources", check_company=True,
                                  help="Empty: any source.")
    min_reach = fields.Integer(string="Reach at Least", help="Followers of the author; 0: any.")
    buying_signal = fields.Boolean(string="Buying Signals Only")
    partner_category_ids = fields.Many2many(
        comodel_name="res.partner.category", string="Contact Tags",
        help="The author's contact has one of these tags (e.g. VIP). Empty: any author.")
    # actions
    team_id = fields.Many2one(comodel_name="crm.team", string="Sales Team", check_company=True)
    assign_mode = fields.Selection(selection=ASSIGN_MODES, string="Assign To", required=True, default="keep")
    user_id = fields.Many2one(comodel_name="res.users", domain="[('share', '=', False)]")
    priority = fields.Selection(selection=MENTION_PRIORITIES, help="Empty: unchanged.")
    ignore = fields.Boolean(help="Matching mentions are stored as ignored.")
    last_user_id = fields.Many2one(comodel_name="res.users", readonly=True, copy=False,
                                   help="The member the round-robin assigned last.")

    _sql_constraints = [
        ("min_reach_positive", "CHECK(min_reach >= 0)", "The reach of a routing rule cannot be negative."),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        rules = super().create(vals_list)
        self.env.registry.clear_cache()  # the rules of the companies (_rule_ids_of_companies)
        return rules

    def write(self, vals):
        result = super().write(vals)
        if RULE_LIST_FIELDS & set(vals):  # not the round-robin's last user, written by every batch it assigns
            self.env.registry.clear_cache()
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()
        return result

    @api.model
    def _rules_of_companies(self, company_ids):
        """The active rules of ``company_ids``, in their order."""
        if not company_ids:
            return self.browse()
        if self.env.su:  # ingestion: the list of rules is kept per process
            return self.browse(self._rule_ids_of_companies(tuple(sorted(company_ids))))
        return self.search([("company_id", "in", list(company_ids))])

    @api.model
    @tools.ormcache("company_ids", "self.env.context.get('active_test', True)")
    def _rule_ids_of_companies(self, company_ids):
        """The ids of the active rules of ``company_ids`` (a sorted tuple), in their order, searched as
        superuser; kept per process until a rule is created, deleted, archived, moved or reordered."""
        return tuple(self.sudo().search([("company_id", "in", list(company_ids))]).ids)

    # ------------------------------------------------------------------ matching

    def _compile(self):
        """The conditions of the rule as plain values, read once for a batch."""
        self.ensure_one()
        words = split_list(self.keywords)
        return {
            "regex": re.compile(r"\b(?:%s)\b" % "|".join(re.escape(word) for word in words), re.IGNORECASE)
            if words else None,
            "langs": {primary_language(lang) for lang in split_list(self.langs)} - {None},
            "network": self.network,
            "sources": set(self.source_ids.ids),
            "min_reach": self.min_reach,
            "buying_signal": self.buying_signal,
            "categories": set(self.partner_category_ids.ids),
        }

    @api.model
    def _matches(self, conditions, vals, partner_categories):
        """Whether mention values meet compiled ``conditions``; ``partner_categories``: the tag ids
        of the author's contact."""
        if conditions["network"] and vals.get("network") != conditions["network"]:
            return False
        if conditions["sources"] and vals.get("source_id") not in conditions["sources"]:
            return False
        if conditions["min_reach"] and (vals.get("reach") or 0) < conditions["min_reach"]:
            return False
        if conditions["buying_signal"] and not vals.get("buying_signal_rule_id"):
            return False
        if conditions["langs"] and primary_language(vals.get("lang") or "") not in conditions["langs"]:
            return False
        if conditions["categories"] and not conditions["categories"] & partner_categories:
            return False
        return not conditions["regex"] or bool(conditions["regex"].search(vals.get("body") or ""))

    @api.model
    def _route(self, vals_list):
        """Apply the active rules of each mention's company to mention values, in place: a few queries
        for the batch (the rules, the authors' tags, the teams' members and their loads)."""
        rules = self._rules_of_companies({vals["company_id"] for vals in vals_list if vals.get("company_id")})
        if not rules:
            return vals_list
        rules.fetch(["company_id", "stop", "team_id", "assign_mode", "user_id", "priority", "ignore", "last_user_id"])
        compiled = {rule: rule._compile() for rule in rules}
        partner_ids = {vals["partner_id"] for vals in vals_list if vals.get("partner_id")}
        categories = defaultdict(set)
        if partner_ids and any(c["categories"] for c in compiled.values()):
            partners = self.env["res.partner"].browse(partner_ids)
            partners.fetch(["category_id"])
            for partner in partners:
                categories[partner.id] = set(partner.category_id.ids)
        by_company = defaultdict(list)
        for rule in rules:
            by_company[rule.company_id.id].append(rule)
        assignments = defaultdict(list)  # rule: [vals] to assign among its team
        for vals in vals_list:
            for rule in by_company.get(vals.get("company_id"), ()):
                if not self._matches(compiled[rule], vals, categories.get(vals.get("partner_id"), set())):
                    continue
                if rule.team_id:
                    vals["_routing_team_id"] = rule.team_id.id
                if rule.assign_mode == "user":
                    vals["user_id"] = rule.user_id.id
                elif rule.assign_mode in ("round_robin", "least_loaded"):
                    assignments[rule].append(vals)
                if rule.priority:
                    vals["priority"] = rule.priority
                if rule.ignore:
                    vals["state"] = "ignored"
                vals["routing_rule_id"] = rule.id
                if rule.stop:
                    break
        if assignments:
            self._assign_members(assignments)
        return vals_list

    @api.model
    def _assign_members(self, assignments):
        """Give the values of each rule one of its team's members: in turn (round-robin, from the one
        after the last assigned) or the one with the fewest open mentions (least loaded), counting
        those of this batch as they are given."""
        teams = self.env["crm.team"].browse({rule.team_id.id for rule in assignments if rule.team_id})
        members = {team: team.member_ids.filtered(lambda u: u.active).sorted("id") for team in teams}
        users = self.env["res.users"].concat(*members.values()) if members else self.env["res.users"]
        load = Counter()
        if users and any(rule.assign_mode == "least_loaded" for rule in assignments):
            load.update({user.id: count for user, count in self.env["social.mention"]._read_group(
                [("user_id", "in", users.ids), ("state", "in", OPEN_STATES)], ["user_id"], ["__count"])})
        for rule, vals_group in assignments.items():
            pool = members.get(rule.team_id) or self.env["res.users"]
            if not pool:
                continue
            ids = pool.ids
            if rule.assign_mode == "round_robin":
                start = ids.index(rule.last_user_id.id) + 1 if rule.last_user_id.id in ids else 0
                for offset, vals in enumerate(vals_group):
                    vals["user_id"] = ids[(start + offset) % len(ids)]
                rule.last_user_id = vals_group[-1]["user_id"]
            else:
                for vals in vals_group:
                    user_id = min(ids, key=lambda uid: (load[uid], uid))
                    vals["user_id"] = user_id
                    load[user_id] += 1

    # ------------------------------------------------------------------ test mode

    def action_test_rule(self):
        """The mentions of the last seven days this rule would have matched, whatever the other rules."""
        self.ensure_one()
        since = fields.Datetime.now() - timedelta(days=7)
        mentions = self.env["social.mention"].search(
            [("posted_at", ">=", since), ("company_id", "=", self.company_id.id)], order="id")
        conditions = self._compile()
        categories = {}
        if conditions["categories"]:
            mentions.partner_id.fetch(["category_id"])
            categories = {partner.id: set(partner.category_id.ids) for partner in mentions.partner_id}
        matched = [mention.id for mention, vals in zip(mentions, self._routing_vals_of(mentions), strict=True)
                   if self._matches(conditions, vals, categories.get(mention.partner_id.id, set()))]
        action = self.env["ir.actions.act_window"]._for_xml_id("social_crm.social_mention_action")
        action.update({
            "name": self.env._("Matched by %(rule)s in the last 7 days", rule=self.name),
            "domain": [("id", "in", matched)],
            "context": {},
        })
        return action

    @api.model
    def _routing_vals_of(self, mentions):
        """The values of stored ``mentions`` the conditions look at, as at their arrival."""
        mentions.fetch(["network", "source_id", "reach", "buying_signal_rule_id", "lang", "body", "partner_id"])
        return [{"network": mention.network, "source_id": mention.source_id.id, "reach": mention.reach,
                 "buying_signal_rule_id": mention.buying_signal_rule_id.id, "lang": mention.lang,
                 "body": mention.body} for mention in mentions]
