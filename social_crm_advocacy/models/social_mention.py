from odoo import api, models


class SocialMention(models.Model):
    _inherit = "social.mention"

    def _mention_after_create(self):
        super()._mention_after_create()
        self._advocacy_award_mentions(self)

    @api.model
    def _advocacy_award_mentions(self, mentions):
        """Advocacy actions earned by new mentions, scored as one batch.

        - a positive mention (sentiment scored by social_crm_reputation) of a known partner;
        - on a forum, an answer to another customer's mention.
        Rules decide the points and minimum sentiment, caps and anti-gaming checks apply.
        """
        scored = "sentiment_label" in self._fields
        candidates = []
        for mention in mentions.filtered("partner_id"):
            if scored and mention.sentiment_label == "positive":
                candidates.append((mention.partner_id, "positive_mention", mention, mention.posted_at))
            if mention.network == "forum" and mention.parent_id.partner_id:
                candidates.append((mention.partner_id, "community_answer", mention, mention.posted_at))
        if candidates:
            self.env["social.advocacy.rule"]._award(candidates)
