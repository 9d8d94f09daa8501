import { Component, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { rpc } from "@web/core/network/rpc";
import { registry } from "@web/core/registry";
import { useAutofocus, useService } from "@web/core/utils/hooks";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";

function newOperationRef() {
    if (window.crypto?.randomUUID) {
        return window.crypto.randomUUID();
    }
    const bytes = window.crypto.getRandomValues(new Uint8Array(16));
    return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The code in groups of four digits, as printed on the voucher. */
export function formatVoucherCode(code) {
    return (code || "").replace(/(\d{4})(?=\d)/g, "$1 ");
}

/**
 * Gift vouchers at the counter: sell one (the shop collects the money), check
 * one and take a payment from it. Everything goes through the
 * /loyalty/api/voucher/* routes; the shop is the session user's. Each
 * operation carries a one-shot reference, so a double click records once.
 */
export class LoyaltyVoucherCounter extends Component {
    static template = "loyalty_voucher.Counter";
    static props = { ...standardActionServiceProps };

    setup() {
        this.notification = useService("notification");
        this.codeRef = useAutofocus({ refName: "code" });
        this.state = useState({
            busy: false,
            code: "",
            voucher: null,
            amount: "",
            paid: null,
            faceValue: "",
            sold: null,
        });
        this.payRef = newOperationRef();
        this.sellRef = newOperationRef();
    }

    formatCode(code) {
        return formatVoucherCode(code);
    }

    async call(route, params) {
        this.state.busy = true;
        try {
            return await rpc(`/loyalty/api/voucher/${route}`, params, { silent: true });
        } catch (error) {
            this.notification.add(error.data?.message || _t("The server could not be reached."), {
                type: "danger",
                sticky: false,
            });
            return null;
        } finally {
            this.state.busy = false;
        }
    }

    async onCheck(ev) {
        ev?.preventDefault();
        this.state.paid = null;
        this.state.voucher = await this.call("check", { code: this.state.code });
        this.payRef = newOperationRef();
    }

    async onPay(ev) {
        ev?.preventDefault();
        const result = await this.call("redeem", {
            code: this.state.code,
            amount: this.state.amount,
            source_ref: `counter:${this.payRef}`,
        });
        if (result) {
            this.state.paid = result;
            this.state.voucher = null;
            this.state.amount = "";
            this.payRef = newOperationRef();
        }
    }

    async onSell(ev) {
        ev?.preventDefault();
        const result = await this.call("sell", {
            face_value: this.state.faceValue,
            source_ref: `counter:${this.sellRef}`,
        });
        if (result) {
            this.state.sold = result;
            this.state.faceValue = "";
            this.sellRef = newOperationRef();
        }
    }

    get printUrl() {
        return `/report/pdf/loyalty_voucher.report_voucher/${this.state.sold.voucher_id}`;
    }

    nextCustomer() {
        Object.assign(this.state, { code: "", voucher: null, amount: "", paid: null, sold: null });
        this.payRef = newOperationRef();
        this.sellRef = newOperationRef();
    }
}

registry.category("actions").add("loyalty_voucher.counter", LoyaltyVoucherCounter);
