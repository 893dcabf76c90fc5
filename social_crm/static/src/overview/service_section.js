import { Component } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { formatInteger } from "@web/views/fields/formatters";
import { OverviewCard, OverviewFigure } from "./overview_card";

/** A duration given in hours, as people say it: "45 min", "3 h 20 min", "2 days 4 h". */
export function formatHours(hours) {
    const minutes = Math.round(hours * 60);
    if (minutes < 60) {
        return _t("%(minutes)s min", { minutes });
    }
    if (minutes < 48 * 60) {
        const rest = minutes % 60;
        const whole = Math.floor(minutes / 60);
        return rest ? _t("%(hours)s h %(minutes)s min", { hours: whole, minutes: rest }) : _t("%(hours)s h", { hours: whole });
    }
    const days = Math.floor(minutes / 1440);
    const rest = Math.round((minutes % 1440) / 60);
    return rest ? _t("%(days)s days %(hours)s h", { days, hours: rest }) : _t("%(days)s days", { days });
}

/** The service team's figures: unanswered, overdue, the median first response, mentions today. */
export class ServiceSection extends Component {
    static template = "social_crm.OverviewServiceSection";
    static components = { OverviewCard, OverviewFigure };
    static props = { data: Object, openAction: Function, reload: Function };

    get service() {
        return this.props.data.service;
    }

    get figures() {
        const { unanswered, overdue, today, response } = this.service;
        return [
            {
                name: "unanswered",
                label: _t("Unanswered"),
                value: formatInteger(unanswered.value),
                tone: unanswered.value ? "primary" : "muted",
                title: _t("Mentions waiting for an answer"),
                action: unanswered.action,
            },
            {
                name: "overdue",
                label: _t("Overdue"),
                value: formatInteger(overdue.value),
                tone: overdue.value ? "danger" : "muted",
                title: _t("Unanswered mentions past their response deadline"),
                action: overdue.action,
            },
            {
                name: "response",
                label: _t("First response (median)"),
                value: response.hours === null ? "–" : formatHours(response.hours),
                detail: response.count
                    ? _t("%(count)s answers, last %(days)s days", {
                          count: formatInteger(response.count),
                          days: response.days,
                      })
                    : _t("No answer in the last %(days)s days", { days: response.days }),
                tone: "body",
                title: _t("Half of the mentions answered in the last %(days)s days were answered faster", {
                    days: response.days,
                }),
                action: response.action,
            },
            {
                name: "today",
                label: _t("Mentions today"),
                value: formatInteger(today.value),
                tone: "body",
                title: _t("Mentions posted today, in your time zone"),
                action: today.action,
            },
        ];
    }
}

registry.category("social_crm_overview_sections").add("service", { component: ServiceSection }, { sequence: 10 });
