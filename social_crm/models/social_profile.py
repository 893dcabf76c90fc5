from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools.identity import IDENTITY_TYPES, IdentityError, web_url


class SocialProfile(models.Model):
    """One identity of a person or company on a social network.

    A profile belongs to at most one partner; a partner has many. Its ``canonical_key``
    (``network:handle``) is unique per company and is what mention authors are matched on.
    Authors without a handle are profiles too, known by e-mail or phone, or, within the one
    source that shows them (a forum, a review site, a blog), by name or web site.
    """

    _name = "social.profile"
    _inherit = ["social.network.mixin"]
    _description = "Social Profile"
    _order = "network, canonical_handle"
    _rec_names_search = ["handle", "canonical_handle", "name"]

    partner_id = fields.Many2one(
        comodel_name="res.partner", string="Contact", index=True, ondelete="set null",
        help="The customer this identity belongs to. Empty while nobody has confirmed who it is.")
    network = fields.Selection(required=True)
    handle = fields.Char(required=True, help="The user name on the network, as it is written there (e.g. @acme).")
    identity_type = fields.Selection(
        selection=IDENTITY_TYPES, string="Known By", required=True, default="handle",
        help="What identifies this author: a handle on the network, or, for authors who have none, "
             "an e-mail, a phone, or a name or web site shown by one source.")
    source_id = fields.Many2one(
        comodel_name="social.source", string="Known In", index="btree_not_null", ondelete="cascade",
        help="The source within which a name or web site identifies this author.")
    canonical_handle = fields.Char(compute="_compute_canonical", store=True, readonly=True)
    canonical_key = fields.Char(
        compute="_compute_canonical", store=True, readonly=True, index=True,
        help="network:handle in canonical form; mentions are matched to profiles on it.")
    account_key = fields.Char(
        readonly=True, index="btree_not_null",
        help="network:account:id when the network's permanent id of the account is known: an author "
             "seen once by handle and once by that id is one profile.")
    url = fields.Char(string="Profile URL", help="Paste a profile address: network and handle are filled from it.")
    name = fields.Char(string="Profile Name", help="The name the profile shows on the network.")
    followers = fields.Integer(help="Followers or subscribers, as last seen: the reach of what this profile says.")
    verified = fields.Boolean(help="The network marks this account as verified.")
    last_activity = fields.Datetime(help="When this profile was last seen posting.")
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, index=True, default=lambda self: self.env.company)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("canonical_key_company_uniq", "unique(canonical_key, company_id)",
         "This social profile is already known in this company."),
        ("followers_positive", "CHECK(followers >= 0)", "Followers cannot be negative."),
    ]

    @api.depends("network", "handle", "identity_type", "source_id")
    def _compute_canonical(self):
        for profile in self:
            try:
                handle, key = self._network_identity_key(
                    profile.identity_type, profile.network, profile.handle, profile.source_id.id)
            except IdentityError:
                handle = key = False  # _check_handle tells the user why
            profile.canonical_handle = handle
            profile.canonical_key = key

    @api.depends("network", "canonical_handle", "name", "identity_type")
    def _compute_display_name(self):
        labels = dict(self._fields["network"]._description_selection(self.env))
        for profile in self:
            # authors without handle show as written (a name, a web site), not in canonical form
            canonical = profile.canonical_handle if profile.identity_type in (False, "handle") else False
            handle = canonical or profile.handle or ""
            prefix = self._network_handle_prefix(profile.network) if profile.identity_type in (False, "handle") else ""
            profile.display_name = f"{prefix}{handle} ({labels.get(profile.network, '')})"

    @api.constrains("network", "handle", "identity_type", "source_id")
    def _check_handle(self):
        for profile in self:
            try:
                self._network_identity_key(profile.identity_type, profile.network, profile.handle, profile.source_id.id)
            except IdentityError as error:
                raise ValidationError(self.env._("Invalid social profile: %(reason)s", reason=error)) from None

    def _raise_if_known(self, identities):
        """Refuse identities already stored, naming their owner: clearer than the database's refusal.

        :param identities: iterable of ``(network, handle, company id, identity type, source id)`` about
            to be stored
        """
        wanted = {}
        for network, handle, company_id, identity_type, source_id in identities:
            try:
                key = self._network_identity_key(identity_type, network, handle, source_id)[1]
            except IdentityError:
                continue  # _check_handle explains what is wrong with it
            if (key, company_id) in wanted:
                raise ValidationError(self.env._("The profile %(key)s is given twice.", key=key))
            wanted[key, company_id] = True
        if not wanted:
            return
        existing = self.with_context(active_test=False).search([
            ("canonical_key", "in", [key for key, _company in wanted]),
            ("company_id", "in", list({company for _key, company in wanted})),
            ("id", "not in", self.ids),
        ])
        for other in existing:
            if (other.canonical_key, other.company_id.id) in wanted:
                owner = other.partner_id.display_name
                raise ValidationError(
                    self.env._("%(profile)s is already known as a profile of %(partner)s.",
                               profile=other.display_name, partner=owner)
                    if owner else self.env._("%(profile)s is already known.", profile=other.display_name))

    @api.onchange("url")
    def _onchange_url(self):
        """Pasting a profile address fills network and handle."""
        if not self.url:
            return None
        try:
            network, handle = self._network_parse_profile_url(self.url)
        except IdentityError as error:
            return {"warning": {"title": self.env._("Not a profile address"), "message": str(error)}}
        self.network, self.handle = network, handle
        return None

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._fill_from_url(vals)
            self._normalize_url(vals)
            try:  # given now, the canonical key is written with the INSERT rather than by an UPDATE
                vals["canonical_handle"], vals["canonical_key"] = self._network_identity_key(
                    vals.get("identity_type"), vals.get("network"), vals.get("handle"), vals.get("source_id"))
            except IdentityError:  # _check_handle tells the user why
                continue
        default_company = self.env.company.id
        self._raise_if_known(
            (vals.get("network"), vals.get("handle"), vals.get("company_id") or default_company,
             vals.get("identity_type"), vals.get("source_id")) for vals in vals_list)
        return super().create(vals_list)

    def write(self, vals):
        if {"url", "network", "handle"} & vals.keys():
            vals = self._normalize_url(self._fill_from_url(dict(vals), strict=False))
        if {"network", "handle", "company_id", "identity_type", "source_id"} & vals.keys():
            self._raise_if_known(
                (vals.get("network", p.network), vals.get("handle", p.handle), vals.get("company_id", p.company_id.id),
                 vals.get("identity_type", p.identity_type), vals.get("source_id", p.source_id.id))
                for p in self)
        return super().write(vals)

    @api.model
    def _normalize_url(self, vals):
        """Keep only web addresses as ``url`` (``https://`` added when typed without a scheme):
        the address is a link on the contact form, a ``javascript:`` one must never be stored."""
        if vals.get("url"):
            url = web_url(vals["url"], assume_https=True)
            if not url:
                raise ValidationError(self.env._(
                    "A profile URL must be a web address (http or https): %(url)s", url=vals["url"][:200]))
            vals["url"] = url
        return vals

    @api.model
    def _fill_from_url(self, vals, strict=True):
        """Derive network and handle from a pasted ``url``; build the URL from a typed handle.

        A free-form address (a review page, say) is kept as typed when the handle is given.
        """
        if vals.get("identity_type") not in (None, False, "handle"):
            return vals  # an author without a network handle: the URL, if any, is a web site
        if vals.get("url") and not (vals.get("network") and vals.get("handle")):
            try:
                network, handle = self._network_parse_profile_url(vals["url"])
            except IdentityError as error:
                if strict and not vals.get("handle"):
                    raise ValidationError(self.env._("Invalid social profile: %(reason)s", reason=error)) from None
            else:
                vals.setdefault("network", network)
                vals.setdefault("handle", handle)
        elif vals.get("network") and vals.get("handle") and not vals.get("url"):
            try:
                vals["url"] = self._network_profile_url(
                    vals["network"], self._network_canonical_handle(vals["network"], vals["handle"]))
            except IdentityError:  # _check_handle reports it with the record
                return vals
        return vals
