import { Component, onWillStart, useState } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { Layout } from "@web/search/layout";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";

/**
 * The Social CRM overview: counters, then the sections of the addons installed, all from ONE call of
 * ``social.mention.get_overview_data()``. Each addon adds its figures to that method's answer (Python
 * inheritance) and its section to the registry category ``social_crm_overview_sections``: a
 * component given ``data`` (the whole answer), ``openAction(action)`` and ``reload()``, rendering one
 * or more Bootstrap columns of the page's row (``col-12 col-xl-6`` for a half-width card).
 */
export class SocialCrmOverview extends Component {
    static template = "social_crm.Overview";
    static components = { Layout };
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.actionService = useService("action");
        this.state = useState({ data: null, loading: false });
        onWillStart(() => this.reload());
    }

    get display() {
        return { controlPanel: {} };
    }

    get counters() {
        return [...this.state.data.counters].sort((a, b) => a.sequence - b.sequence);
    }

    get sections() {
        return registry.category("social_crm_overview_sections").getEntries();
    }

    async reload() {
        this.state.loading = true;
        try {
            this.state.data = await this.orm.call("social.mention", "get_overview_data", []);
        } finally {
            this.state.loading = false;
        }
    }

    /** Open an action of the overview's data; back on the overview (breadcrumb), it loads again. */
    openAction(action, options = {}) {
        return this.actionService.doAction(action, options);
    }
}

registry.category("actions").add("social_crm_overview", SocialCrmOverview);
