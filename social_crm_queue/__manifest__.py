{
    "name": "Social CRM Job Queue",
    "summary": "Polls, the work after each ingested batch, CSV imports and reply deliveries as jobs of "
    "OCA's job queue, spread over every Odoo server and worker on the database",
    "version": "18.0.1.0.1",
    "category": "Sales/CRM",
    "license": "AGPL-3",
    "author": "Social CRM for Odoo contributors",
    "website": "https://github.com/social-crm-odoo/social-crm",
    "development_status": "Alpha",
    "depends": ["social_crm", "queue_job"],
    "data": [
        "data/queue_job_data.xml",
    ],
    "auto_install": True,
    "installable": True,
}
