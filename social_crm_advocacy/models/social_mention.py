from odoo import api, fields, models

from .social_advocacy_action import DEBIT_TYPES

OVERVIEW_ADVOCATES = 5  # the top advocates of the overview

class SocialMention(models.Model):
    _inherit = "social.mention"

    def _mention_after_work(self):
        result = super()._mention_after_work()
        self._advocacy_award_mentions(self)
        return result

    def _sentiment_changed(self, previous):
        """The team changed the sentiment of these mentions: one that became positive earns what a
        positive mention earns; one that is no longer positive gives its points back (a reversal)."""
        result = super()._sentiment_changed(previous)
        became = self.filtered(lambda mention: mention.sentiment_label == "positive"
                               and previous.get(mention.id) != "positive")
        self._advocacy_award_mentions(became)
        left = self.filtered(lambda mention: mention.sentiment_label != "positive"
                             and previous.get(mention.id) == "positive")
        if left:
            # sudo: the ledger is written by the programme itself; the caller checked the user's rights
            Action = self.env["social.advocacy.action"].sudo()
            earned = Action.search([("mention_id", "in", left.ids), ("action_type", "=", "positive_mention")])
            given_back = Action.search([("reversed_action_id", "in", earned.ids)]).reversed_action_id
            (earned - given_back)._reverse(note=self.env._("The team says the mention is not positive."))
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

    # ------------------------------------------------------------------ overview

    @api.model
    def _get_overview(self, now):
        """The overview's data, and the advocacy's part: ``advocates`` (the top advocates by the points
        they earned over the rolling period of the tiers, 12 months: what they spent on rewards does
        not lower them) and the counter of the redemptions waiting for a manager's approval."""
        data = super()._get_overview(now)
        here = self._overview_company_domain()
        since = self.env["social.advocacy.tier"]._rolling_start()
        groups = self.env["social.advocacy.action"]._read_group(
            here + [("date", ">", since), ("action_type", "not in", DEBIT_TYPES)], ["partner_id"], ["points:sum"],
            having=[("points:sum", ">", 0)], order="points:sum desc, partner_id", limit=OVERVIEW_ADVOCATES)
        data["advocates"] = {
            "since": fields.Date.to_string(since),
            "items": [{"partner_id": partner.id, "name": partner.display_name, "points": points,
                       "tier": partner.advocacy_tier_id.name or False} for partner, points in groups],
            "action": self._overview_action("social_crm_advocacy.social_advocacy_standing_action"),
        }
        data["counters"].append({
            "key": "redemptions", "label": self.env._("Redemptions"), "sequence": 40, "icon": "fa-gift",
            "value": self.env["social.advocacy.redemption"].search_count(here + [("state", "=", "requested")]),
            "help": self.env._("Rewards requested, waiting for a manager's approval"),
            "action": self._overview_action("social_crm_advocacy.social_advocacy_redemption_action"),
        })
        return data
