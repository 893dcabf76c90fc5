import re

from odoo import models

MENTION_CHANNEL = re.compile(r"social\.mention_(\d+)")


class IrWebsocket(models.AbstractModel):
    _inherit = "ir.websocket"

    def _build_bus_channel_list(self, channels):
        return super()._build_bus_channel_list(self._social_mention_channels(channels))

    def _social_mention_channels(self, channels):
        """``channels`` with each ``social.mention_<id>`` (the channel a mention's form subscribes to,
        to see live who else views or answers it) replaced by that mention's own channel, for the
        users who may read it; the mentions they may not read are left out."""
        channels = list(channels)  # the caller's list stays as it was
        mention_ids = []
        for channel in list(channels):
            match = isinstance(channel, str) and MENTION_CHANNEL.fullmatch(channel)
            if match:
                channels.remove(channel)
                mention_ids.append(int(match[1]))
        Mention = self.env["social.mention"]
        if mention_ids and self.env.uid and Mention.has_access("read"):
            channels.extend(Mention.search([("id", "in", mention_ids)]))  # record rules apply
        return channels
