/* global Chart */
import { registry } from "@web/core/registry";
import { waitUntil as waitFor } from "@odoo/hoot-dom";

// the chart is drawn after the data arrive: give a loaded machine time
const waitUntil = (predicate) => waitFor(predicate, { timeout: 10000 });

/**
 * A manager compares the networks of the brand series: bars, the mentions behind each bar under
 * its name and in its tooltip.
 */
registry.category("web_tour.tours").add("social_reputation_graph_tour", {
    steps: () => [
        {
            content: "The comparison is drawn as bars, one per network",
            trigger: ".o_graph_renderer canvas",
        },
        {
            content: "Point at the first bar",
            trigger: ".o_graph_renderer canvas",
            async run() {
                const canvas = document.querySelector(".o_graph_renderer canvas");
                const chart = await waitUntil(() => {
                    const found = Chart.getChart(canvas);
                    return found?.data.labels.length === 2 && found;
                });
                if (chart.config.type !== "bar") {
                    throw new Error(`a comparison of networks is drawn as ${chart.config.type}, not as bars`);
                }
                const names = chart.scales.x.ticks.map((tick) => [tick.label].flat().join(" / "));
                if (names.join(", ") !== "X (Twitter) / 3 mentions, Mastodon / 2 mentions") {
                    throw new Error(`the bars are not named with their mentions: ${names.join(", ")}`);
                }
                const bar = chart.getDatasetMeta(0).data[0];
                const box = canvas.getBoundingClientRect();
                canvas.dispatchEvent(
                    new MouseEvent("mousemove", {
                        clientX: box.left + bar.x,
                        clientY: box.top + (bar.y + bar.base) / 2,
                        bubbles: true,
                    })
                );
            },
        },
        {
            content: "The tooltip gives the net sentiment with the mentions it rests on",
            trigger: ".o_graph_custom_tooltip:contains('X (Twitter) (3 mentions)'):contains('0.33')",
        },
    ],
});

function chartOf(selector = ".o_graph_renderer canvas") {
    return Chart.getChart(document.querySelector(selector));
}

/**
 * The trend is a line over weeks; grouped by network instead, the same view draws bars.
 */
registry.category("web_tour.tours").add("social_reputation_trend_tour", {
    steps: () => [
        {
            content: "The trend is drawn as a line over weeks",
            trigger: ".o_graph_renderer canvas",
            async run() {
                const chart = await waitUntil(() => chartOf()?.data.labels.length && chartOf());
                if (chart.config.type !== "line") {
                    throw new Error(`the trend is drawn as ${chart.config.type}, not as a line`);
                }
            },
        },
        {
            content: "Open the search options",
            trigger: ".o_control_panel .o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: "Group by network",
            trigger: ".o_group_by_menu .o_menu_item:contains('Network')",
            run: "click",
        },
        {
            content: "Networks are compared as bars, each named with its mentions",
            trigger: ".o_searchview_facet:contains('Network')",
            async run() {
                const chart = await waitUntil(() => {
                    const found = chartOf();
                    return found?.config.type === "bar" && found.data.labels.length === 2 && found;
                });
                const names = chart.scales.x.ticks.map((tick) => [tick.label].flat().join(" / "));
                if (!names.includes("X (Twitter) / 3 mentions")) {
                    throw new Error(`the bars are not named with their mentions: ${names.join(", ")}`);
                }
            },
        },
    ],
});
