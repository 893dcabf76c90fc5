"""The survey comparison moved to social_crm_reputation_survey, whose default threshold (70 %) is
in its code: the stored threshold stays as it is, but no longer as data of this addon (which would
delete it when this addon is uninstalled, or overwrite it when the new one is installed)."""


def migrate(cr, version):
    if not version:
        return
    cr.execute("""
        DELETE FROM ir_model_data
         WHERE module = 'social_crm_reputation' AND name = 'config_survey_positive_threshold'
    """)
