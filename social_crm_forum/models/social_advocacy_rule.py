from odoo import api, models


class SocialAdvocacyRule(models.Model):
    _inherit = "social.advocacy.rule"

    @api.model
    def _forum_vote_mention(self, record):
        """The mention of the post a forum vote is on (rules on a network or source go by it)."""
        return record.sudo().post_id.social_mention_ids[:1]

    def _matches(self, record, company):
        if record and record._name == "forum.post.vote":
            record = self._forum_vote_mention(record)
        return super()._matches(record, company)

    @api.model
    def _award_company(self, record):
        if record and record._name == "forum.post.vote":
            return self._forum_vote_mention(record).company_id or self.env.company
        return super()._award_company(record)

    @api.model
    def _award_origin_vals(self, record):
        if record and record._name == "forum.post.vote":
            return {"mention_id": False, "sale_order_id": False, "forum_vote_id": record.id}
        return {**super()._award_origin_vals(record), "forum_vote_id": False}

    @api.model
    def _forum_internal(self, partner):
        """Whether ``partner`` is an employee (an internal user): the company does not reward its staff."""
        return any(not user.share for user in partner.sudo().with_context(active_test=False).user_ids)

    @api.model
    def _award_check_community_answer(self, partner, record):
        """On the website forum, a community answer is an answer (not a comment) by a customer to
        the question of another customer: not their own question, not by or to an employee."""
        post = record.sudo().forum_post_id if record and record._name == "social.mention" else False
        if record and record._name == "social.mention" and (post or record.sudo().forum_message_id):
            if not post or not post.parent_id:
                return "not an answer"
            if self._forum_internal(partner) or self._forum_internal(record.parent_id.partner_id):
                return "employee"
        return super()._award_check_community_answer(partner, record)

    @api.model
    def _award_check_accepted_answer(self, partner, record):
        """An accepted answer: the answer of a customer to another's question, accepted on the forum."""
        post = record.sudo().forum_post_id if record and record._name == "social.mention" else False
        if not post or not post.parent_id or not post.is_correct:
            return "not an accepted answer"
        if post.parent_id.create_uid.partner_id.commercial_partner_id == partner.commercial_partner_id:
            return "self-dealing"  # answered and accepted their own question
        if self._forum_internal(partner):
            return "employee"
        return None

    @api.model
    def _award_check_upvote_received(self, partner, record):
        """An upvote received: another customer upvoted the author's post."""
        if not record or record._name != "forum.post.vote" or record.vote != "1":
            return "not an upvote"
        voter = record.sudo().user_id.partner_id
        if voter.commercial_partner_id == partner.commercial_partner_id:
            return "self-dealing"
        if self._forum_internal(partner):
            return "employee"
        return None
