from odoo import api, fields, models

from ..connectors import ALLOW_PRIVATE_PARAM
from ..tools.settings import Setting

ALLOW_PRIVATE_SOURCE_URLS = Setting(ALLOW_PRIVATE_PARAM, bool, False)
OPT_OUT_POLICIES = [
    ("unlinked", "Store them without the contact"),
    ("drop", "Do not store them"),
]
OPT_OUT_POLICY = Setting("social_crm.opt_out_policy", str, "unlinked",
                         choices=[code for code, _label in OPT_OUT_POLICIES])
WEBHOOK_MAX_BYTES = Setting("social_crm.webhook_max_bytes", int, 1_048_576, minimum=1)
STREAM_STALL_SECONDS = Setting("social_crm.stream_stall_seconds", float, 60.0, minimum=1)
REPLY_APPROVAL = Setting("social_crm.reply_approval", bool, False)
RESPONSE_TARGET_HOURS = Setting("social_crm.response_target_hours", float, 8.0, positive=True, maximum=10_000)


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    social_crm_allow_private_source_urls = ALLOW_PRIVATE_SOURCE_URLS.field(
        fields.Boolean, string="Private Source Addresses",
        help="Let sources reach addresses on loopback, private, link-local or carrier-grade NAT networks "
             "(a feed on the intranet, a test server), for every source of the database. Never needed for "
             "public networks; leave it off otherwise, so that a source cannot probe the server's own network.")
    social_crm_opt_out_policy = OPT_OUT_POLICY.field(
        fields.Selection, selection=OPT_OUT_POLICIES, string="Mentions of Opted-out Contacts",
        help="Mentions written by contacts who opted out of social listening are either stored without "
             "any link to the contact, or not stored at all.")
    social_crm_webhook_max_bytes = WEBHOOK_MAX_BYTES.field(
        fields.Integer, string="Largest Webhook Body",
        help="Size in bytes of the largest body the webhook accepts (1 MiB = 1048576 bytes); larger ones "
             "are refused with status 413 before anything is read.")
    social_crm_stream_stall_seconds = STREAM_STALL_SECONDS.field(
        fields.Float, string="Silent Stream Timeout",
        help="Seconds without any frame (posts or heartbeats) after which the social-stream command takes "
             "a live connection for dead and opens a new one (read when the command starts).")
    social_crm_response_target_hours = RESPONSE_TARGET_HOURS.field(
        fields.Float, string="Response Target",
        help="Business hours allowed to answer a mention, counted on the working hours of the source's sales "
             "team (else of the company) from the time it was posted, leaves excluded. A sales team may set "
             "its own target.")

    social_crm_reply_approval = REPLY_APPROVAL.field(
        fields.Boolean, string="Reply Approval",
        help="Replies written by users who may not publish (Social CRM managers may; give others the right "
             "\"Publish replies without approval\") wait for a manager's approval before they are posted on "
             "the network.")

    def _valid_field_parameter(self, field, name):
        # the Setting a field of the screen is made from (Setting.field)
        return name == "social_setting" or super()._valid_field_parameter(field, name)

    @api.model
    def _social_crm_settings(self):
        """``[(field name, Setting)]`` of the fields of this screen made by :meth:`Setting.field`."""
        return [(name, field.social_setting) for name, field in self._fields.items()
                if getattr(field, "social_setting", None)]

    def get_values(self):
        values = super().get_values()
        # read as the addons read them: "False" is false, a bad value shows its default (Odoo shows 0)
        for name, setting in self._social_crm_settings():
            values[name] = setting.read(self.env, strict=False)
        return values

    def set_values(self):
        settings = self._social_crm_settings()
        for name, setting in settings:
            setting.check(self.env, self[name], self._fields[name].string)
        result = super().set_values()
        params = self.env["ir.config_parameter"].sudo()
        for name, setting in settings:
            # Odoo removes the parameter of a number set to 0, which would then read as its default
            if setting.kind in (int, float) and self[name] == 0:
                params.set_param(setting.key, "0")
        return result
