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
