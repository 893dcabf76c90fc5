"""Waking up scheduled actions from the hot paths."""


def trigger_cron(env, xmlid, at=None):
    """``env.ref(xmlid).sudo()._trigger(at)``, the scheduled action found by its external id in the
    registry's cache, without the query checking that it still exists (which ``_trigger`` reads
    anyway): ingestion wakes up a job or two for every batch it stores."""
    cron_id = env["ir.model.data"]._xmlid_to_res_id(xmlid, raise_if_not_found=True)
    env["ir.cron"].sudo().browse(cron_id)._trigger(at)
