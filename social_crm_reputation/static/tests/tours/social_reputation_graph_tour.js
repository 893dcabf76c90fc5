/* global Chart */
import { registry } from "@web/core/registry";
import { waitUntil } from "@odoo/hoot-dom";

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
