import threading

from odoo import api, models

from odoo.addons.queue_job.job import identity_exact
from odoo.addons.social_crm.models.social_mention_import_job import SECONDS_PER_CALL

from ..jobs import jobs_enabled, try_lock, unlock


class SocialMentionImportJob(models.Model):
    _inherit = "social.mention.import.job"

    def _schedule_import(self):
        """One job per import, on the channel *root.social.import*, queued once (identity key)."""
        if not jobs_enabled(self.env):
            return super()._schedule_import()
        for import_job in self:
            import_job.with_delay(identity_key=identity_exact, description=self.env._(
                "Import %(file)s", file=import_job.display_name))._import_job()
        return None

    @api.model
    def _cron_import_mentions(self, seconds=SECONDS_PER_CALL):
        """With the job queue, the hourly run only queues the imports waiting without a job (after a
        restart of everything, say); the jobs do the work."""
        if not jobs_enabled(self.env):
            return super()._cron_import_mentions(seconds=seconds)
        self.search([("state", "in", ("queued", "running"))], order="id")._schedule_import()
        return None

    def _import_job(self):
        """The job importing one file, batch after batch, each committed (its job function allows
        it): a worker dying half-way leaves the batches done, and the job, run again, resumes at
        the stored position. A second job of the same import, while one runs, ends at once."""
        self.ensure_one()
        import_job = self.exists()
        if not import_job:
            return "import deleted"
        auto_commit = not getattr(threading.current_thread(), "testing", False)
        if not try_lock(import_job, session=auto_commit):
            return "imported by another job at this moment"
        try:
            while import_job.state in ("queued", "running"):
                import_job._import_next_batch()
                if auto_commit:
                    self.env.cr.commit()  # pylint: disable=invalid-commit
        finally:
            if auto_commit:
                unlock(import_job)
        return f"{import_job.done_rows} rows, {import_job.created_count} new mentions"
