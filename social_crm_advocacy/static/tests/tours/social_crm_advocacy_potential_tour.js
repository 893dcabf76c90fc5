import { registry } from "@web/core/registry";

/**
 * A salesperson opens Advocacy › Potential Advocates: the figures read with their units, and
 * Invite opens the invitation e-mail, sent from there.
 */
registry.category("web_tour.tours").add("social_crm_advocacy_potential_tour", {
    url: "/odoo",
    steps: () => [
        {
            content: "Open the apps menu",
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {
            content: "Open the CRM app",
            trigger: ".o_app[data-menu-xmlid='crm.crm_menu_root']",
            run: "click",
        },
        {
            content: "Open the Advocacy menu of the CRM app",
            trigger: ".o_menu_sections button[data-menu-xmlid='social_crm_advocacy.social_crm_advocacy_menu_root']",
            run: "click",
        },
        {
            content: "Go to the potential advocates",
            trigger: ".dropdown-item[data-menu-xmlid='social_crm_advocacy.social_advocacy_potential_menu']",
            run: "click",
        },
        {
            content: "The audience in followers",
            trigger: ".o_data_row:contains('Tour Potential Fan') td[name='reach']:contains('54,000 followers')",
        },
        {
            content: "The mentions counted as mentions",
            trigger: ".o_data_row:contains('Tour Potential Fan') td[name='mention_count']:contains('3 mentions')",
        },
        {
            content: "The potential in whole points",
            trigger: ".o_data_row:contains('Tour Potential Fan') td[name='score']:contains(/^\\s*\\d+ points\\s*$/)",
        },
        {
            content: "Invite the contact",
            trigger: ".o_data_row:contains('Tour Potential Fan') button[name='action_invite']",
            run: "click",
        },
        {
            content: "The invitation is ready to send",
            trigger: ".modal .o_mail_composer_form .o_field_widget[name='subject'] input:value(/advocates/)",
        },
        {
            content: "Send it",
            trigger: ".modal button.o_mail_send",
            run: "click",
        },
        {
            content: "Back on the list",
            trigger: "body:not(:has(.modal)) .o_list_view .o_data_row:contains('Tour Potential Fan')",
        },
    ],
});
