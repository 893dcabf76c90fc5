from datetime import timedelta

from markupsafe import Markup

from odoo import fields
from odoo.tests import new_test_user, tagged

from odoo.addons.social_crm.tests.common import SocialCrmCase
from odoo.addons.social_crm_reputation.lib.stats import wilson_interval

from .. import post_init_hook

POSITIVE = "I love this lamp, the light is wonderful and the quality is great."
NEGATIVE = "Terrible lamp, it broke after two days and the support was awful."
NEUTRAL = "The lamp arrived on Tuesday in a cardboard box with the manual."


@tagged("social_crm_shop_reviews", "post_install", "-at_install")
class TestShopReviews(SocialCrmCase):
    """Product reviews posted as the shop posts them (a rated message on the product) become mentions."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lamp = cls.env["product.template"].create({"name": "Aurora lamp", "list_price": 80.0, "sale_ok": True})
        cls.users = {}
        for login, name in (("ann", "Ann Buyer"), ("bob", "Bob Browser"), ("carl", "Carl Quoted")):
            cls.users[login] = new_test_user(cls.env, login=f"review_{login}", name=name, groups="base.group_portal",
                                             email=f"{login}@reviews.example.com")
        cls.ann, cls.bob, cls.carl = (cls.users[login].partner_id for login in ("ann", "bob", "carl"))
        order = cls.env["sale.order"].create({
            "partner_id": cls.ann.id,
            "order_line": [(0, 0, {"product_id": cls.lamp.product_variant_id.id, "product_uom_qty": 1})],
        })
        order.action_confirm()
        order.date_order = fields.Datetime.now() - timedelta(days=10)
        cls.env["sale.order"].create({  # a quotation only: not a purchase
            "partner_id": cls.carl.id,
            "order_line": [(0, 0, {"product_id": cls.lamp.product_variant_id.id, "product_uom_qty": 1})],
        })

    def review(self, login, body, stars, product=None):
        """What the shop's review form does: the customer posts a rated message on the product."""
        product = (product or self.lamp).with_user(self.users[login]).sudo()
        return product.message_post(body=Markup(body), rating_value=stars, message_type="comment",
                                    subtype_xmlid="mail.mt_comment")

    def mention_of(self, message):
        return self.env["social.mention"].search([("review_rating_id", "in", message.sudo().rating_ids.ids)])

    def test_review_of_a_buyer_is_a_mention_of_the_product(self):
        message = self.review("ann", f"<p>{POSITIVE}</p>", 5)
        mention = self.mention_of(message)
        rating = message.sudo().rating_ids
        self.assertEqual(len(mention), 1)
        self.assertEqual(
            (mention.source_id.source_type, mention.network, mention.external_id, mention.partner_id,
             mention.author_handle, mention.author_name, mention.body, mention.product_id),
            ("shop_reviews", "review", f"rating-{rating.id}", self.ann, "Ann Buyer", "Ann Buyer", POSITIVE,
             self.lamp))
        self.assertEqual((mention.review_stars, mention.review_stars_display, mention.review_label,
                          mention.review_verified_buyer), (5, "★★★★★", "positive", True))
        self.assertEqual(mention.sentiment_label, "positive")
        self.assertEqual(mention.posted_at, message.date, "the date the review shows")
        self.assertTrue(mention.url.endswith(self.lamp.website_url))
        self.assertEqual(mention.company_id, self.env.company)
        self.assertEqual(mention.source_id.network, "review")

        self.ann.action_recompute_social_reputation()
        self.assertEqual(self.ann.social_reputation_evidence, 1, "the reputation counts the review")

    def test_verified_only_for_a_confirmed_order(self):
        bob = self.mention_of(self.review("bob", NEUTRAL, 3))
        carl = self.mention_of(self.review("carl", NEUTRAL, 4))
        self.assertEqual((bob.partner_id, bob.review_verified_buyer), (self.bob, False))
        self.assertEqual((carl.partner_id, carl.review_verified_buyer, carl.review_label),
                         (self.carl, False, "positive"))

    def test_edits_and_deletions_followed(self):
        message = self.review("ann", POSITIVE, 5)
        mention = self.mention_of(message)
        message.sudo().write({"body": f"<p>{NEGATIVE}</p>"})  # the customer edits the review
        self.assertEqual((mention.body, mention.sentiment_label), (NEGATIVE, "negative"))
        message.sudo().rating_ids.rating = 1
        self.assertEqual((mention.review_stars, mention.review_label), (1, "negative"))
        message.sudo().unlink()
        self.assertFalse(mention.exists())

    def test_reviews_that_are_no_mentions(self):
        stars_only = self.review("bob", "", 4)
        self.assertTrue(stars_only.sudo().rating_ids, "the stars stay on the product")
        self.assertFalse(self.mention_of(stars_only), "nothing was said")
        note = self.lamp.message_post(body=NEGATIVE, rating_value=1, message_type="comment",
                                      subtype_xmlid="mail.mt_note", is_internal=True)
        self.assertTrue(note.is_internal)
        self.assertFalse(self.mention_of(note), "an internal note is no review")
        heavy = self.review("bob", "<div><h1>Big</h1><p>" + "<b>Great</b> lamp! " * 5000 + "</p>"
                                   "<img src='/web/image/1'/></div>", 5)
        mention = self.mention_of(heavy)
        self.assertTrue(mention.body.startswith("**Big** *Great* lamp!"), mention.body[:40])
        self.assertNotIn("<", mention.body)
        self.assertEqual((len(mention.body), mention.body_truncated), (50_000, True))

    def test_opted_out_customer(self):
        self.bob.social_opt_out = True
        mention = self.mention_of(self.review("bob", POSITIVE, 5))
        self.assertEqual((bool(mention), mention.partner_id), (True, self.env["res.partner"]))
        self.env["ir.config_parameter"].sudo().set_param("social_crm.opt_out_policy", "drop")
        self.assertFalse(self.mention_of(self.review("bob", NEGATIVE, 1)))

    def test_reviews_written_before_the_install(self):
        message = self.review("ann", POSITIVE, 4)
        self.mention_of(message).unlink()
        post_init_hook(self.env)
        self.assertEqual(self.mention_of(message).review_stars, 4)
        post_init_hook(self.env)
        self.assertEqual(len(self.mention_of(message)), 1, "once")

    def test_agreement_with_the_stars(self):
        for login, text, stars in [
            ("ann", POSITIVE, 5), ("bob", NEGATIVE, 1), ("carl", NEUTRAL, 3),  # the engine agrees
            ("ann", NEGATIVE, 5), ("bob", POSITIVE, 2),                          # it does not
            ("carl", "Cette lampe est vraiment magnifique, je la recommande à tous mes amis.", 5),
        ]:
            self.review(login, text, stars)
        mentions = self.env["social.mention"].search([("review_label", "!=", False), ("product_id", "=", self.lamp.id)])
        self.assertEqual(sorted(mentions.mapped("sentiment_label")),
                         ["negative", "negative", "neutral", "positive", "positive", "unscored"])
        self.env["social.mention"].search([("review_label", "!=", False), ("product_id", "!=", self.lamp.id)]).unlink()
        Agreement = self.env["social.review.agreement"]
        rows = Agreement._read_group([], ["lang"], ["review_count:sum", "scored_count:sum", "agree_count:sum",
                                                     "accuracy:avg", "accuracy_low:avg", "accuracy_high:avg"])
        by_lang = {lang: tuple(figures) for lang, *figures in rows}
        self.assertEqual(set(by_lang), {"en", "fr"})
        reviews, scored, agree, accuracy, low, high = by_lang["en"]
        self.assertEqual((reviews, scored, agree), (5, 5, 3))
        self.assertAlmostEqual(accuracy, 0.6)
        expected_low, expected_high = wilson_interval(3, 5)
        self.assertAlmostEqual(low, expected_low, places=6)
        self.assertAlmostEqual(high, expected_high, places=6)
        self.assertEqual(by_lang["fr"][:3], (1, 0, 0))
        self.assertFalse(by_lang["fr"][3], "no accuracy without a scored review")
        # the confusion matrix: stars against engine
        cells = {(stars, engine): count for stars, engine, count
                 in Agreement._read_group([], ["star_label", "engine_label"], ["review_count:sum"])}
        self.assertEqual(cells, {("positive", "positive"): 1, ("negative", "negative"): 1, ("neutral", "neutral"): 1,
                                 ("positive", "negative"): 1, ("negative", "positive"): 1,
                                 ("positive", "unscored"): 1})
        # the team's corrections of the sentiment leave the engine's measure against the stars as it was
        mentions.filtered(lambda mention: mention.review_label != mention.sentiment_label
                          and mention.sentiment_label != "unscored").action_sentiment_neutral()
        self.assertEqual(Agreement._read_group([("lang", "=", "en")], [], ["agree_count:sum"]), [(3,)])
        self.assertEqual(cells, {(stars, engine): count for stars, engine, count
                                 in Agreement._read_group([], ["star_label", "engine_label"], ["review_count:sum"])})
        # a user of another company sees none of it
        other = self.env["res.company"].create({"name": "Other shop"})
        outsider = new_test_user(self.env, login="review_outsider", groups="social_crm.social_crm_group_user",
                                 company_id=other.id, company_ids=[(6, 0, other.ids)])
        self.assertFalse(Agreement.with_user(outsider).search([]))

    def test_agreement_on_the_reputation_report(self):
        self.env["social.mention"].search([("review_label", "!=", False)]).unlink()
        self.review("ann", POSITIVE, 5)
        self.review("bob", POSITIVE, 1)
        today = fields.Date.context_today(self.env.user)
        Report = self.env["report.social_crm_reputation.report_reputation"]
        agreement = Report._reputation_figures(today - timedelta(days=7), today, self.env.company)["review_agreement"]
        low, high = wilson_interval(1, 2)
        self.assertAlmostEqual(agreement.pop("low"), low, places=9)
        self.assertAlmostEqual(agreement.pop("high"), high, places=9)
        self.assertEqual(agreement, {"reviews": 2, "scored": 2, "agree": 1, "accuracy": 0.5})
        wizard = self.env["social.reputation.report.wizard"].create(
            {"date_from": today - timedelta(days=7), "date_to": today})
        html = self.env["ir.actions.report"]._render_qweb_html(
            "social_crm_reputation.action_report_reputation", wizard.ids)[0].decode()
        self.assertIn("agrees with the stars for 1:", str(html))
        self.assertIn("On the 2 shop reviews", str(html), "counts shown as whole numbers")
        self.assertIn("50.0 %", str(html))
        self.assertFalse(Report._reputation_figures(today - timedelta(days=400), today - timedelta(days=300),
                                                    self.env.company)["review_agreement"])

    def test_merged_customer(self):
        duplicate = self.env["res.partner"].create(
            {"name": "Ann B. (duplicate)", "email": "ann.dup@reviews.example.com"})
        rating = self.env["rating.rating"].create({
            "res_model_id": self.env["ir.model"]._get_id("product.template"), "res_id": self.lamp.id,
            "partner_id": duplicate.id, "rating": 5, "feedback": POSITIVE, "consumed": True})
        mention = self.env["social.mention"].search([("review_rating_id", "=", rating.id)])
        self.assertEqual((mention.partner_id, mention.review_verified_buyer), (duplicate, False))
        self.env["base.partner.merge.automatic.wizard"]._merge((duplicate | self.ann).ids, self.ann)
        self.assertFalse(duplicate.exists())
        self.assertEqual((mention.partner_id, rating.partner_id), (self.ann, self.ann))
        self.assertTrue(mention.review_verified_buyer, "the merged contact bought the lamp")
        self.assertEqual(self.env["social.mention"].search_count([("review_rating_id", "=", rating.id)]), 1)
