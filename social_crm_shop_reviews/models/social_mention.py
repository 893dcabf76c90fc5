from odoo import api, fields, models
from odoo.tools import html2plaintext

MAX_REVIEW_CHARS = 50_000
STAR_LABELS = [("positive", "Positive"), ("neutral", "Neutral"), ("negative", "Negative")]


def star_label(stars):
    """The customer's own sentiment label: 4 or 5 stars positive, 3 neutral, 1 or 2 negative."""
    if not stars:
        return False
    return "positive" if stars >= 4 else "neutral" if stars == 3 else "negative"


class SocialMention(models.Model):
    _inherit = "social.mention"

    review_rating_id = fields.Many2one(
        comodel_name="rating.rating", string="Shop Review", readonly=True, index="btree_not_null",
        ondelete="cascade", groups="base.group_user",
        help="The product review of the online shop this mention is.")
    review_stars = fields.Integer(string="Stars", readonly=True, aggregator="avg",
                                  help="The stars given by the customer, from 1 to 5.")
    review_stars_display = fields.Char(string="Stars Given", compute="_compute_review_stars_display")
    review_label = fields.Selection(
        selection=STAR_LABELS, string="Stars Say", readonly=True, index="btree_not_null",
        help="The customer's own sentiment: 4 or 5 stars positive, 3 neutral, 1 or 2 negative.")
    review_verified_buyer = fields.Boolean(
        string="Verified Buyer", readonly=True,
        help="The reviewer's company had a confirmed sales order of this product before the review.")

    _sql_constraints = [
        ("review_rating_uniq", "unique(review_rating_id)", "A shop review is one mention."),
    ]

    @api.depends("review_stars")
    def _compute_review_stars_display(self):
        for mention in self:
            stars = min(max(mention.review_stars, 0), 5)
            mention.review_stars_display = "★" * stars + "☆" * (5 - stars) if stars else False

    @api.model
    def _social_sync_shop_reviews(self, ratings):
        """Make the mentions of ``ratings`` (any ``rating.rating``) follow them: a published product
        review with text is one mention, created or updated; anything else has none.

        Reviews without text are not mentions (nothing was said: the stars stay on the product);
        an internal note with a rating is not a review. The author is the rating's customer, linked
        directly, unless they opted out of social listening.
        """
        ratings = ratings.sudo().exists().filtered(lambda rating: rating.res_model == "product.template")
        if not ratings:
            return self.browse()
        Mention = self.sudo()
        existing = {mention.review_rating_id: mention
                    for mention in Mention.search([("review_rating_id", "in", ratings.ids)])}
        wanted = {rating: self._shop_review_text(rating) for rating in ratings}  # full texts
        wanted = {rating: text for rating, text in wanted.items()
                  if text and rating.consumed and not rating.is_internal and rating.rating >= 1}
        products = self.env["product.template"].sudo().browse({rating.res_id for rating in wanted}).exists()
        wanted = {rating: text for rating, text in wanted.items() if rating.res_id in products.ids}

        drop_opted_out = self.env["ir.config_parameter"].sudo().get_param("social_crm.opt_out_policy") == "drop"
        public = self.env.ref("base.public_partner", raise_if_not_found=False)
        verified = self._shop_review_buyers(wanted)
        companies = {rating: products.browse(rating.res_id).company_id or self.env.company for rating in wanted}
        sources = self.env["social.source"]._shop_review_sources(
            self.env["res.company"].union(*companies.values()) if companies else self.env["res.company"])
        base_url = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "").rstrip("/")

        to_create, stale = [], Mention.browse()
        for rating, mention in existing.items():
            if rating not in wanted:
                stale |= mention
        for rating, text in wanted.items():
            partner = rating.partner_id if rating.partner_id != public else rating.partner_id.browse()
            if partner.social_opt_out:
                if drop_opted_out:
                    stale |= existing.get(rating, Mention)
                    continue
                partner = partner.browse()
            product = products.browse(rating.res_id)
            stars = round(rating.rating)
            vals = {
                "partner_id": partner.id,
                "author_handle": partner.display_name or self.env._("Unknown author"),
                "author_name": partner.name or False,
                "body": text[:MAX_REVIEW_CHARS],
                "body_truncated": len(text) > MAX_REVIEW_CHARS,
                "review_stars": stars,
                "review_label": star_label(stars),
                "review_verified_buyer": (partner.commercial_partner_id.id, product.id) in verified,
                "product_id": product.id,
                "posted_at": (rating.message_id.date or rating.create_date or fields.Datetime.now()).replace(
                    microsecond=0),
            }
            mention = existing.get(rating)
            if mention:
                changed = {fname: value for fname, value in vals.items()
                           if mention._fields[fname].convert_to_write(mention[fname], mention) != value}
                if changed:
                    mention.write(changed)
                continue
            vals.update({
                "source_id": sources[companies[rating]].id,
                "company_id": companies[rating].id,
                "network": "review",
                "external_id": f"rating-{rating.id}",
                "review_rating_id": rating.id,
                "url": f"{base_url}{product.website_url}" if product.website_url else False,
            })
            to_create.append(vals)
        stale.unlink()
        return Mention.create(to_create) if to_create else Mention

    @api.model
    def _shop_review_text(self, rating):
        """What the customer wrote: the review's message as shown on the site (it may have been
        edited since), else the rating's own feedback, as plain text."""
        text = html2plaintext(rating.message_id.body) if rating.message_id.body else rating.feedback or ""
        return text.replace("\x00", "").strip()

    @api.model
    def _shop_review_buyers(self, ratings):
        """``{(commercial partner id, product template id)}`` of the reviewers who had a confirmed
        order of the reviewed product before their review, for every rating at once."""
        pairs = {(rating.partner_id.commercial_partner_id.id, rating.res_id): rating.create_date
                 for rating in ratings if rating.partner_id}
        if not pairs:
            return set()
        lines = self.env["sale.order.line"].sudo()._read_group(
            [("state", "=", "sale"),
             ("product_id.product_tmpl_id", "in", list({product for _partner, product in pairs})),
             ("order_partner_id.commercial_partner_id", "in", list({partner for partner, _product in pairs}))],
            ["order_partner_id", "product_id"], ["order_id:recordset"])
        first_order = {}
        for partner, variant, orders in lines:
            key = (partner.commercial_partner_id.id, variant.product_tmpl_id.id)
            for date in orders.mapped("date_order"):
                if date and (key not in first_order or date < first_order[key]):
                    first_order[key] = date
        return {key for key, reviewed_at in pairs.items()
                if key in first_order and (not reviewed_at or first_order[key] <= reviewed_at)}
