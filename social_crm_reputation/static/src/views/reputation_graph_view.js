import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { sortBy } from "@web/core/utils/arrays";
import { graphView } from "@web/views/graph/graph_view";
import { GraphModel } from "@web/views/graph/graph_model";
import { GraphRenderer } from "@web/views/graph/graph_renderer";

const VOLUME = "mention_count";

/**
 * The brand series' graph: each point also knows the mentions it rests on, so that a ratio (net
 * sentiment of a network, a week...) is never shown without its volume.
 */
export class ReputationGraphModel extends GraphModel {
    setup(params) {
        super.setup(...arguments);
        this.volumes = new WeakMap(); // point's domain (kept as is by the chart data) -> mentions
        // a line joins points in time only: grouped by a category first (network, product,
        // team), the view draws bars, unless a chart type was picked in the view
        this.lineOverTime = params.mode === "line";
    }

    async load(searchParams) {
        await super.load(searchParams);
        if (this.lineOverTime) {
            const { fields, groupBy } = this.metaData;
            const first = groupBy[0];
            const overTime = !first || ["date", "datetime"].includes(fields[first.fieldName]?.type);
            const mode = overTime ? "line" : "bar";
            if (mode !== this.metaData.mode) {
                this.metaData = { ...this.metaData, mode };
                this._prepareData();
            }
        }
    }

    async updateMetaData(params) {
        if ("mode" in params) {
            this.lineOverTime = false;
        }
        return super.updateMetaData(params);
    }

    async _loadDataPoints(metaData) {
        const dataPoints = await super._loadDataPoints(metaData);
        const { domains, groupBy, measure, resModel } = metaData;
        if (measure === VOLUME || !dataPoints.length) {
            return dataPoints;
        }
        // one read per compared period, grouped as the points are
        const readings = await Promise.all(
            domains.map((domain) =>
                this.orm.webReadGroup(
                    resModel,
                    domain.arrayRepr,
                    [`${VOLUME}:sum`],
                    groupBy.map((gb) => gb.spec),
                    { lazy: false, context: { fill_temporal: true, ...this.searchParams.context } }
                )
            )
        );
        const byIdentifier = readings.map(
            (reading) =>
                new Map(
                    reading.groups.map((group) => [
                        JSON.stringify(groupBy.map((gb) => ({ [gb.spec]: group[gb.spec] }))),
                        group[VOLUME] || 0,
                    ])
                )
        );
        for (const dataPoint of dataPoints) {
            const volume = byIdentifier[dataPoint.originIndex].get(dataPoint.identifier) || 0;
            this.volumes.set(dataPoint.domain, volume);
        }
        return dataPoints;
    }
}

export class ReputationGraphRenderer extends GraphRenderer {
    getLineChartData() {
        // straight segments: a curve between two weeks would draw figures no mention gave
        const data = super.getLineChartData();
        for (const dataset of data.datasets) {
            dataset.cubicInterpolationMode = "default";
            dataset.tension = 0;
        }
        return data;
    }

    getScaleOptions() {
        // bars of categories (networks, products, teams): their mentions under each name
        const options = super.getScaleOptions();
        const { fields, groupBy, mode, domains } = this.model.metaData;
        const first = groupBy[0];
        if (
            mode !== "bar" ||
            !options.x ||
            !first ||
            domains.length > 1 ||
            ["date", "datetime"].includes(fields[first.fieldName]?.type)
        ) {
            return options;
        }
        const label = options.x.ticks.callback;
        options.x.ticks.callback = (value, index) => {
            const volumes = this.model.data.datasets
                .map((dataset) => this.model.volumes.get(dataset.domains?.[index]))
                .filter((volume) => volume !== undefined);
            if (!volumes.length) {
                return label(value, index);
            }
            const count = volumes.reduce((total, volume) => total + volume, 0);
            return [label(value, index), _t("%(count)s mentions", { count })];
        };
        return options;
    }

    getTooltipItems(data, metaData, tooltipModel) {
        const items = super.getTooltipItems(data, metaData, tooltipModel);
        // the same order as the items: the points sorted by value
        const points = sortBy(tooltipModel.dataPoints, "raw", "desc");
        points.forEach((point, index) => {
            const dataset = data.datasets[point.datasetIndex];
            const volume = dataset && this.model.volumes.get(dataset.domains[point.dataIndex]);
            if (volume !== undefined && items[index]) {
                items[index].label = _t("%(label)s (%(count)s mentions)", {
                    label: items[index].label,
                    count: volume,
                });
            }
        });
        return items;
    }
}

export const reputationGraphView = {
    ...graphView,
    Model: ReputationGraphModel,
    Renderer: ReputationGraphRenderer,
};

registry.category("views").add("social_reputation_graph", reputationGraphView);
