"""Response workflow of the inbox: one "Answer mention" activity per mention to answer, due when the
source's response target ends, which follows the assignee and is closed by the answer."""
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import format_datetime

# states in which a mention waits for an answer: an assigned one gets a response activity
TO_ANSWER_STATES = ("new", "to_answer")
# states in which an existing response activity is kept (and follows the assignee)
KEEP_ACTIVITY_STATES = ("new", "to_answer", "escalated")


class SocialMention(models.Model):
    _inherit = "social.mention"

    def write(self, vals):
        result = super().write(vals)
        if "user_id" in vals or "state" in vals:
            self._sync_response_activities()
        return result

    @api.model
    def _ingest_after_create(self, mentions):
        mentions = super()._ingest_after_create(mentions)
        # A batch may hold thousands of mentions for one responsible: the activities are planned
        # without one notification e-mail each (they show in the user's activity menu).
        # New mentions have no activity yet: only the assigned ones need one.
        assigned = mentions.filtered("user_id")
        assigned.with_context(mail_activity_quick_update=True)._sync_response_activities()
        return mentions

    # ------------------------------------------------------------------ activities

    @api.model
    def _response_activity_type(self):
        return (self.env.ref("social_crm.mail_activity_type_social_answer", raise_if_not_found=False)
                or self.env.ref("mail.mail_activity_data_todo"))

    def _response_activity_vals(self, activity_type, model_id):
        """Values of the response activity of this mention, for its assignee."""
        self.ensure_one()
        user = self.user_id
        due = fields.Datetime.now() + timedelta(hours=max(self.source_id.response_hours, 0.0))
        return {
            "res_model_id": model_id,
            "res_id": self.id,
            "activity_type_id": activity_type.id,
            "user_id": user.id,
            "date_deadline": fields.Date.context_today(self.with_context(tz=user.tz or "UTC"), timestamp=due),
            "summary": self.env._("Answer by %(deadline)s",
                                  deadline=format_datetime(self.env, due, tz=user.tz or "UTC", dt_format="short")),
            "automated": True,
        }

    def _response_activities(self):
        """The open response activities of these mentions, in one query."""
        if not self.ids:
            return self.env["mail.activity"]
        return self.env["mail.activity"].search([
            ("res_model", "=", self._name), ("res_id", "in", self.ids),
            ("activity_type_id", "=", self._response_activity_type().id),
        ])

    def _sync_response_activities(self):
        """Make each mention's response activity match its state and assignee, in batch.

        - assigned and new / to answer: exactly one activity, for the assignee (created if missing,
          moved to the new assignee on reassignment);
        - escalated: the existing activity is kept and follows the assignee;
        - answered: the activity is marked as done; ignored or unassigned: it is removed.
        """
        mentions = self.filtered("id")
        if not mentions:
            return
        activity_type = self._response_activity_type()
        Activity = self.env["mail.activity"]
        by_mention = defaultdict(lambda: Activity)
        for activity in mentions._response_activities():
            by_mention[activity.res_id] |= activity
        to_done, to_unlink = Activity, Activity
        moves = defaultdict(lambda: Activity)
        to_create = []
        model_id = self.env["ir.model"]._get_id(self._name)
        for mention in mentions:
            activities = by_mention[mention.id]
            if mention.state == "answered":
                to_done |= activities
            elif mention.state not in KEEP_ACTIVITY_STATES or not mention.user_id:
                to_unlink |= activities
            elif activities:
                to_unlink |= activities[1:]
                if activities[0].user_id != mention.user_id:
                    moves[mention.user_id.id] |= activities[0]
            elif mention.state in TO_ANSWER_STATES:
                to_create.append(mention._response_activity_vals(activity_type, model_id))
        to_unlink.unlink()
        for user_id, activities in moves.items():
            activities.write({"user_id": user_id})
        if to_create:
            Activity.create(to_create)
        if to_done:
            to_done.action_feedback(feedback=self.env._("Mention answered."))

    # ------------------------------------------------------------------ wizards

    def action_reply(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reply"),
            "res_model": "social.mention.reply",
            "view_mode": "form",
            "target": "new",
            "context": {"default_mention_id": self.id},
        }

    def action_take_private(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Take Private"),
            "res_model": "social.mention.take.private",
            "view_mode": "form",
            "target": "new",
            "context": {"default_mention_id": self.id},
        }
