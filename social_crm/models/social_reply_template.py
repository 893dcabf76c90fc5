import re

from odoo import api, fields, models

# {author}, {name}, {first_name}, {network}: a bare word between braces; anything else is left as written.
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def render_placeholders(text, values):
    """Replace ``{key}`` by ``values[key]``; unknown keys, attribute or index access, format specs
    and stray braces are left untouched (never ``str.format``, which reaches object attributes)."""
    if not text:
        return ""
    return PLACEHOLDER.sub(lambda match: str(values.get(match.group(1), match.group(0))), text)


class SocialReplyTemplate(models.Model):
    """A ready-made answer to a mention; placeholders are filled from the mention."""

    _name = "social.reply.template"
    _inherit = ["social.network.mixin"]
    _description = "Social Reply Template"
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    body = fields.Text(
        required=True, translate=True,
        help="Text of the answer. Placeholders: {author} (handle of the author), {name} (name of the "
             "contact or author) and {network}; other text between braces is kept as written.")
    network = fields.Selection(help="Offered only for mentions of this network; empty: all.")
    purpose = fields.Selection(
        selection=[("question", "Question (price, where to buy…)"), ("complaint", "Complaint"), ("praise", "Praise")],
        help="The mentions it answers best: offered first to those with a buying signal (questions) or "
             "a negative (complaints) or positive (praise) sentiment.")
    lang = fields.Selection(selection="_lang_get", string="Language",
                            help="Language of the text, to pick the template matching the mention.")
    company_id = fields.Many2one(comodel_name="res.company", index=True, default=lambda self: self.env.company)

    @api.model
    def _lang_get(self):
        return self.env["res.lang"].get_installed()

    def _render_values(self, mention):
        labels = dict(mention._fields["network"]._description_selection(self.env))
        return {
            "author": mention.author_handle or "",
            "name": mention.partner_id.name or mention.author_name or mention.author_handle or "",
            "first_name": mention._greeting_name(),
            "network": labels.get(mention.network, mention.network or ""),
        }

    @api.model
    def _rank_for(self, mention):
        """The templates offered for ``mention``, best first: those of its purpose (its buying
        signal, else its sentiment), of its network and language, then the others."""
        purpose = mention._reply_purpose()
        templates = self.search(["|", ("network", "=", False), ("network", "=", mention.network),
                                 "|", ("company_id", "=", False), ("company_id", "=", mention.company_id.id)])
        lang = (mention.lang or "")[:2]
        return templates.sorted(lambda template: (
            template.purpose != purpose if purpose else True, not template.network,
            not (template.lang and lang and template.lang[:2] == lang), template.sequence, template.id))

    def _render_body(self, mention):
        """The body of this template for ``mention``, placeholders filled."""
        self.ensure_one()
        return render_placeholders(self.body, self._render_values(mention))
