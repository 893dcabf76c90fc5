import { registry } from "@web/core/registry";

const figure = (name) => `.o_social_overview_figure[data-figure='${name}']`;
const value = (name, text) => `${figure(name)} .o_social_overview_figure_value:contains('${text}')`;

/**
 * A salesperson lands on the Social overview: the service figures of their company, each opening
 * the inbox filtered on what it counts, and the Inbox counter.
 */
registry.category("web_tour.tours").add("social_crm_overview_tour", {
    url: "/odoo/social-overview",
    steps: () => [
        {
            content: "The mentions waiting for an answer",
            trigger: value("unanswered", "2"),
            timeout: 60000, // the first page of a loaded server builds its assets
        },
        { content: "One of them is overdue", trigger: value("overdue", "1") },
        { content: "Two were posted today", trigger: value("today", "2") },
        { content: "The median first response of the week", trigger: value("response", "2 h") },
        { content: "Open the overdue mention", trigger: `button${figure("overdue")}`, run: "click" },
        {
            content: "The inbox shows it, filtered on Overdue",
            trigger: ".o_searchview .o_facet_value:contains('Overdue')",
        },
        { content: "The late mention is listed", trigger: ".o_list_view .o_data_row:contains('tour_overview_late')" },
        {
            content: "and only that one",
            trigger: ".o_list_view:not(:has(.o_data_row:contains('tour_overview_fresh')))",
        },
        { content: "Back to the overview", trigger: ".o_back_button", run: "click" },
        { content: "Open today's mentions", trigger: `button${figure("today")}`, run: "click" },
        { content: "Today's title", trigger: ".o_last_breadcrumb_item:contains('Mentions today')" },
        { content: "The answered one", trigger: ".o_list_view .o_data_row:contains('tour_overview_answered')" },
        { content: "and the fresh one", trigger: ".o_list_view .o_data_row:contains('tour_overview_fresh')" },
        { content: "Back again", trigger: ".o_back_button", run: "click" },
        {
            content: "Open the inbox from its counter",
            trigger: ".o_social_overview_counter[data-counter='inbox']:contains('2')",
            run: "click",
        },
        { content: "The inbox as its menu opens it", trigger: ".o_searchview .o_facet_value:contains('Unanswered')" },
        { content: "with the fresh mention", trigger: ".o_list_view .o_data_row:contains('tour_overview_fresh')" },
        {
            content: "and without the answered one",
            trigger: ".o_list_view:not(:has(.o_data_row:contains('tour_overview_answered')))",
        },
    ],
});
