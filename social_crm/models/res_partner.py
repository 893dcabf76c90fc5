import json

from lxml import html as lxml_html
from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL, create_index, email_normalize

from ..tools import erasure

# Shortest mention text searched inside tracked values: shorter ones would match unrelated text.
MIN_SNIPPET_CHARS = 12
SNIPPET_CHARS = 200
LATEST_MENTIONS = 5  # shown on the contact form


def squash(text):
    """Text without its whitespace, for finding a mention where it was quoted (line breaks become
    ``<br>`` there, spaces may be collapsed)."""
    return "".join((text or "").split())


def _json_or_text(payload):
    """A stored payload as the JSON it was received as, else as the text kept."""
    try:
        return json.loads(payload)
    except (TypeError, ValueError):
        return payload


def html_text(html):
    """The text of an HTML fragment, entities decoded."""
    return lxml_html.fragment_fromstring(str(html), create_parent="div").text_content() if html else ""


def like_snippet(text):
    """The beginning of a mention's text, long enough to be its own, or None."""
    text = (text or "").strip()
    return text[:SNIPPET_CHARS] if len(text) >= MIN_SNIPPET_CHARS else None


def strip_quotes(html, bodies, urls):
    """``html`` without the quotes of the given texts (``<blockquote>``), the line introducing each
    and the link to the post that follows it (as ``social.mention._lead_note`` writes them)."""
    if not html or not (bodies or urls):
        return html
    root = lxml_html.fragment_fromstring(str(html), create_parent="div")
    changed = False
    for quote in list(root.iter("blockquote")):
        if squash(quote.text_content()) not in bodies:
            continue
        intro, link = quote.getprevious(), quote.getnext()
        if intro is not None and intro.tag == "p" and intro.text_content().rstrip().endswith(":"):
            intro.drop_tree()
        if link is not None and link.tag == "p" and any(a.get("href") in urls for a in link.iter("a")):
            link.drop_tree()
        quote.drop_tree()
        changed = True
    for anchor in list(root.iter("a")):
        if anchor.get("href") in urls:
            anchor.drop_tree()
            changed = True
    if not changed:
        return html
    return Markup(escape(root.text or "")) + Markup("").join(
        Markup(lxml_html.tostring(child, encoding="unicode")) for child in root)


