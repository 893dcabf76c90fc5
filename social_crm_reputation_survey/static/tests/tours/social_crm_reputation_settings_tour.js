import { registry } from "@web/core/registry";

/**
 * An administrator finds the Social CRM blocks of the CRM settings, sets the webhook body limit and
 * the survey comparison, and saves.
 */
registry.category("web_tour.tours").add("social_crm_reputation_settings_tour", {
    url: "/odoo/action-crm.crm_config_settings_action",
    steps: () => [
        {
            content: "The Social CRM block: the webhook body limit",
            trigger: "#social_crm_webhook_max_bytes .o_field_widget[name='social_crm_webhook_max_bytes'] input",
            run: "edit 900",
            timeout: 30000, // the settings of every app load first
        },
        {
            content: "The reputation block: sentiment thresholds",
            trigger: "#social_crm_sentiment_thresholds .o_field_widget[name='social_crm_positive_threshold'] input",
        },
        {
            content: "Anecdotal figures, the share as a percentage",
            trigger: "#social_crm_anecdotal .o_field_widget[name='social_crm_anecdotal_min_share'] input:value('5')",
        },
        {
            content: "The survey comparison: satisfied from 80 %",
            trigger: "#social_crm_survey_comparison .o_field_widget[name='social_crm_survey_positive_threshold'] input",
            run: "edit 80",
        },
        {
            content: "Compare one survey only",
            trigger: "#social_crm_survey_comparison .o_field_widget[name='social_crm_survey_ids'] input",
            run: "edit Settings tour survey",
        },
        {
            content: "Pick it",
            trigger: ".o-autocomplete--dropdown-menu a:contains('Settings tour survey')",
            run: "click",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            // a new settings record, neither dirty nor just saved: the page was reloaded after the save
            content: "Saved, and shown again after the reload",
            trigger: ".o_form_renderer:not(.o_form_dirty):not(.o_form_saved) #social_crm_survey_comparison .o_field_widget[name='social_crm_survey_ids'] .o_tag:contains('Settings tour survey')",
        },
        {
            content: "The webhook body limit too",
            trigger: "#social_crm_webhook_max_bytes .o_field_widget[name='social_crm_webhook_max_bytes'] input:value('900')",
        },
    ],
});
