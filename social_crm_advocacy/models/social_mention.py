from odoo import api, models


class SocialMention(models.Model):
    _inherit = "social.mention"

    def _mention_after_work(self):
        result = super()._mention_after_work()
        self._advocacy_award_mentions(self)
        return result

    @api.model
    def _advocacy_award_mentions(self, mentions):
        """Advocacy actions earned by new mentions, scored as one batch: rules decide the points
        and minimum sentiment, caps and anti-gaming checks apply."""
        # our own replies earn no one points
        candidates = self._advocacy_mention_candidates(mentions._customer_voice().filtered("partner_id"))
        if candidates:
            self.env["social.advocacy.rule"]._award(candidates)

    @api.model
    def _advocacy_mention_candidates(self, mentions):
        """``(partner, action type, mention, date)`` of the actions ``mentions`` (of known partners)
        may earn; an addon adding an action type earned by mentions extends the list:

        - a positive mention (sentiment scored by social_crm_reputation);
        - on a forum, an answer to another customer's mention.
        """
        scored = "sentiment_label" in self._fields
        candidates = []
        for mention in mentions:
            if scored and mention.sentiment_label == "positive":
                candidates.append((mention.partner_id, "positive_mention", mention, mention.posted_at))
            if mention.network == "forum" and mention.parent_id.partner_id:
                candidates.append((mention.partner_id, "community_answer", mention, mention.posted_at))
        return candidates
