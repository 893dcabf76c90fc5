import logging

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..connectors.publish import BlueskyPublisher, MastodonPublisher, PublishError, RedditPublisher, XPublisher
from .res_config_settings import ALLOW_PRIVATE_SOURCE_URLS

_logger = logging.getLogger(__name__)

ACCOUNT_NETWORKS = ("mastodon", "bluesky", "reddit", "x")
# the credential fields, Social CRM managers only, never copied, logged or shown in a message
CREDENTIAL_FIELDS = ("access_token", "refresh_token", "app_password", "password", "client_id", "client_secret",
                     "access_jwt", "refresh_jwt")


class SocialAccount(models.Model):
    """The company's own account on a network, the one its replies are posted from.

    One per network and company. The network's client is :meth:`_get_publisher`, overridable for
    another network (with ``selection_add`` on ``network``) the way sources pick their connector.
    """

    _name = "social.account"
    _description = "Social Account"
    _inherit = ["mail.thread", "mail.activity.mixin", "social.network.mixin"]
    _order = "network, name"

    name = fields.Char(required=True, tracking=True)
    network = fields.Selection(required=True, tracking=True)
    base_url = fields.Char(
        string="Server URL",
        help="Mastodon: the instance of the account. Elsewhere, the API address when it is not the public one.")
    auth_url = fields.Char(string="Token Server URL",
                           help="Reddit: where access tokens are asked for (https://www.reddit.com when empty).")
    handle = fields.Char(help="The account's own handle, as the network answered it (Test connection).")
    display_name_network = fields.Char(string="Name on the Network", readonly=True)
    account_ref = fields.Char(string="Network Account ID", readonly=True, copy=False,
                              help="The network's permanent id of the account (Bluesky: its did).")
    company_id = fields.Many2one(comodel_name="res.company", required=True, index=True,
                                 default=lambda self: self.env.company)
    active = fields.Boolean(default=True, tracking=True)
    state = fields.Selection(selection=[("connected", "Connected"), ("disconnected", "Disconnected")],
                             default="disconnected", required=True, readonly=True, copy=False, tracking=True)
    last_error = fields.Text(readonly=True, copy=False)
    user_id = fields.Many2one(comodel_name="res.users", string="Responsible", domain="[('share', '=', False)]",
                              default=lambda self: self.env.user,
                              help="Told by an activity when the account loses its access.")

    # credentials: Social CRM managers only
    access_token = fields.Char(groups="social_crm.social_crm_group_manager", copy=False,
                               help="Mastodon access token; X OAuth 2.0 user access token; Reddit's current token.")
    refresh_token = fields.Char(groups="social_crm.social_crm_group_manager", copy=False,
                                help="X, Reddit: the OAuth 2.0 refresh token.")
    client_id = fields.Char(groups="social_crm.social_crm_group_manager", copy=False,
                            help="Reddit, X: the OAuth client id of the app.")
    client_secret = fields.Char(groups="social_crm.social_crm_group_manager", copy=False,
                                help="Reddit, X (confidential clients): the OAuth client secret.")
    username = fields.Char(groups="social_crm.social_crm_group_manager", copy=False,
                           help="Reddit script app: the account's user name.")
    password = fields.Char(groups="social_crm.social_crm_group_manager", copy=False,
                           help="Reddit script app: the account's password.")
    app_password = fields.Char(groups="social_crm.social_crm_group_manager", copy=False,
                               help="Bluesky: an app password (Settings > Privacy and security > App passwords).")
    access_jwt = fields.Char(groups="social_crm.social_crm_group_manager", copy=False, readonly=True)
    refresh_jwt = fields.Char(groups="social_crm.social_crm_group_manager", copy=False, readonly=True)

    _sql_constraints = [
        ("network_company_uniq", "unique(network, company_id)", "A company has one account per network."),
    ]

    @api.constrains("network")
    def _check_network(self):
        for account in self:
            if account.network not in self._account_networks():
                raise ValidationError(self.env._("Replies cannot be posted to this network from Odoo."))

    @api.model
    def _account_networks(self):
        """The networks an account can answer on, those of other addons included."""
        return ACCOUNT_NETWORKS

    # ------------------------------------------------------------------ the network's client

    def _get_publisher_class(self):
        """The :class:`~..connectors.publish.Publisher` class of the account's network."""
        self.ensure_one()
        return {
            "mastodon": MastodonPublisher,
            "bluesky": BlueskyPublisher,
            "reddit": RedditPublisher,
            "x": XPublisher,
        }.get(self.network)

    def _publisher_credentials(self):
        account = self.sudo()  # read by the job that posts, never shown
        return {
            "access_token": account.access_token, "refresh_token": account.refresh_token,
            "client_id": account.client_id, "client_secret": account.client_secret,
            "username": account.username, "password": account.password,
            "identifier": account.handle, "app_password": account.app_password,
            "access_jwt": account.access_jwt, "refresh_jwt": account.refresh_jwt, "did": account.account_ref,
        }

    def _get_publisher(self, **options):
        """The client posting this account's replies; ``options``: those of ``Publisher``
        (``timeout``, ``session``). Renewed tokens are stored on the account as they come."""
        self.ensure_one()
        publisher_class = self._get_publisher_class()
        if publisher_class is None:
            raise UserError(self.env._("Replies cannot be posted to %(network)s from Odoo.", network=self.network))
        return publisher_class(
            self._publisher_credentials(), base_url=self.base_url, auth_url=self.auth_url, handle=self.handle,
            account_ref=self.account_ref, allow_private=ALLOW_PRIVATE_SOURCE_URLS.read(self.env),
            save_credentials=self._save_credentials, **options)

    def _save_credentials(self, values):
        fields_map = {"access_token": "access_token", "refresh_token": "refresh_token", "access_jwt": "access_jwt",
                      "refresh_jwt": "refresh_jwt", "did": "account_ref", "handle": "handle"}
        vals = {fields_map[key]: value for key, value in values.items() if key in fields_map and value}
        if vals:
            self.sudo().write(vals)

    @api.model
    def _max_length(self, network):
        """``(length function, limit)`` of the replies on ``network``; None where no account can post."""
        publisher_class = self.new({"network": network})._get_publisher_class() if network else None
        return publisher_class and (publisher_class.length, publisher_class.max_length)

    # ------------------------------------------------------------------ connection

    def action_test_connection(self):
        """Ask the network who the credentials belong to; keep its handle and name."""
        self.ensure_one()
        try:
            identity = self._get_publisher().whoami()
        except PublishError as error:
            # a notification, not an error: the account's new state must be saved
            self._handle_publish_error(error)
            self.sudo().last_error = str(error)
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {"type": "danger", "sticky": True, "message": self.env._(
                    "%(account)s could not connect: %(error)s", account=self.name, error=str(error))},
            }
        self.sudo().write({
            "handle": identity.get("handle") or self.handle, "display_name_network": identity.get("name"),
            "account_ref": identity.get("account_ref") or self.account_ref, "state": "connected",
            "last_error": False,
        })
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"type": "success", "message": self.env._(
                "Connected as %(name)s (%(handle)s).", name=identity.get("name") or identity.get("handle"),
                handle=identity.get("handle"))},
        }

    def _handle_publish_error(self, error):
        """An account whose access is lost is disconnected and its responsible told by an activity."""
        if getattr(error, "auth_lost", False):
            self._mark_disconnected(str(error))

    def _mark_disconnected(self, message):
        accounts = self.sudo()
        newly = accounts.filtered(lambda account: account.state == "connected")
        accounts.write({"state": "disconnected", "last_error": message})
        _logger.warning("Social accounts %s lost their access", accounts.ids)
        for account in newly.filtered("user_id"):
            account.activity_schedule(
                "mail.mail_activity_data_todo", user_id=account.user_id.id,
                summary=self.env._("Reconnect %(account)s", account=account.name),
                note=self.env._("The network refused the account's credentials: %(error)s", error=message))

    @api.model
    def _account_for(self, network, company):
        """The active account of ``network`` of ``company``."""
        return self.search([("network", "=", network), ("company_id", "=", company.id)], limit=1)
