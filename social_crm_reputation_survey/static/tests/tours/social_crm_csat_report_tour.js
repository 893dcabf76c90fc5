import { registry } from "@web/core/registry";

/**
 * A manager opens the satisfaction report from the CRM's reporting menu: the pivot by source and
 * week with the CSAT, its interval and the anecdotal flag, then the weekly graph.
 */
registry.category("web_tour.tours").add("social_crm_csat_report_tour", {
    url: "/odoo",
    steps: () => [
        {
            content: "Open the apps menu",
            trigger: ".o_navbar_apps_menu button",
            run: "click",
            timeout: 30000,
        },
        {
            content: "Open the CRM app",
            trigger: ".o_app[data-menu-xmlid='crm.crm_menu_root']",
            run: "click",
        },
        {
            content: "Reporting",
            trigger: ".o_menu_sections button[data-menu-xmlid='crm.crm_menu_report']",
            run: "click",
        },
        {
            content: "Social Satisfaction (CSAT)",
            trigger: ".dropdown-item[data-menu-xmlid='social_crm_reputation_survey.social_mention_csat_report_menu']",
            run: "click",
        },
        {
            content: "The pivot: a row per source",
            trigger: ".o_pivot tbody th:contains('CSAT tour source')",
        },
        {
            content: "The CSAT and its interval",
            trigger: ".o_pivot .o_pivot_measure_row:contains('CSAT (95 % low')",
        },
        {
            content: "The anecdotal flag",
            trigger: ".o_pivot .o_pivot_measure_row:contains('Anecdotal')",
        },
        {
            content: "The graph view",
            trigger: ".o_switch_view.o_graph",
            run: "click",
        },
        {
            content: "The CSAT by week",
            trigger: ".o_graph_renderer canvas",
        },
    ],
});
