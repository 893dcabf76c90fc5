from odoo import models

from odoo.addons.queue_job.job import identity_exact

from ..jobs import jobs_enabled


class SocialMention(models.Model):
    _inherit = "social.mention"

    def _mention_schedule_after_work(self):
        """The after-work of the batch (series, alerts, points) as a job of its own on the channel
        *root.social.ingest*: the request or poll that stored the mentions ends without waiting for
        it, and the job is queued once per batch (identity key of its mentions)."""
        if not self or not jobs_enabled(self.env):
            return super()._mention_schedule_after_work()
        self.with_delay(identity_key=identity_exact, description=self.env._(
            "After-work of %(count)s new mentions", count=len(self)))._mention_after_work_job()
        return None

    def _mention_after_work_job(self):
        """The job of :meth:`_mention_after_work`, as superuser whoever stored the batch (a webhook's
        public user), on the mentions still there. It runs in one transaction: a worker dying
        half-way leaves nothing done, and the job runs again."""
        mentions = self.sudo().exists()
        mentions._mention_after_work()
        return f"{len(mentions)} mentions"

    def _schedule_delivery(self, when=None):
        """Each reply's delivery as a job of its own on the channel *root.social.deliver*, to run at
        ``when``, queued once (identity key): a retry after a network's refusal is a new job."""
        if not self or not jobs_enabled(self.env):
            return super()._schedule_delivery(when)
        for reply in self:
            reply.with_delay(eta=when, identity_key=identity_exact, description=self.env._(
                "Deliver the reply to %(author)s", author=reply.parent_id.author_handle or "?"))._deliver_job()
        return None

    def _deliver_job(self):
        """The job posting one reply, if it is still queued and due, and not being posted by another
        worker (its row is locked while it is posted): it is never posted twice. The scheduled
        action *Deliver replies* still runs as a safety net for replies whose job was lost."""
        reply = self.sudo()._lock_due_replies(1, among=self.ids)
        if not reply:
            return "not due, sent, or being sent by another worker"
        return "sent" if reply._deliver() else f"not sent: {reply.delivery_state}"

