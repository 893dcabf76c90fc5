from odoo import api, models


def forum_comments(messages):
    return messages.filtered(lambda message: message.model == "forum.post" and message.message_type == "comment")


class MailMessage(models.Model):
    _inherit = "mail.message"

    @api.model_create_multi
    def create(self, vals_list):
        messages = super().create(vals_list)
        comments = forum_comments(messages)
        if comments:
            self.env["social.mention"]._social_sync_forum(comments=comments)
        return messages

    def write(self, vals):
        result = super().write(vals)
        if {"body", "is_internal", "subtype_id"} & set(vals):
            comments = forum_comments(self.sudo())
            if comments:  # a comment edited on the forum
                self.env["social.mention"]._social_sync_forum(comments=comments)
        return result

    def unlink(self):
        comments = forum_comments(self.sudo())
        if comments:
            self.env["social.mention"]._social_sync_forum(comments=comments, gone=True)
        return super().unlink()