class ResPartner(models.Model):
    _inherit = "res.partner"

    social_profile_ids = fields.One2many(
        comodel_name="social.profile", inverse_name="partner_id", string="Social Profiles", groups="base.group_user")
    social_profile_count = fields.Integer(
        compute="_compute_social_profile_count", groups="base.group_user")
    social_opt_out = fields.Boolean(
        string="Social Listening Opt-out", tracking=True, groups="base.group_user",
        help="This contact asked not to be listened to on social media: no mention is linked to them.")
    social_mention_count = fields.Integer(
        compute="_compute_social_mention_count", 
        groups="social_crm.social_crm_group_user")
    social_latest_mention_ids = fields.Many2many(
        comodel_name="social.mention", compute="_compute_social_latest_mention_ids", string="Latest Mentions",
        groups="social_crm.social_crm_group_user")

    def init(self):
        result = super().init()
        # Mention authors are matched on e-mail and phone by indexed equality, never by scanning.
        create_index(self.env.cr, "res_partner_email_normalized_social_idx", self._table,
                     ["email_normalized"], where="email_normalized IS NOT NULL")
        create_index(self.env.cr, "res_partner_phone_sanitized_social_idx", self._table,
                     ["phone_sanitized"], where="phone_sanitized IS NOT NULL")
        return result

    @api.depends("social_profile_ids")
    def _compute_social_profile_count(self):
        counts = dict(self.env["social.profile"]._read_group(
            [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]))
        for partner in self:
            partner.social_profile_count = counts.get(partner, 0)

    def action_view_social_profiles(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("social_crm.social_profile_action")
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    def _compute_social_mention_count(self):
        counts = dict(self.env["social.mention"]._read_group(
            [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]))
        for partner in self:
            partner.social_mention_count = counts.get(partner, 0)

    def _compute_social_latest_mention_ids(self):
        """The latest mentions of each partner: one query ranks them, one search applies the access rules."""
        Mention = self.env["social.mention"]
        partner_ids = [pid for pid in self.ids if pid]
        latest = {}
        if partner_ids:
            Mention.flush_model(["partner_id", "posted_at"])
            rows = self.env.execute_query(SQL("""
                SELECT id FROM (
                    SELECT id, ROW_NUMBER() OVER (PARTITION BY partner_id ORDER BY posted_at DESC, id DESC) AS rank
                      FROM social_mention
                     WHERE partner_id = ANY(%s)
                ) ranked WHERE rank <= %s
            """, partner_ids, LATEST_MENTIONS))
            mentions = Mention.search_fetch([("id", "in", [row[0] for row in rows])], ["partner_id"])
            for mention in mentions:  # already in the order of the model: latest first
                latest.setdefault(mention.partner_id.id, []).append(mention.id)
        for partner in self:
            partner.social_latest_mention_ids = [fields.Command.set(latest.get(partner._origin.id, []))]

    def action_view_social_mentions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("social_crm.social_mention_action")
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    # ------------------------------------------------------------------ private channels

    def _social_private_blacklists(self):
        """``(emails, phones)``: the sets of the blacklisted e-mail addresses and phone numbers among
        those of the contacts of ``self``, in one query each (none when no contact has one)."""
        # sudo: the blacklists are readable by administrators only; they are read to say "no",
        # the entries themselves are never shown
        emails = {email for email in self.mapped("email_normalized") if email}
        phones = {phone for phone in self.mapped("phone_sanitized") if phone}
        blacklisted_emails = set(self.env["mail.blacklist"].sudo().search(
            [("email", "in", list(emails))]).mapped("email")) if emails else set()
        blacklisted_phones = set(self.env["phone.blacklist"].sudo().search(
            [("number", "in", list(phones))]).mapped("number")) if phones else set()
        return blacklisted_emails, blacklisted_phones

    def _social_private_refusal(self, channel, blacklisted_emails, blacklisted_phones):
        """``(reason, recipient)`` of writing privately to this contact through ``channel`` about what
        they said on social media: the reason is False when they may be written to.

        Refused for every channel when the contact opted out of social listening; by ``"email"``
        without a valid address or with a blacklisted one (``blacklisted_emails``, from
        :meth:`_social_private_blacklists`), by ``"sms"`` likewise with the phone number. Other
        channels (a network's direct messages) are the caller's to check: the recipient is then False.
        Extend it to add a channel or a consent rule.
        """
        self.ensure_one()
        if self.social_opt_out:
            return self.env._("%(partner)s opted out of social listening: do not contact them about "
                              "what they said on social media.", partner=self.display_name), False
        if channel == "email":
            if not self.email_normalized:
                return self.env._("%(partner)s has no valid e-mail address.", partner=self.display_name), False
            if self.email_normalized in blacklisted_emails:
                return self.env._("%(email)s is blacklisted: %(partner)s does not want e-mails.",
                                  email=self.email_normalized, partner=self.display_name), False
            return False, self.email_normalized
        if channel == "sms":
            if not self.phone_sanitized:
                return self.env._("%(partner)s has no valid phone number.", partner=self.display_name), False
            if self.phone_sanitized in blacklisted_phones:
                return self.env._("%(phone)s is blacklisted: %(partner)s does not want text messages.",
                                  phone=self.phone_sanitized, partner=self.display_name), False
            return False, self.phone_sanitized
        return False, False

    def _check_social_manager(self):
        if not self.env.user.has_group("social_crm.social_crm_group_manager"):
            raise AccessError(self.env._("Only Social CRM managers may export or erase the social data of a contact."))

    def action_social_erase(self):
        """Right to erasure (public, callable over RPC): remove every social record about this contact
        and keep a content-free trace in its chatter."""
        self.ensure_one()
        self._check_social_manager()
        # sudo: the erasure must reach every record about the contact, in every company and whatever
        # the record rules; only Social CRM managers get here
        counts = self.sudo()._social_erase()
        summary = ", ".join(
            self.env._("%(count)s %(label)s", count=count, label=label) for label, count in counts.items() if count)
        # sudo: the trace is written even when the manager may not edit the contact itself (still in
        # their name: sudo() keeps the user)
        self.sudo().message_post(
            body=self.env._("Social data erased: %(summary)s.", summary=summary or self.env._("nothing")),
            subtype_xmlid="mail.mt_note")
        return True

    def _social_erase(self):
        """Delete the social records of these partners; answer ``{label: count}`` for the trace.

        Addons holding more social data per partner extend it: they delete their records first, then
        call ``super()`` (the mentions, which their records point at, are deleted here). Leads and
        sales documents are kept, without the mentions' texts and authors.
        """
        profiles = self._social_data_profiles()
        mentions = self._social_data_mentions(profiles)
        quarantined = self._social_data_quarantine(profiles, mentions)
        suggestions = self._social_data_suggestions(profiles)
        leads = self._social_erase_lead_context(mentions)
        trackings = self._social_erase_trackings(mentions)
        counts = {
            self.env._("social profiles"): len(profiles),
            self.env._("mentions"): len(mentions),
            self.env._("failed items"): len(quarantined),
            self.env._("merge suggestions"): len(suggestions),
            self.env._("leads cleaned"): len(leads),
            self.env._("tracked values"): len(trackings),
        }
        trackings.unlink()
        quarantined.unlink()
        suggestions.unlink()
        mentions.unlink()  # their chatter, followers and activities go with them (mail.thread)
        profiles.unlink()
        return counts

    def _social_data_profiles(self):
        return self.env["social.profile"].with_context(active_test=False).search([("partner_id", "in", self.ids)])

    def _social_data_mentions(self, profiles=None):
        """The mentions about these partners: linked to them, or written from one of their profiles."""
        if profiles is None:
            profiles = self._social_data_profiles()
        return self.env["social.mention"].with_context(active_test=False).search(
            ["|", ("partner_id", "in", self.ids), ("profile_id", "in", profiles.ids)])

    def _social_data_suggestions(self, profiles):
        return self.env["social.merge.suggestion"].search(
            ["|", ("profile_id", "in", profiles.ids),
             "|", ("partner_a_id", "in", self.ids), ("partner_b_id", "in", self.ids)])

    def _social_identity_patterns(self, profiles):
        """Patterns (``tools.erasure``) of every identity of these partners: their profiles' handles
        and addresses, their e-mails and phone numbers."""
        partners = self.with_context(active_test=False)
        partners.fetch(["email", "email_normalized", "phone", "phone_sanitized", "mobile"])
        return erasure.identity_patterns(
            handles=profiles.mapped("canonical_handle") + profiles.mapped("handle"),
            urls=profiles.mapped("url"),
            emails={email_normalize(email) for email in partners.mapped("email")} | set(
                partners.mapped("email_normalized")),
            phones=partners.mapped("phone_sanitized") + partners.mapped("phone") + partners.mapped("mobile"))

    def _social_data_quarantine(self, profiles, mentions):
        """The failed items about these partners, found in one query: those ingested since as one of
        ``mentions``, and those whose payload holds one of their identities, however it is spelled."""
        Quarantine = self.env["social.mention.quarantine"]
        patterns = self._social_identity_patterns(profiles)
        Quarantine.flush_model(["payload", "mention_id"])
        rows = self.env.execute_query(SQL(
            "SELECT id FROM social_mention_quarantine WHERE mention_id = ANY(%s) OR payload ~* ANY(%s::text[])",
            mentions.ids, patterns))
        return Quarantine.browse(row[0] for row in rows)

    def _social_erase_lead_context(self, mentions):
        """Take the quotes of ``mentions`` out of their leads (description and chatter); the leads stay.

        Answers the leads changed.
        """
        leads = mentions.lead_id
        if not leads:
            return leads
        bodies = {squash(mention.body) for mention in mentions if squash(mention.body)}
        urls = {mention.url for mention in mentions if mention.url}
        # a lead of an author known only by a profile is named after the handle (_prepare_lead_values)
        authors = {name.lower() for name in mentions.mapped("author_handle") + mentions.mapped("author_name") if name}
        for lead in leads:
            vals = {}
            description = strip_quotes(lead.description, bodies, urls)
            if description != lead.description:
                vals["description"] = description
            if lead.contact_name and lead.contact_name.lower() in authors:
                vals["contact_name"] = False
            if any(author in (lead.name or "").lower() for author in authors):
                vals["name"] = self.env._("Buying signal")
            if vals:
                lead.with_context(mail_notrack=True).write(vals)
        # the notes quoting mentions attached to an existing lead
        messages = self.env["mail.message"].search([("model", "=", "crm.lead"), ("res_id", "in", leads.ids)])
        messages.filtered(lambda message: any(
            body in squash(html_text(message.body)) for body in bodies)).unlink()
        return leads

    def _social_erase_trackings(self, mentions):
        """Tracked values elsewhere in the database holding the text or the name of ``mentions``."""
        snippets = {like_snippet(mention.body) for mention in mentions} | {
            like_snippet(mention.reply_body) for mention in mentions}
        names = [name for name in mentions.mapped("display_name") if name]
        patterns = [f"%{erasure.like_escape(snippet)}%" for snippet in snippets if snippet]
        if not patterns and not names:
            return self.env["mail.tracking.value"]
        self.env["mail.tracking.value"].flush_model()
        rows = self.env.execute_query(SQL("""
            SELECT id FROM mail_tracking_value
             WHERE old_value_char = ANY(%(names)s) OR new_value_char = ANY(%(names)s)
                OR old_value_char ILIKE ANY(%(patterns)s) OR new_value_char ILIKE ANY(%(patterns)s)
                OR old_value_text ILIKE ANY(%(patterns)s) OR new_value_text ILIKE ANY(%(patterns)s)
        """, names=names, patterns=patterns))
        return self.env["mail.tracking.value"].browse(row[0] for row in rows)

    # ------------------------------------------------------------------ right of access

    def action_social_export(self):
        """Right of access: download, as one JSON file, everything stored about this contact's social
        identity (the file is built when downloaded, and kept nowhere)."""
        self.ensure_one()
        self._check_social_manager()
        return {"type": "ir.actions.act_url", "url": f"/social_crm/partner/{self.id}/social_data", "target": "download"}

    def _social_export_data(self):
        """``dict`` of the social data about this partner, ready for JSON. Addons holding more extend it
        with ``super()``; like the erasure, it covers every company (callers run it as superuser)."""
        self.ensure_one()
        profiles = self._social_data_profiles()
        mentions = self._social_data_mentions(profiles)
        quarantined = self._social_data_quarantine(profiles, mentions)
        suggestions = self._social_data_suggestions(profiles)
        to_string = fields.Datetime.to_string
        return {
            "exported_at": to_string(fields.Datetime.now()),
            "contact": {"id": self.id, "name": self.name, "email": self.email or None, "phone": self.phone or None,
                        "social_opt_out": self.social_opt_out},
            "profiles": [{
                "id": profile.id, "network": profile.network, "handle": profile.handle, "url": profile.url or None,
                "name": profile.name or None, "followers": profile.followers, "verified": profile.verified,
                "last_activity": to_string(profile.last_activity) or None, "active": profile.active,
                "company": profile.company_id.name,
            } for profile in profiles],
            "mentions": [{
                "id": mention.id, "source": mention.source_id.name, "network": mention.network,
                "external_id": mention.external_id, "author_handle": mention.author_handle,
                "author_name": mention.author_name or None, "profile_id": mention.profile_id.id or None,
                "text": mention.body or "", "url": mention.url or None, "language": mention.lang or None,
                "posted_at": to_string(mention.posted_at), "reach": mention.reach, "state": mention.state,
                "in_reply_to": mention.parent_external_id or None,
                "reply": {"text": mention.reply_body, "recorded_at": to_string(mention.replied_at) or None}
                if mention.reply_body else None,
                "lead_id": mention.lead_id.id or None, "company": mention.company_id.name,
            } for mention in mentions.sorted(lambda m: (m.posted_at, m.id))],
            "failed_items": [{
                "id": item.id, "source": item.source_id.name, "external_id": item.external_id or None,
                "received_at": to_string(item.create_date), "state": item.state, "error": item.error,
                "payload": _json_or_text(item.payload),
            } for item in quarantined.sorted("id")],
            "merge_suggestions": [{
                "id": suggestion.id, "profile_id": suggestion.profile_id.id, "reason": suggestion.reason,
                "evidence": suggestion.evidence or None, "state": suggestion.state,
                "contacts": [suggestion.partner_a_id.id, suggestion.partner_b_id.id],
            } for suggestion in suggestions.sorted("id")],
            "leads": [{
                "id": lead.id, "name": lead.name, "mention_ids": sorted((lead.social_mention_ids & mentions).ids),
            } for lead in mentions.lead_id.sorted("id")],
        }
