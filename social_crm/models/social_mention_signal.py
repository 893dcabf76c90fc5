"""Buying signals in mentions: spotted at ingestion by the rules, turned into (or attached to) leads."""
import threading

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import create_index, format_datetime, plaintext2html

# UTM medium names other than the network's label; core already ships "X", "Facebook" and "LinkedIn" (utm data).
MEDIUM_NAMES = {"x": "X"}
LEAD_BATCH = 500


class SocialMention(models.Model):
    _inherit = "social.mention"

    buying_signal_rule_id = fields.Many2one(
        comodel_name="social.buying.signal.rule", string="Buying Signal Rule", index="btree_not_null",
        ondelete="set null", readonly=True)
    buying_signal_type = fields.Selection(string="Buying Signal", related="buying_signal_rule_id.signal_type", store=True)
    signal_lead_pending = fields.Boolean(
        string="Lead Pending", readonly=True, copy=False,
        help="A buying signal whose rule asks for a lead: the lead is created by the scheduled action that "
             "ingestion wakes up, within seconds, rather than while the mentions are stored.")

    def init(self):
        super().init()
        # the queue of leads to create: a few rows among millions
        create_index(self.env.cr, "social_mention_signal_lead_pending_idx", self._table, ["id"],
                     where="signal_lead_pending")

    # ingestion hooks

    @api.model
    def _ingest_enrich_vals(self, vals_list):
        vals_list = super()._ingest_enrich_vals(vals_list)
        sources = self.env["social.source"].browse({vals["source_id"] for vals in vals_list if vals.get("source_id")})
        matchers = {}
        for vals in vals_list:
            if vals.get("buying_signal_rule_id") or not vals.get("body"):
                continue
            company = sources.browse(vals.get("source_id")).company_id
            if company not in matchers:
                matchers[company] = self.env["social.buying.signal.rule"]._get_matcher(company)
            rule = matchers[company](vals["body"], vals.get("lang"))
            if rule:
                vals["buying_signal_rule_id"] = rule.id
                vals["buying_signal_type"] = rule.signal_type  # stored related: no UPDATE after the insert
                vals["signal_lead_pending"] = rule.create_lead
        return vals_list

    @api.model
    def _ingest_after_create(self, mentions):
        """Leads are queued, not created here: creating a lead costs Odoo's CRM a few milliseconds,
        more than storing a hundred mentions, and the webhook or poller should not wait for it."""
        mentions = super()._ingest_after_create(mentions)
        if any(mentions.mapped("signal_lead_pending")):
            self.env.ref("social_crm.ir_cron_create_signal_leads").sudo()._trigger()
        return mentions

    @api.model
    def _cron_create_signal_leads(self, batch_size=LEAD_BATCH):
        """Create the leads of the queued buying signals, a batch at a time, each batch committed."""
        auto_commit = not getattr(threading.current_thread(), "testing", False)
        done = 0
        while batch := self._create_queued_signal_leads(batch_size):
            done += batch
            remaining = self.search_count([("signal_lead_pending", "=", True)])
            self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
            if auto_commit:
                self.env.cr.commit()  # pylint: disable=E8102 - keep finished batches (see ir_cron._run_job)
        return done

    @api.model
    def _create_queued_signal_leads(self, limit=None):
        """Create the leads of (at most ``limit``) queued buying signals; return how many were dequeued.

        Ingestion is system work (webhook, cron, RPC pushed by a manager): the leads a configured
        rule asks for are created whatever the rights of who pushed the mentions; their values come
        only from the validated mention fields.
        """
        Mention = self.sudo().with_context(tracking_disable=True)
        pending = Mention.search([("signal_lead_pending", "=", True)], order="id", limit=limit)
        linked = pending.filtered("lead_id")  # given a lead by hand in the meantime
        linked.signal_lead_pending = False
        (pending - linked)._create_leads_from_signals()  # which takes them out of the queue
        return len(pending)

    # leads

    def _create_leads_from_signals(self):
        """Create a lead per author, or attach the mentions to their partner's open lead, in batch.

        One search for the open leads of all partners, one ``create`` for the new leads, one
        write of ``lead_id`` per lead; mentions of the same author in one batch share a lead.
        :return: the leads created or enriched
        """
        Lead = self.env["crm.lead"]
        partners = self.partner_id
        open_leads = {}
        if partners:
            for lead in Lead.search_fetch(
                    [("partner_id", "in", partners.ids), ("type", "in", ("lead", "opportunity")),
                     "|", ("stage_id", "=", False), ("stage_id.is_won", "=", False)],
                    ["partner_id", "company_id"], order="create_date desc, id desc"):
                open_leads.setdefault((lead.partner_id.id, lead.company_id.id), lead)

        attached, groups = {}, {}
        for mention in self:
            partner = mention.partner_id
            # the partner's latest open lead of the mention's company, else one shared by all companies
            lead = partner and (open_leads.get((partner.id, mention.company_id.id)) or
                                open_leads.get((partner.id, False)))
            if lead:
                attached.setdefault(lead, self.browse())
                attached[lead] |= mention
                continue
            key = ("partner", partner.id) if partner else ("profile", mention.profile_id.id) \
                if mention.profile_id else ("mention", mention.id)
            groups.setdefault((key, mention.company_id.id), self.browse())
            groups[(key, mention.company_id.id)] |= mention

        new_groups, new_leads = list(groups.values()), Lead
        if new_groups:
            mediums, sources = self._utm_records()
            # with_prefetch: groups are small recordsets of their own; read all mentions at once
            vals_list = [group[0].with_prefetch(self._prefetch_ids)._prepare_lead_values(mediums, sources)
                         for group in new_groups]
            new_leads = self._create_leads(vals_list)
            for group, lead in zip(new_groups, new_leads):
                group.lead_id = lead
                if len(group) > 1:
                    attached[lead] = group[1:]
        if attached:
            Lead.concat(*attached)._message_log_batch(
                bodies={lead.id: group._lead_note() for lead, group in attached.items()})
            for lead, group in attached.items():
                group.lead_id = lead
        self.filtered("signal_lead_pending").signal_lead_pending = False  # done: out of the queue
        return Lead.concat(*attached) | new_leads

    def _create_leads(self, vals_list):
        """Create the leads with their team and first stage looked up once per salesperson and
        company; ``crm.lead`` would otherwise search both lead by lead.

        The stage goes through the context default: given in the values, it would make
        ``crm.lead.create`` run its won/lost bookkeeping (a query) for each lead.
        """
        Lead = self.env["crm.lead"]
        teams, stages, by_stage = {}, {}, {}
        for index, vals in enumerate(vals_list):
            key = (vals.get("user_id"), vals.get("company_id"))
            if key not in teams:
                team = self.env["crm.team"]
                if vals.get("user_id"):
                    team = team.with_company(vals.get("company_id") or self.env.company)._get_default_team_id(
                        user_id=vals["user_id"], domain=[("use_leads", "=", True)])
                teams[key] = team
            team = teams[key]
            vals.setdefault("team_id", team.id)
            if vals["team_id"] not in stages:
                stages[vals["team_id"]] = Lead._stage_find(team_id=vals["team_id"], domain=[("fold", "=", False)])
            by_stage.setdefault(stages[vals["team_id"]].id, []).append(index)
        leads = [None] * len(vals_list)
        for stage_id, indexes in by_stage.items():
            created = Lead.with_context(default_stage_id=stage_id).create([vals_list[i] for i in indexes])
            for index, lead in zip(indexes, created.with_context(self.env.context)):
                leads[index] = lead
        return Lead.concat(*leads)

    def _utm_records(self):
        """``({network: utm.medium}, {social.source: utm.source})`` for these mentions, found or created at once."""
        # utm records are shared reference data that users may not create themselves
        Medium = self.env["utm.medium"].sudo().with_context(active_test=False)
        UtmSource = self.env["utm.source"].sudo()
        labels = {**dict(self._fields["network"].selection), **MEDIUM_NAMES}  # untranslated: names are keys
        medium_names = {network: labels.get(network, network) for network in set(self.mapped("network"))}
        existing = {medium.name: medium for medium in Medium.search(
            [("name", "in", list(medium_names.values()))], order="active desc, id")}
        missing = sorted(set(medium_names.values()) - set(existing))
        existing.update(zip(missing, Medium.create([{"name": name} for name in missing])))
        mediums = {network: existing[name] for network, name in medium_names.items()}

        source_names = {source: source.name for source in self.source_id}
        known = {source.name: source for source in UtmSource.search([("name", "in", list(source_names.values()))])}
        missing = sorted(set(source_names.values()) - set(known))
        known.update(zip(missing, UtmSource.create([{"name": name} for name in missing])))
        return mediums, {source: known[name] for source, name in source_names.items()}

    def _prepare_lead_values(self, mediums, sources):
        self.ensure_one()
        network = dict(self._fields["network"]._description_selection(self.env)).get(self.network, self.network)
        author = self.partner_id.name or self.author_name or self.author_handle
        return {
            "type": "lead",
            "name": self.env._("Buying signal: %(author)s on %(network)s", author=author, network=network),
            "partner_id": self.partner_id.id,
            "contact_name": False if self.partner_id else (self.author_name or self.author_handle),
            "user_id": self.user_id.id,
            "company_id": self.company_id.id,
            "medium_id": mediums[self.network].id,
            "source_id": sources[self.source_id].id,
            "description": self._lead_note(),
        }

    def _lead_note(self):
        """The mentions quoted as escaped HTML: their text is never rendered as markup."""
        signal_labels = dict(self._fields["buying_signal_type"]._description_selection(self.env))
        network_labels = dict(self._fields["network"]._description_selection(self.env))
        parts = []
        for mention in self:
            intro = self.env._(
                "%(signal)s from %(author)s on %(network)s, %(date)s:",
                signal=signal_labels.get(mention.buying_signal_type) or self.env._("Mention"),
                author=mention.author_handle, network=network_labels.get(mention.network, mention.network),
                date=format_datetime(self.env, mention.posted_at))
            link = Markup('<p><a href="%s" target="_blank" rel="noopener noreferrer">%s</a></p>') % (
                mention.url, mention.url) if mention.url else ""
            parts.append(Markup("<p>%s</p><blockquote>%s</blockquote>%s") % (
                intro, plaintext2html(mention.body or ""), link))
        return Markup("").join(parts)

    def action_create_lead(self):
        """Create (or attach to the partner's open lead) the lead of this mention, and open it."""
        self.ensure_one()
        if self.lead_id:
            raise UserError(self.env._("This mention is already linked to the lead %(lead)s.",
                                       lead=self.lead_id.display_name))
        self.env["crm.lead"].check_access("create")
        self._create_leads_from_signals()
        return self.action_open_lead()

    def action_open_lead(self):
        self.ensure_one()
        if not self.lead_id:
            raise UserError(self.env._("This mention has no lead yet."))
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.lead",
            "res_id": self.lead_id.id,
            "views": [(False, "form")],
            "target": "current",
        }
