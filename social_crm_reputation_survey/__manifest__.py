{
    "name": "Social CRM Reputation: Surveys",
    "summary": "Social reputation next to the survey answers of the same customers",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "license": "AGPL-3",
    "author": "Social CRM for Odoo contributors",
    "website": "https://github.com/social-crm-odoo/social-crm",
    "development_status": "Alpha",
    "depends": ["social_crm_reputation", "survey"],
    "data": [
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "report/report_reputation_templates.xml",
    ],
    "assets": {
        "web.assets_tests": ["social_crm_reputation_survey/static/tests/tours/*.js"],
    },
    "auto_install": True,
    "installable": True,
}
