import { Component } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { deserializeDateTime } from "@web/core/l10n/dates";
import { registry } from "@web/core/registry";
import { formatInteger } from "@web/views/fields/formatters";
import { OverviewCard, OverviewFigure } from "./overview_card";

/** A duration given in hours, as people say it: "45 min", "3 h 20 min", "3 days". */
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
    return _t("%(days)s days", { days: Math.floor(minutes / 1440) });
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

    /** "2 h 10 min left", "Overdue by 3 days": the time left to the mention's deadline. */
    dueLabel(mention) {
        const hours = deserializeDateTime(mention.due).diffNow("hours").hours;
        return hours < 0
            ? _t("Overdue by %(time)s", { time: formatHours(-hours) })
            : _t("%(time)s left", { time: formatHours(hours) });
    }

    openMention(mention) {
        return this.props.openAction({
            type: "ir.actions.act_window",
            res_model: "social.mention",
            res_id: mention.id,
            views: [[false, "form"]],
            target: "current",
        });
    }
}

registry.category("social_crm_overview_sections").add("service", { component: ServiceSection }, { sequence: 10 });
